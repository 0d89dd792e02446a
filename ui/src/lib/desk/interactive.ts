// Stamps the moment the window's first screen can take input on <html data-interactive-at>,
// once: the window benchmark (tests/benches/window.rs) reads it; nothing else depends on it.
export function markInteractive(root: HTMLElement = document.documentElement) {
  if (!root.dataset.interactiveAt) root.dataset.interactiveAt = String(Date.now());
}
