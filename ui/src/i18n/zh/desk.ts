// The Chinese (first) catalogue's "desk" strings: window chrome only. Domain labels (states,
// ID types, outcomes, sync states) come from Rust in the view types, never from here.
export default {
  "desk.screen.home": "首页",
  "desk.screen.intake": "受理",
  "desk.screen.queue": "办件",
  "desk.screen.delivery": "出件",
  "desk.screen.manager": "统计",
  "desk.screen.settings": "设置",
  "desk.window_no": "第 {counter} 号窗口",
  "desk.lock": "锁屏",
  "desk.logout": "退出",
  "desk.shortcuts": "快捷键",
} as const;
