-- 0005: indexes found by the issue 5 benchmarks on a million cases.

-- A case's name pieces are rewritten when its name or accept time changes; without this
-- index that DELETE scanned the whole piece table (850 ms at a million cases).
CREATE INDEX case_name_grams_by_case ON case_name_grams (case_row);

-- Case number searches (start or end of either number) sort their matches by accept time:
-- with it in the index, the sort reads index entries instead of whole rows.
DROP INDEX cases_by_case_no_rev;
DROP INDEX cases_by_official_case_no_rev;
CREATE INDEX cases_by_case_no_at ON cases (case_no, accepted_at);
CREATE INDEX cases_by_official_case_no_at ON cases (official_case_no, accepted_at);
CREATE INDEX cases_by_case_no_rev_at ON cases (case_no_rev, accepted_at);
CREATE INDEX cases_by_official_case_no_rev_at ON cases (official_case_no_rev, accepted_at);
