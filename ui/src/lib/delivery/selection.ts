// Moving the selection through the ready list with the arrow keys (the window's own logic:
// which line is chosen; what the lines are comes from Rust).

/** The index after pressing `key` on a list of `count` lines, or null when the key is not a move. */
export function moveSelection(key: string, index: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case "ArrowDown":
      return Math.min(index + 1, count - 1);
    case "ArrowUp":
      return Math.max(index - 1, 0);
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return null;
  }
}

/** Keeps the chosen case chosen when the list is reloaded; else the first line. */
export function keepSelection(ids: string[], chosen: string | null): number {
  const at = chosen === null ? -1 : ids.indexOf(chosen);
  return at >= 0 ? at : 0;
}
