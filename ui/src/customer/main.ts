// Entry point of the customer-facing window (客户屏): mounts its one screen.
import { mount } from "svelte";
import CustomerScreen from "./CustomerScreen.svelte";
import "./customer.css";

const target = document.getElementById("customer");
if (!target) throw new Error("缺少挂载点 #customer");
export default mount(CustomerScreen, { target });
