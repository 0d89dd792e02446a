//! The counter's intake: finding the item, starting an intake (its id is fixed from the
//! first moment), saving it as typed, checking it, and recording the clerk's decision, which
//! a repeated press returns instead of repeating.

use std::sync::Arc;

use jiff::Timestamp;
use tracing::{instrument, warn};
use uuid::Uuid;
use yichuang_core::outcome::decide;
use yichuang_core::{
    Applicant, ContactInfo, DeliveryMethod, IdType, IntakeDecision, IntakeDraft, Issue, ItemIndex,
    time,
};
use yichuang_store::Saved;

use crate::credit::credit_note;
use crate::intake_views::{DecisionResult, DraftSummary, IntakeForm, ItemView, ReturningApplicant};
use crate::station::{CatalogueIndex, store_error, unknown_item};
use crate::{AppError, ErrorKind, EvaluationMoment, Station, slips};

fn parse_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id.trim())
        .map_err(|_| AppError::new(ErrorKind::InvalidInput, "受理单标识有误，请重新开始受理"))
}

impl Station {
    /// The current catalogue with its search index (built once per catalogue import).
    pub(crate) fn catalogue_index(&self) -> Result<Arc<CatalogueIndex>, AppError> {
        let mut cached = self.items.lock().unwrap_or_else(|p| p.into_inner());
        let id = self.lock().catalogue_id().map_err(store_error)?;
        if let Some(index) = cached.as_ref()
            && Some(index.id) == id
        {
            return Ok(index.clone());
        }
        let catalogue = self.lock().catalogue().map_err(store_error)?;
        let index = Arc::new(CatalogueIndex {
            id: id.unwrap_or_default(),
            index: ItemIndex::new(&catalogue),
            catalogue,
        });
        *cached = Some(index.clone());
        Ok(index)
    }

    /// Items matching what the clerk typed (name, code, pinyin initials such as `jzz`).
    pub fn search_items(&self, query: &str) -> Result<Vec<ItemView>, AppError> {
        self.clerk()?;
        let cat = self.catalogue_index()?;
        Ok(cat
            .index
            .search(query)
            .into_iter()
            .map(|i| ItemView::from(&cat.catalogue.items[i]))
            .collect())
    }

    pub fn item(&self, item_code: &str) -> Result<ItemView, AppError> {
        self.clerk()?;
        let cat = self.catalogue_index()?;
        let item = cat.catalogue.item(item_code).ok_or_else(unknown_item)?;
        Ok(ItemView::from(item))
    }

    /// Starts an intake for an item: its id (UUIDv7, the future case's) and an empty form,
    /// saved at once as the clerk's draft.
    #[instrument(skip_all, err)]
    pub fn start_intake(&self, item_code: &str) -> Result<IntakeForm, AppError> {
        let item = self.item(item_code)?;
        let form = IntakeForm {
            id: Uuid::now_v7().to_string(),
            draft: IntakeDraft {
                item_code: item.item.item_code.clone(),
                applicant: Applicant::NaturalPerson {
                    name: String::new(),
                    id_type: IdType::ResidentIdCard,
                    id_no: String::new(),
                    address: String::new(),
                },
                contact: ContactInfo {
                    name: String::new(),
                    phone: String::new(),
                },
                materials: Vec::new(),
                delivery: DeliveryMethod::Window,
                agent: None,
            },
        };
        self.save_draft(&form)?;
        Ok(form)
    }

    /// Saves the form as typed. `false` when the intake was already decided (a late save).
    pub fn save_draft(&self, form: &IntakeForm) -> Result<bool, AppError> {
        let clerk = self.clerk()?;
        let id = parse_id(&form.id)?;
        let json = serde_json::to_string(form)
            .map_err(|e| AppError::new(ErrorKind::Internal, format!("草稿无法保存：{e}")))?;
        self.lock()
            .save_draft(
                id,
                &clerk.login,
                &form.draft.item_code,
                &json,
                Timestamp::now(),
            )
            .map_err(store_error)
    }

