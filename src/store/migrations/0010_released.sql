-- A counsellor who signs out, or whose console is gone, hands their active conversations back
-- to the queue: a `released` event records it. SQLite cannot change a CHECK constraint, so the
-- message table is rebuilt with the new kind allowed (nothing references it; same columns).
CREATE TABLE message_new (
  conversation_id TEXT    NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
  seq             BIGINT  NOT NULL,
  kind            TEXT    NOT NULL CHECK (kind IN ('text', 'accepted', 'ended', 'released')),
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
-- When a counsellor's console was last connected to any node, so that a node can tell a console
-- gone for good (and hand its conversations back to the queue) from one on another node.
ALTER TABLE staff_account ADD COLUMN console_seen_at BIGINT;
