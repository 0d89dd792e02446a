//! The screen that faces the citizen (客户屏): what it shows, made here so the window only
//! draws it — the case's signed evaluation QR as SVG, the five 好差评 levels with their labels
//! and GB/T 39046 codes from core, and whether the case was rated already (一次一评).

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use ts_rs::TS;
use uuid::Uuid;
use yichuang_core::evaluation::ALREADY_RATED;
use yichuang_core::evaluation_qr::EvaluationQr;
use yichuang_core::{Case, CaseState, EvaluationLevel};
use yichuang_store::Evaluation;

use crate::station::store_error;
use crate::{AppError, ErrorKind, Station};

/// What the customer screen says after a rating was taken there.
pub const THANKS: &str = "感谢您的评价！";

/// When the citizen is asked to rate: right after acceptance, or when the result is handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EvaluationMoment {
    AfterAcceptance,
    AfterDelivery,
}

impl EvaluationMoment {
    /// Whether a case just decided at the counter puts its evaluation on the customer screen
    /// by itself, and when: an accepted case right away, a 当场办结 one as its result is handed
    /// over with the slip; a 补正 notice or a 不予受理 asks for no rating on its own.
    pub fn after_decision(state: CaseState) -> Option<EvaluationMoment> {
        match state {
            CaseState::Accepted | CaseState::AcceptedTolerant => {
                Some(EvaluationMoment::AfterAcceptance)
            }
            CaseState::CompletedOnSpot => Some(EvaluationMoment::AfterDelivery),
            CaseState::Draft | CaseState::AwaitingCorrection | CaseState::Rejected => None,
        }
    }

    /// The line above the buttons.
    pub fn prompt(self) -> &'static str {
        match self {
            EvaluationMoment::AfterAcceptance => "您的申请已受理，请您对本次服务进行评价",
            EvaluationMoment::AfterDelivery => "办理结果已交付，请您对本次服务进行评价",
        }
    }
}

/// One of the five levels, as a button.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct LevelButton {
    /// GB/T 39046 code, 1 非常满意 … 5 非常不满意: what the window sends back.
    pub code: u8,
    pub label: String,
    /// 不满意 and 非常不满意 are 差评.
    pub negative: bool,
}

/// The rating the case already has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RatingShown {
    pub code: u8,
    pub label: String,
    /// Thanks when it was just given here; the 一次一评 notice when the case was rated before.
    pub message: String,
    /// True when this screen's own evaluation id holds it (the tap just made).
    pub just_now: bool,
}

/// A case on the customer screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct EvaluationScreen {
    /// Made when the case was put on the screen; a double tap sends it twice and is taken once.
    #[ts(type = "string")]
    pub evaluation_id: Uuid,
    #[ts(type = "string")]
    pub case_id: Uuid,
    pub case_no: String,
    pub item_name: String,
    pub moment: EvaluationMoment,
    pub prompt: String,
    /// The signed evaluation QR (the slip's code) as an SVG document.
    pub qr_svg: String,
    pub levels: Vec<LevelButton>,
    pub rated: Option<RatingShown>,
}

/// What the customer screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum CustomerView {
    /// No case: the station's welcome.
    Idle {
        station_name: String,
    },
    Evaluate(EvaluationScreen),
}

fn levels() -> Vec<LevelButton> {
    EvaluationLevel::ALL
        .into_iter()
        .map(|l| LevelButton {
            code: l.code(),
            label: l.label().to_string(),
            negative: matches!(
                l,
                EvaluationLevel::Dissatisfied | EvaluationLevel::VeryDissatisfied
            ),
        })
        .collect()
}

/// The QR as SVG; quiet zone included, scaled by the window.
fn qr_svg(payload: &str) -> Result<String, AppError> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|e| AppError::new(ErrorKind::Internal, format!("评价二维码无法生成：{e}")))?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(256, 256)
        .build())
}

fn shown(evaluation: &Evaluation, screen_id: Uuid) -> RatingShown {
    let just_now = evaluation.id == screen_id;
    RatingShown {
        code: evaluation.level.code(),
        label: evaluation.level.label().to_string(),
        message: if just_now { THANKS } else { ALREADY_RATED }.to_string(),
        just_now,
    }
}