    /// The logged-in clerk's unfinished intakes, newest first; unreadable ones are skipped
    /// (and logged), never deleted.
    pub fn drafts(&self) -> Result<Vec<DraftSummary>, AppError> {
        let clerk = self.clerk()?;
        let records = self.lock().drafts_of(&clerk.login).map_err(store_error)?;
        let cat = self.catalogue_index()?;
        Ok(records
            .into_iter()
            .filter_map(|r| match serde_json::from_str::<IntakeForm>(&r.form_json) {
                Ok(form) => Some(DraftSummary {
                    item_name: cat
                        .catalogue
                        .item(&form.draft.item_code)
                        .map(|i| i.name.clone())
                        .unwrap_or_else(|| "（事项已调整）".into()),
                    applicant_name: form.draft.applicant.name().to_string(),
                    updated_at: time::format_minute(r.updated_at),
                    form,
                }),
                Err(e) => {
                    warn!(draft_id = %r.id, error = %e, "unreadable draft kept");
                    None
                }
            })
            .collect())
    }

    /// Drops an abandoned draft and its scanned pages (a page still used by another intake
    /// stays in the vault). A decided intake is not a draft: nothing of a case is removed.
    pub fn discard_draft(&self, id: &str) -> Result<bool, AppError> {
        let clerk = self.clerk()?;
        let id = parse_id(id)?;
        let mut store = self.lock();
        if store.get_case(id).map_err(store_error)?.is_some() {
            return Ok(false);
        }
        // Another clerk's draft answers as a missing one: its pages are not touched.
        if store
            .own_draft(id, &clerk.login)
            .map_err(store_error)?
            .is_none()
        {
            return Ok(false);
        }
        for page in store.pages_of(id).map_err(store_error)? {
            store.remove_page(page.id).map_err(store_error)?;
        }
        store.discard_draft(id, &clerk.login).map_err(store_error)
    }

    /// Every problem with the form for this decision, printing included; nothing is saved.
    pub fn check_intake(
        &self,
        form: &IntakeForm,
        decision: &IntakeDecision,
    ) -> Result<Vec<Issue>, AppError> {
        let clerk = self.clerk()?;
        let cat = self.catalogue_index()?;
        let item = cat
            .catalogue
            .item(&form.draft.item_code)
            .ok_or_else(unknown_item)?;
        let now = Timestamp::now();
        let mut issues = match decide(&form.draft, item, decision, time::local_date(now), now) {
            Ok(decided) => decided.intake.warnings,
            Err(issues) => issues,
        };
        issues.extend(slips::unprintable_issues(
            &self.font,
            &form.draft,
            item,
            decision,
            &clerk.display_name,
            &self.settings.station_name,
        ));
        // A 失信黑名单 hit nobody acknowledged for this intake stops it, as the decision would.
        let (_, credit_issue) =
            self.credit_at_decision(parse_id(&form.id)?, &form.draft.applicant)?;
        issues.extend(credit_issue);
        Ok(issues)
    }

    /// Records the decision on the intake `form.id`. Repeating it after any failure returns
    /// the case the first call saved. Unprintable characters are refused before the commit.
    #[instrument(skip_all, err)]
    pub fn decide(
        &self,
        form: &IntakeForm,
        decision: &IntakeDecision,
    ) -> Result<DecisionResult, AppError> {
        let clerk = self.clerk()?;
        let id = parse_id(&form.id)?;
        // Bound first: the store lock must be released before the slip is written.
        let saved = self.lock().get_case(id).map_err(store_error)?;
        if let Some(case) = saved {
            let credit = self.credit_entry(case.intake.applicant.id().1)?;
            let mut result = self.result(
                Saved {
                    case,
                    already_saved: true,
                },
                Vec::new(),
            )?;
            result.credit_note = credit_note(credit.as_ref());
            return Ok(result);
        }
        // 信用红黑名单: check_intake lists an unacknowledged 失信黑名单 hit with the rest.
        let issues = self.check_intake(form, decision)?;
        let (credit, _) = self.credit_at_decision(id, &form.draft.applicant)?;
        if issues.iter().any(Issue::is_error) {
            let unprintable = issues.iter().any(|i| i.code == "unprintable");
            let mut err = AppError::invalid(issues);
            if unprintable {
                err.kind = ErrorKind::Unprintable;
            }
            return Err(err);
        }
        let saved = self
            .lock()
            .decide_case(id, &form.draft, decision, &clerk.login, Timestamp::now())
            .map_err(store_error)?;
        if !saved.already_saved {
            self.indexer.nudge();
            self.record_green_channel(saved.case.id, credit.as_ref(), &clerk.login);
        }
        let mut result = self.result(saved, issues)?;
        result.credit_note = credit_note(credit.as_ref());
        Ok(result)
    }

