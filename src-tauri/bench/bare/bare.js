// The baseline page: marks itself interactive like the desk does, and answers each keystroke
// through one IPC round trip (Tauri's own app version command) before it shows the result.
const input = document.querySelector("[data-testid='bare-search']");
const list = document.querySelector("[data-testid='bare-list']");
input.addEventListener("input", async () => {
  const query = input.value;
  const version = await window.__TAURI_INTERNALS__.invoke("plugin:app|version");
  list.replaceChildren(
    ...[1, 2, 3].map((n) => {
      const li = document.createElement("li");
      li.textContent = `${query} ${n} (${version})`;
      return li;
    }),
  );
  list.dataset.query = query;
});
document.documentElement.dataset.interactiveAt = String(Date.now());
