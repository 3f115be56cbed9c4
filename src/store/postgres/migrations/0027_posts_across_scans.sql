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
