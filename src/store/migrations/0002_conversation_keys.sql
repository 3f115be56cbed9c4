-- Encryption at rest (store/encrypting_store.hpp). Each conversation keeps its data key wrapped
-- by the master key; NULL when it was created without one or has been shredded. Bodies and
-- nicknames may now hold sealed bytes: SQLite keeps a bound BLOB as it is whatever the column's
-- declared type (a PostgreSQL mirror makes nickname BYTEA).
-- Shredding blanks each text's body and marks it, so that readers can tell a deleted body from
-- an empty one.
ALTER TABLE conversation ADD COLUMN data_key BLOB;
ALTER TABLE message ADD COLUMN body_shredded INTEGER NOT NULL DEFAULT 0
  CHECK (body_shredded IN (0, 1));
