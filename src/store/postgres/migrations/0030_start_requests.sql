-- The hash of the id a visitor's page gives a start or a message left, so that the page can ask
-- again after an answer that never reached it (a dropped connection, a node that died) and get
-- the conversation it made instead of a second one. Only the hash: the id is the page's secret.
-- request_try: the page's count of the try whose resume token (and pick-up code) the
-- conversation holds, so that a slow earlier try cannot take them back from a later one.
ALTER TABLE conversation ADD COLUMN request_hash TEXT;
ALTER TABLE conversation ADD COLUMN request_try BIGINT;
CREATE UNIQUE INDEX conversation_request ON conversation (request_hash)
  WHERE request_hash IS NOT NULL;
