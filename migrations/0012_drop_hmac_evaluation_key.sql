-- 0012: the evaluation QR codes are signed with the station's Ed25519 key (settings key
-- qr_signing_key, whose public half the district registers at enrollment); the HMAC key of
-- the first build signed codes only the station could check, and is no longer used.
DELETE FROM settings WHERE key = 'evaluation_key';
