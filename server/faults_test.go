package server

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stancetrack/stancetrack/codebook"
	"github.com/stancetrack/stancetrack/ingest"
	"github.com/stancetrack/stancetrack/model"
	"github.com/stancetrack/stancetrack/registry"
	"github.com/stancetrack/stancetrack/store"
)

// Faults found under load (issue 13), server side: each test failed before
// its fix.

// TestMeetingPageOfManyStatements: a meeting of more statements than SQLite
// takes variables is shown, a page at a time.
func TestMeetingPageOfManyStatements(t *testing.T) {
	if testing.Short() {
		t.Skip("stores 33,000 statements")
	}
	srv, st := newTestServer(t, false)
	doc := store.Document{Filename: "long.txt", Format: "text", Raw: []byte("long"),
		Meeting: model.Meeting{Symbol: "SC/99999", Body: "SC", Numbers: []int{9999}, Year: 2020, Source: "press_release"}}
	for i := range 33000 {
		text := fmt.Sprintf("Turn %d on the matter.", i+1)
		doc.Statements = append(doc.Statements, model.Statement{Seq: i + 1, Speaker: "SPEAKER", Delegation: "France",
			Kind: model.KindMemberState, Text: text})
	}
	if _, err := st.AddDocument(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/meetings/SC/99999", "/meetings/SC/99999?page=660"} {
		r := get(t, srv, target)
		code, body := r.code, r.body
		if code != 200 {
			t.Fatalf("GET %s = %d", target, code)
		}
		if len(body) > 200<<10 {
			t.Errorf("GET %s is %d KB, want a page", target, len(body)>>10)
		}
		if !strings.Contains(body, "page ") || !strings.Contains(body, "of 660") {
			t.Errorf("GET %s has no pager", target)
		}
	}
	if r := get(t, srv, "/meetings/SC/99999?page=660"); !strings.Contains(r.body, "Turn 33000 on") {
		t.Error("the last page lacks the last turn")
	}
}

// lockedAPIServer is an API server over a store with a short busy
// timeout, and a second connection that can hold the write lock as a long
// ingest by another process does.
func lockedAPIServer(t *testing.T, requestTimeout time.Duration) (apiServer, *sql.DB) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "t.db")
	st, err := store.OpenWith(context.Background(), file, store.Options{BusyTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	seed(t, st)
	p := &ingest.Pipeline{Store: st, Registry: registry.Default(), Codebook: codebook.Default()}
	srv := New(Config{Store: st, CodebookVersion: "test-cb-1", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Ingest: p, RequestTimeout: requestTimeout})
	a := apiServer{Server: srv, st: st, editorName: "elena"}
	if _, err := st.AddUser(context.Background(), "elena", store.RoleEditor); err != nil {
		t.Fatal(err)
	}
	if a.editor, err = st.CreateToken(context.Background(), "elena"); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite", store.DSN(file))
	if err != nil {
		t.Fatal(err)
	}
	other.SetMaxOpenConns(1)
	t.Cleanup(func() { other.Close() })
	return a, other
}

// holdWriteLock takes the write lock on db for d, as an ingest's
// transaction does, and returns when it has it.
func holdWriteLock(t *testing.T, db *sql.DB, d time.Duration) <-chan struct{} {
	t.Helper()
	tx, err := db.Begin() // _txlock=immediate: the write lock now
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`UPDATE generation SET n = n + 1`); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		time.Sleep(d)
		tx.Commit()
		close(done)
	}()
	return done
}

// TestAPIWriteWaitsForIngest: an analyst's tag posted while another
// process holds the write lock past the busy timeout is stored once the
// lock is released, not lost to a 500.
func TestAPIWriteWaitsForIngest(t *testing.T) {
	a, other := lockedAPIServer(t, 10*time.Second)
	done := holdWriteLock(t, other, 800*time.Millisecond)
	tag := map[string]any{"meeting": "SC/12751", "seq": 5, "dimension": "frame", "value": "gender", "evidence": "women"}
	r := a.postJSON(t, "/api/tags", a.editor, tag)
	<-done
	if r.code != 201 {
		t.Fatalf("POST /api/tags during a long write: %d %s, want 201", r.code, r.body)
	}
}

