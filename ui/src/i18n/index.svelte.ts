// The window's words: `t("area.name", {vars})` reads the current locale's catalogue.
// Chinese is the default; the locale is a station setting kept in Rust (settings screen).
import { catalogues, format, type Key, type Locale } from "./catalogue";

export type { Key, Locale };

const current = $state<{ locale: Locale }>({ locale: "zh" });

export function setLocale(locale: Locale) {
  current.locale = locale;
  document.documentElement.lang = locale === "zh" ? "zh-CN" : "en";
}

export function locale(): Locale {
  return current.locale;
}

/** The window's text for `key` in the current locale. */
export function t(key: Key, vars?: Record<string, string | number>): string {
  return format(catalogues[current.locale][key], vars);
}
