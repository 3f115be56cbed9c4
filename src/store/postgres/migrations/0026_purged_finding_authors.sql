-- The retention job now blanks a finding's author with its text (store/outreach_store.hpp): in
-- an exported group the author is the sender's name, which may be a young person's. Authors of
-- findings purged before this are blanked here.
UPDATE finding SET author = '' WHERE purged = 1;
