//! What the settings screen shows and sends, with every label made here in Rust.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use yichuang_core::{Paper, SlipKind};

use crate::PrinterView;

/// The station as the settings screen shows it; code and region are read-only.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct StationSettingsView {
    pub station_code: String,
    pub region_code: String,
    pub station_name: String,
    pub counter: u8,
    pub phone: String,
    pub address: String,
    /// What the papers print as the phone for questions (the station's, or the 12345 hotline).
    pub printed_phone: String,
    /// Whether the logged-in clerk may change it (hall managers only; Rust checks again).
    pub editable: bool,
}

/// The station form as the window sends it; the counter as typed, checked in Rust.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct StationForm {
    pub station_name: String,
    pub counter: String,
    pub phone: String,
    pub address: String,
}

/// One slip kind's printer.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct KindPrinter {
    pub kind: SlipKind,
    /// "受理通知书".
    pub label: String,
    pub paper: Paper,
    /// "A4 纸", "80 毫米小票".
    pub paper_label: String,
    /// The printer set for this kind itself (empty: it follows the paper's or the default).
    pub printer: Option<String>,
    /// Where it prints now and why: "yichuang-pdf（系统默认）".
    pub effective_label: String,
}

/// The printer settings: every slip kind and the OS printers.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PrinterSettingsView {
    pub kinds: Vec<KindPrinter>,
    pub printers: Vec<PrinterView>,
    /// The printing system could not be asked: what to do.
    pub printers_error: Option<String>,
}

/// The evaluation (好差评) channel codes this station records and prints.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EvaluationCodes {
    /// A rating tapped on the customer-facing screen (`evaluation.channel.pad`).
    pub pad_channel: String,
    /// The QR code printed on the papers (`evaluation.channel.qr`).
    pub qr_channel: String,
}

/// A window language a clerk can pick.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LocaleChoice {
    /// `zh` or `en`.
    pub code: String,
    /// "中文", "English".
    pub label: String,
}

/// The logged-in clerk's own preferences.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ClerkPrefsView {
    pub large_text: bool,
    pub locale: String,
    pub locales: Vec<LocaleChoice>,
}

/// What a clerk saves of their own preferences.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct ClerkPrefsForm {
    pub large_text: bool,
    pub locale: String,
}
