// The English (second) catalogue's "login" strings; the type makes it list every Chinese key.
import type zh from "../zh/login";

export default {
} satisfies Record<keyof typeof zh, string>;