    /// A 补正 case whose applicant came back: decided again with the completed form.
    #[instrument(skip_all, err)]
    pub fn complete_correction(
        &self,
        form: &IntakeForm,
        decision: &IntakeDecision,
    ) -> Result<DecisionResult, AppError> {
        let clerk = self.clerk()?;
        let issues = self.check_intake(form, decision)?;
        if issues.iter().any(Issue::is_error) {
            return Err(AppError::invalid(issues));
        }
        let saved = self
            .lock()
            .complete_correction(
                parse_id(&form.id)?,
                &form.draft,
                decision,
                &clerk.login,
                Timestamp::now(),
            )
            .map_err(store_error)?;
        self.indexer.nudge();
        self.result(saved, issues)
    }

    /// The form of a case waiting for correction, to complete it (its id is the case's).
    pub fn correction_form(&self, case_id: &str) -> Result<IntakeForm, AppError> {
        self.clerk()?;
        let id = parse_id(case_id)?;
        let case = self
            .lock()
            .get_case(id)
            .map_err(store_error)?
            .ok_or_else(|| AppError::new(ErrorKind::InvalidInput, "找不到该办件，请刷新队列"))?;
        if case.state != yichuang_core::CaseState::AwaitingCorrection {
            return Err(AppError::new(
                ErrorKind::InvalidInput,
                format!("该办件当前为“{}”，无需补正", case.state.label()),
            ));
        }
        Ok(IntakeForm {
            id: case.id.to_string(),
            draft: case.intake,
        })
    }

    /// The materials promised at a 容缺受理 were handed in.
    pub fn record_supplement(&self, case_id: &str) -> Result<DecisionResult, AppError> {
        let clerk = self.clerk()?;
        let saved = self
            .lock()
            .record_supplement(parse_id(case_id)?, &clerk.login, Timestamp::now())
            .map_err(store_error)?;
        self.indexer.nudge();
        self.result(saved, Vec::new())
    }

    /// An earlier case of the applicant with this document number, to prefill the form.
    pub fn returning_applicant(&self, id_no: &str) -> Result<Option<ReturningApplicant>, AppError> {
        self.clerk()?;
        let case = self
            .lock()
            .latest_case_of_applicant(id_no)
            .map_err(store_error)?;
        Ok(case.as_ref().map(ReturningApplicant::from))
    }

    /// The window's view of a saved decision, with the papers the case can print: the window
    /// previews and prints them through the print dialog (nothing prints on its own here).
    fn result(&self, saved: Saved, warnings: Vec<Issue>) -> Result<DecisionResult, AppError> {
        let case = saved.case;
        let papers = self.papers_of(&case)?;
        let moment = EvaluationMoment::after_decision(case.state);
        Ok(DecisionResult {
            show_on_customer_screen: moment.is_some() && !saved.already_saved,
            evaluation_moment: moment.unwrap_or(EvaluationMoment::AfterAcceptance),
            state_label: case.state.label().to_string(),
            already_saved: saved.already_saved,
            deadline_notice: case.deadline_basis.as_ref().and_then(|b| b.notice()),
            papers,
            warnings,
            case,
            credit_note: None,
        })
    }
}
