-- Retention (auth/retention.hpp): when a conversation was crypto-shredded, and whether its
-- visitor asked for that to happen as soon as it ends.
ALTER TABLE conversation ADD COLUMN shredded_at BIGINT;
ALTER TABLE conversation ADD COLUMN forget_requested INTEGER NOT NULL DEFAULT 0
  CHECK (forget_requested IN (0, 1));
CREATE INDEX conversation_retention ON conversation (status, ended_at) WHERE shredded_at IS NULL;
