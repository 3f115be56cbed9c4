-- Staff-only entries: a staff member's internal note, a supervisor's whisper to the counsellor.
ALTER TABLE message DROP CONSTRAINT message_kind_check;
ALTER TABLE message ADD CONSTRAINT message_kind_check
  CHECK (kind IN ('text', 'accepted', 'ended', 'released', 'note', 'whisper'));
