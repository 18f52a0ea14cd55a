package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stancetrack/stancetrack/model"
	"github.com/stancetrack/stancetrack/store"
)

// TestBackupWhileWriting: a backup taken while a writer adds and deletes
// analyst tags is whole and consistent.
func TestBackupWhileWriting(t *testing.T) {
	dir := t.TempDir()
	db := analystDB(t, dir)
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	id, err := st.StatementID(ctx, "SC/12751", 5)
	if err != nil {
		t.Fatal(err)
	}
	row, err := st.Statement(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var writes atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stop.Load() {
			tid, err := st.AddAnalystTag(ctx, id, model.Tag{Dimension: model.DimPurview, Value: model.PurviewAffirms,
				Evidence: row.Text[:10], Author: "ana"})
			if err != nil {
				t.Errorf("writer: %v", err)
				return
			}
			if err := st.DeleteAnalystTag(ctx, tid); err != nil {
				t.Errorf("writer: %v", err)
				return
			}
			writes.Add(1)
		}
	}()
	for i := range 3 {
		out := filepath.Join(dir, fmt.Sprintf("b%d.db", i))
		if o, errOut, code := cmdRun(t, nil, "backup", "--db", db, "-o", out); code != 0 {
			t.Errorf("backup %d while writing: exit %d, %q %q", i, code, o, errOut)
			continue
		}
		info, err := store.CheckBackup(ctx, out)
		if err != nil || info.Meetings != 1 || info.Statements != 79 {
			t.Errorf("backup %d: %+v, %v", i, info, err)
		}
	}
	stop.Store(true)
	wg.Wait()
	if writes.Load() == 0 {
		t.Error("the writer wrote nothing meanwhile")
	}
}

// TestRestoreSymlinks: a backup named through a symlink is read through
// it, and a live database behind a symlink is still seen as live; a
// database reached through a symlink is replaced where it lives, leaving
// the link in place.
func TestRestoreSymlinks(t *testing.T) {
	dir := t.TempDir()
	db := analystDB(t, dir)
	backup := filepath.Join(dir, "good.db")
	if _, errOut, code := cmdRun(t, nil, "backup", "--db", db, "-o", backup); code != 0 {
		t.Fatal(errOut)
	}
	good, _ := os.ReadFile(backup)

	// A live copy: its -wal is beside the real file, not beside the link.
	real := filepath.Join(dir, "real")
	if err := os.Mkdir(real, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(real, "live.db"), good, 0o600)
	os.WriteFile(filepath.Join(real, "live.db-wal"), []byte("frames not yet checkpointed"), 0o600)
	liveLink := filepath.Join(dir, "live-link.db")
	if err := os.Symlink(filepath.Join(real, "live.db"), liveLink); err != nil {
		t.Skip("no symlinks:", err)
	}
	sum := fileSum(t, db)
	if _, errOut, code := cmdRun(t, nil, "restore", liveLink, "--db", db); code != 1 || !strings.Contains(errOut, "write-ahead log") {
		t.Errorf("restore of a link to a live database: exit %d, %q", code, errOut)
	}
	if fileSum(t, db) != sum {
		t.Fatal("the database changed")
	}
	goodLink := filepath.Join(dir, "good-link.db")
	os.Symlink(backup, goodLink)
	if _, errOut, code := cmdRun(t, nil, "restore", goodLink, "--db", db); code != 0 {
		t.Errorf("restore of a link to a backup: exit %d, %q", code, errOut)
	}
	dangling := filepath.Join(dir, "dangling.db")
	os.Symlink(filepath.Join(dir, "gone.db"), dangling)
	if _, errOut, code := cmdRun(t, nil, "restore", dangling, "--db", db); code != 1 || strings.Count(errOut, "\n") != 1 {
		t.Errorf("restore of a dangling link: exit %d, %q", code, errOut)
	}

	// The database behind a link: the data volume keeps the data.
	vol := filepath.Join(dir, "volume")
	os.Mkdir(vol, 0o755)
	target := filepath.Join(vol, "stancetrack.db")
	if _, errOut, code := cmdRun(t, nil, "user", "add", "bo", "--role", "editor", "--db", target); code != 0 {
		t.Fatal(errOut)
	}
	link := filepath.Join(dir, "stancetrack.db")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := cmdRun(t, nil, "restore", backup, "--db", link); code != 0 {
		t.Fatalf("restore onto a link: exit %d, %q %q", code, out, errOut)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link %s was replaced by a file", link)
	}
	users, _, _ := cmdRun(t, nil, "user", "list", "--db", target)
	if !strings.HasPrefix(users, "ana\teditor") || strings.Contains(users, "bo\t") {
		t.Errorf("the file behind the link after restore has users %q, want the backup's", users)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*restore-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestBackupRestoreUsageAndPlaces: usage errors exit 2; a place that
// cannot be written is a one-line refusal (exit 1) that leaves no files.
func TestBackupRestoreUsageAndPlaces(t *testing.T) {
	dir := t.TempDir()
	db := analystDB(t, dir)
	backup := filepath.Join(dir, "good.db")
	if _, errOut, code := cmdRun(t, nil, "backup", "--db", db, "-o", backup); code != 0 {
		t.Fatal(errOut)
	}
	notDir := filepath.Join(dir, "plain-file")
	os.WriteFile(notDir, []byte("x"), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"restore without a file", []string{"restore", "--db", db}, 2, "usage"},
		{"restore two files", []string{"restore", backup, backup, "--db", db}, 2, "usage"},
		{"restore unknown flag", []string{"restore", "--bogus", backup}, 2, ""},
		{"backup without -o", []string{"backup", "--db", db}, 2, "usage"},
		{"backup extra argument", []string{"backup", "--db", db, "-o", filepath.Join(dir, "x.db"), "more"}, 2, "usage"},
		{"backup into a missing folder", []string{"backup", "--db", db, "-o", filepath.Join(dir, "none", "b.db")}, 1, "none"},
		{"backup onto a folder", []string{"backup", "--db", db, "-o", dir, "--force"}, 1, "folder"},
		{"restore into a missing folder", []string{"restore", backup, "--db", filepath.Join(dir, "none", "s.db")}, 1, "refused"},
		{"restore under a file", []string{"restore", backup, "--db", filepath.Join(notDir, "s.db")}, 1, "refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := cmdRun(t, nil, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d (stdout %q stderr %q)", code, tt.code, out, errOut)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q, want it to say %q", errOut, tt.want)
			}
			if tt.code == 1 && strings.Count(strings.TrimSuffix(errOut, "\n"), "\n") != 0 {
				t.Errorf("stderr %q is not one line", errOut)
			}
		})
	}
	if os.Geteuid() != 0 {
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o755)
		if _, errOut, code := cmdRun(t, nil, "user", "add", "bo", "--role", "editor", "--db", filepath.Join(ro, "s.db")); code != 0 {
			t.Fatal(errOut)
		}
		sum := fileSum(t, filepath.Join(ro, "s.db"))
		os.Chmod(ro, 0o555)
		defer os.Chmod(ro, 0o755)
		_, errOut, code := cmdRun(t, nil, "restore", backup, "--db", filepath.Join(ro, "s.db"))
		if code != 1 || !strings.Contains(errOut, "refused, the database is unchanged") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("restore into a read-only folder: exit %d, %q", code, errOut)
		}
		if fileSum(t, filepath.Join(ro, "s.db")) != sum {
			t.Error("the database changed")
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".stancetrack-backup-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
