-- 0008: which scanned pages have reached the district (content-addressed: one row per file,
-- however many cases use it), and which the district refused as not matching their hash
-- (the station's copy is damaged: set apart so it never blocks the others).
CREATE TABLE material_uploads (
    sha256     TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64),
    state      TEXT NOT NULL CHECK (state IN ('uploaded', 'poisoned')),
    last_error TEXT,
    updated_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
