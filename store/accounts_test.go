package store

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/model"
)

func TestAddUser(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	if _, err := s.AddUser(ctx, "ana", RoleEditor); err != nil {
		t.Fatalf("AddUser(ana) = %v", err)
	}
	tests := []struct {
		name, user, role string
		want             error
	}{
		{"admin", "bo.admin@mission", RoleAdmin, nil},
		{"viewer", "Chloé-3", RoleViewer, nil},
		{"taken name", "ana", RoleAdmin, ErrUserExists},
		{"unknown role", "dan", "owner", ErrBadUser},
		{"empty name", "", RoleEditor, ErrBadUser},
		{"space in name", "ana b", RoleEditor, ErrBadUser},
		{"leading dash", "-ana", RoleEditor, ErrBadUser},
		{"control character", "ana\n", RoleEditor, ErrBadUser},
		{"too long", strings.Repeat("a", 65), RoleEditor, ErrBadUser},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := s.AddUser(ctx, tt.user, tt.role)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("AddUser(%q, %q) = %v, want %v", tt.user, tt.role, err, tt.want)
			}
			if err == nil && (u.ID == 0 || u.Name != tt.user || u.Role != tt.role) {
				t.Errorf("AddUser(%q, %q) = %+v", tt.user, tt.role, u)
			}
		})
	}
	users, err := s.Users(ctx)
	if err != nil || len(users) != 3 {
		t.Fatalf("Users() = %d users, %v; want 3", len(users), err)
	}
}

func TestTokens(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	if _, err := s.AddUser(ctx, "ana", RoleEditor); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUser(ctx, "vic", RoleViewer); err != nil {
		t.Fatal(err)
	}
	tok, err := s.CreateToken(ctx, "ana")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok, "st_") || len(tok) != 46 {
		t.Errorf("token %q: want st_ and 43 base64url characters", tok)
	}
	tok2, _ := s.CreateToken(ctx, "ana")
	vtok, _ := s.CreateToken(ctx, "vic")
	if tok2 == tok {
		t.Fatal("two tokens are equal")
	}
	if _, err := s.CreateToken(ctx, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("CreateToken(unknown) = %v, want ErrNotFound", err)
	}
	// Only hashes are stored.
	var stored int
	s.DB().QueryRow(`SELECT count(*) FROM tokens WHERE hash = ? OR hash LIKE 'st_%'`, tok).Scan(&stored)
	if stored != 0 {
		t.Errorf("a token is stored in clear")
	}

	tests := []struct {
		name, token, user, role string
	}{
		{"editor", tok, "ana", RoleEditor},
		{"editor's second token", tok2, "ana", RoleEditor},
		{"viewer", vtok, "vic", RoleViewer},
		{"unknown", "st_" + strings.Repeat("A", 43), "", ""},
		{"no prefix", strings.TrimPrefix(tok, "st_"), "", ""},
		{"empty", "", "", ""},
		{"truncated", tok[:len(tok)-1], "", ""},
		{"huge", "st_" + strings.Repeat("x", 1<<16), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := s.Authenticate(ctx, tt.token)
			if tt.user == "" {
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("Authenticate = %+v, %v; want ErrNotFound", u, err)
				}
				return
			}
			if err != nil || u.Name != tt.user || u.Role != tt.role {
				t.Errorf("Authenticate = %+v, %v; want %s (%s)", u, err, tt.user, tt.role)
			}
			if u.CanWrite() != (tt.role != RoleViewer) {
				t.Errorf("CanWrite() = %v for role %s", u.CanWrite(), tt.role)
			}
		})
	}
	var used int
	s.DB().QueryRow(`SELECT count(*) FROM tokens WHERE last_used_at IS NOT NULL`).Scan(&used)
	if used != 3 {
		t.Errorf("%d tokens have last_used_at, want the 3 used", used)
	}

	n, err := s.RevokeTokens(ctx, "ana")
	if err != nil || n != 2 {
		t.Fatalf("RevokeTokens(ana) = %d, %v; want 2", n, err)
	}
	if _, err := s.Authenticate(ctx, tok); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoked token still authenticates: %v", err)
	}
	if _, err := s.Authenticate(ctx, vtok); err != nil {
		t.Errorf("another user's token was revoked: %v", err)
	}
	if _, err := s.RevokeTokens(ctx, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("RevokeTokens(unknown) = %v, want ErrNotFound", err)
	}
}

