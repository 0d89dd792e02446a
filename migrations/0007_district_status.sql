-- 0007: what the station keeps of the district's handling of its cases (审批中 → 办结/不予许可
-- → 待领取/已寄出), downloaded by cursor, and clerk accounts published by the district.
--
-- The status lives in narrow tables of its own, not on `cases`: a case row is large (its
-- intake JSON), and rewriting it costs a whole encrypted page per case, while a pull of
-- 10,000 changes must land in a fraction of a second. The download cursor is the
-- `status-changes` row of `sync_cursor` (0002); each reference document's version is the
-- `reference/<kind>` row there, moved in the transaction that applies the document.

-- The current district status of each case that has one. seq is the district's number of
-- the change that set it (a change with a seq not above it was seen already).
CREATE TABLE case_district_status (
    case_id     TEXT PRIMARY KEY NOT NULL REFERENCES cases (id) ON DELETE RESTRICT,
    status      TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    changed_at  TEXT NOT NULL,
    note        TEXT,
    courier     TEXT,
    tracking_no TEXT
) STRICT, WITHOUT ROWID;

-- Every change applied, by the district's seq (appended at the end, few pages per commit).
-- No index by case: a case's history is read only on its detail page (a scan of this
-- narrow table); an index would cost pages in every pull.
CREATE TABLE case_status_history (
    seq         INTEGER PRIMARY KEY,
    case_id     TEXT NOT NULL,
    status      TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    note        TEXT,
    courier     TEXT,
    tracking_no TEXT
) STRICT;

-- Clerk accounts: the district may publish them (with Argon2id hashes it made) and disable
-- them. An inactive account cannot log in; it stays so its past work keeps its name.
-- role: 'clerk' or 'hall_manager'. source: 'local' (added at this station) or 'district'.
ALTER TABLE clerks ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
ALTER TABLE clerks ADD COLUMN role TEXT NOT NULL DEFAULT 'clerk';
ALTER TABLE clerks ADD COLUMN source TEXT NOT NULL DEFAULT 'local';
