-- The district on PostgreSQL: the same tables as the SQLite schema after its migration 2,
-- with native types (uuid, timestamptz, identities). Never edit once shipped: add a file.
CREATE TABLE stations (
    code       text PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE devices (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    station_code      text NOT NULL REFERENCES stations (code),
    name              text NOT NULL,
    token_hash        text NOT NULL UNIQUE,
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz,
    revoked_at        timestamptz,
    last_seen_at      timestamptz,
    app_version       text,
    queue_depth       bigint,
    quarantined       bigint,
    materials_pending bigint,
    last_error        text
);
CREATE INDEX devices_by_station ON devices (station_code);

CREATE TABLE enroll_codes (
    code_hash    text PRIMARY KEY,
    station_code text NOT NULL REFERENCES stations (code),
    issued_at    timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    spent_at     timestamptz,
    device_id    bigint REFERENCES devices (id)
);

-- `arrival` orders the officer's list of recent cases (SQLite's rowid).
CREATE TABLE cases (
    id               uuid PRIMARY KEY,
    arrival          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    station_code     text NOT NULL,
    case_no          text NOT NULL,
    item_code        text NOT NULL,
    content_hash     text NOT NULL,
    body             text NOT NULL,
    official_case_no text NOT NULL UNIQUE,
    received_at      timestamptz NOT NULL,
    revision         bigint NOT NULL DEFAULT 0,
    clock_offset_ms  bigint,
    protocol         integer NOT NULL
);
CREATE INDEX cases_by_station ON cases (station_code);

-- One row per region and year, locked by the batch that allocates from it until it commits:
-- numbers are unique and gapless (a rolled-back batch gives its numbers back).
CREATE TABLE case_serials (
    region_code text NOT NULL,
    year        integer NOT NULL,
    last        bigint NOT NULL,
    PRIMARY KEY (region_code, year)
);

CREATE TABLE case_materials (
    case_id       uuid NOT NULL REFERENCES cases (id),
    material_code text NOT NULL,
    position      bigint NOT NULL,
    sha256        text NOT NULL,
    bytes         bigint NOT NULL,
    kind          text NOT NULL,
    PRIMARY KEY (case_id, material_code, position)
);

CREATE TABLE reference_docs (
    kind         text NOT NULL,
    version      text NOT NULL,
    document     text NOT NULL,
    published_at timestamptz NOT NULL,
    PRIMARY KEY (kind, version)
);
CREATE TABLE reference_current (
    kind    text PRIMARY KEY,
    version text NOT NULL,
    FOREIGN KEY (kind, version) REFERENCES reference_docs (kind, version)
);

-- `seq` is handed out under a lock held to commit (see reference.rs), so a station reading
-- by cursor never skips a change that commits late.
CREATE TABLE status_changes (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     uuid NOT NULL REFERENCES cases (id),
    status      text NOT NULL,
    changed_at  timestamptz NOT NULL,
    note        text,
    courier     text,
    tracking_no text
);
CREATE INDEX status_changes_by_case ON status_changes (case_id, seq);
