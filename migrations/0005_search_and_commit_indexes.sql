-- 0005: indexes found by the issue 5 benchmarks on a million cases.

-- A case's name pieces are rewritten when its name or accept time changes; without this
-- index that DELETE scanned the whole piece table (850 ms at a million cases).
CREATE INDEX case_name_grams_by_case ON case_name_grams (case_row);

-- Searches by the end of a case number (the day's serial, the district's running number)
-- match many cases and sort them by accept time: with it in the index, the sort reads index
-- entries instead of whole rows. The district's number is empty until sync, so its index
-- leaves those rows out and costs nothing at intake. (Searches by the start use the UNIQUE
-- indexes of 0001; every extra index is one more encrypted page per intake commit.)
DROP INDEX cases_by_case_no_rev;
DROP INDEX cases_by_official_case_no_rev;
CREATE INDEX cases_by_case_no_rev_at ON cases (case_no_rev, accepted_at);
CREATE INDEX cases_by_official_case_no_rev_at ON cases (official_case_no_rev, accepted_at)
    WHERE official_case_no_rev IS NOT NULL;
