-- Evaluations keyed by the slip as well as the case: a citizen may rate on the district's
-- page (the QR on the slip) before the station's case arrives. Such a rating is kept against
-- the station and the slip's case number and linked to the case when it arrives; one rating
-- per case either way (一次一评). Each rating keeps the GB/T level and the channel as given
-- and the province's codes they were mapped to when recorded (NULL for older ratings).
ALTER TABLE evaluations
    ALTER COLUMN case_id DROP NOT NULL,
    ADD COLUMN case_no text,
    ADD COLUMN item_code text,
    ADD COLUMN score_code text,
    ADD COLUMN channel_code text;
UPDATE evaluations e SET case_no = c.case_no, item_code = c.item_code
FROM cases c WHERE c.id = e.case_id;
ALTER TABLE evaluations
    ALTER COLUMN case_no SET NOT NULL,
    ALTER COLUMN item_code SET NOT NULL,
    ADD CONSTRAINT evaluations_one_per_slip UNIQUE (station_code, case_no);
-- The citizen's pages find a case by its station and the slip's number.
CREATE INDEX cases_by_station_case_no ON cases (station_code, case_no);
