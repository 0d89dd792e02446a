-- 0020: the district's decisions (办结 / 不予许可) of a case found by the case: the delivery
-- list reads them for each case it shows. 0007 kept the status history unindexed by case;
-- this index holds only the decision rows, so it stays small while the history grows.
CREATE INDEX case_status_history_decisions ON case_status_history (case_id, seq)
    WHERE status IN ('approved', 'denied');
