-- Evaluations (好差评) of cases: one per case (一次一评), whichever channel gave it.
CREATE TABLE evaluations (
    id           uuid PRIMARY KEY,
    case_id      uuid NOT NULL UNIQUE REFERENCES cases (id),
    station_code text NOT NULL,
    level        smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
    comment      text,
    channel      text NOT NULL,
    rated_at     timestamptz NOT NULL,
    received_at  timestamptz NOT NULL
);
