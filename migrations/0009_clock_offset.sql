-- 0009: the district's clock offset as the station knew it when it recorded each case
-- (district clock minus station clock, milliseconds; NULL before the station ever reached
-- the district), sent with the case so the district can correct a wrong station clock.
ALTER TABLE cases ADD COLUMN clock_offset_ms INTEGER;
