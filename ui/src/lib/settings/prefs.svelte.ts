// A clerk's own preferences applied to the whole window: large text scales the root font size
// (every size is in rem) and the language switches the i18n catalogue. Applied when a clerk's
// desk opens (after login or unlock) and put back to the defaults when it closes.
import { onDestroy, onMount } from "svelte";
import { setLocale } from "../../i18n/index.svelte";
import type { ClerkPrefsView } from "../../bindings/ClerkPrefsView";
import { settingsApi } from "./api";
import { LARGE_TEXT_CLASS } from "./sections";

export function applyPrefs(prefs: Pick<ClerkPrefsView, "large_text" | "locale">) {
  document.documentElement.classList.toggle(LARGE_TEXT_CLASS, prefs.large_text);
  setLocale(prefs.locale === "en" ? "en" : "zh");
}

/** Loads and applies the logged-in clerk's preferences; the defaults stay on failure. */
export async function loadClerkPrefs() {
  try {
    applyPrefs(await settingsApi.prefs());
  } catch {
    // Not logged in any more, or the station is closing: the defaults are fine.
  }
}

/** For the desk: the clerk's preferences while it is open, the defaults after. */
export function useClerkPrefs() {
  onMount(loadClerkPrefs);
  onDestroy(() => applyPrefs({ large_text: false, locale: "zh" }));
}
