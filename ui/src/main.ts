// Entry point: mounts the Svelte app into the Tauri window.
import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";

const target = document.getElementById("app");
if (!target) throw new Error("缺少挂载点 #app");
export default mount(App, { target });
