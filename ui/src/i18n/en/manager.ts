// The English (second) catalogue's "manager" strings; the type makes it list every Chinese key.
import type zh from "../zh/manager";

export default {
} satisfies Record<keyof typeof zh, string>;
