-- 0016: delivery (出件) at the window. signed_at: when the recipient signed the printed 送达回证
-- (the clerk marks it after the signature); NULL until then, and for a courier handover,
-- which is signed on the courier's own slip. The partial index serves the list of decided
-- cases waiting for their handover without reading every case's status.
ALTER TABLE handovers ADD COLUMN signed_at TEXT;
CREATE INDEX case_district_status_waiting ON case_district_status (changed_at)
    WHERE status IN ('ready_for_pickup', 'approved');
