-- A counsellor who signs out, or whose console is gone, hands their active conversations back
-- to the queue: a `released` event records it.
ALTER TABLE message DROP CONSTRAINT message_kind_check;
ALTER TABLE message ADD CONSTRAINT message_kind_check
  CHECK (kind IN ('text', 'accepted', 'ended', 'released'));
-- When a counsellor's console was last connected to any node, so that a node can tell a console
-- gone for good (and hand its conversations back to the queue) from one on another node.
ALTER TABLE staff_account ADD COLUMN console_seen_at BIGINT;
