// The English (second) catalogue's "common" strings; the type makes it list every Chinese key.
import type zh from "../zh/common";

export default {
  "common.app_name": "Yichuang Desk",
  "common.loading": "Loading…",
  "common.retry": "Retry",
  "common.cancel": "Cancel",
  "common.save": "Save",
  "common.close": "Close",
  "common.confirm": "OK",
} satisfies Record<keyof typeof zh, string>;
