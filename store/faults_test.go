package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Faults found under load (issue 13), store side: each test failed before
// its fix.

// TestOpenRefusesNewerSchema: a database written by a newer stancetrack is
// refused with both version numbers, and not written.
func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "t.db")
	s, err := Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	newer := LatestSchema() + 3
	if _, err := s.DB().Exec(fmt.Sprintf(`PRAGMA user_version = %d`, newer)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, _ := os.ReadFile(file)
	s, err = Open(ctx, file)
	if err == nil {
		s.Close()
		t.Fatal("Open of a newer schema succeeded")
	}
	for _, want := range []string{fmt.Sprint(newer), fmt.Sprint(LatestSchema()), "newer"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Open error %q does not say %q", err, want)
		}
	}
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Errorf("Open error %v is not ErrSchemaTooNew", err)
	}
	after, _ := os.ReadFile(file)
	if !bytes.Equal(before, after) {
		t.Error("opening a newer schema changed the file")
	}
}

// TestNewDatabaseIsPrivate: a new database holds user names and token
// hashes, so only its owner may read it.
func TestNewDatabaseIsPrivate(t *testing.T) {
	file := filepath.Join(t.TempDir(), "t.db")
	s, err := Open(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, f := range []string{file, file + "-wal", file + "-shm"} {
		fi, err := os.Stat(f)
		if err != nil {
			continue // no WAL yet
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v, want 0600", filepath.Base(f), fi.Mode().Perm())
		}
	}
	backup := filepath.Join(t.TempDir(), "b.db")
	if err := s.Backup(context.Background(), backup); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(backup); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup: %v %v, want 0600", fi.Mode().Perm(), err)
	}
}

