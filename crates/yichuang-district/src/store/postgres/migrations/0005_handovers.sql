-- Handovers (送达) stations recorded: one per case, kept as sent (canonical JSON and its
-- hash, so a resend is told apart from a conflict), with the 已送达 status change it added.
CREATE TABLE handovers (
    id           uuid PRIMARY KEY,
    case_id      uuid NOT NULL UNIQUE REFERENCES cases (id),
    station_code text NOT NULL,
    method       text NOT NULL CHECK (method IN ('window', 'courier')),
    record       text NOT NULL,
    content_hash text NOT NULL,
    handed_at    timestamptz NOT NULL,
    received_at  timestamptz NOT NULL,
    status_seq   bigint NOT NULL REFERENCES status_changes (seq)
);
CREATE INDEX handovers_by_station ON handovers (station_code);
