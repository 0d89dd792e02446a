// The English (second) catalogue's "queue" strings; the type makes it list every Chinese key.
import type zh from "../zh/queue";

export default {
} satisfies Record<keyof typeof zh, string>;
