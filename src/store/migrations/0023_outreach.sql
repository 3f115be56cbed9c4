-- The outreach review console: scans of channel exports, the posts they flagged (findings) with
-- the lexicon terms that matched, the reviewers' verdicts (the latest one per finding), flagged
-- posts per category and ISO week for the insights, and the versions of the lexicon. Scores are
-- millionths, so that both backends agree exactly; lists are one item per line.
CREATE TABLE scan (
  id              INTEGER PRIMARY KEY,
  created_by      BIGINT  NOT NULL,
  created_at      BIGINT  NOT NULL,
  source_name     TEXT    NOT NULL,
  status          TEXT    NOT NULL
                  CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  error           TEXT    NOT NULL,
  bytes_total     BIGINT  NOT NULL,
  bytes_done      BIGINT  NOT NULL,
  posts           BIGINT  NOT NULL,
  flagged         BIGINT  NOT NULL,
  clusters        BIGINT  NOT NULL,
  lexicon_version TEXT    NOT NULL,
  model_version   TEXT    NOT NULL,
  finished_at     BIGINT
);
CREATE INDEX scan_by_created_at ON scan (created_at);

CREATE TABLE finding (
  id               INTEGER PRIMARY KEY,
  scan_id          BIGINT  NOT NULL REFERENCES scan (id) ON DELETE CASCADE,
  source           TEXT    NOT NULL,
  channel          TEXT    NOT NULL,
  author           TEXT    NOT NULL,
  message_id       BIGINT  NOT NULL,
  date_unix        BIGINT  NOT NULL,
  text             TEXT    NOT NULL,
  score            BIGINT  NOT NULL,
  lexicon_score    BIGINT  NOT NULL,
  model_score      BIGINT  NOT NULL,
  categories       TEXT    NOT NULL,
  matches          TEXT    NOT NULL
                   CHECK (CASE WHEN json_valid(matches) THEN json_type(matches) = 'array'
                          ELSE 0 END),
  cluster          BIGINT  NOT NULL,
  cluster_channels BIGINT  NOT NULL,
  purged           INTEGER NOT NULL CHECK (purged IN (0, 1))
);
CREATE INDEX finding_by_score ON finding (scan_id, score DESC, id);
CREATE INDEX finding_by_cluster ON finding (scan_id, cluster);

CREATE TABLE finding_term (
  finding_id BIGINT NOT NULL REFERENCES finding (id) ON DELETE CASCADE,
  term       TEXT   NOT NULL,
  PRIMARY KEY (finding_id, term)
);
CREATE INDEX finding_term_by_term ON finding_term (term);

-- No cascade: a scan whose findings have verdicts is kept.
CREATE TABLE finding_verdict (
  finding_id INTEGER PRIMARY KEY REFERENCES finding (id),
  verdict    TEXT    NOT NULL CHECK (verdict IN ('recruitment', 'not_recruitment', 'unsure')),
  account_id BIGINT  NOT NULL,
  at         BIGINT  NOT NULL
);
CREATE INDEX finding_verdict_by_at ON finding_verdict (at);

CREATE TABLE scan_week_count (
  scan_id  BIGINT NOT NULL REFERENCES scan (id) ON DELETE CASCADE,
  week     TEXT   NOT NULL,
  category TEXT   NOT NULL,
  count    BIGINT NOT NULL,
  PRIMARY KEY (scan_id, week, category)
);
CREATE INDEX scan_week_count_by_week ON scan_week_count (week);

CREATE TABLE lexicon_version (
  version    INTEGER PRIMARY KEY,
  toml       TEXT    NOT NULL,
  created_by BIGINT  NOT NULL,
  created_at BIGINT  NOT NULL,
  note       TEXT    NOT NULL
);
