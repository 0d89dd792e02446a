// Vite builds the UI into ui/dist, which Tauri embeds (tauri.conf.json: build.frontendDist).
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  build: { outDir: "dist", emptyOutDir: true, target: "safari15" },
});
