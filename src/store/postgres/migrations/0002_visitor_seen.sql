-- When a node last saw the visitor of a waiting conversation connected: nodes abandon only a
-- visitor whom no node has seen for the abandon time (the node that holds the visitor's socket
-- marks it every quarter of that time).
ALTER TABLE conversation ADD COLUMN visitor_seen_at BIGINT;
