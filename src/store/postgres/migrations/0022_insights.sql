-- Insights (store/insights_store.hpp) count registrations by when their conversation started,
-- its campaign and the registration's region: each answer row carries copies of them
-- (SaveRegistration writes them), so that counting millions of answers needs no join. Indexes: a
-- period's answers (with field and value, so that most counts need not read the rows), a
-- period's conversations, a conversation's referrals.
ALTER TABLE registration_answer ADD COLUMN started_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE registration_answer ADD COLUMN campaign TEXT NOT NULL DEFAULT '';
ALTER TABLE registration_answer ADD COLUMN region TEXT NOT NULL DEFAULT '';
UPDATE registration_answer AS r SET started_at = c.created_at, campaign = c.campaign
  FROM conversation AS c WHERE c.id = r.conversation_id;
UPDATE registration_answer AS r SET region = a.region
  FROM (SELECT conversation_id, MIN(value COLLATE "C") AS region FROM registration_answer
        WHERE field = 'region' GROUP BY conversation_id) AS a
  WHERE a.conversation_id = r.conversation_id;
CREATE INDEX registration_answer_by_started_at ON registration_answer (started_at, field, value);
CREATE INDEX conversation_by_created_at ON conversation (created_at);
CREATE INDEX referral_by_conversation ON referral (conversation_id);
