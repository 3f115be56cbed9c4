-- The audit trail refused a change or a deletion of an entry, but TRUNCATE fires no row
-- trigger: it emptied the trail, which then verified as intact with no entries.
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only();
