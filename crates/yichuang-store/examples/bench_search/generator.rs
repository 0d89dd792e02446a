//! Builds each case as a clerk would decide it (core `decide`, the real calendar).

#[allow(unused_imports)]
use super::*;

/// One generated case with what the store keeps beside it.
pub(crate) struct Generated {
    pub(crate) case: Case,
    pub(crate) revision: i64,
    pub(crate) clerk_login: &'static str,
    /// Audit events after the decision's own: (time, event, target).
    pub(crate) later_events: Vec<(Timestamp, &'static str, String)>,
    pub(crate) updated_at: Timestamp,
}

/// What generation produced, for the checks afterwards.
pub(crate) struct Summary {
    pub(crate) samples: Vec<(Case, i64)>,
    pub(crate) pending: u32,
    pub(crate) quarantined: u32,
    pub(crate) audit_rows: u64,
}

pub(crate) struct Generator<'a> {
    pub(crate) rng: Rng,
    pub(crate) items: Vec<&'a ServiceItem>,
    pub(crate) item_weights: Vec<f64>,
    pub(crate) calendar: &'a HolidayCalendar,
    pub(crate) surname_weights: Vec<f64>,
    pub(crate) surnames: Vec<&'static str>,
    pub(crate) given: Vec<char>,
    pub(crate) rare: Vec<char>,
    pub(crate) people: Vec<Person>,
    pub(crate) companies: Vec<Company>,
    pub(crate) official_next: std::collections::HashMap<i16, u32>,
}

impl<'a> Generator<'a> {
    pub(crate) fn new(catalogue: &'a Catalogue, calendar: &'a HolidayCalendar) -> Self {
        let mut rng = Rng(SEED);
        let items: Vec<&ServiceItem> = catalogue.items.iter().collect();
        // A few items make most of the work at a counter (居住证, 社保, 医保 ...).
        let item_weights = cumulative((0..items.len()).map(|i| 1.0 / (1.0 + (i % 12) as f64)));
        let _ = rng.next();
        let mut g = Self {
            rng,
            items,
            item_weights,
            calendar,
            surname_weights: cumulative(surnames().map(|s| s.1)),
            surnames: surnames().map(|s| s.0).collect(),
            given: GIVEN.chars().filter(|c| !c.is_whitespace()).collect(),
            rare: RARE_GIVEN.chars().collect(),
            people: Vec::new(),
            companies: Vec::new(),
            official_next: Default::default(),
        };
        g.make_population();
        g
    }

    pub(crate) fn given_char(&mut self) -> char {
        if self.rng.chance(0.01) {
            *self.rng.pick(&self.rare)
        } else {
            *self.rng.pick(&self.given)
        }
    }

    pub(crate) fn make_population(&mut self) {
        let mut ids = HashSet::new();
        let first = Date::new(1940, 1, 1).expect("date");
        while self.people.len() < 350_000 {
            let surname = self.surnames[self.rng.weighted(&self.surname_weights)];
            let mut name = surname.to_string();
            name.push(self.given_char());
            if self.rng.chance(0.8) {
                name.push(self.given_char());
            }
            let region = *self.rng.pick(ID_REGIONS);
            let birth = first
                .checked_add(jiff::Span::new().days(self.rng.below(25_000) as i64))
                .expect("birth date");
            let id_no = resident_id(region, birth, self.rng.below(1000));
            if !ids.insert(id_no.clone()) {
                continue;
            }
            let phone = format!(
                "1{}{}",
                char::from(b'3' + self.rng.below(7) as u8),
                self.rng.digits(9)
            );
            let address = format!(
                "广州市白云区{}{}号",
                self.rng.pick(STREETS),
                1 + self.rng.below(300)
            );
            self.people.push(Person {
                name,
                id_no,
                phone,
                address,
            });
        }
        while self.companies.len() < 20_000 {
            let name = format!(
                "广州市白云区{}{}{}",
                self.given_char(),
                self.given_char(),
                self.rng.pick(BUSINESS_SUFFIXES)
            );
            let uscc = uscc(&mut self.rng);
            if !ids.insert(uscc.clone()) {
                continue;
            }
            let representative = self.rng.below(self.people.len() as u64) as usize;
            let address = self.people[representative].address.clone();
            self.companies.push(Company {
                name,
                uscc,
                representative,
                address,
            });
        }
    }

