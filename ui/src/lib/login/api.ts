// Typed calls of the login area: the session (lock, unlock), login settings and accounts.
import { call } from "../api";
import type { AccountRow } from "../../bindings/AccountRow";
import type { ClerkInfo } from "../../bindings/ClerkInfo";
import type { LoginSettings } from "../../bindings/LoginSettings";
import type { NewClerkForm } from "../../bindings/NewClerkForm";
import type { SessionView } from "../../bindings/SessionView";

export const loginApi = {
  lock: () => call<SessionView>("lock"),
  unlock: (password: string) => call<ClerkInfo>("unlock", { password }),
  session: () => call<SessionView>("session"),
  loginSettings: () => call<LoginSettings>("login_settings"),
  accounts: () => call<AccountRow[]>("accounts"),
  addLocalClerk: (form: NewClerkForm) => call<AccountRow>("add_local_clerk", { form }),
  setClerkActive: (login: string, active: boolean) => call<AccountRow>("set_clerk_active", { login, active }),
  resetClerkPassword: (login: string, password: string) =>
    call<void>("reset_clerk_password", { login, password }),
};