// TestAttachTagsManyStatements: a meeting of more statements than SQLite
// takes variables (32,766) still gets its tags.
func TestAttachTagsManyStatements(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	d := testDoc("SC/1", "raw", "It is outside the Council’s purview.")
	if _, err := s.AddDocument(ctx, d); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := s.DB().QueryRow(`SELECT id FROM statements`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	rows := make([]StatementRow, 40000)
	for i := range rows {
		rows[i].ID = int64(i + 1000000)
	}
	rows[len(rows)-1].ID = id
	if err := attachTags(ctx, s.DB(), rows); err != nil {
		t.Fatalf("attachTags of %d statements: %v", len(rows), err)
	}
	if got := len(rows[len(rows)-1].Tags); got != 1 {
		t.Errorf("tags of the stored statement: %d, want 1", got)
	}
}

// TestMeetingStatementPage: a meeting's statements come a page at a time.
func TestMeetingStatementPage(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	texts := make([]string, 25)
	for i := range texts {
		texts[i] = fmt.Sprintf("Turn %d.", i+1)
	}
	if _, err := s.AddDocument(ctx, testDoc("SC/1", "raw", texts...)); err != nil {
		t.Fatal(err)
	}
	page, total, err := s.MeetingStatementPage(ctx, "SC/1", 10, 20)
	if err != nil {
		t.Fatal(err)
	}
	if total != 25 || len(page) != 5 || page[0].Seq != 21 || page[4].Seq != 25 {
		t.Errorf("MeetingStatementPage(10, 20) = %d rows from seq %d, total %d; want 5 from 21, total 25",
			len(page), page[0].Seq, total)
	}
}

// TestOpenReadOnlyWritesNothing: a read-only store opens a database in
// rollback-journal mode without switching it to WAL, runs no migration and
// records no token use.
func TestOpenReadOnlyWritesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "t.db")
	s, err := Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddDocument(ctx, testDoc("SC/1", "raw", "It is outside the Council’s purview.")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUser(ctx, "ana", RoleEditor); err != nil {
		t.Fatal(err)
	}
	tok, err := s.CreateToken(ctx, "ana")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`PRAGMA journal_mode = DELETE`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, _ := os.ReadFile(file)
	if err := os.Chmod(dir, 0o500); err != nil { // no -wal, -shm or journal can appear
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	if err := os.Chmod(file, 0o400); err != nil {
		t.Fatal(err)
	}

	ro, err := OpenReadOnly(ctx, file)
	if err != nil {
		t.Fatalf("OpenReadOnly: %v", err)
	}
	if n, err := ro.CountMeetings(ctx); err != nil || n != 1 {
		t.Errorf("CountMeetings = %d, %v", n, err)
	}
	if _, err := ro.Authenticate(ctx, tok); err != nil {
		t.Errorf("Authenticate on a read-only store: %v", err)
	}
	ro.Close()
	after, _ := os.ReadFile(file)
	if !bytes.Equal(before, after) {
		t.Error("the read-only store changed the file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files beside the database: %v", entries)
	}
	var mode string
	db, _ := sql.Open("sqlite", "file:"+file+"?mode=ro")
	defer db.Close()
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "delete" {
		t.Errorf("journal_mode after a read-only open = %q, %v; want delete", mode, err)
	}
}

// TestMigration5: rows written before 0005 (evidence stored, raw bytes
// plain, the duplicates' FTS index) read back the same after it, with the
// codebook tags' evidence as offsets only and the document's bytes intact.
func TestMigration5(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "m.db")
	s, err := Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	d := testDoc("SC/1", "raw one", "Alpha said it was outside the Council’s purview.", "Beta spoke.")
	d.Statements[1].DuplicateOf = 1
	if _, err := s.AddDocument(ctx, d); err != nil {
		t.Fatal(err)
	}
	read := func(s *Store) string {
		rows, _, err := s.Statements(ctx, Filter{IncludeDuplicates: true}, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		n, _, err := s.Statements(ctx, Filter{Q: "spoke"}, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(rows[0].Tags, len(rows), len(n))
	}
	before := read(s)
	// Back to schema 4's way of storing.
	for _, q := range []string{
		`UPDATE tags SET evidence = (SELECT CAST(substr(CAST(s.text AS BLOB), tags.start_offset + 1, tags.end_offset - tags.start_offset) AS TEXT) FROM statements s WHERE s.id = tags.statement_id)`,
		`UPDATE documents SET raw = CAST('raw one' AS BLOB), text = 'the text'`,
		`ALTER TABLE documents DROP COLUMN raw_encoding`,
		`DROP INDEX statements_duplicate_idx`,
		`CREATE VIRTUAL TABLE statements_dup_fts USING fts5(text, speaker, delegation, content = 'statements', content_rowid = 'id')`,
		`PRAGMA user_version = 4`,
	} {
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	s.Close()
	if s, err = Open(ctx, file); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if after := read(s); after != before {
		t.Errorf("read after 0005:\n %s\nbefore:\n %s", after, before)
	}
	var stored int
	s.DB().QueryRow(`SELECT count(*) FROM tags WHERE source = 'codebook' AND evidence <> ''`).Scan(&stored)
	if stored != 0 {
		t.Errorf("%d codebook tags still store their evidence", stored)
	}
	if raw, err := s.RawDocument(ctx, "SC/1"); err != nil || string(raw) != "raw one" {
		t.Errorf("RawDocument = %q, %v", raw, err)
	}
}

// TestRawDocumentCompressed: a document's raw bytes are stored compressed
// and read back as they were.
func TestRawDocumentCompressed(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	raw := strings.Repeat("The Council met on trafficking in persons. ", 500)
	if _, err := s.AddDocument(ctx, testDoc("SC/1", raw, "It is outside the Council’s purview.")); err != nil {
		t.Fatal(err)
	}
	var n int
	s.DB().QueryRow(`SELECT length(raw) + length(text) FROM documents`).Scan(&n)
	if n > len(raw)/4 {
		t.Errorf("the document takes %d bytes for %d of raw text", n, len(raw))
	}
	if got, err := s.RawDocument(ctx, "SC/1"); err != nil || string(got) != raw {
		t.Errorf("RawDocument: %d bytes, %v", len(got), err)
	}
}
