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
-- of UTC, UTC+1 and UTC+2 (Amsterdam in winter and in summer) is a whole number of buckets.
CREATE FUNCTION insights_hour(at BIGINT) RETURNS BIGINT LANGUAGE sql IMMUTABLE AS $$
  SELECT at - ((at % 3600000) + 3600000) % 3600000
$$;
CREATE FUNCTION insights_bucket(at BIGINT) RETURNS BIGINT LANGUAGE sql IMMUTABLE AS $$
  SELECT at - ((at % 86400000) + 86400000) % 86400000
         + CASE WHEN ((at % 86400000) + 86400000) % 86400000 >= 82800000 THEN 82800000
                WHEN ((at % 86400000) + 86400000) % 86400000 >= 79200000 THEN 79200000
                ELSE 0 END
$$;

-- What counting a conversation needs besides its own columns, kept on it: its registration's
-- "region" answer (the least of several, bytewise; '' for none), whether it was registered,
-- referred, and whether a referral of it was completed.
ALTER TABLE conversation ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE conversation ADD COLUMN registered INTEGER NOT NULL DEFAULT 0
  CHECK (registered IN (0, 1));
ALTER TABLE conversation ADD COLUMN referred INTEGER NOT NULL DEFAULT 0
  CHECK (referred IN (0, 1));
ALTER TABLE conversation ADD COLUMN referral_completed INTEGER NOT NULL DEFAULT 0
  CHECK (referral_completed IN (0, 1));
UPDATE conversation AS c SET registered = 1 FROM registration AS g
  WHERE g.conversation_id = c.id;
UPDATE conversation AS c SET region = a.region
  FROM (SELECT conversation_id, MIN(value COLLATE "C") AS region FROM registration_answer
        WHERE field = 'region' GROUP BY conversation_id) AS a
  WHERE a.conversation_id = c.id;
