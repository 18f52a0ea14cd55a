package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/stancetrack/stancetrack/model"
)

// TestTokenOfDeletedUser: a token outlives its user when the user is
// deleted with foreign keys off (the sqlite3 shell's default). It must not
// come back to life as the next account, which would take the freed id.
func TestTokenOfDeletedUser(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "u.db")
	s, err := Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.AddUser(ctx, "ana", RoleEditor); err != nil {
		t.Fatal(err)
	}
	gone, err := s.AddUser(ctx, "mallory", RoleEditor)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.CreateToken(ctx, "mallory")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := s.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`PRAGMA foreign_keys = OFF`, `DELETE FROM users WHERE name = 'mallory'`, `PRAGMA foreign_keys = ON`} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	conn.Close()
	if _, err := s.Authenticate(ctx, tok); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Authenticate(deleted user's token) = %v, want ErrNotFound", err)
	}
	next, err := s.AddUser(ctx, "root", RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if next.ID == gone.ID {
		t.Errorf("the new user took the deleted user's id %d", gone.ID)
	}
	if u, err := s.Authenticate(ctx, tok); !errors.Is(err, ErrNotFound) {
		t.Errorf("the deleted user's token authenticates as %+v (%v)", u, err)
	}
}

// TestDeleteAfterReplaceKeepsRollupsExact: analyst tags carried over to
// replaced documents (new tag rows) are deleted like any other, and every
// derived table still matches a recomputation from the base tables.
func TestDeleteAfterReplaceKeepsRollupsExact(t *testing.T) {
	s := dashStore(t)
	ctx := context.Background()
	randomCorpus(t, s, rand.New(rand.NewPCG(8, 9)), 12, "v1")
	ids := func() []int64 {
		rows, err := s.DB().Query(`SELECT id FROM statements ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			out = append(out, id)
		}
		return out
	}
	for i, id := range ids() {
		if i%2 == 0 {
			v := []string{"contests", "affirms", "conditional", "unstated"}[i%4]
			if _, err := s.AddAnalystTag(ctx, id, model.Tag{Dimension: model.DimPurview, Value: v, Evidence: "says", Author: "ana"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	var before int
	s.DB().QueryRow(`SELECT count(*) FROM tags WHERE source = 'analyst'`).Scan(&before)
	// The same corpus with other bytes: every document is replaced.
	randomCorpus(t, s, rand.New(rand.NewPCG(8, 9)), 12, "v2")
	var carried []int64
	rows, err := s.DB().Query(`SELECT id FROM tags WHERE source = 'analyst' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		carried = append(carried, id)
	}
	rows.Close()
	if len(carried) != before {
		t.Fatalf("%d analyst tags after the replace, want %d carried", len(carried), before)
	}
	for i, id := range carried {
		if i%3 != 2 {
			if err := s.DeleteAnalystTag(ctx, id); err != nil {
				t.Fatalf("DeleteAnalystTag(%d): %v", id, err)
			}
		}
	}
	checkAll(t, s, 13)
	checkCachedPurview(t, s)
}
