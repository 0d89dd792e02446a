-- 0021: a case number's start typed at the counter (L440…, 4401…) matches nearly every case.
-- Its newest matches are read from these indexes by key alone (number, accept time, row),
-- never from the case rows, and only among rows whose search keys are written: the four
-- number indexes now leave pending rows out like the others (migration 0010), so the few
-- pending rows are matched directly in one place (crates/yichuang-store/src/search_numbers.rs).
CREATE INDEX cases_by_case_no_at ON cases (case_no, accepted_at)
    WHERE search_pending IS NULL;
CREATE INDEX cases_by_official_case_no_at ON cases (official_case_no, accepted_at)
    WHERE search_pending IS NULL;
DROP INDEX cases_by_official_case_no_rev_at;
CREATE INDEX cases_by_official_case_no_rev_at ON cases (official_case_no_rev, accepted_at)
    WHERE search_pending IS NULL;
