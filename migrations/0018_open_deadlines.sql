-- 0018: the deadlines still running, for the home screen's overdue and soon-due lists and the
-- hall manager's overdue list (issue 8.2). A case's deadline runs from its 受理 (or 容缺受理)
-- until the district reports it decided (any status after 审批中). Over years almost every
-- case with a due date is decided, so an index on cases.due_date would make "what is overdue"
-- walk them all; this narrow table holds only the open ones, by case and by due date.
--
-- Triggers keep it in step, so no writer has to remember it. Like the search indexes (0010)
-- it follows `search_pending`: a case enters when its search keys are written (the indexer's
-- transaction, off the intake commit) and leaves when they are cleared for a rewrite; the few
-- pending cases are read from `cases` directly. It also leaves when a district status other
-- than 审批中 arrives, and is put back if a rewrite makes it open again.
CREATE TABLE open_deadlines (
    case_id  TEXT PRIMARY KEY NOT NULL,
    due_date TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX open_deadlines_by_due ON open_deadlines (due_date);

CREATE TRIGGER open_deadlines_on_insert AFTER INSERT ON cases
WHEN NEW.search_pending IS NULL AND NEW.due_date IS NOT NULL
    AND NEW.state IN ('accepted', 'accepted_tolerant')
BEGIN
    INSERT OR REPLACE INTO open_deadlines (case_id, due_date) VALUES (NEW.id, NEW.due_date);
END;

CREATE TRIGGER open_deadlines_on_update AFTER UPDATE OF due_date, state, search_pending ON cases
BEGIN
    DELETE FROM open_deadlines WHERE case_id = OLD.id;
    INSERT INTO open_deadlines (case_id, due_date)
    SELECT NEW.id, NEW.due_date
    WHERE NEW.search_pending IS NULL AND NEW.due_date IS NOT NULL
        AND NEW.state IN ('accepted', 'accepted_tolerant')
        AND NOT EXISTS (SELECT 1 FROM case_district_status s
                        WHERE s.case_id = NEW.id AND s.status <> 'reviewing');
END;

CREATE TRIGGER open_deadlines_decided AFTER INSERT ON case_district_status
WHEN NEW.status <> 'reviewing'
BEGIN
    DELETE FROM open_deadlines WHERE case_id = NEW.case_id;
END;

CREATE TRIGGER open_deadlines_decided_later AFTER UPDATE OF status ON case_district_status
WHEN NEW.status <> 'reviewing'
BEGIN
    DELETE FROM open_deadlines WHERE case_id = NEW.case_id;
END;

INSERT INTO open_deadlines (case_id, due_date)
SELECT c.id, c.due_date FROM cases c
WHERE c.search_pending IS NULL AND c.due_date IS NOT NULL
    AND c.state IN ('accepted', 'accepted_tolerant')
    AND NOT EXISTS (SELECT 1 FROM case_district_status s
                    WHERE s.case_id = c.id AND s.status <> 'reviewing');
