// The home screen's calls into Rust (types generated from the Rust views).
import { call } from "../api";
import type { DeadlineList } from "../../bindings/DeadlineList";
import type { HomeView } from "../../bindings/HomeView";

export const homeApi = {
  home: () => call<HomeView>("home"),
  deadlines: (limit: number, offset: number) => call<DeadlineList>("deadlines", { limit, offset }),
  syncNow: () => call<void>("sync_now"),
};
