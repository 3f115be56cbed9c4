-- The audit trail (store/audit_store.hpp): an append-only hash chain of who did what. Ids and
-- actions only, never content. The trigger makes the database itself refuse to change or
-- remove an entry. Every counsellor message adds an entry, so only the two filters the
-- console uses most are indexed.
CREATE TABLE audit_entry (
  seq             BIGINT PRIMARY KEY,
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
CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only';
END;
$$;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
  FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
