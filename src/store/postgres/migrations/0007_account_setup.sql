-- Account administration (auth/account_admin.hpp): when each account last signed in, and the
-- one-time links through which a colleague sets up a new account or a reset password or second
-- factor. Only the hash of a link's token is kept.
ALTER TABLE staff_account ADD COLUMN last_sign_in_at BIGINT;
CREATE TABLE account_setup (
  token_hash TEXT   PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES staff_account (id) ON DELETE CASCADE,
  purpose    TEXT   NOT NULL CHECK (purpose IN ('new', 'password', 'second_factor')),
  expires_at BIGINT NOT NULL
);
CREATE INDEX account_setup_account ON account_setup (account_id);
