-- The visitor's front door: versions of the information pages that admins wrote, campaign
-- codes with their daily counters (counters only: nothing per visitor), and what a
-- conversation's visitor arrived with (the page's language and a campaign code).
CREATE TABLE content_version (
  slug       TEXT    NOT NULL,
  language   TEXT    NOT NULL,
  version    INTEGER NOT NULL,
  body       TEXT    NOT NULL,
  author_id  BIGINT  NOT NULL,
  created_at BIGINT  NOT NULL,
  PRIMARY KEY (slug, language, version)
);

CREATE TABLE campaign (
  code       TEXT    PRIMARY KEY,
  label      TEXT    NOT NULL,
  created_by BIGINT  NOT NULL,
  created_at BIGINT  NOT NULL,
  retired_at BIGINT
);

CREATE TABLE campaign_count (
  day    TEXT    NOT NULL,
  code   TEXT    NOT NULL,
  metric TEXT    NOT NULL,
  count  BIGINT  NOT NULL,
  PRIMARY KEY (day, code, metric)
);

ALTER TABLE conversation ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE conversation ADD COLUMN campaign TEXT NOT NULL DEFAULT '';
