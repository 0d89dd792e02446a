-- 0017: the queue's clerk and district-status filters and a case's whole history (issue 8.4).

-- The clerk filter, newest first, over rows whose search keys are written (as 0010's).
CREATE INDEX cases_by_clerk ON cases (clerk, accepted_at DESC) WHERE search_pending IS NULL;

-- The district-status filter: cases with a given status are found without walking the queue.
CREATE INDEX case_district_status_by_status ON case_district_status (status);

-- A case's history on its detail panel: the audit rows naming its number (intake, prints
-- as "<case_no>/<kind>/<copy>", handover, release) and the sync answers after its accept time.
CREATE INDEX audit_log_by_target ON audit_log (target);
CREATE INDEX audit_log_by_event ON audit_log (event, at);
