-- 0006: fewer encrypted pages per intake commit. Every b-tree a commit touches is one more
-- 4 KB page encrypted, written and synced (bench_commit lists them by table); these five
-- were not worth their page (issue 5 benchmarks).

-- A case's old name pieces are removed by their full key, computed from the name and accept
-- time the row held before the rewrite (search::unindex_name), so no index by case is needed.
DROP INDEX case_name_grams_by_case;

-- One index serves both ID searches: a full number is (its last four, itself), already in
-- accept order; last four or six read the few cases with those last four.
DROP INDEX cases_by_applicant_id;
DROP INDEX cases_by_applicant_id_tail;
CREATE INDEX cases_by_applicant_id_tail
    ON cases (substr(applicant_id_no, -4), applicant_id_no, accepted_at);

-- Unfinished intakes are a few per clerk: read in full, keyed by their id alone.
DROP INDEX intake_drafts_by_clerk;
CREATE TABLE intake_drafts_0006 (
    id         TEXT PRIMARY KEY NOT NULL,
    clerk      TEXT NOT NULL,
    item_code  TEXT NOT NULL,
    form_json  TEXT NOT NULL,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO intake_drafts_0006 SELECT id, clerk, item_code, form_json, started_at, updated_at
    FROM intake_drafts;
DROP TABLE intake_drafts;
ALTER TABLE intake_drafts_0006 RENAME TO intake_drafts;

-- The outbox holds only what has not reached the district (hundreds after a long outage):
-- read in full when the sync picks the due rows, keyed by the case id alone.
DROP INDEX outbox_due;
CREATE TABLE outbox_0006 (
    case_id         TEXT PRIMARY KEY NOT NULL REFERENCES cases (id) ON DELETE RESTRICT,
    revision        INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TEXT NOT NULL,
    quarantined     INTEGER NOT NULL DEFAULT 0 CHECK (quarantined IN (0, 1))
) STRICT, WITHOUT ROWID;
INSERT INTO outbox_0006 SELECT case_id, revision, attempts, last_error, next_attempt_at, quarantined
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_0006 RENAME TO outbox;
