-- Whether a counsellor takes conversations now: available, busy (keeps their own, takes no new
-- ones) or away (theirs go back to the queue).
ALTER TABLE staff_account ADD COLUMN availability TEXT NOT NULL DEFAULT 'available'
  CHECK (availability IN ('available', 'busy', 'away'));
