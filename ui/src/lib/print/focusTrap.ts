// Keeps the keyboard inside an open dialog (the print dialog): Tab and Shift+Tab cycle through
// its own controls and never reach the screen behind it, and when it closes the focus goes
// back to where it was when it opened (a screen that wants it elsewhere moves it after that).
// Esc is the dialog's own key: it closes the dialog, which gives the focus back.

/** Controls Tab stops on, in document order. */
const FOCUSABLE = [
  "a[href]",
  "button:not([disabled])",
  "input:not([disabled])",
  "select:not([disabled])",
  "textarea:not([disabled])",
  "[tabindex]:not([tabindex='-1'])",
].join(", ");

/**
 * Where Tab (Shift+Tab when `backwards`) must go among the dialog's controls `items` from
 * `current` (null: the focus is outside the dialog); null when the browser's own next stop is
 * still inside the dialog. The last control wraps to the first and the first to the last.
 */
export function wrapTarget<T>(items: readonly T[], current: T | null, backwards: boolean): T | null {
  if (items.length === 0) return null;
  const first = items[0];
  const last = items[items.length - 1];
  const at = current === null ? -1 : items.indexOf(current);
  if (at === -1) return backwards ? last : first;
  if (backwards && at === 0) return last;
  if (!backwards && at === items.length - 1) return first;
  return null;
}

/**
 * Whether a key press is Tab or Shift+Tab. WebKitGTK reports Shift+Tab as key "Unidentified"
 * (X sends ISO_Left_Tab), so the key code counts too.
 */
export function isTab(e: { key: string; code?: string; keyCode?: number }): boolean {
  return e.key === "Tab" || e.code === "Tab" || e.keyCode === 9;
}

/** The element the focus should go back to: the one focused now, if any. */
export function focusedNow(): HTMLElement | null {
  const el = document.activeElement;
  return el instanceof HTMLElement && el !== document.body ? el : null;
}

/**
 * Svelte action on the dialog: `use:focusTrap={opener}`, `opener` taken with [`focusedNow`]
 * when the dialog's script starts (before the dialog moves the focus to its first button).
 */
export function focusTrap(node: HTMLElement, opener: HTMLElement | null) {
  function onKey(e: KeyboardEvent) {
    if (!isTab(e) || e.defaultPrevented) return;
    const items = [...node.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
    const active = document.activeElement;
    const current = active instanceof HTMLElement && node.contains(active) ? active : null;
    const target = wrapTarget(items, current, e.shiftKey);
    if (items.length === 0) e.preventDefault();
    else if (target) {
      e.preventDefault();
      target.focus();
    }
  }
  document.addEventListener("keydown", onKey, true);
  return {
    destroy() {
      document.removeEventListener("keydown", onKey, true);
      if (opener?.isConnected) opener.focus();
    },
  };
}
