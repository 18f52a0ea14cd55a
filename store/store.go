// Package store keeps meetings, statements and tags in SQLite
// (modernc.org/sqlite). Each document is written in one transaction, so a
// refused file or a crash leaves the database as it was. The schema comes
// from embedded, append-only migrations.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// ErrNotFound is returned when a requested row does not exist.
var ErrNotFound = errors.New("store: not found")

// Store is the database handle. It is safe for concurrent use.
type Store struct {
	db       *sql.DB
	readOnly bool // OpenReadOnly: nothing is written, not even a token's last use
}

// DSN builds the connection string. Pragmas go in the DSN so that every
// pooled connection applies them, not only the first one.
func DSN(file string) string { return dsn(file, Options{}) }

// Options tune Open.
type Options struct {
	// BusyTimeout is how long a statement waits for another connection's
	// lock before it fails as busy; 0 means 10 s.
	BusyTimeout time.Duration
}

func dsn(file string, o Options) string {
	busy := o.BusyTimeout
	if busy <= 0 {
		busy = 10 * time.Second
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	return "file:" + file + "?" + q.Encode()
}

// ErrSchemaTooNew is returned when a database was written by a newer
// stancetrack than this one: its tables may mean what this binary does not
// know, so it is neither read nor written.
var ErrSchemaTooNew = errors.New("store: the database is newer than this stancetrack")

// Open opens (creating if needed) the database file and applies pending
// migrations. A new file is created 0600 (it holds user names and token
// hashes); SQLite gives its -wal and -shm the file's mode.
func Open(ctx context.Context, file string) (*Store, error) {
	return OpenWith(ctx, file, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, file string, o Options) (*Store, error) {
	if err := createPrivate(file); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", file, err)
	}
	// Before the DSN's pragmas switch the file to WAL: a newer schema is
	// refused unchanged.
	if err := checkNotNewer(ctx, file); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(file, o))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", file, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", file, err)
	}
	s := &Store{db: db}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// checkNotNewer refuses a database whose schema is newer than this binary,
// reading it without changing it.
func checkNotNewer(ctx context.Context, file string) error {
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("store: open %s: %w", file, err)
	}
	defer db.Close()
	var version int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return nil // not readable yet (empty, or not a database): Open says why
	}
	if latest := LatestSchema(); version > latest {
		return fmt.Errorf("%w: %s has schema version %d, this stancetrack knows up to %d; use a newer stancetrack",
			ErrSchemaTooNew, file, version, latest)
	}
	return nil
}

// createPrivate creates an empty file readable by its owner only, unless
// it exists. An empty file is a new SQLite database.
func createPrivate(file string) error {
	f, err := os.OpenFile(file, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// OpenReadOnly opens an existing database for reading only: the file is
// opened read-only (immutable when not even a -shm can be made, as on a
// read-only volume), its journal mode is left as it is, no migration runs,
// and every write fails. Its schema must be this binary's: an older one
// needs a read-write open first to migrate it.
func OpenReadOnly(ctx context.Context, file string) (*Store, error) {
	if _, err := os.Stat(file); err != nil {
		return nil, fmt.Errorf("store: open %s read-only: %w", file, err)
	}
	var last error
	for _, mode := range []string{"mode=ro", "immutable=1"} {
		db, err := sql.Open("sqlite", "file:"+file+"?"+mode+"&_pragma=busy_timeout(10000)&_pragma=query_only(1)")
		if err != nil {
			return nil, fmt.Errorf("store: open %s read-only: %w", file, err)
		}
		s := &Store{db: db, readOnly: true}
		var version int
		if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
			db.Close()
			last = err
			continue
		}
		// Reading one table proves the file readable: a WAL database whose
		// -shm cannot be created fails here, and is then read immutable.
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema`).Scan(&n); err != nil {
			db.Close()
			last = err
			continue
		}
		latest := LatestSchema()
		switch {
		case version > latest:
			db.Close()
			return nil, fmt.Errorf("%w: %s has schema version %d, this stancetrack knows up to %d; use a newer stancetrack",
				ErrSchemaTooNew, file, version, latest)
		case version < latest:
			db.Close()
			return nil, fmt.Errorf("store: %s has schema version %d and this stancetrack %d; open it once without --read-only to migrate it",
				file, version, latest)
		}
		return s, nil
	}
	return nil, fmt.Errorf("store: open %s read-only: %w", file, last)
}

// ReadOnly reports whether the store was opened by OpenReadOnly.
func (s *Store) ReadOnly() bool { return s.readOnly }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB exposes the handle for tests and for the backup command.
func (s *Store) DB() *sql.DB { return s.db }

// migrate applies every embedded migration newer than PRAGMA user_version,
// each in its own transaction together with the version bump.
func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("store: list migrations: %w", err)
	}
	sort.Strings(names)
	var current int
	if err := s.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&current); err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	if latest := LatestSchema(); current > latest {
		return fmt.Errorf("%w: its schema version is %d, this stancetrack knows up to %d; use a newer stancetrack",
			ErrSchemaTooNew, current, latest)
	}
	for _, name := range names {
		n, err := strconv.Atoi(strings.SplitN(path.Base(name), "_", 2)[0])
		if err != nil {
			return fmt.Errorf("store: migration %s: name must start with a number: %w", name, err)
		}
		if n <= current {
			continue
		}
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return fmt.Errorf("store: migration %s: %w", name, err)
		}
		if err := s.applyMigration(ctx, n, string(body)); err != nil {
			return fmt.Errorf("store: migration %s: %w", name, err)
		}
		current = n
	}
	return nil
}

func (s *Store) applyMigration(ctx context.Context, version int, body string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return err
	}
	// PRAGMA takes no placeholders; version is an integer we parsed ourselves.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version)); err != nil {
		return err
	}
	return tx.Commit()
}
