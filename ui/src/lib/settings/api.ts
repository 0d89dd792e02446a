// Typed calls of the settings screen (src-tauri/settings_commands.rs, sync_commands.rs and the
// scan folder's scan_commands.rs); the types come from the generated bindings.
import { call } from "../api";
import type { ClerkPrefsForm } from "../../bindings/ClerkPrefsForm";
import type { ClerkPrefsView } from "../../bindings/ClerkPrefsView";
import type { DistrictView } from "../../bindings/DistrictView";
import type { EvaluationCodes } from "../../bindings/EvaluationCodes";
import type { LoginSettings } from "../../bindings/LoginSettings";
import type { PrinterSettingsView } from "../../bindings/PrinterSettingsView";
import type { ScanFolder } from "../../bindings/ScanFolder";
import type { SlipKind } from "../../bindings/SlipKind";
import type { StationForm } from "../../bindings/StationForm";
import type { StationSettingsView } from "../../bindings/StationSettingsView";

export const settingsApi = {
  station: () => call<StationSettingsView>("settings_station"),
  setStation: (form: StationForm) => call<StationSettingsView>("settings_set_station", { form }),
  printers: () => call<PrinterSettingsView>("settings_printers"),
  setSlipPrinter: (kind: SlipKind, printer: string) =>
    call<PrinterSettingsView>("settings_set_slip_printer", { kind, printer }),
  testPrint: (kind: SlipKind) => call<string>("settings_test_print", { kind }),
  evaluationCodes: () => call<EvaluationCodes>("settings_evaluation_codes"),
  setEvaluationCodes: (codes: EvaluationCodes) =>
    call<EvaluationCodes>("settings_set_evaluation_codes", { codes }),
  login: () => call<LoginSettings>("settings_login"),
  setLogin: (settings: LoginSettings) => call<LoginSettings>("settings_set_login", { settings }),
  prefs: () => call<ClerkPrefsView>("settings_prefs"),
  setPrefs: (form: ClerkPrefsForm) => call<ClerkPrefsView>("settings_set_prefs", { form }),
  district: () => call<DistrictView>("district"),
  setDistrictUrl: (url: string) => call<DistrictView>("set_district_url", { url }),
  enroll: (url: string, code: string, deviceName: string) =>
    call<DistrictView>("enroll", { url, code, deviceName }),
  /** Pins the district's root CA from a PEM file; `null` goes back to the system's roots. */
  setDistrictCa: (path: string | null) => call<DistrictView>("set_district_ca", { path }),
  pickDistrictCa: () => call<string | null>("pick_district_ca"),
  syncNow: () => call<void>("sync_now"),
  scanFolder: () => call<ScanFolder>("scan_folder"),
  setScanFolder: (path: string) => call<ScanFolder>("scan_set_folder", { path }),
  pickScanFolder: () => call<string | null>("scan_pick_folder"),
};
