-- The public half of each device's evaluation-QR signing key (Ed25519, hex), registered at
-- enrollment: the district checks what a station signed offline with it.
ALTER TABLE devices ADD COLUMN qr_public_key TEXT;
