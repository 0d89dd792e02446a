// The English (second) catalogue's "home" strings; the type makes it list every Chinese key.
import type zh from "../zh/home";

export default {
} satisfies Record<keyof typeof zh, string>;
