// The Chinese (first) catalogue's "print" strings: the print history's own words. Paper kinds,
// copy and state labels come from Rust in PrintRecord, never from here.
export default {
  "print.history.title": "打印记录",
  "print.history.from": "自",
  "print.history.to": "至",
  "print.history.time": "时间",
  "print.history.case_no": "办件编号",
  "print.history.paper": "文书",
  "print.history.copy": "份次",
  "print.history.reason": "补打原因",
  "print.history.printer": "打印机",
  "print.history.result": "结果",
  "print.history.attempts": "尝试",
  "print.history.clerk": "操作人",
  "print.history.none": "没有打印记录",
} as const;
