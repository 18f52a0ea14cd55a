package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/model"
	"github.com/stancetrack/stancetrack/store"
)

var tokenLine = regexp.MustCompile(`^st_[A-Za-z0-9_-]{43}\n$`)

func TestUserAndToken(t *testing.T) {
	db := filepath.Join(t.TempDir(), "u.db")
	env := map[string]string{"STANCETRACK_DB": db} // the contract's fallback for --db
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // regexp
		stderr string // substring
	}{
		{"add editor, flag after name", []string{"user", "add", "ana", "--role", "editor"}, 0, "user ana added \\(editor\\)", ""},
		{"add admin, flag first", []string{"user", "add", "--role", "admin", "root"}, 0, "user root added \\(admin\\)", ""},
		{"add viewer", []string{"user", "add", "vic", "--role", "viewer"}, 0, "vic", ""},
		{"existing name", []string{"user", "add", "ana", "--role", "admin"}, 1, "^$", "user ana already exists"},
		{"bad role", []string{"user", "add", "dan", "--role", "owner"}, 2, "^$", "role must be viewer, editor or admin"},
		{"no role", []string{"user", "add", "dan"}, 2, "^$", "usage"},
		{"bad name", []string{"user", "add", "dan smith", "--role", "editor"}, 1, "^$", "may hold only"},
		{"no subcommand", []string{"user"}, 2, "^$", "usage"},
		{"list", []string{"user", "list"}, 0, "(?s)^ana\teditor\t.*root\tadmin\t.*vic\tviewer\t", ""},
		{"token", []string{"token", "create", "ana"}, 0, tokenLine.String(), "copy it now"},
		{"token unknown user", []string{"token", "create", "nobody"}, 1, "^$", "no user nobody"},
		{"token no name", []string{"token", "create"}, 2, "^$", "usage"},
		{"revoke unknown user", []string{"token", "revoke", "nobody"}, 1, "^$", "no user nobody"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := cmdRun(t, env, tt.args...)
			if code != tt.code {
				t.Fatalf("%v: exit %d, want %d (stderr %q)", tt.args, code, tt.code, errOut)
			}
			if !regexp.MustCompile(tt.stdout).MatchString(out) {
				t.Errorf("%v: stdout %q, want %s", tt.args, out, tt.stdout)
			}
			if !strings.Contains(errOut, tt.stderr) {
				t.Errorf("%v: stderr %q, want it to say %q", tt.args, errOut, tt.stderr)
			}
		})
	}

	// The printed token is the user's, for each role; revoking ends it.
	ctx := context.Background()
	tokens := map[string]string{}
	for _, name := range []string{"ana", "vic"} {
		out, errOut, code := cmdRun(t, nil, "token", "create", "--db", db, name)
		if code != 0 || !tokenLine.MatchString(out) {
			t.Fatalf("token create %s: exit %d, %q %q", name, code, out, errOut)
		}
		tokens[name] = strings.TrimSpace(out)
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for name, role := range map[string]string{"ana": "editor", "vic": "viewer"} {
		if u, err := st.Authenticate(ctx, tokens[name]); err != nil || u.Name != name || u.Role != role {
			t.Errorf("Authenticate(%s's token) = %+v, %v", name, u, err)
		}
	}
	st.Close()
	if out, _, code := cmdRun(t, env, "token", "revoke", "ana"); code != 0 || out != "revoked 2 tokens of ana\n" {
		t.Errorf("token revoke: exit %d, %q", code, out)
	}
	st, _ = store.Open(ctx, db)
	defer st.Close()
	if _, err := st.Authenticate(ctx, tokens["ana"]); err == nil {
		t.Error("a revoked token still authenticates")
	}
}

