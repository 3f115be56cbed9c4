-- The staff member who set a conversation's urgency by hand; triage then leaves it alone.
ALTER TABLE conversation ADD COLUMN urgency_marked_by INTEGER REFERENCES staff_account (id);
