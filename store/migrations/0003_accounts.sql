-- 0003: analysts' accounts. Reading stays open; writing through the API
-- needs a bearer token of an editor or admin (a viewer's token reads only).

-- AUTOINCREMENT: an id is never used twice, so a token left behind by a
-- user deleted without the cascade (the sqlite3 shell has foreign keys off)
-- can never authenticate as a later account.
CREATE TABLE users (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,  -- recorded as the author of analyst tags
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    created_at TEXT NOT NULL
);

-- Only the SHA-256 of a token is kept: a copy of the database (a backup)
-- gives nobody a working token. Tokens are looked up by hash, so the
-- comparison needs no constant-time care.
CREATE TABLE tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hash         TEXT NOT NULL UNIQUE, -- lowercase hex SHA-256 of the whole token
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);
CREATE INDEX tokens_user_id_idx ON tokens(user_id);
