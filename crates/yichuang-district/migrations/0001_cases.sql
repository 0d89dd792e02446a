-- The v1 schema: cases by the station's UUID, official numbers by region and year.
-- IF NOT EXISTS: databases written before migrations were numbered already hold it.
CREATE TABLE IF NOT EXISTS cases (
    id               TEXT PRIMARY KEY,
    station_code     TEXT NOT NULL,
    case_no          TEXT NOT NULL,
    item_code        TEXT NOT NULL,
    content_hash     TEXT NOT NULL,
    body             TEXT NOT NULL,
    official_case_no TEXT NOT NULL UNIQUE,
    received_at      TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS cases_by_station ON cases (station_code);
CREATE TABLE IF NOT EXISTS case_serials (
    region_code TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last        INTEGER NOT NULL,
    PRIMARY KEY (region_code, year)
) STRICT;
