// The English (second) catalogue's "delivery" strings; the type makes it list every Chinese key.
import type zh from "../zh/delivery";

export default {
} satisfies Record<keyof typeof zh, string>;
