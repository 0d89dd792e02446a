-- 0013: every print of a slip (issue 7 point 1 and 5): who, when, which slip, which printer,
-- and how it ended. The first print of a (case, slip kind) is copy 1; every later one is a
-- 补打 with its reason. A job that failed or stuck can be retried: the retry updates this
-- row (attempts + 1), it never makes a second case or a second copy number.
-- state: queued (handed to the printer), done (the printer took it), failed (error says why),
-- preview (rendered for the screen only, never counted as a copy).
CREATE TABLE print_jobs (
    id            TEXT PRIMARY KEY NOT NULL,
    case_id       TEXT NOT NULL REFERENCES cases (id) ON DELETE RESTRICT,
    slip_kind     TEXT NOT NULL,
    copy_no       INTEGER NOT NULL CHECK (copy_no >= 1),
    reprint_reason TEXT,
    clerk         TEXT NOT NULL,
    printer       TEXT,
    os_job_id     TEXT,
    state         TEXT NOT NULL CHECK (state IN ('queued', 'done', 'failed')),
    error         TEXT,
    attempts      INTEGER NOT NULL DEFAULT 1 CHECK (attempts >= 1),
    created_at    TEXT NOT NULL,
    finished_at   TEXT,
    CHECK ((copy_no = 1) = (reprint_reason IS NULL)),
    UNIQUE (case_id, slip_kind, copy_no)
) STRICT, WITHOUT ROWID;
CREATE INDEX print_jobs_by_time ON print_jobs (created_at);
CREATE INDEX print_jobs_unfinished ON print_jobs (created_at) WHERE state <> 'done';
