// The desk's menu: which catalogue key names each screen Rust lets the clerk open, and its key.
// F5 is kept from the webview (it would reload the window and drop the clerk's place).
import type { Screen } from "../../bindings/Screen";
import type { Key } from "../../i18n/index.svelte";

export const screenLabel: Record<Screen, Key> = {
  home: "desk.screen.home",
  intake: "desk.screen.intake",
  queue: "desk.screen.queue",
  delivery: "desk.screen.delivery",
  manager: "desk.screen.manager",
  settings: "desk.screen.settings",
};

/** The function key of each screen, the same for every role (F5 is never used). */
export const screenKey: Record<Screen, string> = {
  home: "F1",
  intake: "F2",
  queue: "F3",
  delivery: "F4",
  manager: "F6",
  settings: "F7",
};

/** The screen a key press opens, if the clerk may open it; keys of the screens themselves are F8–F10. */
export function screenForKey(key: string, allowed: readonly Screen[]): Screen | null {
  const hit = allowed.find((s) => screenKey[s] === key);
  return hit ?? null;
}
