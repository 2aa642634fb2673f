-- Grade filters without a shape (color=D,E&clarity=VS1) had no index to count from: the capped count of a search
-- (ADR 0020) read the whole organization's catalog with a sequential scan to find 10 001 matches (0.9-1.3 s at
-- 500 000 stones, ./bench.sh search). With the grades leading, the count is an index-only range scan, and the page
-- query of a sparse grade filter can use it too. diamonds_search_idx (org_id, shape, carats, color, clarity) keeps
-- serving the searches that name a shape.
CREATE INDEX IF NOT EXISTS diamonds_grades_idx ON diamonds (org_id, color, clarity, cut) WHERE status = 'active';
