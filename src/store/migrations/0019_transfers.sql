-- Transfers: a counsellor offers an active conversation to a named colleague, who takes it (a
-- `transferred` event) or lets the offer lapse. Handover: a consent request the visitor answers
-- in the chat, and the referral's sealed details (staff only). SQLite cannot change a CHECK
-- constraint, so the message table is rebuilt with the new kinds allowed (nothing references
-- it; same columns).
ALTER TABLE conversation ADD COLUMN offered_to BIGINT REFERENCES staff_account (id);
ALTER TABLE conversation ADD COLUMN offered_at BIGINT;
CREATE TABLE message_new (
  conversation_id TEXT    NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
  seq             BIGINT  NOT NULL,
  kind            TEXT    NOT NULL
                  CHECK (kind IN ('text', 'accepted', 'ended', 'released', 'note', 'whisper',
                                  'transferred', 'consent_request', 'consent_answer',
                                  'referral')),
  sender          TEXT    NOT NULL CHECK (sender IN ('visitor', 'counsellor', 'system')),
  author_id       BIGINT  REFERENCES staff_account (id),
  client_id       TEXT,
  body            BLOB    NOT NULL,
  created_at      BIGINT  NOT NULL,
  body_shredded   INTEGER NOT NULL DEFAULT 0 CHECK (body_shredded IN (0, 1)),
  PRIMARY KEY (conversation_id, seq)
);
INSERT INTO message_new (conversation_id, seq, kind, sender, author_id, client_id, body,
                         created_at, body_shredded)
  SELECT conversation_id, seq, kind, sender, author_id, client_id, body, created_at, body_shredded
  FROM message;
DROP TABLE message;
ALTER TABLE message_new RENAME TO message;
CREATE UNIQUE INDEX message_client_id ON message (conversation_id, sender, client_id);
-- Every node lists the standing offers every second: only those rows are read.
CREATE INDEX conversation_offered ON conversation (offered_at) WHERE offered_to IS NOT NULL;
