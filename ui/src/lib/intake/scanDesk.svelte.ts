// The scanned pages of the intake on screen, shared by its checklist lines: which line the
// document camera's new scans go to, scans that arrived with no such line, and file drops.
// The backend decides everything (checks, labels, messages); this only keeps what is shown.
import { getCurrentWebview } from "@tauri-apps/api/webview";
import type { ArrivedScan } from "../../bindings/ArrivedScan";
import type { PageView } from "../../bindings/PageView";
import type { ScanFolder } from "../../bindings/ScanFolder";
import { asAppError, onScanArrived, scanApi } from "../api";
import { t } from "../../i18n/index.svelte";

class ScanDesk {
  intakeId = $state<string | null>(null);
  pages = $state<PageView[]>([]);
  /** The line (material code) the document camera's new scans go to. */
  target = $state<string | null>(null);
  /** Scans that arrived while no line was the target: the clerk assigns them. */
  arrived = $state<ArrivedScan[]>([]);
  /** The line a file is being dragged over. */
  dropLine = $state<string | null>(null);
  /** Messages per line; "" is the tray's. */
  errors = $state<Record<string, string[]>>({});
  folder = $state<ScanFolder | null>(null);
  busy = $state(false);
  /** The line and page open in the large viewer (←/→ step through the line's pages). */
  viewing = $state<{ code: string; index: number } | null>(null);
  /** Where the focus goes back to when the viewer closes. */
  private returnFocus: HTMLElement | null = null;
  private started = false;

  /** Shows the pages of `intakeId` (a new intake starts with no target line). */
  async open(intakeId: string) {
    if (this.intakeId !== intakeId) {
      this.intakeId = intakeId;
      this.pages = [];
      this.target = null;
      this.errors = {};
    }
    await this.start();
    await this.refresh();
  }

  /** Opens the large viewer on page `index` of the line `code`. */
  view(code: string, index: number) {
    if (this.lineOf(code).length === 0) return;
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.viewing = { code, index };
  }

  closeViewer() {
    this.viewing = null;
    this.returnFocus?.focus();
    this.returnFocus = null;
  }

  lineOf(code: string): PageView[] {
    return this.pages.filter((p) => p.material_code === code).sort((a, b) => a.position - b.position);
  }

  async refresh() {
    const id = this.intakeId;
    if (!id) return;
    try {
      const pages = await scanApi.pages(id);
      if (this.intakeId === id) this.pages = pages;
    } catch (e) {
      this.report("", [asAppError(e).message]);
    }
  }

  private report(code: string, messages: string[]) {
    this.errors = { ...this.errors, [code]: messages };
  }

  clear(code: string) {
    if (this.errors[code]?.length) this.report(code, []);
  }

  /** Runs `attach` for each item; refused files are listed by their message, the rest attach. */
  private async each<T>(code: string, items: T[], attach: (item: T) => Promise<unknown>) {
    this.busy = true;
    const failed: string[] = [];
    for (const item of items) {
      try {
        await attach(item);
      } catch (e) {
        failed.push(asAppError(e).message);
      }
    }
    this.busy = false;
    this.report(code, failed);
    await this.refresh();
  }

  async attachPaths(code: string, paths: string[]) {
    const id = this.intakeId;
    if (!id) return;
    await this.each(code, paths, (path) => scanApi.attachFile(id, code, path));
  }

  async pickFiles(code: string) {
    try {
      const paths = await scanApi.pickFiles();
      if (paths.length) await this.attachPaths(code, paths);
    } catch (e) {
      this.report(code, [asAppError(e).message]);
    }
  }

  async assign(scan: ArrivedScan, code: string) {
    const id = this.intakeId;
    if (!id) return;
    this.arrived = this.arrived.filter((s) => s.path !== scan.path);
    await this.each(code, [scan], (s) => scanApi.attachArrived(id, code, s.name));
  }

  async move(page: PageView, position: number) {
    await this.each(page.material_code, [page], (p) => scanApi.movePage(p.id, position));
  }

  async remove(page: PageView) {
    await this.each(page.material_code, [page], (p) => scanApi.removePage(p.id));
  }

  async reuse(code: string, pageId: number) {
    const id = this.intakeId;
    if (!id) return;
    await this.each(code, [pageId], (p) => scanApi.reuse(id, code, p));
  }

  /** Starts the folder watch and the listeners once per window; they live as long as it. */
  private async start() {
    if (this.started) return;
    this.started = true;
    try {
      this.folder = await scanApi.watchStart();
    } catch (e) {
      this.started = false;
      this.report("", [asAppError(e).message]);
      return;
    }
    await onScanArrived((scan) => {
      if (this.intakeId && this.target) {
        void this.assign(scan, this.target);
      } else {
        this.arrived = [...this.arrived, scan];
      }
    });
    await getCurrentWebview().onDragDropEvent((event) => {
      const p = event.payload;
      if (p.type === "leave") {
        this.dropLine = null;
        return;
      }
      const line = lineAt(p.position.x, p.position.y) ?? this.target;
      if (p.type === "drop") {
        this.dropLine = null;
        if (line) void this.attachPaths(line, p.paths);
        else if (this.intakeId) this.report("", [t("intake.scan.drop_on_line")]);
      } else {
        this.dropLine = line;
      }
    });
  }
}

/** The checklist line under a drop position (physical pixels from the shell). */
function lineAt(x: number, y: number): string | null {
  const scale = window.devicePixelRatio || 1;
  const el = document.elementFromPoint(x / scale, y / scale);
  const line = el?.closest<HTMLElement>("[data-scan-line]");
  return line?.dataset.scanLine ?? null;
}

export const scanDesk = new ScanDesk();
