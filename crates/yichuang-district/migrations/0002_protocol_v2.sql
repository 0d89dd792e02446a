-- Protocol v2: revisions, clock offsets and material refs of cases; stations, devices and
-- their enrollment codes (hashes only); reference documents by version; status changes.
ALTER TABLE cases ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN clock_offset_ms INTEGER;
ALTER TABLE cases ADD COLUMN protocol INTEGER NOT NULL DEFAULT 1;

CREATE TABLE case_materials (
    case_id       TEXT NOT NULL REFERENCES cases (id),
    material_code TEXT NOT NULL,
    position      INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    bytes         INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    PRIMARY KEY (case_id, material_code, position)
) STRICT;

CREATE TABLE stations (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE devices (
    id                INTEGER PRIMARY KEY,
    station_code      TEXT NOT NULL REFERENCES stations (code),
    name              TEXT NOT NULL,
    token_hash        TEXT NOT NULL UNIQUE,
    created_at        TEXT NOT NULL,
    expires_at        TEXT,
    revoked_at        TEXT,
    last_seen_at      TEXT,
    app_version       TEXT,
    queue_depth       INTEGER,
    quarantined       INTEGER,
    materials_pending INTEGER,
    last_error        TEXT
) STRICT;
CREATE INDEX devices_by_station ON devices (station_code);

CREATE TABLE enroll_codes (
    code_hash    TEXT PRIMARY KEY,
    station_code TEXT NOT NULL REFERENCES stations (code),
    issued_at    TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    spent_at     TEXT,
    device_id    INTEGER REFERENCES devices (id)
) STRICT;

CREATE TABLE reference_docs (
    kind         TEXT NOT NULL,
    version      TEXT NOT NULL,
    document     TEXT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (kind, version)
) STRICT;
CREATE TABLE reference_current (
    kind    TEXT PRIMARY KEY,
    version TEXT NOT NULL,
    FOREIGN KEY (kind, version) REFERENCES reference_docs (kind, version)
) STRICT;

CREATE TABLE status_changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    status      TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    note        TEXT,
    courier     TEXT,
    tracking_no TEXT
) STRICT;
CREATE INDEX status_changes_by_case ON status_changes (case_id, seq);
