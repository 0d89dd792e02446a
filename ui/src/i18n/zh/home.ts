// The Chinese (first) catalogue's "home" strings: window chrome only. Domain labels (states,
// ID types, outcomes, sync states) come from Rust in the view types, never from here.
export default {
} as const;
