-- 0001: documents, meetings, statements, tags, and a full-text index.
-- Shipped migrations are never edited; add a new numbered file instead.

-- One row per ingested document. The raw bytes are kept so that a better
-- parser can re-read them later; text is the normalised document that
-- statement offsets refer to.
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    symbol      TEXT NOT NULL UNIQUE,
    sha256      TEXT NOT NULL UNIQUE,
    filename    TEXT NOT NULL,
    format      TEXT NOT NULL,           -- text, html, verbatim
    raw         BLOB NOT NULL,
    text        TEXT NOT NULL,
    notes       TEXT NOT NULL DEFAULT '[]', -- JSON array of what ingest noticed
    ingested_at TEXT NOT NULL
);

CREATE TABLE meetings (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
    symbol         TEXT NOT NULL UNIQUE,
    body           TEXT NOT NULL,
    numbers        TEXT NOT NULL DEFAULT '[]', -- JSON array of meeting numbers
    meeting_number INTEGER,                    -- first of numbers, for sorting and filtering
    session        TEXT NOT NULL DEFAULT '',
    date           TEXT,                       -- YYYY-MM-DD or NULL
    year           INTEGER,
    year_inferred  INTEGER NOT NULL DEFAULT 0,
    headline       TEXT NOT NULL DEFAULT '',
    subheadline    TEXT NOT NULL DEFAULT '',
    start_time     TEXT NOT NULL DEFAULT '',
    end_time       TEXT NOT NULL DEFAULT '',
    summary        TEXT NOT NULL DEFAULT '',
    participants   TEXT NOT NULL DEFAULT '[]', -- JSON array
    topic          TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL DEFAULT 'press_release'
);
CREATE INDEX meetings_date_idx ON meetings(date);
CREATE INDEX meetings_body_idx ON meetings(body);

CREATE TABLE statements (
    id             INTEGER PRIMARY KEY,
    meeting_id     INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    section        TEXT NOT NULL DEFAULT '',
    speaker        TEXT NOT NULL DEFAULT '',
    title          TEXT NOT NULL DEFAULT '',
    delegation_raw TEXT NOT NULL DEFAULT '',
    delegation     TEXT NOT NULL DEFAULT '',
    iso3           TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL DEFAULT 'other',
    council_member INTEGER,                    -- 1, 0, or NULL when unknown
    on_behalf_of   TEXT NOT NULL DEFAULT '[]', -- JSON array of canonical names
    aligns_with    TEXT NOT NULL DEFAULT '[]', -- JSON array of canonical names
    duplicate_of   INTEGER,                    -- seq of the first copy
    text           TEXT NOT NULL,
    start_offset   INTEGER NOT NULL,
    end_offset     INTEGER NOT NULL,
    -- purview is derived from tags (model.Derive) and cached here so that
    -- charts can group by it without re-deriving per request.
    purview        TEXT NOT NULL DEFAULT 'unstated',
    UNIQUE (meeting_id, seq)
);
CREATE INDEX statements_delegation_idx ON statements(delegation);
-- Covering index for the dashboard's per-delegation purview counts: the
-- aggregate reads the index alone (500 meetings: ~65 ms -> ~25 ms).
CREATE INDEX statements_dashboard_idx
    ON statements(delegation, duplicate_of, purview, iso3, kind, council_member, meeting_id);
CREATE INDEX statements_purview_idx ON statements(purview);

-- Blocs a statement's delegation belonged to at the meeting's date (P5, E10,
-- EU, NAM, regional groups, ...). Computed at ingest from the registry because
-- membership changes by year; filters and the blocs chart read it.
CREATE TABLE statement_blocs (
    statement_id INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    bloc         TEXT NOT NULL,
    PRIMARY KEY (statement_id, bloc)
) WITHOUT ROWID;
CREATE INDEX statement_blocs_bloc_idx ON statement_blocs(bloc);

CREATE TABLE tags (
    id               INTEGER PRIMARY KEY,
    statement_id     INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    dimension        TEXT NOT NULL CHECK (dimension IN ('purview', 'frame', 'instrument')),
    value            TEXT NOT NULL,
    evidence         TEXT NOT NULL,
    start_offset     INTEGER NOT NULL,
    end_offset       INTEGER NOT NULL,
    rule             TEXT NOT NULL DEFAULT '',
    source           TEXT NOT NULL CHECK (source IN ('codebook', 'analyst')),
    codebook_version TEXT NOT NULL DEFAULT '',
    author           TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL
);
CREATE INDEX tags_statement_id_idx ON tags(statement_id);
CREATE INDEX tags_dimension_value_idx ON tags(dimension, value);
-- Frames and instruments per delegation walk tags by dimension, then join
-- statements; value is included so the join needs no table lookup.
CREATE INDEX tags_dimension_statement_idx ON tags(dimension, statement_id, value);

-- Analyst tags whose statement vanished when a corrected document replaced
-- the old one and no new statement could take them. Kept, never dropped.
CREATE TABLE orphan_tags (
    id               INTEGER PRIMARY KEY,
    meeting_symbol   TEXT NOT NULL,
    seq              INTEGER NOT NULL,
    speaker          TEXT NOT NULL,
    delegation       TEXT NOT NULL,
    dimension        TEXT NOT NULL,
    value            TEXT NOT NULL,
    evidence         TEXT NOT NULL,
    rule             TEXT NOT NULL,
    author           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    orphaned_at      TEXT NOT NULL
);

-- Full-text index over statement text. The store fills and clears it with
-- one INSERT ... SELECT per document instead of per-row triggers: FTS5
-- flushes its pending segment at every statement savepoint, so a trigger per
-- statement row made ingest ten times slower.
CREATE VIRTUAL TABLE statements_fts USING fts5(
    text, speaker, delegation,
    content = 'statements', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
