-- 0004: what the review queue reads. A codebook purview tag says how sure
-- it is (strong cue or weak inference); a statement that names the Council
-- or another organ in a stance-bearing sentence without a purview tag is
-- flagged for review. Both are written by the tagger at ingest and retag.
ALTER TABLE tags ADD COLUMN confidence TEXT NOT NULL DEFAULT '';
ALTER TABLE statements ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0;
