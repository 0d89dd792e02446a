// Which sections the settings page lists, in order: a clerk sees their own preferences and
// the station's details (read-only); a hall manager sees every section. Whether the clerk is
// a manager comes from Rust (StationSettingsView.editable), which checks every change again.
import type { Key } from "../../i18n/index.svelte";

export type SectionId =
  | "prefs"
  | "station"
  | "accounts"
  | "login"
  | "district"
  | "printers"
  | "scan"
  | "evaluation";

export const sectionLabel: Record<SectionId, Key> = {
  prefs: "settings.section.prefs",
  station: "settings.section.station",
  accounts: "settings.section.accounts",
  login: "settings.section.login",
  district: "settings.section.district",
  printers: "settings.section.printers",
  scan: "settings.section.scan",
  evaluation: "settings.section.evaluation",
};

const everyone: SectionId[] = ["prefs", "station"];
const managersToo: SectionId[] = ["district", "printers", "scan", "evaluation", "accounts", "login"];

export function visibleSections(manager: boolean): SectionId[] {
  return manager ? [...everyone, ...managersToo] : [...everyone];
}

/** The html class that scales the root font size (app.css), for a clerk's large-text choice. */
export const LARGE_TEXT_CLASS = "large-text";
