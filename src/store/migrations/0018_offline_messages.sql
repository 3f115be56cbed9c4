-- Messages left while the chat is closed: a conversation of their own kind, outside the live
-- queue, that its visitor opens again later with a pick-up code (only the code's hash is kept).
ALTER TABLE conversation ADD COLUMN offline INTEGER NOT NULL DEFAULT 0 CHECK (offline IN (0, 1));
ALTER TABLE conversation ADD COLUMN pickup_code_hash TEXT;
CREATE UNIQUE INDEX conversation_pickup_code ON conversation (pickup_code_hash)
  WHERE pickup_code_hash IS NOT NULL;
