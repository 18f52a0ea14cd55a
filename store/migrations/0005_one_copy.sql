-- 0005: one copy of each text (issue 13). The database was 5 times the
-- text it holds: each release stored raw and again as text, each
-- statement's text, each tag's evidence sentence again, and two FTS5
-- indexes.

-- Raw documents are stored compressed (raw_encoding 'deflate'; '' is the
-- bytes as read, as in rows written before this migration). The normalised
-- text is not stored again: nothing reads it, and the parser that made it
-- derives it from the raw bytes. (Space is reused by later writes; VACUUM
-- gives it back to the file system.)
ALTER TABLE documents ADD COLUMN raw_encoding TEXT NOT NULL DEFAULT '';
UPDATE documents SET text = '';

-- A codebook tag's evidence is the statement's text at its offsets, which
-- the store checks at every insert; it is stored as '' and read back as
-- text[start_offset:end_offset] (bytes). Analyst tags keep what the analyst
-- wrote, as orphan_tags do.
UPDATE tags SET evidence = ''
WHERE source = 'codebook' AND evidence = (
    SELECT CAST(substr(CAST(s.text AS BLOB), tags.start_offset + 1, tags.end_offset - tags.start_offset) AS TEXT)
    FROM statements s WHERE s.id = tags.statement_id);

-- The second full-text index held the duplicate copies only, so that the
-- number of non-duplicate matches was two index counts. The matches among
-- the few duplicates are counted through this partial index instead.
DROP TABLE statements_dup_fts;
CREATE INDEX statements_duplicate_idx ON statements(id) WHERE duplicate_of IS NOT NULL;
