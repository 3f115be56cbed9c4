-- The registration after a conversation, its answers as rows (field, value) for counting.
CREATE TABLE registration (
  conversation_id TEXT    PRIMARY KEY REFERENCES conversation (id) ON DELETE CASCADE,
  counsellor_id   BIGINT  NOT NULL REFERENCES staff_account (id),
  complete        INTEGER NOT NULL CHECK (complete IN (0, 1)),
  form_version    BIGINT  NOT NULL,
  updated_at      BIGINT  NOT NULL
);
CREATE TABLE registration_answer (
  conversation_id TEXT NOT NULL REFERENCES registration (conversation_id) ON DELETE CASCADE,
  field           TEXT NOT NULL,
  value           TEXT NOT NULL,
  PRIMARY KEY (conversation_id, field, value)
);
