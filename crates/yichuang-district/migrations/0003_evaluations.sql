-- Evaluations (好差评) of cases: one per case (一次一评), whichever channel gave it.
CREATE TABLE evaluations (
    id           TEXT PRIMARY KEY NOT NULL,
    case_id      TEXT NOT NULL UNIQUE REFERENCES cases (id),
    station_code TEXT NOT NULL,
    level        INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    comment      TEXT,
    channel      TEXT NOT NULL,
    rated_at     TEXT NOT NULL,
    received_at  TEXT NOT NULL
);