func TestDeleteAnalystTag(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	if _, err := s.AddDocument(ctx, testDoc("SC/6", "r6", "Zeta said trafficking fell outside the Council’s purview.", "Eta spoke.")); err != nil {
		t.Fatal(err)
	}
	rows, _, _ := s.Statements(ctx, Filter{}, 10, 0)
	codebookID := rows[0].Tags[0].ID
	id, err := s.AddAnalystTag(ctx, rows[0].ID, model.Tag{Dimension: model.DimPurview, Value: model.PurviewAffirms,
		Evidence: "Zeta said", Author: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Tag(ctx, id)
	if err != nil || got.Author != "ana" || got.Source != model.SourceAnalyst || got.StatementID != rows[0].ID ||
		rows[0].Text[got.Start:got.End] != "Zeta said" {
		t.Fatalf("Tag(%d) = %+v, %v", id, got, err)
	}
	purview := func() string {
		t.Helper()
		r, err := s.Statement(ctx, rows[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		return r.Purview
	}
	if p := purview(); p != model.PurviewAffirms {
		t.Fatalf("purview with the analyst tag = %q, want affirms", p)
	}
	gen, _ := s.Generation(ctx)

	if err := s.DeleteAnalystTag(ctx, codebookID); !errors.Is(err, ErrCodebookTag) {
		t.Errorf("DeleteAnalystTag(codebook tag) = %v, want ErrCodebookTag", err)
	}
	if err := s.DeleteAnalystTag(ctx, 99999); !errors.Is(err, ErrNotFound) {
		t.Errorf("DeleteAnalystTag(unknown) = %v, want ErrNotFound", err)
	}
	if g, _ := s.Generation(ctx); g != gen {
		t.Errorf("refused deletes changed the generation %d -> %d", gen, g)
	}
	if err := s.DeleteAnalystTag(ctx, id); err != nil {
		t.Fatalf("DeleteAnalystTag = %v", err)
	}
	if p := purview(); p != model.PurviewContests {
		t.Errorf("purview after delete = %q, want the codebook's contests back", p)
	}
	if g, _ := s.Generation(ctx); g == gen {
		t.Errorf("delete left the generation at %d", g)
	}
	if _, err := s.Tag(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("Tag(deleted) = %v, want ErrNotFound", err)
	}
	if err := s.DeleteAnalystTag(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete = %v, want ErrNotFound", err)
	}
	tags, err := s.StatementTags(ctx, rows[0].ID)
	if err != nil || len(tags) != 1 || tags[0].ID != codebookID {
		t.Errorf("StatementTags = %+v, %v; want the codebook tag alone", tags, err)
	}
	if _, err := s.StatementTags(ctx, 99999); !errors.Is(err, ErrNotFound) {
		t.Errorf("StatementTags(unknown) = %v, want ErrNotFound", err)
	}
	if sid, err := s.StatementID(ctx, "SC/6", 2); err != nil || sid != rows[1].ID {
		t.Errorf("StatementID(SC/6, 2) = %d, %v; want %d", sid, err, rows[1].ID)
	}
	if _, err := s.StatementID(ctx, "SC/6", 3); !errors.Is(err, ErrNotFound) {
		t.Errorf("StatementID(SC/6, 3) = %v, want ErrNotFound", err)
	}
}

// TestDeleteKeepsRollupsExact adds analyst tags on many statements and
// deletes some of them, then holds every derived table and aggregate to a
// recomputation from the base tables.
func TestDeleteKeepsRollupsExact(t *testing.T) {
	s := dashStore(t)
	ctx := context.Background()
	randomCorpus(t, s, rand.New(rand.NewPCG(5, 6)), 16, "v1")
	rows, err := s.DB().Query(`SELECT id FROM statements ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	var added []int64
	for i, id := range ids {
		if i%3 != 0 {
			continue
		}
		k := i / 3
		tags := []model.Tag{
			{Dimension: model.DimPurview, Value: []string{"contests", "affirms", "conditional", "unstated"}[k%4], Evidence: "Turn"},
			{Dimension: model.DimFrame, Value: "analyst_frame", Evidence: "says"},
			{Dimension: model.DimInstrument, Value: "ANALYST_INSTRUMENT", Evidence: "Turn"},
		}
		tid, err := s.AddAnalystTag(ctx, id, tags[k%3])
		if err != nil {
			t.Fatalf("AddAnalystTag(%d): %v", id, err)
		}
		added = append(added, tid)
	}
	for i, tid := range added {
		if i%2 == 0 {
			if err := s.DeleteAnalystTag(ctx, tid); err != nil {
				t.Fatalf("DeleteAnalystTag(%d): %v", tid, err)
			}
		}
	}
	checkAll(t, s, 11)
	checkCachedPurview(t, s)
	// Deleting every remaining analyst tag gives back the codebook's state.
	for i, tid := range added {
		if i%2 == 1 {
			if err := s.DeleteAnalystTag(ctx, tid); err != nil {
				t.Fatalf("DeleteAnalystTag(%d): %v", tid, err)
			}
		}
	}
	checkDerived(t, s)
	checkCachedPurview(t, s)
	var n int
	s.DB().QueryRow(`SELECT count(*) FROM tags WHERE source = 'analyst'`).Scan(&n)
	if n != 0 {
		t.Errorf("%d analyst tags left", n)
	}
}

func TestBackupAndCheck(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	if _, err := s.AddDocument(ctx, testDoc("SC/7", "r7", "Theta spoke.", "Iota spoke.")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUser(ctx, "ana", RoleEditor); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "b.db")
	if err := s.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, out); err == nil {
		t.Error("Backup over an existing file succeeded")
	}
	info, err := CheckBackup(ctx, out)
	if err != nil || info.Meetings != 1 || info.Statements != 2 || info.Schema != LatestSchema() {
		t.Fatalf("CheckBackup(backup) = %+v, %v", info, err)
	}
	if LatestSchema() < 3 {
		t.Errorf("LatestSchema() = %d, want at least 3", LatestSchema())
	}

	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good, _ := os.ReadFile(out)
	truncated := good[:len(good)/2]
	flipped := append([]byte(nil), good...)
	// Scribble over the second page onwards: the header stays valid.
	for i := 4096; i < len(flipped) && i < 4096*3; i++ {
		flipped[i] ^= 0x5a
	}
	other := filepath.Join(dir, "other.db")
	// A SQLite database of another program.
	if db, err := Open(ctx, other); err == nil {
		db.DB().Exec(`DROP TABLE tags`)
		db.Close()
	}
	newer := filepath.Join(dir, "newer.db")
	if err := s.Backup(ctx, newer); err != nil {
		t.Fatal(err)
	}
	if db, err := Open(ctx, newer); err == nil {
		db.DB().Exec(`PRAGMA user_version = 999`)
		db.Close()
	}
	tests := []struct {
		name, file, want string
	}{
		{"missing", filepath.Join(dir, "none.db"), "no such file"},
		{"empty", write("empty.db", nil), "not a SQLite database"},
		{"text", write("text.db", []byte("SC/12751 press release text")), "not a SQLite database"},
		{"truncated", write("trunc.db", truncated), ""},
		{"scribbled", write("flip.db", flipped), ""},
		{"other program", other, "without stancetrack's tables (no tags)"},
		{"newer schema", newer, "schema version 999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CheckBackup(ctx, tt.file)
			if !errors.Is(err, ErrNotBackup) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("CheckBackup = %v; want ErrNotBackup saying %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "\n") {
				t.Errorf("message is not one line: %q", err)
			}
		})
	}
}

// checkCachedPurview holds every statement's purview column to model.Derive
// over its tags: the rollup oracle groups by that column, so it cannot see
// a stale one.
func checkCachedPurview(t *testing.T, s *Store) {
	t.Helper()
	rows, err := s.DB().Query(`SELECT s.id, s.purview, t.dimension, t.value, t.source
		FROM statements s LEFT JOIN tags t ON t.statement_id = s.id ORDER BY s.id, t.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cached := map[int64]string{}
	tags := map[int64][]model.Tag{}
	for rows.Next() {
		var id int64
		var purview string
		var dim, val, src sql.NullString
		if err := rows.Scan(&id, &purview, &dim, &val, &src); err != nil {
			t.Fatal(err)
		}
		cached[id] = purview
		if dim.Valid {
			tags[id] = append(tags[id], model.Tag{Dimension: dim.String, Value: val.String, Source: src.String})
		}
	}
	for id, p := range cached {
		if want, _, _ := model.Derive(tags[id]); p != want {
			t.Errorf("statement %d: cached purview %q, its tags derive %q", id, p, want)
		}
	}
}

func TestPrepareReplace(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "live.db")
	s, err := Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddDocument(ctx, testDoc("SC/8", "r8", "Kappa spoke.")); err != nil {
		t.Fatal(err)
	}
	if err := PrepareReplace(ctx, file); !errors.Is(err, ErrInUse) {
		t.Errorf("PrepareReplace(open database) = %v, want ErrInUse", err)
	}
	s.Close()
	if err := PrepareReplace(ctx, file); err != nil {
		t.Fatalf("PrepareReplace(closed database) = %v", err)
	}
	if fi, err := os.Stat(file + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("a %d-byte -wal is left", fi.Size())
	}
	// Everything committed is in the main file alone.
	os.Remove(file + "-wal")
	os.Remove(file + "-shm")
	if info, err := CheckBackup(ctx, file); err != nil || info.Meetings != 1 {
		t.Errorf("after PrepareReplace the file alone holds %+v, %v", info, err)
	}
	for _, f := range []string{filepath.Join(dir, "missing.db"), filepath.Join(dir, "garbage.db")} {
		os.WriteFile(filepath.Join(dir, "garbage.db"), []byte("not sqlite at all, not at all"), 0o600)
		if err := PrepareReplace(ctx, f); err != nil {
			t.Errorf("PrepareReplace(%s) = %v, want nil", filepath.Base(f), err)
		}
	}
}
