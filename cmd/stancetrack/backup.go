package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/stancetrack/stancetrack/store"
)

// backup writes a consistent copy of the database (VACUUM INTO, safe while
// a server runs). The copy is made beside -o and renamed into place, so a
// failed backup never leaves a half-written file under the name.
func (c *cli) backup(ctx context.Context, args []string) error {
	fset := c.newFlags("backup")
	db := dbFlag(fset)
	out := fset.String("o", "", "the backup file to write")
	force := fset.Bool("force", false, "replace the -o file if it exists")
	rest, err := parseInterleaved(fset, args)
	if err != nil {
		return exitError{2}
	}
	if *out == "" || len(rest) != 0 {
		fmt.Fprintln(c.stderr, "usage: stancetrack backup -o FILE [--force] [--db FILE]")
		return exitError{2}
	}
	src := c.dbPath(*db)
	srcInfo, err := os.Stat(src)
	if err != nil {
		fmt.Fprintf(c.stderr, "stancetrack backup: no database at %s\n", src)
		return exitError{1}
	}
	if outInfo, err := os.Stat(*out); err == nil {
		if outInfo.IsDir() {
			fmt.Fprintf(c.stderr, "stancetrack backup: %s is a folder; -o names the backup file\n", *out)
			return exitError{1}
		}
		if os.SameFile(srcInfo, outInfo) {
			fmt.Fprintf(c.stderr, "stancetrack backup: %s is the database itself\n", *out)
			return exitError{1}
		}
		if !*force {
			fmt.Fprintf(c.stderr, "stancetrack backup: %s exists; use --force to replace it\n", *out)
			return exitError{1}
		}
	}
	st, err := store.Open(ctx, src)
	if err != nil {
		return err
	}
	defer st.Close()

	tmpDir, err := os.MkdirTemp(filepath.Dir(*out), ".stancetrack-backup-")
	if err != nil {
		fmt.Fprintf(c.stderr, "stancetrack backup: cannot write in %s: %v\n", filepath.Dir(*out), pathErr(err))
		return exitError{1}
	}
	defer os.RemoveAll(tmpDir)
	tmp := filepath.Join(tmpDir, "backup.db")
	if err := st.Backup(ctx, tmp); err != nil {
		return err
	}
	info, err := store.CheckBackup(ctx, tmp)
	if err != nil {
		return fmt.Errorf("backup: the copy does not check: %w", err)
	}
	// VACUUM INTO does not sync its output.
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if *force {
		err = os.Rename(tmp, *out)
	} else {
		// A link fails if -o appeared meanwhile: never clobber without --force.
		err = os.Link(tmp, *out)
	}
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			fmt.Fprintf(c.stderr, "stancetrack backup: %s exists; use --force to replace it\n", *out)
			return exitError{1}
		}
		return fmt.Errorf("backup: %w", err)
	}
	syncDir(filepath.Dir(*out))
	size := int64(0)
	if fi, err := os.Stat(*out); err == nil {
		size = fi.Size()
	}
	fmt.Fprintf(c.stdout, "backup of %s written to %s: %d meetings, %d statements, schema %d, %.1f MiB\n",
		src, *out, info.Meetings, info.Statements, info.Schema, float64(size)/(1<<20))
	return nil
}