// TestAPIWriteBusyIs503: when the lock outlasts the request's budget, the
// client is told to come back (503 with Retry-After), never 500.
func TestAPIWriteBusyIs503(t *testing.T) {
	a, other := lockedAPIServer(t, 500*time.Millisecond)
	done := holdWriteLock(t, other, 2*time.Second)
	tag := map[string]any{"meeting": "SC/12751", "seq": 5, "dimension": "frame", "value": "gender", "evidence": "women"}
	r := a.postJSON(t, "/api/tags", a.editor, tag)
	if r.code != 503 || r.header.Get("Retry-After") == "" {
		t.Errorf("POST /api/tags while locked past the budget: %d (Retry-After %q) %s, want 503 with Retry-After",
			r.code, r.header.Get("Retry-After"), r.body)
	}
	if r.code == 503 && !strings.Contains(apiError(t, r), "busy") {
		t.Errorf("503 message %q does not say the database is busy", r.body)
	}
	r = a.do(t, http.MethodPost, "/api/documents", []byte("SECURITY COUNCIL"), append(bearer(a.editor), "Content-Type", "text/plain")...)
	if r.code == 500 {
		t.Errorf("POST /api/documents while locked: 500 %s", r.body)
	}
	<-done
}

// TestUploadHasItsOwnBudget: an upload is not held to the readers' query
// budget, and does not wait for a reader's work slot.
func TestUploadHasItsOwnBudget(t *testing.T) {
	a := newAPIServer(t)
	a.Server.timeout = time.Millisecond // every reader's query would time out
	raw, err := os.ReadFile("../sample/docs/SC-12751.txt")
	if err != nil {
		t.Fatal(err)
	}
	raw = append(raw, []byte("\n\nA different copy.")...)
	// Every reader's slot is taken.
	for range cap(a.Server.slots) {
		a.Server.slots <- struct{}{}
	}
	r := a.do(t, http.MethodPost, "/api/documents", raw, append(bearer(a.editor), "Content-Type", "text/plain")...)
	if r.code != 200 && r.code != 201 {
		t.Errorf("upload with a 1 ms reader budget and every reader slot taken: %d %s", r.code, r.body)
	}
}

// TestSearchIsBounded: a search cannot list every word of the record (a
// prefix needs three letters), and searches have their own slots, so
// charts answer whatever the searches do.
func TestSearchIsBounded(t *testing.T) {
	srv, _ := newTestServer(t, true)
	for _, q := range []string{"s*", "tr*", "*"} {
		r := get(t, srv, "/statements?q="+q)
		if r.code != 400 || !strings.Contains(r.body, "three") {
			t.Errorf("GET /statements?q=%s = %d, want 400 saying a prefix needs three letters", q, r.code)
		}
	}
	if r := get(t, srv, "/statements?q=tra*"); r.code != 200 {
		t.Errorf("GET /statements?q=tra* = %d", r.code)
	}
	// Every search slot is taken by a slow search.
	for range cap(srv.searchSlots) {
		srv.searchSlots <- struct{}{}
	}
	srv.searchWait = 50 * time.Millisecond
	if r := get(t, srv, "/charts/purview.json"); r.code != 200 {
		t.Errorf("chart while searches run: %d", r.code)
	}
	if r := get(t, srv, "/statements?q=women", "Cache-Control", "no-cache"); r.code != 503 || r.header.Get("Retry-After") == "" {
		t.Errorf("search with every search slot taken: %d, want 503 with Retry-After", r.code)
	}
}

// TestHeadPackRendersNothing: HEAD of the pack answers from its headers,
// without starting a browser or rendering a figure.
func TestHeadPackRendersNothing(t *testing.T) {
	srv, _ := newTestServer(t, true)
	req, _ := http.NewRequest(http.MethodHead, "/export/pack.zip", nil)
	start := time.Now()
	resp, err := srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
		t.Errorf("HEAD /export/pack.zip = %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if srv.exporter.rend.Starts() != 0 {
		t.Errorf("HEAD started a browser (%v)", time.Since(start))
	}
}
