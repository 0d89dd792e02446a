// The English (second) catalogue's "settings" strings; the type makes it list every Chinese key.
import type zh from "../zh/settings";

export default {
} satisfies Record<keyof typeof zh, string>;