// restore replaces the database with a backup. The backup is copied beside
// the database and checked there (SQLite, stancetrack's tables, a schema
// this binary knows, integrity) before the database is touched; only then
// is it renamed over the database. A refused file leaves the database as it
// was.
func (c *cli) restore(ctx context.Context, args []string) error {
	fset := c.newFlags("restore")
	db := dbFlag(fset)
	rest, err := parseInterleaved(fset, args)
	if err != nil {
		return exitError{2}
	}
	if len(rest) != 1 {
		fmt.Fprintln(c.stderr, "usage: stancetrack restore FILE [--db FILE]")
		return exitError{2}
	}
	src, target := rest[0], c.dbPath(*db)
	refuse := func(format string, a ...any) error {
		fmt.Fprintf(c.stderr, "stancetrack restore: refused, the database is unchanged: "+format+"\n", a...)
		return exitError{1}
	}
	srcInfo, err := os.Stat(src)
	if err != nil {
		return refuse("%s: %v", src, errors.Unwrap(err))
	}
	// Links are followed: a live database's -wal lies beside the file a
	// link names, and a database reached through a link (on a data volume)
	// is replaced where it lives, not by a file in place of the link.
	if p, err := filepath.EvalSymlinks(src); err == nil {
		src = p
	}
	if p, err := filepath.EvalSymlinks(target); err == nil {
		target = p
	}
	if !srcInfo.Mode().IsRegular() {
		return refuse("%s is not a file", src)
	}
	if targetInfo, err := os.Stat(target); err == nil && os.SameFile(srcInfo, targetInfo) {
		return refuse("%s is the database itself", src)
	}
	// A -wal beside the file holds commits the file lacks: that is a live
	// database, not a backup.
	if fi, err := os.Stat(src + "-wal"); err == nil && fi.Size() > 0 {
		return refuse("%s has a write-ahead log beside it (%s-wal), so it is a live database; make a backup of it with stancetrack backup", src, src)
	}

	tmp, err := copyBeside(src, target)
	if err != nil {
		return refuse("cannot copy %s into %s: %v", src, filepath.Dir(target), pathErr(err))
	}
	defer func() {
		for _, f := range []string{tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal"} {
			os.Remove(f)
		}
	}()
	info, err := store.CheckBackup(ctx, tmp)
	if errors.Is(err, store.ErrNotBackup) {
		return refuse("%s: %v", src, err)
	}
	if err != nil {
		return err
	}

	// The copy is migrated and checked again before it replaces anything:
	// a backup that does not migrate to this binary's schema is refused
	// while the database is still as it was.
	migrated, err := store.Open(ctx, tmp)
	if err != nil {
		return refuse("%s does not migrate to this stancetrack's schema %d: %v", src, store.LatestSchema(), err)
	}
	if err := migrated.Close(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if _, err := store.CheckBackup(ctx, tmp); err != nil {
		return refuse("%s after migrating: %v", src, err)
	}

	if err := store.PrepareReplace(ctx, target); errors.Is(err, store.ErrInUse) {
		return refuse("%s: %v", target, err)
	} else if err != nil {
		return err
	}
	// The old database's -wal and -shm belong to the old file; SQLite
	// would replay a -wal onto the new one.
	for _, f := range []string{target + "-wal", target + "-shm"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	syncDir(filepath.Dir(target))

	// The copy was migrated already; opening proves the swapped file opens.
	st, err := store.Open(ctx, target)
	if err != nil {
		return fmt.Errorf("restore: %s was restored but does not open: %w", target, err)
	}
	st.Close()
	fmt.Fprintf(c.stdout, "restored %s into %s: %d meetings, %d statements, schema %d (now %d)\n",
		src, target, info.Meetings, info.Statements, info.Schema, store.LatestSchema())
	return nil
}

// pathErr drops the operation and the temporary file's name from a
// *fs.PathError: the caller names the place.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// copyBeside copies src to a new temporary file in target's folder (so
// that the final rename stays on one file system) and syncs it.
func copyBeside(src, target string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".restore-*")
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(out.Name())
		return "", err
	}
	// The restored file keeps the permissions of the one it replaces, else
	// 0600: it holds user names and token hashes.
	mode := fs.FileMode(0o600)
	if fi, err := os.Stat(target); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := out.Chmod(mode); err != nil {
		out.Close()
		os.Remove(out.Name())
		return "", err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(out.Name())
		return "", err
	}
	if err := out.Close(); err != nil {
		os.Remove(out.Name())
		return "", err
	}
	return out.Name(), nil
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename durable; not every platform can sync a folder, and
// the rename has happened either way, so errors are ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
