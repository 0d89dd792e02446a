// The English (second) catalogue's "intake" strings; the type makes it list every Chinese key.
import type zh from "../zh/intake";

export default {
} satisfies Record<keyof typeof zh, string>;
