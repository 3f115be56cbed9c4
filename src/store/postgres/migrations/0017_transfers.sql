-- Transfers: a counsellor offers an active conversation to a named colleague, who takes it (a
-- `transferred` event) or lets the offer lapse. Handover: a consent request the visitor answers
-- in the chat, and the referral's sealed details (staff only).
ALTER TABLE conversation ADD COLUMN offered_to BIGINT REFERENCES staff_account (id);
ALTER TABLE conversation ADD COLUMN offered_at BIGINT;
ALTER TABLE message DROP CONSTRAINT message_kind_check;
ALTER TABLE message ADD CONSTRAINT message_kind_check
  CHECK (kind IN ('text', 'accepted', 'ended', 'released', 'note', 'whisper', 'transferred',
                  'consent_request', 'consent_answer', 'referral'));
-- Every node lists the standing offers every second: only those rows are read.
CREATE INDEX conversation_offered ON conversation (offered_at) WHERE offered_to IS NOT NULL;
