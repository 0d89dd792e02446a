-- 0004: scanned pages attached to intakes (with 减材料 reuse), and the credit red/black list.
-- The page vault's key is not made here: the 0004 step's Rust backfill files a random one
-- in settings (key 'page_key', hex), inside the same transaction (see src/page_key.rs).

-- One row per stored page file; the file itself is in <data_dir>/pages/, encrypted and
-- named by its SHA-256. Written when a page is first attached, removed with its last use.
CREATE TABLE pages (
    sha256      TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64),
    kind        TEXT NOT NULL CHECK (kind IN ('jpeg', 'png', 'tiff', 'pdf')),
    bytes       INTEGER NOT NULL CHECK (bytes > 0),
    width       INTEGER,
    height      INTEGER,
    pdf_pages   INTEGER,
    imported_at TEXT NOT NULL
) STRICT;

-- Which page sits on which material line of an intake. intake_id is the draft's UUIDv7,
-- which is also its case's id once decided, so rows need no move at decision time.
-- position counts from 1 within (intake_id, material_code) and is kept dense by the store.
-- reused_from_case: the earlier case whose page was reused (减材料), NULL for a new scan.
CREATE TABLE intake_pages (
    id               INTEGER PRIMARY KEY,
    intake_id        TEXT NOT NULL,
    material_code    TEXT NOT NULL,
    position         INTEGER NOT NULL CHECK (position > 0),
    sha256           TEXT NOT NULL REFERENCES pages (sha256) ON DELETE RESTRICT,
    original_name    TEXT NOT NULL,
    reused_from_case TEXT,
    added_at         TEXT NOT NULL,
    added_by         TEXT NOT NULL,
    UNIQUE (intake_id, material_code, sha256)
) STRICT;

CREATE INDEX intake_pages_by_intake ON intake_pages (intake_id, material_code, position);
-- "Is this page still used anywhere?" before its file is removed.
CREATE INDEX intake_pages_by_sha ON intake_pages (sha256);

-- Every imported red/black list version; the current one is the last imported.
CREATE TABLE credit_list (
    id          INTEGER PRIMARY KEY,
    version     TEXT NOT NULL,
    json        TEXT NOT NULL,
    imported_at TEXT NOT NULL
) STRICT;

-- A clerk confirmed having seen a 失信黑名单 hit for an intake (draft or case id).
-- subject_kind: 'person' (ID numbers) or 'organisation' (统一社会信用代码).
CREATE TABLE credit_acknowledgements (
    id           INTEGER PRIMARY KEY,
    intake_id    TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    entry_reason TEXT NOT NULL,
    clerk        TEXT NOT NULL,
    at           TEXT NOT NULL
) STRICT;

CREATE INDEX credit_acknowledgements_by_intake ON credit_acknowledgements (intake_id);
