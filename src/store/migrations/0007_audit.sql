-- The audit trail (store/audit_store.hpp): an append-only hash chain of who did what. Ids and
-- actions only, never content. The triggers make the database itself refuse to change or
-- remove an entry. Every counsellor message adds an entry, so the table stays lean: seq is the
-- rowid, and only the two filters the console uses most are indexed.
CREATE TABLE audit_entry (
  seq             INTEGER PRIMARY KEY,
  at              BIGINT NOT NULL,
  node            TEXT   NOT NULL,
  account_id      BIGINT,
  role            TEXT   NOT NULL,
  action          TEXT   NOT NULL,
  conversation_id TEXT   NOT NULL,
  detail          TEXT   NOT NULL,
  prev_hash       TEXT   NOT NULL,
  hash            TEXT   NOT NULL
);
CREATE INDEX audit_entry_account ON audit_entry (account_id, seq);
CREATE INDEX audit_entry_conversation ON audit_entry (conversation_id, seq);
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
