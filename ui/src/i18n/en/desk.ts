// The English (second) catalogue's "desk" strings; the type makes it list every Chinese key.
import type zh from "../zh/desk";

export default {
  "desk.screen.home": "Home",
  "desk.screen.intake": "Intake",
  "desk.screen.queue": "Cases",
  "desk.screen.delivery": "Delivery",
  "desk.screen.manager": "Statistics",
  "desk.screen.settings": "Settings",
  "desk.window_no": "Counter {counter}",
  "desk.lock": "Lock",
  "desk.logout": "Log out",
  "desk.shortcuts": "Shortcuts",
} satisfies Record<keyof typeof zh, string>;
