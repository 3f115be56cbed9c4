-- Staff, their sessions, conversations and their sequenced entries.
-- Kept to types and constraints that PostgreSQL has too (BIGINT times in UnixMillis, TEXT enums
-- with CHECK, 0/1 flags, BLOB bodies that map to BYTEA), so that its migrations can mirror
-- these one for one.

CREATE TABLE staff_account (
  id            INTEGER PRIMARY KEY,
  username      TEXT    NOT NULL UNIQUE,
  role          TEXT    NOT NULL CHECK (role IN ('counsellor', 'supervisor', 'analyst', 'admin')),
  display_name  TEXT    NOT NULL,
  password_hash TEXT    NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at    BIGINT  NOT NULL
);

-- Only the hash of the cookie's token is stored.
CREATE TABLE staff_session (
  token_hash   TEXT   PRIMARY KEY,
  account_id   BIGINT NOT NULL REFERENCES staff_account (id) ON DELETE CASCADE,
  csrf_token   TEXT   NOT NULL,
  created_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL
);
CREATE INDEX staff_session_account ON staff_session (account_id);

-- last_seq is the seq of the newest entry; the next entry takes last_seq + 1 in the same
-- transaction. Only the hash of the visitor's resume token is stored; never an address.
CREATE TABLE conversation (
  id                TEXT    PRIMARY KEY,
  resume_token_hash TEXT    NOT NULL UNIQUE,
  status            TEXT    NOT NULL CHECK (status IN ('waiting', 'active', 'ended')),
  subject           TEXT    NOT NULL CHECK (subject IN ('self', 'other')),
  nickname          TEXT    NOT NULL DEFAULT '',
  counsellor_id     BIGINT  REFERENCES staff_account (id),
  urgency           INTEGER NOT NULL DEFAULT 0,
  last_seq          BIGINT  NOT NULL DEFAULT 0,
  created_at        BIGINT  NOT NULL,
  accepted_at       BIGINT,
  ended_at          BIGINT
);
CREATE INDEX conversation_queue ON conversation (status, urgency DESC, created_at);
CREATE INDEX conversation_counsellor ON conversation (counsellor_id, status);

-- client_id is NULL for events, so the unique index below only binds texts.
CREATE TABLE message (
  conversation_id TEXT   NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
  seq             BIGINT NOT NULL,
  kind            TEXT   NOT NULL CHECK (kind IN ('text', 'accepted', 'ended')),
  sender          TEXT   NOT NULL CHECK (sender IN ('visitor', 'counsellor', 'system')),
  author_id       BIGINT REFERENCES staff_account (id),
  client_id       TEXT,
  body            BLOB   NOT NULL,
  created_at      BIGINT NOT NULL,
  PRIMARY KEY (conversation_id, seq)
);
CREATE UNIQUE INDEX message_client_id ON message (conversation_id, sender, client_id);
