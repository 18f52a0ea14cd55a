package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
)

// Backup writes a consistent copy of the database to file with VACUUM
// INTO: one read transaction, so writers (a running server) may go on
// meanwhile, and the copy is compact. file must not exist.
func (s *Store) Backup(ctx context.Context, file string) error {
	// VACUUM INTO takes an empty file: created 0600 first, the copy of
	// user names and token hashes is its owner's only.
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("store: backup to %s: %w", file, err)
	}
	f.Close()
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, file); err != nil {
		os.Remove(file)
		return fmt.Errorf("store: backup to %s: %w", file, err)
	}
	return nil
}

// LatestSchema is the number of the newest migration this binary knows.
func LatestSchema() int {
	names, _ := fs.Glob(migrationFS, "migrations/*.sql")
	latest := 0
	for _, name := range names {
		if n, err := strconv.Atoi(strings.SplitN(path.Base(name), "_", 2)[0]); err == nil && n > latest {
			latest = n
		}
	}
	return latest
}

// BackupInfo describes a database file that CheckBackup accepted.
type BackupInfo struct {
	Schema     int // PRAGMA user_version
	Meetings   int
	Statements int
}

// ErrNotBackup is returned by CheckBackup for a file that must not be
// restored; the message says why in one line, without the file's name
// (callers check a copy, and name the original).
var ErrNotBackup = errors.New("not a stancetrack backup")

// sqliteMagic opens every SQLite 3 database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// requiredTables are tables every stancetrack schema has; a SQLite file
// without them is some other program's database.
var requiredTables = []string{"documents", "meetings", "statements", "tags", "generation"}

// CheckBackup verifies that file is a whole, intact stancetrack database
// that this binary can open (its schema no newer than LatestSchema). It
// only reads the file; SQLite may create and remove -wal/-shm files beside
// it, so callers check a copy they own.
func CheckBackup(ctx context.Context, file string) (BackupInfo, error) {
	var info BackupInfo
	f, err := os.Open(file)
	if err != nil {
		return info, fmt.Errorf("%w: %w", ErrNotBackup, errors.Unwrap(err))
	}
	head := make([]byte, len(sqliteMagic))
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || !bytes.Equal(head, sqliteMagic) {
		return info, fmt.Errorf("%w: not a SQLite database", ErrNotBackup)
	}
	// No WAL pragma: checking must not change the file's journal mode.
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return info, fmt.Errorf("store: check backup: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	var check string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check(1)`).Scan(&check); err != nil {
		return info, fmt.Errorf("%w: cannot be read as SQLite: %w", ErrNotBackup, err)
	}
	if check != "ok" {
		return info, fmt.Errorf("%w: fails the integrity check: %s", ErrNotBackup, strings.Join(strings.Fields(check), " "))
	}
	for _, table := range requiredTables {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`,
			table).Scan(&n); err != nil {
			return info, fmt.Errorf("store: check backup: %w", err)
		}
		if n == 0 {
			return info, fmt.Errorf("%w: a SQLite database without stancetrack's tables (no %s)", ErrNotBackup, table)
		}
	}
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&info.Schema); err != nil {
		return info, fmt.Errorf("store: check backup: %w", err)
	}
	if info.Schema < 1 {
		return info, fmt.Errorf("%w: stancetrack's tables but no schema version", ErrNotBackup)
	}
	if latest := LatestSchema(); info.Schema > latest {
		return info, fmt.Errorf("%w: schema version %d is newer than this stancetrack's %d; restore it with a newer stancetrack",
			ErrNotBackup, info.Schema, latest)
	}
	if err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM meetings), (SELECT count(*) FROM statements)`).
		Scan(&info.Meetings, &info.Statements); err != nil {
		return info, fmt.Errorf("store: check backup: %w", err)
	}
	return info, nil
}

// ErrInUse is returned by PrepareReplace when another connection (a running
// server) has the database open.
var ErrInUse = errors.New("the database is in use (is stancetrack serve running on it?); stop it first")

// PrepareReplace readies an existing database file to be replaced by a
// rename: it refuses when another process has it open, and folds the
// write-ahead log into the file, so that no stale -wal is left that SQLite
// would replay onto the new file. A file that is not a readable database
// (what a restore often repairs) is no obstacle; a missing one neither.
func PrepareReplace(ctx context.Context, file string) error {
	if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	// EXCLUSIVE locking mode keeps the lock and bypasses the shared
	// memory, so the transaction below fails at once if anyone else holds
	// the file open, even idle.
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(2000)&_pragma=locking_mode(EXCLUSIVE)")
	if err != nil {
		return fmt.Errorf("store: open %s: %w", file, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil // unreadable: nothing to protect
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN EXCLUSIVE`); err != nil {
		if isBusy(err) {
			return ErrInUse
		}
		return nil
	}
	if _, err := conn.ExecContext(ctx, `COMMIT`); err != nil {
		return fmt.Errorf("store: %s: %w", file, err)
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil && isBusy(err) {
		return ErrInUse
	}
	return nil
}

// IsBusy tells SQLITE_BUSY and SQLITE_LOCKED (another connection held a
// lock past the busy timeout) from other failures: the write may be tried
// again.
func IsBusy(err error) bool { return isBusy(err) }

func isBusy(err error) bool {
	var se interface{ Code() int }
	if errors.As(err, &se) {
		code := se.Code() & 0xff
		return code == 5 || code == 6
	}
	return false
}
