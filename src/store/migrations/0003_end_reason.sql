-- Why a conversation ended (model::EndReason): the visitor or the counsellor ended it, or the
-- visitor was away from the queue too long (abandoned). NULL until it has ended. Conversations
-- that ended before this column existed take it from their `ended` entry.
ALTER TABLE conversation ADD COLUMN end_reason TEXT
  CHECK (end_reason IN ('visitor', 'counsellor', 'abandoned'));
UPDATE conversation SET end_reason = (
  SELECT CASE m.sender WHEN 'visitor' THEN 'visitor' ELSE 'counsellor' END
  FROM message m WHERE m.conversation_id = conversation.id AND m.kind = 'ended')
WHERE status = 'ended';
