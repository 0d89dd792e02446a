// The one catalogue of the window's own words, Chinese first and English second, merged from
// one file per area (zh/<area>.ts, en/<area>.ts) so that each screen keeps its strings beside
// the others without editing a shared file. Keys are "<area>.<name>"; every English file is
// typed to list every key of its Chinese twin, so a missing translation fails `npm run check`.
import zhCommon from "./zh/common";
import zhDesk from "./zh/desk";
import zhLogin from "./zh/login";
import zhHome from "./zh/home";
import zhIntake from "./zh/intake";
import zhQueue from "./zh/queue";
import zhDelivery from "./zh/delivery";
import zhManager from "./zh/manager";
import zhSettings from "./zh/settings";
import zhPrint from "./zh/print";
import enCommon from "./en/common";
import enDesk from "./en/desk";
import enLogin from "./en/login";
import enHome from "./en/home";
import enIntake from "./en/intake";
import enQueue from "./en/queue";
import enDelivery from "./en/delivery";
import enManager from "./en/manager";
import enSettings from "./en/settings";
import enPrint from "./en/print";

export const zh = {
  ...zhCommon,
  ...zhDesk,
  ...zhLogin,
  ...zhHome,
  ...zhIntake,
  ...zhQueue,
  ...zhDelivery,
  ...zhManager,
  ...zhSettings,
  ...zhPrint,
};

export type Key = keyof typeof zh;

export const en: Record<Key, string> = {
  ...enCommon,
  ...enDesk,
  ...enLogin,
  ...enHome,
  ...enIntake,
  ...enQueue,
  ...enDelivery,
  ...enManager,
  ...enSettings,
  ...enPrint,
};

export type Locale = "zh" | "en";

export const catalogues: Record<Locale, Record<Key, string>> = { zh, en };

/** `{name}` placeholders filled from `vars`; a placeholder without a value stays visible. */
export function format(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}
