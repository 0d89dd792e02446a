// The print dialog's printer choice names its paper kind, so choosing a printer for one paper
// leaves the printer of another paper of the same size as it was (print_set_printer's `kind`).
// The Tauri IPC is the boundary replaced here: what is checked is what the window sends.
import { beforeEach, describe, expect, it, vi } from "vitest";

const sent: { cmd: string; args?: Record<string, unknown> }[] = [];
vi.mock("@tauri-apps/api/core", () => ({
  invoke: async (cmd: string, args?: Record<string, unknown>) => {
    sent.push({ cmd, args });
    return null;
  },
}));

const { printApi } = await import("./PrintApi");

describe("printApi.setPrinter", () => {
  beforeEach(() => {
    sent.length = 0;
  });

  it("sends the paper's kind with the printer", async () => {
    await printApi.setPrinter("a4", "yichuang-pdf", "acceptance_notice");
    expect(sent).toEqual([
      { cmd: "print_set_printer", args: { paper: "a4", printer: "yichuang-pdf", kind: "acceptance_notice" } },
    ]);
  });
});