// fileSum is the SHA-256 of a file, to show it did not change.
func fileSum(t *testing.T, name string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// analystDB ingests the reference document, adds an editor and an analyst
// tag, and returns the database, closed.
func analystDB(t *testing.T, dir string) string {
	t.Helper()
	db := filepath.Join(dir, "live.db")
	if _, errOut, code := cmdRun(t, nil, "ingest", "--db", db, seed); code != 0 {
		t.Fatalf("ingest: %s", errOut)
	}
	if _, errOut, code := cmdRun(t, nil, "user", "add", "ana", "--role", "editor", "--db", db); code != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.StatementID(ctx, "SC/12751", 3)
	if err != nil {
		t.Fatal(err)
	}
	row, err := st.Statement(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddAnalystTag(ctx, id, model.Tag{Dimension: model.DimPurview, Value: model.PurviewContests,
		Evidence: row.Text[:20], Author: "ana"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	return db
}

func TestBackupRestoreRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := analystDB(t, dir)
	before, _, _ := cmdRun(t, nil, "export", "statements", "--db", db, "--format", "jsonl")
	if !strings.Contains(before, `"source":"analyst"`) {
		t.Fatal("the seeded export has no analyst tag")
	}
	tokOut, _, _ := cmdRun(t, nil, "token", "create", "ana", "--db", db)
	backup := filepath.Join(dir, "b.db")

	out, errOut, code := cmdRun(t, nil, "backup", "--db", db, "-o", backup)
	if code != 0 || !strings.Contains(out, "1 meetings, 79 statements") {
		t.Fatalf("backup: exit %d, %q %q", code, out, errOut)
	}
	sum := fileSum(t, backup)
	if _, errOut, code := cmdRun(t, nil, "backup", "--db", db, "-o", backup); code != 1 || !strings.Contains(errOut, "--force") {
		t.Errorf("backup over an existing file: exit %d, %q", code, errOut)
	}
	if fileSum(t, backup) != sum {
		t.Error("a refused backup changed the existing file")
	}
	if _, errOut, code := cmdRun(t, nil, "backup", "--db", db, "-o", backup, "--force"); code != 0 {
		t.Errorf("backup --force: exit %d, %q", code, errOut)
	}
	if _, errOut, code := cmdRun(t, nil, "backup", "--db", db, "-o", db, "--force"); code != 1 || !strings.Contains(errOut, "database itself") {
		t.Errorf("backup onto the database: exit %d, %q", code, errOut)
	}
	if _, errOut, code := cmdRun(t, nil, "backup", "--db", filepath.Join(dir, "none.db"), "-o", filepath.Join(dir, "x.db")); code != 1 || !strings.Contains(errOut, "no database") {
		t.Errorf("backup of a missing database: exit %d, %q", code, errOut)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".stancetrack-backup-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}

	// Change the database after the backup: a replaced document's worth of
	// change, and another user.
	cmdRun(t, nil, "user", "add", "later", "--role", "admin", "--db", db)
	st, _ := store.Open(context.Background(), db)
	if _, err := st.DB().Exec(`DELETE FROM tags WHERE source = 'analyst'`); err != nil {
		t.Fatal(err)
	}
	st.Close()

	out, errOut, code = cmdRun(t, nil, "restore", backup, "--db", db)
	if code != 0 || !strings.Contains(out, "1 meetings, 79 statements") {
		t.Fatalf("restore: exit %d, %q %q", code, out, errOut)
	}
	after, _, _ := cmdRun(t, nil, "export", "statements", "--db", db, "--format", "jsonl")
	if after != before {
		t.Error("the export after restore differs from the export at backup time")
	}
	users, _, _ := cmdRun(t, nil, "user", "list", "--db", db)
	if !strings.HasPrefix(users, "ana\teditor") || strings.Contains(users, "later") {
		t.Errorf("users after restore: %q", users)
	}
	st, _ = store.Open(context.Background(), db)
	defer st.Close()
	if u, err := st.Authenticate(context.Background(), strings.TrimSpace(tokOut)); err != nil || u.Name != "ana" {
		t.Errorf("a token made before the backup: %+v, %v", u, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".live.db.restore-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestRestoreAppliesMigrations: a backup from before the accounts
// migration is brought up to date when restored.
func TestRestoreAppliesMigrations(t *testing.T) {
	dir := t.TempDir()
	db := analystDB(t, dir)
	old := filepath.Join(dir, "old.db")
	if _, errOut, code := cmdRun(t, nil, "backup", "--db", db, "-o", old); code != 0 {
		t.Fatal(errOut)
	}
	raw, err := sql.Open("sqlite", old)
	if err != nil {
		t.Fatal(err)
	}
	// Undo 0003 to 0005 so the file is what a schema-2 binary wrote.
	for _, q := range []string{`DROP TABLE tokens`, `DROP TABLE users`, `ALTER TABLE tags DROP COLUMN confidence`,
		`ALTER TABLE statements DROP COLUMN needs_review`, `ALTER TABLE documents DROP COLUMN raw_encoding`,
		`DROP INDEX statements_duplicate_idx`,
		`CREATE VIRTUAL TABLE statements_dup_fts USING fts5(text, speaker, delegation, content = 'statements', content_rowid = 'id')`,
		`PRAGMA user_version = 2`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	fresh := filepath.Join(dir, "fresh.db") // restoring where no database is yet
	if out, errOut, code := cmdRun(t, nil, "restore", old, "--db", fresh); code != 0 || !strings.Contains(out, "schema 2 (now") {
		t.Fatalf("restore: exit %d, %q %q", code, out, errOut)
	}
	if _, errOut, code := cmdRun(t, nil, "user", "add", "bo", "--role", "editor", "--db", fresh); code != 0 {
		t.Errorf("user add after restoring an old backup: %s", errOut)
	}
}

func TestRestoreRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	db := analystDB(t, dir)
	backup := filepath.Join(dir, "good.db")
	if _, errOut, code := cmdRun(t, nil, "backup", "--db", db, "-o", backup); code != 0 {
		t.Fatal(errOut)
	}
	good, _ := os.ReadFile(backup)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	other := filepath.Join(dir, "other.db")
	if raw, err := sql.Open("sqlite", other); err == nil {
		raw.Exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)`)
		raw.Close()
	}
	newer := write("newer.db", good)
	if raw, err := sql.Open("sqlite", newer); err == nil {
		raw.Exec(`PRAGMA user_version = 999`)
		raw.Close()
	}
	scribbled := append([]byte(nil), good...)
	for i := 4096; i < len(scribbled) && i < 4096*4; i++ {
		scribbled[i] ^= 0xa5
	}
	live := write("live-copy.db", good)
	write("live-copy.db-wal", []byte("frames not yet checkpointed"))

	tests := []struct{ name, file, want string }{
		{"press release", write("release.db", []byte("SECURITY COUNCIL\n7898th Meeting (AM)\n")), "not a SQLite database"},
		{"empty", write("empty.db", nil), "not a SQLite database"},
		{"missing", filepath.Join(dir, "none.db"), "no such file"},
		{"folder", dir, "not a file"},
		{"truncated", write("trunc.db", good[:len(good)/3]), "not a stancetrack backup"},
		{"scribbled", write("scribbled.db", scribbled), "not a stancetrack backup"},
		{"other program's database", other, "without stancetrack's tables"},
		{"newer schema", newer, "schema version 999"},
		{"live database", live, "write-ahead log"},
		{"the database itself", db, "database itself"},
	}
	sum := fileSum(t, db)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := cmdRun(t, nil, "restore", tt.file, "--db", db)
			if code != 1 {
				t.Fatalf("exit %d, want 1 (stdout %q stderr %q)", code, out, errOut)
			}
			if !strings.Contains(errOut, "refused, the database is unchanged") || !strings.Contains(errOut, tt.want) ||
				strings.Count(errOut, "\n") != 1 {
				t.Errorf("stderr %q, want one line saying %q", errOut, tt.want)
			}
			if fileSum(t, db) != sum {
				t.Fatal("the database changed")
			}
		})
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".live.db.restore-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}

	// A database a server has open is not replaced under it.
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.CountMeetings(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := cmdRun(t, nil, "restore", backup, "--db", db); code != 1 || !strings.Contains(errOut, "in use") {
		t.Errorf("restore over an open database: exit %d, %q", code, errOut)
	}
	if n, err := st.CountMeetings(context.Background()); err != nil || n != 1 {
		t.Errorf("the open database after a refused restore: %d meetings, %v", n, err)
	}
}
