-- Evaluations keyed by the slip as well as the case: a citizen may rate on the district's
-- page (the QR on the slip) before the station's case arrives. Such a rating is kept against
-- the station and the slip's case number and linked to the case when it arrives; one rating
-- per case either way (一次一评). Each rating keeps the GB/T level and the channel as given
-- and the province's codes they were mapped to when recorded (NULL for older ratings).
CREATE TABLE evaluations_by_slip (
    id           TEXT PRIMARY KEY NOT NULL,
    case_id      TEXT UNIQUE REFERENCES cases (id),
    station_code TEXT NOT NULL,
    case_no      TEXT NOT NULL,
    item_code    TEXT NOT NULL,
    level        INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    score_code   TEXT,
    comment      TEXT,
    channel      TEXT NOT NULL,
    channel_code TEXT,
    rated_at     TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    UNIQUE (station_code, case_no)
) STRICT;
INSERT INTO evaluations_by_slip (id, case_id, station_code, case_no, item_code, level,
                                 comment, channel, rated_at, received_at)
SELECT e.id, e.case_id, e.station_code, c.case_no, c.item_code, e.level, e.comment,
       e.channel, e.rated_at, e.received_at
FROM evaluations e JOIN cases c ON c.id = e.case_id;
DROP TABLE evaluations;
ALTER TABLE evaluations_by_slip RENAME TO evaluations;
-- The citizen's pages find a case by its station and the slip's number.
CREATE INDEX cases_by_station_case_no ON cases (station_code, case_no);
