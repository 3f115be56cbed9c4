-- Insights (store/insights_store.hpp) read counts that the database keeps itself, so that a year
-- of a busy service is thousands of rows to add up rather than millions; the triggers below keep
-- them exact in the transaction of every write that changes what they count, whoever writes.
-- CountsAnswer (store/insights_sql.hpp) says which filters the counts answer (the others are
-- counted from the rows). Conversations are never deleted (retention shreds them), answers never
-- updated (a registration saved again replaces them), a conversation's start and offline never
-- change.
--
-- Periods are kept as the Unix millis they start at, rounded down: conversation_count by UTC
-- hour, the other counts by "bucket", a UTC day cut at 22:00 and 23:00, so that every local day
-- of UTC, UTC+1 and UTC+2 (Amsterdam in winter and in summer) is a whole number of buckets:
--   hour of t:   t - ((t % 3600000) + 3600000) % 3600000
--   bucket of t: t - m + CASE WHEN m >= 82800000 THEN 82800000 WHEN m >= 79200000 THEN 79200000
--                ELSE 0 END, where m = ((t % 86400000) + 86400000) % 86400000

-- What counting a conversation needs besides its own columns, kept on it: its registration's
-- "region" answer (the least of several; '' for none), whether it was registered, referred, and
-- whether a referral of it was completed.
ALTER TABLE conversation ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE conversation ADD COLUMN registered INTEGER NOT NULL DEFAULT 0
  CHECK (registered IN (0, 1));
ALTER TABLE conversation ADD COLUMN referred INTEGER NOT NULL DEFAULT 0
  CHECK (referred IN (0, 1));
ALTER TABLE conversation ADD COLUMN referral_completed INTEGER NOT NULL DEFAULT 0
  CHECK (referral_completed IN (0, 1));
UPDATE conversation SET registered = 1 WHERE id IN (SELECT conversation_id FROM registration);
UPDATE conversation SET region = (SELECT MIN(a.value) FROM registration_answer AS a
                                  WHERE a.conversation_id = conversation.id AND a.field = 'region')
  WHERE id IN (SELECT conversation_id FROM registration_answer WHERE field = 'region');
UPDATE conversation SET referred = 1,
  referral_completed = EXISTS (SELECT 1 FROM referral AS f
                               WHERE f.conversation_id = conversation.id
                                 AND f.status = 'completed')
  WHERE id IN (SELECT conversation_id FROM referral);

