// The English (second) catalogue's "print" strings; the type makes it list every Chinese key.
import type zh from "../zh/print";

export default {
  "print.history.title": "Print history",
  "print.history.from": "From",
  "print.history.to": "To",
  "print.history.time": "Time",
  "print.history.case_no": "Case no.",
  "print.history.paper": "Paper",
  "print.history.copy": "Copy",
  "print.history.reason": "Reprint reason",
  "print.history.printer": "Printer",
  "print.history.result": "Result",
  "print.history.attempts": "Attempts",
  "print.history.clerk": "Clerk",
  "print.history.none": "No prints",
} satisfies Record<keyof typeof zh, string>;
