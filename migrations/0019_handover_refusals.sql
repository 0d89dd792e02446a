-- 0019: handovers (送达) the district refused for good (its answer about that record: a
-- conflict or invalid content, e.g. a case it has not decided). The handover itself stays as
-- recorded (the 送达回证 was signed); it is not sent again until a hall manager releases it
-- (the row is deleted, audited with the reason). A pending handover with a row here is
-- counted as quarantined, not pending.
CREATE TABLE handover_refusals (
    handover_id TEXT PRIMARY KEY NOT NULL REFERENCES handovers (id) ON DELETE RESTRICT,
    reason      TEXT NOT NULL,
    refused_at  TEXT NOT NULL
) STRICT, WITHOUT ROWID;
