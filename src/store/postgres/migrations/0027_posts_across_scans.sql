-- A post is one post in every scan that flags it (store/outreach_store.hpp): a later export of a
-- channel holds its earlier posts again. Each finding gets its post's key; a verdict on a post
-- shows on each of its findings; week counts count each post once, so they are kept per
-- finding instead of summed per scan.
--
-- Findings stored before this have a message id, or count as posts of their own: the key of a
-- post without a message id is a fingerprint that SQL cannot compute.
ALTER TABLE finding ADD COLUMN post TEXT NOT NULL DEFAULT '';
UPDATE finding SET post = CASE WHEN message_id <> 0 THEN 'm' || message_id || E'\n' || channel
                               ELSE 'f' || id END;
CREATE INDEX finding_by_post ON finding (post);

-- Every finding of a post takes the post's latest verdict (the newest finding's on a tie).
INSERT INTO finding_verdict (finding_id, verdict, account_id, at)
SELECT f.id, v.verdict, v.account_id, v.at
FROM finding AS f JOIN finding AS g ON g.post = f.post AND g.id <> f.id
JOIN finding_verdict AS v ON v.finding_id = g.id
WHERE NOT EXISTS (SELECT 1 FROM finding AS h JOIN finding_verdict AS w ON w.finding_id = h.id
                  WHERE h.post = f.post AND (w.at > v.at OR (w.at = v.at AND h.id > g.id)))
ON CONFLICT (finding_id) DO UPDATE SET verdict = excluded.verdict,
                                       account_id = excluded.account_id, at = excluded.at;

CREATE TABLE finding_week (
  finding_id BIGINT NOT NULL REFERENCES finding (id) ON DELETE CASCADE,
  week       TEXT   NOT NULL,
  category   TEXT   NOT NULL,
  PRIMARY KEY (finding_id, category)
);
CREATE INDEX finding_week_by_week ON finding_week (week);

-- The ISO week of each dated finding, once per category; categories are one per line.
INSERT INTO finding_week (finding_id, week, category)
SELECT DISTINCT f.id, to_char(to_timestamp(f.date_unix) AT TIME ZONE 'UTC', 'IYYY-"W"IW'), c
FROM finding AS f, unnest(string_to_array(f.categories, E'\n')) AS c
WHERE f.date_unix <> 0 AND c <> ''
  AND CASE WHEN f.date_unix BETWEEN -30610224000 AND 253402300799
           THEN EXTRACT(isoyear FROM to_timestamp(f.date_unix) AT TIME ZONE 'UTC')
                BETWEEN 1000 AND 9999
           ELSE false END;

DROP TABLE scan_week_count;
