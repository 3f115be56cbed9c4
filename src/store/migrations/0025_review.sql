-- Methodology review (docs/review.md): the samples supervisors draw, and one review per
-- conversation with its scores as rows. The comment is sealed with the conversation's data key
-- (store/encrypting_review_store.hpp), so shredding the conversation shreds it too.
CREATE TABLE review_sample (
  id              TEXT    PRIMARY KEY,
  supervisor_id   BIGINT  NOT NULL REFERENCES staff_account (id),
  period_from     BIGINT  NOT NULL,
  period_to       BIGINT  NOT NULL,
  only_unreviewed INTEGER NOT NULL CHECK (only_unreviewed IN (0, 1)),
  candidates      BIGINT  NOT NULL,
  created_at      BIGINT  NOT NULL
);
CREATE INDEX review_sample_supervisor ON review_sample (supervisor_id, created_at);
CREATE TABLE review_sample_item (
  sample_id       TEXT    NOT NULL REFERENCES review_sample (id) ON DELETE CASCADE,
  position        INTEGER NOT NULL,
  conversation_id TEXT    NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
  PRIMARY KEY (sample_id, position),
  UNIQUE (sample_id, conversation_id)
);
-- ended_at copies the conversation's end: the aggregates count by it without a join.
CREATE TABLE review (
  conversation_id TEXT   PRIMARY KEY REFERENCES conversation (id) ON DELETE CASCADE,
  sample_id       TEXT   NOT NULL REFERENCES review_sample (id) ON DELETE CASCADE,
  reviewer_id     BIGINT NOT NULL REFERENCES staff_account (id),
  rubric_version  BIGINT NOT NULL,
  comment         BLOB   NOT NULL,
  ended_at        BIGINT NOT NULL,
  reviewed_at     BIGINT NOT NULL
);
CREATE INDEX review_ended ON review (ended_at);
-- score NULL: not applicable.
CREATE TABLE review_score (
  conversation_id TEXT    NOT NULL REFERENCES review (conversation_id) ON DELETE CASCADE,
  criterion       TEXT    NOT NULL,
  score           INTEGER,
  PRIMARY KEY (conversation_id, criterion)
);
