-- When a node last saw the visitor of a waiting conversation connected. Nodes that share a
-- database abandon only a visitor whom no node has seen for the abandon time; one node alone
-- keeps this in memory and leaves the column empty.
ALTER TABLE conversation ADD COLUMN visitor_seen_at BIGINT;
