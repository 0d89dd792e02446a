-- 0002: indexes for the queue list and the sync engine's outbox scan, and a place for the
-- sync engine to keep its download cursors (catalogue, calendar, case status changes).

-- The local queue lists cases newest first.
CREATE INDEX cases_by_accepted_at ON cases (accepted_at DESC);

-- The queue filters by sync state ("not yet synced", "quarantined").
CREATE INDEX cases_by_sync_state ON cases (sync_state, accepted_at DESC);

-- outbox_due: not quarantined, next attempt due, oldest first.
CREATE INDEX outbox_due ON outbox (quarantined, next_attempt_at);

-- One cursor per download stream, opaque to the station.
CREATE TABLE sync_cursor (
    stream     TEXT PRIMARY KEY NOT NULL,
    cursor     TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
