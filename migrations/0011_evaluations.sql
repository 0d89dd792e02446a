-- 0011: evaluations (好差评) a citizen gave at the station, queued for the district like
-- cases. One per case (一次一评). level is GB/T 39046's code (1 非常满意 … 5 非常不满意);
-- state: pending (to send), sent (the district holds it), refused (the district answered
-- about this record: already rated elsewhere, or invalid; kept with the reason, never resent).
CREATE TABLE evaluations (
    id         TEXT PRIMARY KEY NOT NULL,
    case_id    TEXT NOT NULL UNIQUE REFERENCES cases (id) ON DELETE RESTRICT,
    level      INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    comment    TEXT,
    channel    TEXT NOT NULL,
    rated_at   TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'refused')),
    last_error TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX evaluations_pending ON evaluations (rated_at) WHERE state = 'pending';
