-- Handovers (送达) stations recorded: one per case, kept as sent (canonical JSON and its
-- hash, so a resend is told apart from a conflict), with the 已送达 status change it added.
CREATE TABLE handovers (
    id           TEXT PRIMARY KEY NOT NULL,
    case_id      TEXT NOT NULL UNIQUE REFERENCES cases (id),
    station_code TEXT NOT NULL,
    method       TEXT NOT NULL CHECK (method IN ('window', 'courier')),
    record       TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    handed_at    TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    status_seq   INTEGER NOT NULL REFERENCES status_changes (seq)
) STRICT;
CREATE INDEX handovers_by_station ON handovers (station_code);
