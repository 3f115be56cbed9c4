-- The team's library of canned responses (tags: one text, separated by commas).
CREATE TABLE canned_response (
  id         INTEGER PRIMARY KEY,
  title      TEXT    NOT NULL,
  body       TEXT    NOT NULL,
  language   TEXT    NOT NULL CHECK (language IN ('nl', 'en')),
  tags       TEXT    NOT NULL DEFAULT '',
  updated_at BIGINT  NOT NULL
);
