-- Failed logins per typed login name (known or not: an unknown name locks the same way, so
-- the lock reveals nothing), and until when that name is locked out. A success deletes the row.
CREATE TABLE login_failures (
    login        TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL CHECK (failures >= 0),
    last_failed_at TEXT NOT NULL,
    locked_until TEXT
) WITHOUT ROWID;
