-- 0001: documents, meetings, statements, tags, and a full-text index.
-- Shipped migrations are never edited; add a new numbered file instead.

-- One row per ingested document. The raw bytes are kept so that a better
-- parser can re-read them later; text is the normalised document that
-- statement offsets refer to. raw and text come last: SQLite reads a row's
-- columns in order, and the meeting list would otherwise walk every
-- document's overflow pages to reach notes and ingested_at.
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    symbol      TEXT NOT NULL UNIQUE,
    sha256      TEXT NOT NULL UNIQUE,
    filename    TEXT NOT NULL,
    format      TEXT NOT NULL,           -- text, html, verbatim
    notes       TEXT NOT NULL DEFAULT '[]', -- JSON array of what ingest noticed
    ingested_at TEXT NOT NULL,
    raw         BLOB NOT NULL,
    text        TEXT NOT NULL
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
    topic          TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL DEFAULT 'press_release',
    -- Long texts last (a summary is often several KB of overflow pages),
    -- so listings that skip them do not read them.
    summary        TEXT NOT NULL DEFAULT '',
    participants   TEXT NOT NULL DEFAULT '[]' -- JSON array
);
CREATE INDEX meetings_date_idx ON meetings(date);
CREATE INDEX meetings_body_idx ON meetings(body);
-- The time order of meetings (statements.go meetingOrder), so that a page of
-- statements walks meetings in order and stops after the page instead of
-- sorting every match. Exports of the whole record walk it too, and name it
-- (INDEXED BY meetings_order_idx): renaming it breaks them.
CREATE INDEX meetings_order_idx
    ON meetings(COALESCE(date, year || '-12-31', '9999'), meeting_number, symbol);

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
-- membership changes by year; filters and the blocs chart read it. The
-- statement's meeting, delegation, kind, Council seat and purview are copied
-- here (kept in step by the store in every write transaction) so that bloc
-- aggregates read one covering index instead of joining statements per row.
-- council: 1, 0, or -1 when unknown; purview: 0 unstated, 1 affirms,
-- 2 conditional, 3 contests (the codebook's precedence).
CREATE TABLE statement_blocs (
    statement_id INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    bloc         TEXT NOT NULL,
    meeting_id   INTEGER NOT NULL,
    delegation   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    council      INTEGER NOT NULL,
    purview      INTEGER NOT NULL,
    duplicate    INTEGER NOT NULL,            -- 1 for a flagged second copy of a turn
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
-- statement_id makes the frame and instrument filters' statement lists
-- index-only.
CREATE INDEX tags_dimension_value_idx ON tags(dimension, value, statement_id);
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
-- The same index over the flagged duplicate copies only (a few per cent of
-- statements), so the exact number of non-duplicate matches is two index
-- counts, without reading every match.
CREATE VIRTUAL TABLE statements_dup_fts USING fts5(
    text, speaker, delegation,
    content = 'statements', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Derived tables for the dashboard. Base rows (statements, tags,
-- statement_blocs) stay the truth; these are maintained by the store in the
-- same transaction as every write to them (AddDocument, Retag,
-- AddAnalystTag), and rollup_test.go checks them against a recomputation.
-- Duplicate copies of a turn are left out: charts never count them.

-- One row per distinct (statement, frame or instrument), with the columns
-- the aggregates group and filter by: a statement citing an instrument twice
-- counts once, and frames by delegation read the table alone. The key leads
-- with the meeting, so a meeting's rows are one range (rollups, charts
-- filtered to meetings) and a statement's are found from its row; no
-- secondary index keeps ingest cheap.
CREATE TABLE statement_values (
    meeting_id   INTEGER NOT NULL,
    statement_id INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    dimension    TEXT NOT NULL,               -- frame or instrument
    value        TEXT NOT NULL,
    delegation   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    council      INTEGER NOT NULL,            -- as in statement_blocs
    purview      INTEGER NOT NULL,            -- as in statement_blocs
    PRIMARY KEY (meeting_id, statement_id, dimension, value)
) WITHOUT ROWID;

-- Per meeting, the purview cells of its statements: what the meeting added
-- to rollup_purview (so a replace or a correction subtracts exactly that),
-- and the statement-grain source for charts filtered to some meetings.
CREATE TABLE meeting_purview (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    delegation TEXT NOT NULL,
    iso3       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    council    INTEGER NOT NULL,
    purview    INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, delegation, iso3, kind, council, purview)
) WITHOUT ROWID;
CREATE INDEX meeting_purview_delegation_idx ON meeting_purview(delegation, meeting_id, purview, n);

-- Rollups: counts of non-duplicate statements per cell, per bucket of
-- meetings (body, year, and whether the meeting has a printed date). The
-- unfiltered dashboard and filters on body and whole years read a few
-- hundred rollup rows; filters that cut a year read the statement-grain
-- tables above for the meetings of the partial years only.
CREATE TABLE rollup_purview (
    body       TEXT NOT NULL,
    year       INTEGER NOT NULL,
    dated      INTEGER NOT NULL,
    delegation TEXT NOT NULL,
    iso3       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    council    INTEGER NOT NULL,
    purview    INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (body, year, dated, delegation, iso3, kind, council, purview)
) WITHOUT ROWID;

CREATE TABLE rollup_values (
    body       TEXT NOT NULL,
    year       INTEGER NOT NULL,
    dated      INTEGER NOT NULL,
    dimension  TEXT NOT NULL,
    value      TEXT NOT NULL,
    delegation TEXT NOT NULL,
    kind       TEXT NOT NULL,
    council    INTEGER NOT NULL,
    purview    INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (dimension, body, year, dated, value, delegation, kind, council, purview)
) WITHOUT ROWID;

-- No delegation column: blocs filtered by delegation are few statements,
-- read exactly; without it a meeting adds a few dozen cells, not hundreds.
CREATE TABLE rollup_blocs (
    body       TEXT NOT NULL,
    year       INTEGER NOT NULL,
    dated      INTEGER NOT NULL,
    bloc       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    council    INTEGER NOT NULL,
    purview    INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (body, year, dated, bloc, kind, council, purview)
) WITHOUT ROWID;

-- Per meeting: the timeline, chart sources, overview and meeting list.
CREATE TABLE rollup_meetings (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    council    INTEGER NOT NULL,
    purview    INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, kind, council, purview)
) WITHOUT ROWID;

-- The data generation: every write transaction adds one, so the server can
-- key cached answers by it and never serve one computed before a write.
CREATE TABLE generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO generation (id, n) VALUES (1, 0);
