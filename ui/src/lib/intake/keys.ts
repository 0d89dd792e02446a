// The intake screen's keys, as plain functions the screen and its tests share: which action a
// key press asks for, the highlighted row of a list under ↑/↓, and the field Enter moves to.
// Rules about cases (what may be decided, shown or printed) stay in Rust; these only steer focus.

/** What a key press on the intake screen asks for. */
export type IntakeAction = "check" | "preview_print" | "customer_screen" | null;

/** F8 检查并选择结果, F9 预览并打印, F10 在客户屏显示评价码; other keys are not the screen's. */
export function intakeAction(e: Pick<KeyboardEvent, "key" | "altKey" | "ctrlKey" | "metaKey">): IntakeAction {
  if (e.altKey || e.ctrlKey || e.metaKey) return null;
  switch (e.key) {
    case "F8":
      return "check";
    case "F9":
      return "preview_print";
    case "F10":
      return "customer_screen";
    default:
      return null;
  }
}

/** The highlighted row after ↑/↓ (stays inside the list; an empty list has none). */
export function moveHighlight(active: number, length: number, key: string): number {
  if (length === 0) return -1;
  const from = Math.min(Math.max(active, 0), length - 1);
  if (key === "ArrowDown") return Math.min(from + 1, length - 1);
  if (key === "ArrowUp") return Math.max(from - 1, 0);
  if (key === "Home") return 0;
  if (key === "End") return length - 1;
  return from;
}

/** The page position a thumbnail moves to with Alt+↑/↓ (Alt+←/→), or null for no move. */
export function movedPosition(position: number, count: number, key: string): number | null {
  const earlier = key === "ArrowUp" || key === "ArrowLeft";
  const later = key === "ArrowDown" || key === "ArrowRight";
  if (earlier && position > 1) return position - 1;
  if (later && position < count) return position + 1;
  return null;
}

/** The page shown after ←/→ in the large viewer (stops at either end). */
export function stepPage(index: number, count: number, key: string): number {
  if (key === "ArrowRight" || key === "PageDown") return Math.min(index + 1, count - 1);
  if (key === "ArrowLeft" || key === "PageUp") return Math.max(index - 1, 0);
  return index;
}

/** Whether Enter on this element moves on to the next field (text inputs and selects do;
 *  buttons, checkboxes, radios and text areas keep Enter for themselves). */
export function enterMovesOn(el: { tagName: string; type?: string }): boolean {
  const tag = el.tagName.toLowerCase();
  if (tag === "select") return true;
  if (tag !== "input") return false;
  return !["checkbox", "radio", "button", "submit", "file"].includes((el.type ?? "text").toLowerCase());
}

const FOCUSABLE = "input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), [tabindex]:not([tabindex='-1'])";

/** The next field in Tab order inside `root` after `from` (null at the end). */
export function nextField(root: ParentNode, from: Element): HTMLElement | null {
  const all = Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.tabIndex >= 0);
  const i = all.indexOf(from as HTMLElement);
  return i >= 0 && i + 1 < all.length ? all[i + 1] : null;
}

/** The field above the first error message in `root` (F8 goes there), or null. */
export function fieldWithIssue(root: ParentNode): HTMLElement | null {
  const fields = "input, select, textarea";
  let el = root.querySelector("[data-testid^='issue-'].error")?.previousElementSibling ?? null;
  while (el && !el.matches(fields) && !el.querySelector(fields)) el = el.previousElementSibling;
  const field = el && (el.matches(fields) ? el : el.querySelector(fields));
  return field instanceof HTMLElement ? field : null;
}

/** A field the focus lands on under the key bar (stuck at the top) is scrolled clear of it.
 *  (Not scroll-padding: with it, WebKit's WebDriver could not scroll fields into view.)
 *  Only the intake's own fields: the desk's header (menu, 退出登录) sits above the bar, and
 *  scrolling while its button took the focus on mousedown moved it from under the pointer,
 *  so the click never came. */
export function clearOfKeyBar(e: FocusEvent) {
  const target = e.target;
  if (!(target instanceof Element) || !target.closest(".intake")) return;
  const bar = document.querySelector(".key-hints")?.getBoundingClientRect();
  const el = (e.target as HTMLElement).getBoundingClientRect?.();
  if (bar && el && el.top < bar.bottom && el.bottom > 0) window.scrollBy(0, el.top - bar.bottom - 8);
}
