-- 0003: every intake outcome, drafts saved as the clerk types, and search keys for the queue.

-- What the outcome notice needs (CaseOutcome as JSON). NULL on rows written before 0003,
-- which were all plain 受理.
ALTER TABLE cases ADD COLUMN outcome_json TEXT;

-- Search keys copied out of intake_json when the case is written (the store keeps them in
-- step): the applicant's name and document number.
ALTER TABLE cases ADD COLUMN applicant_name TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN applicant_id_no TEXT NOT NULL DEFAULT '';

-- Case numbers written backwards, so that their ends (the day's serial, the district's
-- running number) are found through an index like their starts. Filled by the store.
ALTER TABLE cases ADD COLUMN case_no_rev TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN official_case_no_rev TEXT;

-- A 容缺 promise not yet kept: the date the supplement is due, for the overdue list.
ALTER TABLE cases ADD COLUMN supplement_by TEXT;

UPDATE cases SET
    applicant_name = coalesce(json_extract(intake_json, '$.applicant.name'), ''),
    applicant_id_no = coalesce(json_extract(intake_json, '$.applicant.id_no'),
                               json_extract(intake_json, '$.applicant.uscc'), '');

-- Every search answers newest first (accept time), so each index ends with accepted_at.
-- Returning applicants and search by the full document number.
CREATE INDEX cases_by_applicant_id ON cases (applicant_id_no, accepted_at DESC);
-- Search by the document number's last digits (4 or more): the last four narrow it down.
CREATE INDEX cases_by_applicant_id_tail ON cases (substr(applicant_id_no, -4), accepted_at DESC);
CREATE INDEX cases_by_case_no_rev ON cases (case_no_rev);
CREATE INDEX cases_by_official_case_no_rev ON cases (official_case_no_rev);
-- Filters of the queue: item and outcome.
CREATE INDEX cases_by_item ON cases (item_code, accepted_at DESC);
CREATE INDEX cases_by_state ON cases (state, accepted_at DESC);
CREATE INDEX cases_supplement_due ON cases (supplement_by) WHERE supplement_by IS NOT NULL;

-- Every one- and two-character piece of an applicant's name, for partial Chinese search:
-- 王堃喆 → 王, 堃, 喆, 王堃, 堃喆. Filled by the store for new cases; the 0003 upgrade step
-- (Rust, in the same transaction) fills it and the reversed numbers for older ones.
-- accepted_at is the case's, so a search reads the newest matches first and stops.
CREATE TABLE case_name_grams (
    gram        TEXT NOT NULL,
    accepted_at TEXT NOT NULL,
    case_row    INTEGER NOT NULL,
    PRIMARY KEY (gram, accepted_at, case_row)
) STRICT, WITHOUT ROWID;

-- Unfinished intakes, saved as typed so a crash loses nothing. id is the UUIDv7 the case
-- will carry; form_json is the form as it stands (it may not be valid yet).
CREATE TABLE intake_drafts (
    id         TEXT PRIMARY KEY NOT NULL,
    clerk      TEXT NOT NULL,
    item_code  TEXT NOT NULL,
    form_json  TEXT NOT NULL,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE INDEX intake_drafts_by_clerk ON intake_drafts (clerk, updated_at DESC);