-- Conversations by the hour they started in, campaign and offline.
CREATE TABLE conversation_count (
  hour               BIGINT  NOT NULL,
  campaign           TEXT    NOT NULL,
  offline            INTEGER NOT NULL,
  started            BIGINT  NOT NULL,
  held               BIGINT  NOT NULL,  -- accepted
  abandoned          BIGINT  NOT NULL,  -- ended without being accepted
  registered         BIGINT  NOT NULL,
  referred           BIGINT  NOT NULL,
  referral_completed BIGINT  NOT NULL,
  PRIMARY KEY (hour, campaign, offline)
) WITHOUT ROWID;
-- Held conversations by the bucket they started in, counsellor (0 for none), campaign and
-- offline: the shifts.
CREATE TABLE shift_count (
  bucket        BIGINT  NOT NULL,
  counsellor_id BIGINT  NOT NULL,
  campaign      TEXT    NOT NULL,
  offline       INTEGER NOT NULL,
  held          BIGINT  NOT NULL,
  PRIMARY KEY (bucket, counsellor_id, campaign, offline)
) WITHOUT ROWID;
-- Registration answers by the bucket their conversation started in, offline, field and value;
-- the same by campaign, and by region and campaign (the answers' own copies of them).
CREATE TABLE answer_count (
  bucket  BIGINT  NOT NULL,
  offline INTEGER NOT NULL,
  field   TEXT    NOT NULL,
  value   TEXT    NOT NULL,
  n       BIGINT  NOT NULL,
  PRIMARY KEY (bucket, offline, field, value)
) WITHOUT ROWID;
CREATE TABLE answer_count_by_campaign (
  campaign TEXT    NOT NULL,
  bucket   BIGINT  NOT NULL,
  offline  INTEGER NOT NULL,
  field    TEXT    NOT NULL,
  value    TEXT    NOT NULL,
  n        BIGINT  NOT NULL,
  PRIMARY KEY (campaign, bucket, offline, field, value)
) WITHOUT ROWID;
CREATE TABLE answer_count_by_region (
  region   TEXT    NOT NULL,
  bucket   BIGINT  NOT NULL,
  campaign TEXT    NOT NULL,
  offline  INTEGER NOT NULL,
  field    TEXT    NOT NULL,
  value    TEXT    NOT NULL,
  n        BIGINT  NOT NULL,
  PRIMARY KEY (region, bucket, campaign, offline, field, value)
) WITHOUT ROWID;

INSERT INTO conversation_count (hour, campaign, offline, started, held, abandoned, registered,
                                referred, referral_completed)
  SELECT created_at - ((created_at % 3600000) + 3600000) % 3600000, campaign, offline, COUNT(*),
         COUNT(accepted_at), COUNT(CASE WHEN status = 'ended' AND accepted_at IS NULL THEN 1 END),
         SUM(registered), SUM(referred), SUM(referral_completed)
  FROM conversation GROUP BY 1, 2, 3;
INSERT INTO shift_count (bucket, counsellor_id, campaign, offline, held)
  SELECT b, counsellor, campaign, offline, COUNT(*)
  FROM (SELECT created_at - m + CASE WHEN m >= 82800000 THEN 82800000
                                     WHEN m >= 79200000 THEN 79200000 ELSE 0 END AS b,
               COALESCE(counsellor_id, 0) AS counsellor, campaign, offline
        FROM (SELECT *, ((created_at % 86400000) + 86400000) % 86400000 AS m FROM conversation
              WHERE accepted_at IS NOT NULL))
  GROUP BY 1, 2, 3, 4;
INSERT INTO answer_count_by_region (region, bucket, campaign, offline, field, value, n)
  SELECT a.region, a.started_at - a.m + CASE WHEN a.m >= 82800000 THEN 82800000
                                             WHEN a.m >= 79200000 THEN 79200000 ELSE 0 END,
         a.campaign, c.offline, a.field, a.value, COUNT(*)
  FROM (SELECT *, ((started_at % 86400000) + 86400000) % 86400000 AS m
        FROM registration_answer) AS a
  JOIN conversation AS c ON c.id = a.conversation_id
  GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO answer_count_by_campaign (campaign, bucket, offline, field, value, n)
  SELECT campaign, bucket, offline, field, value, SUM(n) FROM answer_count_by_region
  GROUP BY 1, 2, 3, 4, 5;
INSERT INTO answer_count (bucket, offline, field, value, n)
  SELECT bucket, offline, field, value, SUM(n) FROM answer_count_by_campaign GROUP BY 1, 2, 3, 4;

-- The funnel's "yes" answers per campaign, without going through every answer of the period.
CREATE INDEX answer_count_by_campaign_by_answer ON answer_count_by_campaign
  (field, value, bucket, n);

-- The period's conversations with what they are counted by, in the order of a period (and of
-- the regions' periods).
DROP INDEX conversation_by_created_at;
CREATE INDEX conversation_insights ON conversation (created_at, offline, campaign, region, status,
  accepted_at, ended_at, counsellor_id, registered, referred, referral_completed);
CREATE INDEX conversation_insights_by_region ON conversation (region, created_at, offline,
  campaign, status, accepted_at, ended_at, counsellor_id, registered, referred,
  referral_completed);

-- A conversation is counted when it is created, and taken off and counted again when what it is
-- counted by changes (not when a message bumps its last_seq).
CREATE TRIGGER conversation_counted AFTER INSERT ON conversation BEGIN
  INSERT INTO conversation_count (hour, campaign, offline, started, held, abandoned, registered,
                                  referred, referral_completed)
    VALUES (NEW.created_at - ((NEW.created_at % 3600000) + 3600000) % 3600000, NEW.campaign,
            NEW.offline, 1, NEW.accepted_at IS NOT NULL,
            NEW.status = 'ended' AND NEW.accepted_at IS NULL, NEW.registered, NEW.referred,
            NEW.referral_completed)
    ON CONFLICT (hour, campaign, offline) DO UPDATE SET
      started = started + excluded.started, held = held + excluded.held,
      abandoned = abandoned + excluded.abandoned, registered = registered + excluded.registered,
      referred = referred + excluded.referred,
      referral_completed = referral_completed + excluded.referral_completed;
  INSERT INTO shift_count (bucket, counsellor_id, campaign, offline, held)
    SELECT NEW.created_at - m + CASE WHEN m >= 82800000 THEN 82800000
                                     WHEN m >= 79200000 THEN 79200000 ELSE 0 END,
           COALESCE(NEW.counsellor_id, 0), NEW.campaign, NEW.offline, 1
    FROM (SELECT ((NEW.created_at % 86400000) + 86400000) % 86400000 AS m)
    WHERE NEW.accepted_at IS NOT NULL
    ON CONFLICT (bucket, counsellor_id, campaign, offline) DO UPDATE SET
      held = held + excluded.held;
END;
CREATE TRIGGER conversation_recounted AFTER UPDATE OF created_at, campaign, offline, status,
  accepted_at, counsellor_id, registered, referred, referral_completed ON conversation
  WHEN OLD.created_at IS NOT NEW.created_at OR OLD.campaign IS NOT NEW.campaign
    OR OLD.offline IS NOT NEW.offline OR OLD.status IS NOT NEW.status
    OR OLD.accepted_at IS NOT NEW.accepted_at OR OLD.counsellor_id IS NOT NEW.counsellor_id
    OR OLD.registered IS NOT NEW.registered OR OLD.referred IS NOT NEW.referred
    OR OLD.referral_completed IS NOT NEW.referral_completed
BEGIN
  INSERT INTO conversation_count (hour, campaign, offline, started, held, abandoned, registered,
                                  referred, referral_completed)
    VALUES (OLD.created_at - ((OLD.created_at % 3600000) + 3600000) % 3600000, OLD.campaign,
            OLD.offline, -1, -(OLD.accepted_at IS NOT NULL),
            -(OLD.status = 'ended' AND OLD.accepted_at IS NULL), -OLD.registered, -OLD.referred,
            -OLD.referral_completed)
    ON CONFLICT (hour, campaign, offline) DO UPDATE SET
      started = started + excluded.started, held = held + excluded.held,
      abandoned = abandoned + excluded.abandoned, registered = registered + excluded.registered,
      referred = referred + excluded.referred,
      referral_completed = referral_completed + excluded.referral_completed;
  INSERT INTO shift_count (bucket, counsellor_id, campaign, offline, held)
    SELECT OLD.created_at - m + CASE WHEN m >= 82800000 THEN 82800000
                                     WHEN m >= 79200000 THEN 79200000 ELSE 0 END,
           COALESCE(OLD.counsellor_id, 0), OLD.campaign, OLD.offline, -1
    FROM (SELECT ((OLD.created_at % 86400000) + 86400000) % 86400000 AS m)
    WHERE OLD.accepted_at IS NOT NULL
    ON CONFLICT (bucket, counsellor_id, campaign, offline) DO UPDATE SET
      held = held + excluded.held;
  INSERT INTO conversation_count (hour, campaign, offline, started, held, abandoned, registered,
                                  referred, referral_completed)
    VALUES (NEW.created_at - ((NEW.created_at % 3600000) + 3600000) % 3600000, NEW.campaign,
            NEW.offline, 1, NEW.accepted_at IS NOT NULL,
            NEW.status = 'ended' AND NEW.accepted_at IS NULL, NEW.registered, NEW.referred,
            NEW.referral_completed)
    ON CONFLICT (hour, campaign, offline) DO UPDATE SET
      started = started + excluded.started, held = held + excluded.held,
      abandoned = abandoned + excluded.abandoned, registered = registered + excluded.registered,
      referred = referred + excluded.referred,
      referral_completed = referral_completed + excluded.referral_completed;
  INSERT INTO shift_count (bucket, counsellor_id, campaign, offline, held)
    SELECT NEW.created_at - m + CASE WHEN m >= 82800000 THEN 82800000
                                     WHEN m >= 79200000 THEN 79200000 ELSE 0 END,
           COALESCE(NEW.counsellor_id, 0), NEW.campaign, NEW.offline, 1
    FROM (SELECT ((NEW.created_at % 86400000) + 86400000) % 86400000 AS m)
    WHERE NEW.accepted_at IS NOT NULL
    ON CONFLICT (bucket, counsellor_id, campaign, offline) DO UPDATE SET
      held = held + excluded.held;
END;

CREATE TRIGGER registration_counted AFTER INSERT ON registration BEGIN
  UPDATE conversation SET registered = 1 WHERE id = NEW.conversation_id;
END;

CREATE TRIGGER referral_counted AFTER INSERT ON referral BEGIN
  UPDATE conversation SET referred = 1,
    referral_completed = EXISTS (SELECT 1 FROM referral AS f
                                 WHERE f.conversation_id = NEW.conversation_id
                                   AND f.status = 'completed')
    WHERE id = NEW.conversation_id;
END;
CREATE TRIGGER referral_recounted AFTER UPDATE OF status ON referral BEGIN
  UPDATE conversation SET
    referral_completed = EXISTS (SELECT 1 FROM referral AS f
                                 WHERE f.conversation_id = NEW.conversation_id
                                   AND f.status = 'completed')
    WHERE id = NEW.conversation_id;
END;

CREATE TRIGGER registration_answer_counted AFTER INSERT ON registration_answer BEGIN
  INSERT INTO answer_count (bucket, offline, field, value, n)
    SELECT NEW.started_at - m + CASE WHEN m >= 82800000 THEN 82800000
                                     WHEN m >= 79200000 THEN 79200000 ELSE 0 END,
           c.offline, NEW.field, NEW.value, 1
    FROM (SELECT ((NEW.started_at % 86400000) + 86400000) % 86400000 AS m)
    JOIN conversation AS c ON c.id = NEW.conversation_id
    WHERE true
    ON CONFLICT (bucket, offline, field, value) DO UPDATE SET n = n + excluded.n;
  INSERT INTO answer_count_by_campaign (campaign, bucket, offline, field, value, n)
    SELECT NEW.campaign, NEW.started_at - m + CASE WHEN m >= 82800000 THEN 82800000
                                                   WHEN m >= 79200000 THEN 79200000 ELSE 0 END,
           c.offline, NEW.field, NEW.value, 1
    FROM (SELECT ((NEW.started_at % 86400000) + 86400000) % 86400000 AS m)
    JOIN conversation AS c ON c.id = NEW.conversation_id
    WHERE true
    ON CONFLICT (campaign, bucket, offline, field, value) DO UPDATE SET n = n + excluded.n;
  INSERT INTO answer_count_by_region (region, bucket, campaign, offline, field, value, n)
    SELECT NEW.region, NEW.started_at - m + CASE WHEN m >= 82800000 THEN 82800000
                                                 WHEN m >= 79200000 THEN 79200000 ELSE 0 END,
           NEW.campaign, c.offline, NEW.field, NEW.value, 1
    FROM (SELECT ((NEW.started_at % 86400000) + 86400000) % 86400000 AS m)
    JOIN conversation AS c ON c.id = NEW.conversation_id
    WHERE true
    ON CONFLICT (region, bucket, campaign, offline, field, value) DO UPDATE SET
      n = n + excluded.n;
  UPDATE conversation SET region = (SELECT MIN(a.value) FROM registration_answer AS a
                                    WHERE a.conversation_id = NEW.conversation_id
                                      AND a.field = 'region')
    WHERE NEW.field = 'region' AND id = NEW.conversation_id;
END;
CREATE TRIGGER registration_answer_uncounted AFTER DELETE ON registration_answer BEGIN
  INSERT INTO answer_count (bucket, offline, field, value, n)
    SELECT OLD.started_at - m + CASE WHEN m >= 82800000 THEN 82800000
                                     WHEN m >= 79200000 THEN 79200000 ELSE 0 END,
           c.offline, OLD.field, OLD.value, -1
    FROM (SELECT ((OLD.started_at % 86400000) + 86400000) % 86400000 AS m)
    JOIN conversation AS c ON c.id = OLD.conversation_id
    WHERE true
    ON CONFLICT (bucket, offline, field, value) DO UPDATE SET n = n + excluded.n;
  INSERT INTO answer_count_by_campaign (campaign, bucket, offline, field, value, n)
    SELECT OLD.campaign, OLD.started_at - m + CASE WHEN m >= 82800000 THEN 82800000
                                                   WHEN m >= 79200000 THEN 79200000 ELSE 0 END,
           c.offline, OLD.field, OLD.value, -1
    FROM (SELECT ((OLD.started_at % 86400000) + 86400000) % 86400000 AS m)
    JOIN conversation AS c ON c.id = OLD.conversation_id
    WHERE true
    ON CONFLICT (campaign, bucket, offline, field, value) DO UPDATE SET n = n + excluded.n;
  INSERT INTO answer_count_by_region (region, bucket, campaign, offline, field, value, n)
    SELECT OLD.region, OLD.started_at - m + CASE WHEN m >= 82800000 THEN 82800000
                                                 WHEN m >= 79200000 THEN 79200000 ELSE 0 END,
           OLD.campaign, c.offline, OLD.field, OLD.value, -1
    FROM (SELECT ((OLD.started_at % 86400000) + 86400000) % 86400000 AS m)
    JOIN conversation AS c ON c.id = OLD.conversation_id
    WHERE true
    ON CONFLICT (region, bucket, campaign, offline, field, value) DO UPDATE SET
      n = n + excluded.n;
  UPDATE conversation SET region = COALESCE((SELECT MIN(a.value) FROM registration_answer AS a
                                             WHERE a.conversation_id = OLD.conversation_id
                                               AND a.field = 'region'), '')
    WHERE OLD.field = 'region' AND id = OLD.conversation_id;
END;
