// Vite builds the UI into ui/dist, which Tauri embeds (tauri.conf.json: build.frontendDist):
// two pages, the clerk's window (index.html) and the customer-facing window (customer.html).
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    rolldownOptions: { input: { main: "index.html", customer: "customer.html" } },
  },
});
