package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/stancetrack/stancetrack/codebook"
	"github.com/stancetrack/stancetrack/store"
)

// cli is what every subcommand needs from the process.
type cli struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// newFlags returns a flag set that reports errors on stderr without exiting.
func (c *cli) newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("stancetrack "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	return fs
}

// dbFlag registers --db. Its default is resolved later by dbPath so that
// $STANCETRACK_DB is read through getenv (testable).
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "database file (default $STANCETRACK_DB, else stancetrack.db)")
}

// dbPath applies the contract: --db, else $STANCETRACK_DB, else stancetrack.db.
func (c *cli) dbPath(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := c.getenv("STANCETRACK_DB"); v != "" {
		return v
	}
	return "stancetrack.db"
}

// openStore opens the database, creating it if needed: for the commands
// that put data in (ingest, import, serve, user add).
func (c *cli) openStore(ctx context.Context, flagValue string) (*store.Store, error) {
	return store.Open(ctx, c.dbPath(flagValue))
}

// openExistingStore opens a database that must exist already: the commands
// that read or change stored data would otherwise leave a new empty file
// behind a mistyped --db and answer as if the record were empty.
func (c *cli) openExistingStore(ctx context.Context, flagValue string) (*store.Store, error) {
	path := c.dbPath(flagValue)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no database at %s: ingest documents first, or name the database with --db or $STANCETRACK_DB", path)
	}
	return store.Open(ctx, path)
}

// loadCodebook returns the embedded default codebook, or the one in path.
func loadCodebook(path string) (*codebook.Codebook, error) {
	if path == "" {
		return codebook.Default(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("codebook: %w", err)
	}
	defer f.Close()
	cb, err := codebook.Load(f)
	if err != nil {
		return nil, fmt.Errorf("codebook %s: %w", path, err)
	}
	return cb, nil
}

// parseInterleaved parses flags that may come before or after positional
// arguments ("ingest FILE --db X" as well as "ingest --db X FILE"), which
// the flag package alone does not allow.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if rest[0] == "--" {
			return append(positional, rest[1:]...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}
