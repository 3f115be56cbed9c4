-- A post is one post in every scan that flags it (store/outreach_store.hpp): a later export of a
-- channel holds its earlier posts again. Each finding gets its post's key; a verdict on a post
-- shows on each of its findings; week counts count each post once, so they are kept per
-- finding instead of summed per scan.
--
-- A post's key holds a fingerprint of its text, which SQL cannot compute: findings stored
-- before this count as posts of their own, as they did.
ALTER TABLE finding ADD COLUMN post TEXT NOT NULL DEFAULT '';
UPDATE finding SET post = 'f' || id;
CREATE INDEX finding_by_post ON finding (post);

CREATE TABLE finding_week (
  finding_id BIGINT NOT NULL REFERENCES finding (id) ON DELETE CASCADE,
  week       TEXT   NOT NULL,
  category   TEXT   NOT NULL,
  PRIMARY KEY (finding_id, category)
);
CREATE INDEX finding_week_by_week ON finding_week (week);

-- The ISO week of each dated finding (that of its Thursday), once per category; categories are
-- one per line.
WITH RECURSIVE
  dated (finding_id, thursday, rest) AS (
    SELECT id, julianday(date_unix, 'unixepoch', 'start of day')
                 - (CAST(strftime('%w', date_unix, 'unixepoch') AS INTEGER) + 6) % 7 + 3,
           categories || char(10)
    FROM finding WHERE date_unix <> 0 AND date_unix BETWEEN -30610224000 AND 253402300799),
  split (finding_id, thursday, category, rest) AS (
    SELECT finding_id, thursday, NULL, rest FROM dated
    UNION ALL
    SELECT finding_id, thursday, substr(rest, 1, instr(rest, char(10)) - 1),
           substr(rest, instr(rest, char(10)) + 1)
    FROM split WHERE rest <> '')
INSERT OR IGNORE INTO finding_week (finding_id, week, category)
SELECT finding_id,
       strftime('%Y', thursday) || '-W'
         || printf('%02d', (CAST(strftime('%j', thursday) AS INTEGER) - 1) / 7 + 1),
       category
FROM split
WHERE category IS NOT NULL AND category <> ''
  AND CAST(strftime('%Y', thursday) AS INTEGER) BETWEEN 1000 AND 9999;

DROP TABLE scan_week_count;