    /// Returning applicants: 40% of cases come from the first 30,000 people.
    pub(crate) fn person(&mut self) -> usize {
        let n = if self.rng.chance(0.4) {
            30_000
        } else {
            self.people.len()
        };
        self.rng.below(n as u64) as usize
    }

    /// Working days of the three years before 2026-12-01, and how many cases each gets.
    pub(crate) fn days(&mut self, cases: u64) -> Vec<(Date, u64)> {
        let mut day = Date::new(2023, 12, 1).expect("date");
        let end = Date::new(2026, 11, 30).expect("date");
        let mut days = Vec::new();
        while day <= end {
            if self.calendar.is_working_day(day).0 {
                days.push((day, 0.6 + 0.8 * self.rng.unit()));
            }
            day = day.tomorrow().expect("date");
        }
        let total: f64 = days.iter().map(|d| d.1).sum();
        let mut out: Vec<(Date, u64)> = days
            .iter()
            .map(|(d, w)| (*d, (w / total * cases as f64) as u64))
            .collect();
        let given: u64 = out.iter().map(|d| d.1).sum();
        for i in 0..(cases - given) as usize {
            let k = i % out.len();
            out[k].1 += 1;
        }
        out
    }

    /// Accept times of `n` cases on `day`: 08:30–12:00 and 14:00–17:30 China time, in order.
    pub(crate) fn times(&mut self, day: Date, n: u64) -> Res<Vec<Timestamp>> {
        const HALF: i128 = 12_600 * 1_000_000_000;
        let morning = time::china_tz().to_timestamp(day.at(8, 30, 0, 0))?;
        let afternoon = time::china_tz().to_timestamp(day.at(14, 0, 0, 0))?;
        let mut offsets: Vec<i128> = (0..n)
            .map(|_| (self.rng.next() as i128) % (2 * HALF))
            .collect();
        offsets.sort_unstable();
        offsets
            .into_iter()
            .map(|o| {
                let (base, o) = if o < HALF {
                    (morning, o)
                } else {
                    (afternoon, o - HALF)
                };
                Ok(Timestamp::from_nanosecond(base.as_nanosecond() + o)?)
            })
            .collect()
    }

    pub(crate) fn write_all(&mut self, conn: &mut Connection, cases: u64) -> Res<Summary> {
        let started = Instant::now();
        let mut writer = Writer::start(conn)?;
        let mut summary = Summary {
            samples: Vec::new(),
            pending: 0,
            quarantined: 0,
            audit_rows: 0,
        };
        let sample_every = (cases / 500).max(1);
        let mut done = 0u64;
        let mut tx = conn.transaction()?;
        for (day, n) in self.days(cases) {
            for (serial, at) in self.times(day, n)?.into_iter().enumerate() {
                let g = self.case(day, serial as u32 + 1, at)?;
                match g.case.sync_state {
                    SyncState::Pending => summary.pending += 1,
                    SyncState::Quarantined => summary.quarantined += 1,
                    SyncState::Synced => {}
                }
                summary.audit_rows += writer.write(&tx, &g)?;
                if done.is_multiple_of(sample_every) {
                    summary.samples.push((g.case, g.revision));
                }
                done += 1;
                if done.is_multiple_of(50_000) {
                    tx.commit()?;
                    tx = conn.transaction()?;
                    if done.is_multiple_of(200_000) {
                        println!("  {done} cases, {:.0} s", started.elapsed().as_secs_f64());
                    }
                }
            }
            writer.serial(&tx, day, n)?;
        }
        tx.commit()?;
        Ok(summary)
    }

