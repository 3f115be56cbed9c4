-- Shredding a conversation now blanks its review's comment too (store/review_store.hpp): before,
-- the comment relied on the forgotten key alone, which another node could still hold in memory.
-- Comments of conversations shredded before this are blanked here.
UPDATE review SET comment = X''
 WHERE conversation_id IN (SELECT id FROM conversation WHERE shredded_at IS NOT NULL);
