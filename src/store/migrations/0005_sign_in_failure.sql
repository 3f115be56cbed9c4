-- Failed sign-ins per username, so that the throttle holds on every node that shares the
-- database. `key` is a hash of the lower-cased username, never an address; rows older than the
-- throttle's window are deleted as new ones come.
CREATE TABLE sign_in_failure (
  key TEXT   NOT NULL,
  at  BIGINT NOT NULL
);
CREATE INDEX sign_in_failure_key ON sign_in_failure (key, at);
CREATE INDEX sign_in_failure_at ON sign_in_failure (at);
