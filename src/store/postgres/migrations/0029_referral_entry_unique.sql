-- One referral per referral entry: a retry of a referral already recorded (a lost answer, a
-- double click, a second node) finds it by its entry instead of making a second one. Two rows a
-- retry made before this are one: the row kept is a completed one if there is one, else the one
-- changed last.
DELETE FROM referral WHERE id NOT IN (
  SELECT id FROM (
    SELECT id, ROW_NUMBER() OVER (
      PARTITION BY conversation_id, details_seq
      ORDER BY (status = 'completed') DESC, updated_at DESC, id) AS kept
    FROM referral) AS ranked
  WHERE kept = 1);
CREATE UNIQUE INDEX referral_entry ON referral (conversation_id, details_seq);