    pub(crate) fn applicant(&mut self, item: &ServiceItem) -> (Applicant, ContactInfo, String) {
        if BUSINESS_ITEMS.contains(&item.name.as_str()) {
            let i = self.rng.below(self.companies.len() as u64) as usize;
            let c = &self.companies[i];
            let rep = &self.people[c.representative];
            let applicant = Applicant::LegalPerson {
                name: c.name.clone(),
                uscc: c.uscc.clone(),
                legal_representative: rep.name.clone(),
                address: c.address.clone(),
            };
            let contact = ContactInfo {
                name: rep.name.clone(),
                phone: rep.phone.clone(),
            };
            return (applicant, contact, c.address.clone());
        }
        let i = self.person();
        let p = &self.people[i];
        let applicant = Applicant::NaturalPerson {
            name: p.name.clone(),
            id_type: IdType::ResidentIdCard,
            id_no: p.id_no.clone(),
            address: p.address.clone(),
        };
        let contact = ContactInfo {
            name: p.name.clone(),
            phone: p.phone.clone(),
        };
        (applicant, contact, p.address.clone())
    }

    /// One intake decided the way a clerk would, with its later life (supplement, sync).
    pub(crate) fn case(&mut self, day: Date, serial: u32, at: Timestamp) -> Res<Generated> {
        let item = self.items[self.rng.weighted(&self.item_weights)];
        let (applicant, contact, address) = self.applicant(item);
        let agent = if matches!(applicant, Applicant::NaturalPerson { .. }) && self.rng.chance(0.04)
        {
            let i = self.person();
            let p = &self.people[i];
            Some(Agent {
                name: p.name.clone(),
                id_type: IdType::ResidentIdCard,
                id_no: p.id_no.clone(),
                phone: p.phone.clone(),
            })
            .filter(|a| a.id_no != applicant.id().1)
        } else {
            None
        };
        let mut materials: Vec<ReceivedMaterial> = item
            .materials
            .iter()
            .filter(|m| m.required || self.rng.chance(0.5))
            .map(|m| ReceivedMaterial {
                code: m.code.clone(),
                form: m.form,
                count: m.copies.max(1),
            })
            .collect();
        if agent.is_some() {
            materials.push(ReceivedMaterial {
                code: "POA".into(),
                form: yichuang_core::MaterialForm::Original,
                count: 1,
            });
        }
        let tolerable: Vec<String> = item
            .materials
            .iter()
            .filter(|m| m.required && m.tolerable && !m.key)
            .map(|m| m.code.clone())
            .collect();
        let r = self.rng.unit();
        let decision = if item.kind == ItemKind::Immediate {
            match r {
                r if r < 0.90 => IntakeDecision::CompleteOnSpot {
                    result: String::new(),
                },
                r if r < 0.95 => IntakeDecision::Accept,
                r if r < 0.98 => self.correction(item, &mut materials),
                _ => self.rejection(),
            }
        } else {
            match r {
                r if r < 0.87 => IntakeDecision::Accept,
                r if r < 0.92 && !tolerable.is_empty() => {
                    let code = self.rng.pick(&tolerable).clone();
                    materials.retain(|m| m.code != code);
                    IntakeDecision::AcceptTolerant {
                        supplement_by: day
                            .checked_add(jiff::Span::new().days(3 + self.rng.below(18) as i64))?
                            .into(),
                    }
                }
                r if r < 0.97 => self.correction(item, &mut materials),
                _ => self.rejection(),
            }
        };
        let delivery =
            if item.delivery_methods.contains(&DeliveryKind::Courier) && self.rng.chance(0.15) {
                DeliveryMethod::Post { address }
            } else {
                DeliveryMethod::Window
            };
        let draft = IntakeDraft {
            item_code: item.item_code.clone(),
            applicant,
            contact,
            materials,
            delivery,
            agent,
        };
        let decided = decide(&draft, item, &decision, day, at)
            .map_err(|issues| format!("generated intake refused: {issues:?}"))?;
        let mut outcome = decided.outcome;
        let mut state = CaseState::Draft.transition(outcome.state())?;
        // Mirrors decisions::deadline.
        let deadline = match (item.kind, item.promised_limit_days) {
            _ if !outcome.starts_the_clock() => None,
            (ItemKind::Immediate, _) | (_, 0) => None,
            (ItemKind::Promised, days) => Some(self.calendar.add_working_days(day, days)),
        };
        let (clerk_login, clerk_name) = *self.rng.pick(&CLERKS);
        let mut later_events = Vec::new();
        let mut revision = 1;
        let mut updated_at = at;
        let end = Date::new(2026, 11, 30)?;
        if let CaseOutcome::AcceptedTolerant {
            supplement_by,
            supplemented_at,
            ..
        } = &mut outcome
        {
            // Most 容缺 promises were kept (Store::record_supplement): now a plain 受理.
            if *supplement_by < end && self.rng.chance(0.9) {
                let span = (*supplement_by - day).get_days().max(1) as u64;
                let when = time::china_tz()
                    .to_timestamp(day.at(10, 0, 0, 0))?
                    .checked_add(jiff::SignedDuration::from_hours(
                        24 * (1 + self.rng.below(span)) as i64,
                    ))?;
                *supplemented_at = Some(when);
                later_events.push((when, "case.supplemented", String::new()));
                revision = 2;
                updated_at = when;
            }
        }
        if outcome.state() != state {
            state = state.transition(outcome.state())?;
        }
        let case_no = CaseNo::provisional(
            &StationCode::try_from(STATION.to_string())?,
            COUNTER,
            day,
            serial,
        )
        .to_string();
        let (official_case_no, sync_state) = match self.rng.unit() {
            r if r < 0.70 => {
                let year = day.year();
                let next = self.official_next.entry(year).or_insert(0);
                *next += 1 + self.rng.below(4) as u32;
                let official = format!("{REGION}-{year}-{next:06}");
                let when = updated_at.checked_add(jiff::SignedDuration::from_mins(
                    1 + self.rng.below(120) as i64,
                ))?;
                later_events.push((when, "case.synced", official.clone()));
                updated_at = when;
                (Some(official), SyncState::Synced)
            }
            r if r < 0.999 => (None, SyncState::Pending),
            _ => (None, SyncState::Quarantined),
        };
        for e in &mut later_events {
            if e.2.is_empty() {
                e.2 = case_no.clone();
            }
        }
        let mut random = [0u8; 10];
        random[..8].copy_from_slice(&self.rng.next().to_le_bytes());
        random[8..].copy_from_slice(&self.rng.next().to_le_bytes()[..2]);
        // UUIDv7 of the accept time, as `Uuid::now_v7()` made it at the counter.
        let id = uuid::Builder::from_unix_timestamp_millis(at.as_millisecond() as u64, &random)
            .into_uuid();
        Ok(Generated {
            case: Case {
                id,
                case_no,
                official_case_no,
                station_code: STATION.into(),
                item_name: item.name.clone(),
                intake: decided.intake.draft,
                clerk: clerk_name.into(),
                state,
                outcome,
                accepted_at: at,
                due_date: deadline.as_ref().map(|d| d.due),
                deadline_basis: deadline.map(|d| d.basis),
                sync_state,
            },
            revision,
            clerk_login,
            later_events,
            updated_at,
        })
    }

    /// 补正: a required material missing, or one received but defective.
    pub(crate) fn correction(
        &mut self,
        item: &ServiceItem,
        materials: &mut Vec<ReceivedMaterial>,
    ) -> IntakeDecision {
        let required: Vec<&str> = item
            .materials
            .iter()
            .filter(|m| m.required)
            .map(|m| m.code.as_str())
            .collect();
        let code = self.rng.pick(&required).to_string();
        if self.rng.chance(0.6) {
            materials.retain(|m| m.code != code);
            IntakeDecision::RequestCorrection { defects: vec![] }
        } else {
            IntakeDecision::RequestCorrection {
                defects: vec![MaterialDefect {
                    code,
                    problem: "复印件不清晰，请重新提供".into(),
                }],
            }
        }
    }

    pub(crate) fn rejection(&mut self) -> IntakeDecision {
        let (reasons, referral) = *self.rng.pick(REJECT_REASONS);
        IntakeDecision::Reject {
            reasons: reasons.into(),
            referral: referral.map(Into::into),
        }
    }
}