UPDATE conversation AS c SET referred = 1, referral_completed = f.completed
  FROM (SELECT conversation_id, MAX(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS completed
        FROM referral GROUP BY conversation_id) AS f
  WHERE f.conversation_id = c.id;

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
);
-- Held conversations by the bucket they started in, counsellor (0 for none), campaign and
-- offline: the shifts.
CREATE TABLE shift_count (
  bucket        BIGINT  NOT NULL,
  counsellor_id BIGINT  NOT NULL,
  campaign      TEXT    NOT NULL,
  offline       INTEGER NOT NULL,
  held          BIGINT  NOT NULL,
  PRIMARY KEY (bucket, counsellor_id, campaign, offline)
);
-- Registration answers by the bucket their conversation started in, offline, field and value;
-- the same by campaign, and by region and campaign (the answers' own copies of them).
CREATE TABLE answer_count (
  bucket  BIGINT  NOT NULL,
  offline INTEGER NOT NULL,
  field   TEXT    NOT NULL,
  value   TEXT    NOT NULL,
  n       BIGINT  NOT NULL,
  PRIMARY KEY (bucket, offline, field, value)
);
CREATE TABLE answer_count_by_campaign (
  campaign TEXT    NOT NULL,
  bucket   BIGINT  NOT NULL,
  offline  INTEGER NOT NULL,
  field    TEXT    NOT NULL,
  value    TEXT    NOT NULL,
  n        BIGINT  NOT NULL,
  PRIMARY KEY (campaign, bucket, offline, field, value)
);
CREATE TABLE answer_count_by_region (
  region   TEXT    NOT NULL,
  bucket   BIGINT  NOT NULL,
  campaign TEXT    NOT NULL,
  offline  INTEGER NOT NULL,
  field    TEXT    NOT NULL,
  value    TEXT    NOT NULL,
  n        BIGINT  NOT NULL,
  PRIMARY KEY (region, bucket, campaign, offline, field, value)
);

INSERT INTO conversation_count (hour, campaign, offline, started, held, abandoned, registered,
                                referred, referral_completed)
  SELECT insights_hour(created_at), campaign, offline, COUNT(*), COUNT(accepted_at),
         COUNT(CASE WHEN status = 'ended' AND accepted_at IS NULL THEN 1 END), SUM(registered),
         SUM(referred), SUM(referral_completed)
  FROM conversation GROUP BY 1, 2, 3;
INSERT INTO shift_count (bucket, counsellor_id, campaign, offline, held)
  SELECT insights_bucket(created_at), COALESCE(counsellor_id, 0), campaign, offline, COUNT(*)
  FROM conversation WHERE accepted_at IS NOT NULL GROUP BY 1, 2, 3, 4;
INSERT INTO answer_count_by_region (region, bucket, campaign, offline, field, value, n)
  SELECT a.region, insights_bucket(a.started_at), a.campaign, c.offline, a.field, a.value,
         COUNT(*)
  FROM registration_answer AS a JOIN conversation AS c ON c.id = a.conversation_id
  GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO answer_count_by_campaign (campaign, bucket, offline, field, value, n)
  SELECT campaign, bucket, offline, field, value, SUM(n) FROM answer_count_by_region
  GROUP BY 1, 2, 3, 4, 5;
INSERT INTO answer_count (bucket, offline, field, value, n)
  SELECT bucket, offline, field, value, SUM(n) FROM answer_count_by_campaign GROUP BY 1, 2, 3, 4;

-- The funnel's "yes" answers per campaign, without going through every answer of the period.
CREATE INDEX answer_count_by_campaign_by_answer ON answer_count_by_campaign (field, value, bucket);

-- The period's conversations with what they are counted by, in the order of a period (and of
-- the regions' periods).
DROP INDEX conversation_by_created_at;
CREATE INDEX conversation_insights ON conversation (created_at)
  INCLUDE (offline, campaign, region, status, accepted_at, ended_at, counsellor_id, registered,
           referred, referral_completed);
CREATE INDEX conversation_insights_by_region ON conversation (region, created_at)
  INCLUDE (offline, campaign, status, accepted_at, ended_at, counsellor_id, registered, referred,
           referral_completed);

-- A conversation's part in conversation_count and shift_count, times `factor` (1 or -1).
CREATE FUNCTION count_conversation(c conversation, factor BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO conversation_count AS k (hour, campaign, offline, started, held, abandoned,
                                       registered, referred, referral_completed)
    VALUES (insights_hour(c.created_at), c.campaign, c.offline, factor,
            CASE WHEN c.accepted_at IS NOT NULL THEN factor ELSE 0 END,
            CASE WHEN c.status = 'ended' AND c.accepted_at IS NULL THEN factor ELSE 0 END,
            factor * c.registered, factor * c.referred, factor * c.referral_completed)
    ON CONFLICT (hour, campaign, offline) DO UPDATE SET
      started = k.started + excluded.started, held = k.held + excluded.held,
      abandoned = k.abandoned + excluded.abandoned,
      registered = k.registered + excluded.registered,
      referred = k.referred + excluded.referred,
      referral_completed = k.referral_completed + excluded.referral_completed;
  IF c.accepted_at IS NOT NULL THEN
    INSERT INTO shift_count AS s (bucket, counsellor_id, campaign, offline, held)
      VALUES (insights_bucket(c.created_at), COALESCE(c.counsellor_id, 0), c.campaign, c.offline,
              factor)
      ON CONFLICT (bucket, counsellor_id, campaign, offline) DO UPDATE SET
        held = s.held + excluded.held;
  END IF;
END
$$;

-- A conversation is counted when it is created, and taken off and counted again when what it is
-- counted by changes (not when a message bumps its last_seq).
CREATE FUNCTION conversation_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    PERFORM count_conversation(OLD, -1);
  END IF;
  PERFORM count_conversation(NEW, 1);
  RETURN NULL;
END
$$;
CREATE TRIGGER conversation_counted AFTER INSERT ON conversation
  FOR EACH ROW EXECUTE FUNCTION conversation_counted();
CREATE TRIGGER conversation_recounted AFTER UPDATE OF created_at, campaign, offline, status,
  accepted_at, counsellor_id, registered, referred, referral_completed ON conversation
  FOR EACH ROW
  WHEN ((OLD.created_at, OLD.campaign, OLD.offline, OLD.status, OLD.accepted_at,
         OLD.counsellor_id, OLD.registered, OLD.referred, OLD.referral_completed)
        IS DISTINCT FROM
        (NEW.created_at, NEW.campaign, NEW.offline, NEW.status, NEW.accepted_at,
         NEW.counsellor_id, NEW.registered, NEW.referred, NEW.referral_completed))
  EXECUTE FUNCTION conversation_counted();

CREATE FUNCTION registrations_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE conversation AS c SET registered = 1 FROM new_registrations AS g
    WHERE g.conversation_id = c.id AND c.registered = 0;
  RETURN NULL;
END
$$;
CREATE TRIGGER registrations_counted AFTER INSERT ON registration
  REFERENCING NEW TABLE AS new_registrations
  FOR EACH STATEMENT EXECUTE FUNCTION registrations_counted();

CREATE FUNCTION referrals_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE conversation AS c SET referred = 1, referral_completed = f.completed
    FROM (SELECT conversation_id,
                 MAX(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS completed
          FROM referral
          WHERE conversation_id IN (SELECT conversation_id FROM changed_referrals)
          GROUP BY conversation_id) AS f
    WHERE f.conversation_id = c.id
      AND (c.referred, c.referral_completed) IS DISTINCT FROM (1, f.completed);
  RETURN NULL;
END
$$;
CREATE TRIGGER referrals_counted AFTER INSERT ON referral
  REFERENCING NEW TABLE AS changed_referrals
  FOR EACH STATEMENT EXECUTE FUNCTION referrals_counted();
CREATE TRIGGER referrals_recounted AFTER UPDATE ON referral
  REFERENCING NEW TABLE AS changed_referrals
  FOR EACH STATEMENT EXECUTE FUNCTION referrals_counted();

-- Answers added (factor 1) or taken away (-1), and the region of their conversations.
CREATE FUNCTION count_answers(answers registration_answer[], factor BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  WITH changed AS (
    SELECT a.region, insights_bucket(a.started_at) AS bucket, a.campaign, c.offline, a.field,
           a.value, factor * COUNT(*) AS n
    FROM unnest(answers) AS a JOIN conversation AS c ON c.id = a.conversation_id
    GROUP BY 1, 2, 3, 4, 5, 6
  ), by_region AS (
    INSERT INTO answer_count_by_region AS t (region, bucket, campaign, offline, field, value, n)
      SELECT region, bucket, campaign, offline, field, value, n FROM changed
      ON CONFLICT (region, bucket, campaign, offline, field, value) DO UPDATE SET
        n = t.n + excluded.n
  ), by_campaign AS (
    INSERT INTO answer_count_by_campaign AS t (campaign, bucket, offline, field, value, n)
      SELECT campaign, bucket, offline, field, value, SUM(n) FROM changed GROUP BY 1, 2, 3, 4, 5
      ON CONFLICT (campaign, bucket, offline, field, value) DO UPDATE SET n = t.n + excluded.n
  )
  INSERT INTO answer_count AS t (bucket, offline, field, value, n)
    SELECT bucket, offline, field, value, SUM(n) FROM changed GROUP BY 1, 2, 3, 4
    ON CONFLICT (bucket, offline, field, value) DO UPDATE SET n = t.n + excluded.n;
  UPDATE conversation AS c SET region = r.region
    FROM (SELECT d.conversation_id,
                 COALESCE((SELECT MIN(a.value COLLATE "C") FROM registration_answer AS a
                           WHERE a.conversation_id = d.conversation_id AND a.field = 'region'),
                          '') AS region
          FROM (SELECT DISTINCT conversation_id FROM unnest(answers)
                WHERE field = 'region') AS d) AS r
    WHERE r.conversation_id = c.id AND c.region <> r.region;
END
$$;
CREATE FUNCTION answers_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM count_answers(ARRAY(SELECT a::registration_answer FROM new_answers AS a), 1);
  RETURN NULL;
END
$$;
CREATE TRIGGER answers_added AFTER INSERT ON registration_answer
  REFERENCING NEW TABLE AS new_answers
  FOR EACH STATEMENT EXECUTE FUNCTION answers_added();
CREATE FUNCTION answers_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM count_answers(ARRAY(SELECT a::registration_answer FROM old_answers AS a), -1);
  RETURN NULL;
END
$$;
CREATE TRIGGER answers_removed AFTER DELETE ON registration_answer
  REFERENCING OLD TABLE AS old_answers
  FOR EACH STATEMENT EXECUTE FUNCTION answers_removed();
