package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stancetrack/stancetrack/store"
)

// Faults found under load (issue 13), command side: each test failed
// before its fix.

// TestServeReadOnlyWritesNothing: serve --read-only opens the file
// read-only: it stays in its journal mode, byte for byte, and a write with
// a valid token is refused without recording the token's use.
func TestServeReadOnlyWritesNothing(t *testing.T) {
	dir := t.TempDir()
	db := analystDB(t, dir)
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := st.CreateToken(ctx, "ana")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`PRAGMA journal_mode = DELETE`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	before := fileSum(t, db)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	sctx, cancel := context.WithCancel(ctx)
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(sctx, []string{"serve", "--read-only", "--db", db, "--addr", addr}, io.Discard, &stderr,
			func(string) string { return "" })
	}()
	base := "http://" + addr
	for i := 0; ; i++ {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve --read-only ended: %v %s", err, stderr.String())
		default:
		}
		if i > 100 {
			cancel()
			t.Fatal("serve --read-only did not start")
		}
		time.Sleep(100 * time.Millisecond)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/api/tags",
		strings.NewReader(`{"meeting":"SC/12751","seq":5,"dimension":"frame","value":"gender","evidence":"women"}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("POST /api/tags read-only: %d, want 403", resp.StatusCode)
	}
	if resp, err := http.Get(base + "/meetings/SC/12751"); err != nil || resp.StatusCode != 200 {
		t.Errorf("reading a meeting read-only: %v %v", resp, err)
	}
	cancel()
	<-done
	if fileSum(t, db) != before {
		t.Error("serve --read-only changed the database file")
	}
	raw, _ := sql.Open("sqlite", "file:"+db+"?mode=ro")
	defer raw.Close()
	var mode string
	var used sql.NullString
	raw.QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	raw.QueryRow(`SELECT max(last_used_at) FROM tokens`).Scan(&used)
	if mode != "delete" || used.Valid {
		t.Errorf("after serve --read-only: journal_mode %q, a token's last use %v; want delete and none", mode, used)
	}
}

// TestCommandsRefuseNewerSchema: ingest, serve and retag refuse a database
// of a newer schema, naming both versions, and leave it as it was.
func TestCommandsRefuseNewerSchema(t *testing.T) {
	dir := t.TempDir()
	db := analystDB(t, dir)
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	newer := store.LatestSchema() + 1
	if _, err := raw.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, newer)); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	before := fileSum(t, db)
	for _, args := range [][]string{
		{"ingest", "--db", db, seed},
		{"retag", "--db", db},
		{"serve", "--db", db, "--addr", "127.0.0.1:1"},
		{"serve", "--read-only", "--db", db, "--addr", "127.0.0.1:1"},
	} {
		_, errOut, code := cmdRun(t, nil, args...)
		if code == 0 || !strings.Contains(errOut, fmt.Sprint(newer)) || !strings.Contains(errOut, fmt.Sprint(store.LatestSchema())) {
			t.Errorf("%s: exit %d, %q; want a refusal naming versions %d and %d", args[0], code, errOut, newer, store.LatestSchema())
		}
	}
	if fileSum(t, db) != before {
		t.Error("a refused database changed")
	}
}

// TestRestoreMigratesACopyFirst: a backup whose migration fails is refused
// and the database is left as it was; before, the backup was swapped in
// and then failed to migrate, leaving a database that does not open.
func TestRestoreMigratesACopyFirst(t *testing.T) {
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
	// Schema 3 says migration 0004 is still to run, but the table already
	// has its column: the migration fails.
	if _, err := raw.Exec(`PRAGMA user_version = 3`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	before := fileSum(t, db)
	_, errOut, code := cmdRun(t, nil, "restore", old, "--db", db)
	if code == 0 {
		t.Fatal("restore of a backup that does not migrate succeeded")
	}
	if !strings.Contains(errOut, "unchanged") {
		t.Errorf("restore: %q, want it to say the database is unchanged", errOut)
	}
	if fileSum(t, db) != before {
		t.Error("the refused restore changed the database")
	}
	if _, _, code := cmdRun(t, nil, "export", "statements", "--db", db, "--format", "jsonl", "-o", filepath.Join(dir, "x.jsonl")); code != 0 {
		t.Error("the database does not open after a refused restore")
	}
}
