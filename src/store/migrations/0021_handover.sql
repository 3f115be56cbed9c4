-- Handover to offline help: the directory of receiving organisations (with their regional
-- contact person), and referrals. A referral's details are a sealed entry of the conversation.
CREATE TABLE organisation (
  id             INTEGER PRIMARY KEY,
  name           TEXT    NOT NULL,
  description    TEXT    NOT NULL,
  region         TEXT    NOT NULL,
  contact_person TEXT    NOT NULL,
  contact_phone  TEXT    NOT NULL,
  contact_email  TEXT    NOT NULL,
  active         INTEGER NOT NULL CHECK (active IN (0, 1)),
  updated_at     BIGINT  NOT NULL
);
CREATE TABLE referral (
  id              INTEGER PRIMARY KEY,
  conversation_id TEXT    NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
  organisation_id BIGINT  NOT NULL REFERENCES organisation (id),
  counsellor_id   BIGINT  NOT NULL REFERENCES staff_account (id),
  status          TEXT    NOT NULL
                  CHECK (status IN ('proposed', 'accepted', 'completed', 'declined')),
  details_seq     BIGINT  NOT NULL,
  created_at      BIGINT  NOT NULL,
  updated_at      BIGINT  NOT NULL,
  updated_by      BIGINT  NOT NULL REFERENCES staff_account (id)
);
CREATE INDEX referral_by_counsellor ON referral (counsellor_id, updated_at);
