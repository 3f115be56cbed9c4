-- The two questions after a chat. The answers are kept apart from the conversation: no id, only
-- the day; the conversation only remembers that it was answered (once).
ALTER TABLE conversation ADD COLUMN feedback_given INTEGER NOT NULL DEFAULT 0
  CHECK (feedback_given IN (0, 1));
CREATE TABLE visitor_feedback (
  id           INTEGER PRIMARY KEY,
  day          BIGINT  NOT NULL,
  helped       TEXT    CHECK (helped IN ('yes', 'somewhat', 'no')),
  would_return TEXT    CHECK (would_return IN ('yes', 'maybe', 'no'))
);
