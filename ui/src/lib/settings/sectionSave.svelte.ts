// What the settings sections that save a form share: what is stored read into the form, then
// each save busy while it runs and answered with 已保存, or with Rust's refusal shown beside
// its fields (issues) or else as one line.
import { asAppError } from "../api";
import type { Issue } from "../../bindings/Issue";
import { t } from "../../i18n/index.svelte";

export class SectionSave {
  busy = $state(false);
  message: string | null = $state(null);
  error: string | null = $state(null);
  issues: Issue[] = $state([]);

  /** Reads what is stored and gives it to `show`; a failure is shown as the error line. */
  async load<T>(read: () => Promise<T>, show: (stored: T) => void): Promise<void> {
    try {
      show(await read());
    } catch (e) {
      this.error = asAppError(e).message;
    }
  }

  /** Saves through `write` and gives what Rust stored to `show`; then 已保存 or the refusal.
   *  A `write` that answers null did nothing (a dialog cancelled): no message. */
  async save<T>(write: () => Promise<T | null>, show: (stored: T) => void): Promise<void> {
    this.busy = true;
    this.message = this.error = null;
    try {
      const stored = await write();
      if (stored === null) return;
      show(stored);
      this.issues = [];
      this.message = t("settings.saved");
    } catch (e) {
      const err = asAppError(e);
      this.issues = err.issues;
      this.error = err.issues.length ? null : err.message;
    } finally {
      this.busy = false;
    }
  }
}
