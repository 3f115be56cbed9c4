-- TOTP for every staff account. The secret reaches the store already sealed with the master key
-- (NULL: not enrolled); totp_last_step is the last 30-second step whose code was accepted, so
-- that a code works once only, whichever node checks it.
ALTER TABLE staff_account ADD COLUMN totp_secret BLOB;
ALTER TABLE staff_account ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
-- Recovery codes, hashed; a code that has been used is deleted.
CREATE TABLE staff_recovery_code (
  account_id BIGINT NOT NULL REFERENCES staff_account (id) ON DELETE CASCADE,
  code_hash  TEXT   NOT NULL,
  PRIMARY KEY (account_id, code_hash)
);
