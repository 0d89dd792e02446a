-- 0001: the station database as first shipped. Never edit once committed; add 0002, 0003, ...
-- Times are UTC RFC 3339 with nine fractional digits, so text order is time order.

-- Station configuration, one value per key (station_code, station_name, counter, region_code,
-- district_url, district_token, evaluation_key (hex), evaluation_base_url).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- Counter clerks; password_hash is an Argon2id PHC string.
CREATE TABLE clerks (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;

-- Every imported catalogue version; the current one is the last imported.
CREATE TABLE catalogue (
    id          INTEGER PRIMARY KEY,
    version     TEXT NOT NULL,
    json        TEXT NOT NULL,
    imported_at TEXT NOT NULL
) STRICT;

-- Every imported holiday calendar; the current one is the last imported.
CREATE TABLE calendar (
    id          INTEGER PRIMARY KEY,
    version     TEXT NOT NULL,
    json        TEXT NOT NULL,
    imported_at TEXT NOT NULL
) STRICT;

-- The last provisional serial issued per station, counter and local day.
CREATE TABLE case_serials (
    station_code TEXT NOT NULL,
    counter      INTEGER NOT NULL,
    day          TEXT NOT NULL,
    last_serial  INTEGER NOT NULL CHECK (last_serial > 0),
    PRIMARY KEY (station_code, counter, day)
) STRICT;

-- Cases (办件). id is the client-made UUIDv7 sent to the district as idempotency key.
CREATE TABLE cases (
    id                  TEXT PRIMARY KEY NOT NULL,
    case_no             TEXT NOT NULL UNIQUE,
    official_case_no    TEXT UNIQUE,
    station_code        TEXT NOT NULL,
    item_code           TEXT NOT NULL,
    item_name           TEXT NOT NULL,
    intake_json         TEXT NOT NULL,
    clerk               TEXT NOT NULL,
    state               TEXT NOT NULL,
    accepted_at         TEXT NOT NULL,
    due_date            TEXT,
    deadline_basis_json TEXT,
    sync_state          TEXT NOT NULL,
    revision            INTEGER NOT NULL CHECK (revision > 0),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;

-- Cases waiting to reach the district. A row leaves only when the district acknowledged
-- this very revision; quarantined rows stay for a clerk to look at.
CREATE TABLE outbox (
    case_id         TEXT PRIMARY KEY NOT NULL REFERENCES cases (id) ON DELETE RESTRICT,
    revision        INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TEXT NOT NULL,
    quarantined     INTEGER NOT NULL DEFAULT 0 CHECK (quarantined IN (0, 1))
) STRICT;

-- Who did what, when, with what result (等保 audit records). Each row's hash covers its
-- fields and the previous row's hash, so editing or removing a row breaks the chain.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    event     TEXT NOT NULL,
    target    TEXT NOT NULL,
    result    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
) STRICT;
