-- Settings that admins change while the service runs (the opening hours), one text each.
CREATE TABLE setting (
  name       TEXT    PRIMARY KEY,
  value      TEXT    NOT NULL,
  updated_at BIGINT  NOT NULL
);
