-- 0014: the handover (送达) of a decided case's result to the applicant, as the 送达回证
-- prints it: at the window (recipient, ID, relation, place) or by courier (address, courier,
-- tracking number). One per case; kept for reprints and synced back (issue 8).
CREATE TABLE handovers (
    id              TEXT PRIMARY KEY NOT NULL,
    case_id         TEXT NOT NULL UNIQUE REFERENCES cases (id) ON DELETE RESTRICT,
    method          TEXT NOT NULL CHECK (method IN ('window', 'courier')),
    document_name   TEXT NOT NULL,
    document_no     TEXT,
    recipient_name  TEXT NOT NULL,
    recipient_id_no TEXT,
    relation        TEXT NOT NULL,
    place           TEXT,
    address         TEXT,
    courier         TEXT,
    tracking_no     TEXT,
    clerk           TEXT NOT NULL,
    handed_at       TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent')),
    CHECK (method = 'window' OR (courier IS NOT NULL AND tracking_no IS NOT NULL AND address IS NOT NULL))
) STRICT, WITHOUT ROWID;
CREATE INDEX handovers_pending ON handovers (handed_at) WHERE state = 'pending';
