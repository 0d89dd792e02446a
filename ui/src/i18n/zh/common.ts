// The Chinese (first) catalogue's "common" strings: window chrome only. Domain labels (states,
// ID types, outcomes, sync states) come from Rust in the view types, never from here.
export default {
  "common.app_name": "一窗受理台",
  "common.loading": "正在加载…",
  "common.retry": "重试",
  "common.cancel": "取消",
  "common.save": "保存",
  "common.close": "关闭",
  "common.confirm": "确定",
} as const;