fn already_rated() -> AppError {
    AppError::new(ErrorKind::InvalidInput, ALREADY_RATED)
}

impl Station {
    /// The customer screen with no case on it.
    pub fn customer_idle(&self) -> CustomerView {
        CustomerView::Idle {
            // The name as stored now: the hall manager may rename the station (settings).
            station_name: self.info().station_name,
        }
    }

    /// Puts a case on the customer screen (the clerk's act): its QR and the five levels, or
    /// the rating it already has.
    #[instrument(skip_all, fields(%case_id), err)]
    pub fn customer_view(
        &self,
        case_id: Uuid,
        moment: EvaluationMoment,
    ) -> Result<CustomerView, AppError> {
        self.clerk()?;
        self.screen(case_id, moment, Uuid::now_v7())
    }

    /// Records the level the citizen tapped on the customer screen, with the station's channel
    /// code for that screen (setting `evaluation.channel.pad`, default `pad`). The same
    /// `evaluation_id` again returns the first result (a double tap); another rating of a
    /// case already rated is refused with core's 一次一评 message.
    #[instrument(skip_all, fields(%case_id), err)]
    pub fn rate_from_customer_screen(
        &self,
        evaluation_id: Uuid,
        case_id: Uuid,
        level: EvaluationLevel,
        comment: Option<String>,
        moment: EvaluationMoment,
    ) -> Result<CustomerView, AppError> {
        {
            let mut store = self.lock();
            if let Some(earlier) = store.evaluation_of(case_id).map_err(store_error)?
                && earlier.id != evaluation_id
            {
                return Err(already_rated());
            }
            let channel = store.pad_channel().map_err(store_error)?;
            let evaluation = Evaluation {
                id: evaluation_id,
                case_id,
                level,
                comment: comment
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty()),
                channel,
                rated_at: jiff::Timestamp::now(),
            };
            store
                .record_evaluation(&evaluation, "customer-screen")
                .map_err(|e| match &e {
                    // Another screen's rating landed between the check and the write.
                    yichuang_store::StoreError::InvalidInput(m) if m == ALREADY_RATED => {
                        already_rated()
                    }
                    _ => store_error(e),
                })?;
        }
        tracing::info!(
            level = level.code(),
            "evaluation taken on the customer screen"
        );
        self.screen(case_id, moment, evaluation_id)
    }

    fn screen(
        &self,
        case_id: Uuid,
        moment: EvaluationMoment,
        evaluation_id: Uuid,
    ) -> Result<CustomerView, AppError> {
        let (case, rated) = {
            let store = self.lock();
            let case = store
                .get_case(case_id)
                .map_err(store_error)?
                .ok_or_else(|| AppError::new(ErrorKind::InvalidInput, "找不到该办件"))?;
            (case, store.evaluation_of(case_id).map_err(store_error)?)
        };
        let qr_svg = qr_svg(&self.qr_payload(&case)?)?;
        Ok(CustomerView::Evaluate(EvaluationScreen {
            evaluation_id,
            case_id,
            case_no: case.case_no.clone(),
            item_name: case.item_name.clone(),
            moment,
            prompt: moment.prompt().to_string(),
            qr_svg,
            levels: levels(),
            rated: rated.as_ref().map(|e| shown(e, evaluation_id)),
        }))
    }

    /// The signed payload of the case's evaluation QR, as on its slip. Its channel is the
    /// configured QR code (`evaluation.channel.qr`), not the screen's `pad` one: the QR on the
    /// screen is scanned by the citizen's phone and rated on the phone, exactly like the QR on
    /// paper, so the district must count it as a phone (QR) rating. `pad` is the channel of a
    /// level tapped on the screen itself ([`Station::rate_from_customer_screen`]).
    fn qr_payload(&self, case: &Case) -> Result<String, AppError> {
        let key = self.qr_key()?;
        let channel = self.lock().qr_channel().map_err(store_error)?;
        let qr = EvaluationQr {
            station_code: self.settings.station_code.as_str().to_string(),
            case_no: case.case_no.clone(),
            item_code: case.intake.item_code.clone(),
            region_code: self.settings.region_code.clone(),
            channel,
        };
        Ok(qr.to_payload(&self.settings.evaluation_base_url, &key))
    }
}
