package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stancetrack/stancetrack/codebook"
	"github.com/stancetrack/stancetrack/ingest"
	"github.com/stancetrack/stancetrack/registry"
	"github.com/stancetrack/stancetrack/store"
)

func analystTagCount(t *testing.T, st *store.Store) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(`SELECT count(*) FROM tags WHERE source = 'analyst'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAPIRoutingTricks: Fiber routes without strict routing and without
// case sensitivity, so "/api/tags/" and "/API/TAGS" reach the write
// handlers; every spelling of a write route, and every other method, must
// still need a writer's token.
func TestAPIRoutingTricks(t *testing.T) {
	a := newAPIServer(t)
	tag := []byte(`{"meeting":"SC/13000","seq":4,"dimension":"purview","value":"affirms","evidence":"The matter"}`)
	before := analystTagCount(t, a.st)
	tests := []struct{ method, target string }{
		{http.MethodPost, "/api/tags/"},
		{http.MethodPost, "/API/TAGS"},
		{http.MethodPost, "/Api/Tags/"},
		{http.MethodPost, "//api/tags"},
		{http.MethodPost, "/api//tags"},
		{http.MethodPost, "/api/./tags"},
		{http.MethodPost, "/api/x/../tags"},
		{http.MethodPost, "/api/tags%2F"},
		{http.MethodPost, "/api/tags?statement_id=1"},
		{http.MethodPut, "/api/tags"},
		{http.MethodPatch, "/api/tags/1"},
		{http.MethodDelete, "/api/tags/1/"},
		{http.MethodDelete, "/API/tags/1"},
		{http.MethodDelete, "//api/tags/1"},
		{http.MethodDelete, "/api/tags"},
		{http.MethodHead, "/api/tags/1"},
		{http.MethodOptions, "/api/tags"},
		{http.MethodOptions, "/api/tags/1"},
		{http.MethodGet, "/api/tags/1"},
		{http.MethodPost, "/api/documents/"},
		{http.MethodPost, "/API/DOCUMENTS"},
		{http.MethodPut, "/api/documents"},
	}
	for _, tt := range tests {
		for _, auth := range []string{"", "Bearer " + a.viewer} {
			t.Run(tt.method+" "+tt.target+" "+fmt.Sprint(auth != ""), func(t *testing.T) {
				h := []string{"Content-Type", "application/json"}
				if auth != "" {
					h = append(h, "Authorization", auth)
				}
				r := a.do(t, tt.method, tt.target, tag, h...)
				if r.code < 400 || r.code >= 500 {
					t.Errorf("status %d, want a refusal: %.200s", r.code, r.body)
				}
			})
		}
	}
	if n := analystTagCount(t, a.st); n != before {
		t.Errorf("%d analyst tags after refused writes, want %d", n, before)
	}
}

// TestAPIErrorShape: under /api every error is {"error", "status"} JSON,
// unknown paths 404 and known paths with another method 405, never the
// HTML error page.
func TestAPIErrorShape(t *testing.T) {
	a := newAPIServer(t)
	tests := []struct {
		method, target string
		code           int
	}{
		{http.MethodGet, "/api/nothing", 404},
		{http.MethodGet, "/api/", 404},
		{http.MethodPost, "/api/nothing", 404},
		{http.MethodGet, "/api/tags/1", 405},
		{http.MethodPut, "/api/tags", 405},
		{http.MethodDelete, "/api/tags", 405},
		{http.MethodPatch, "/api/tags/1", 405},
		{http.MethodGet, "/api/documents", 405},
		{http.MethodOptions, "/api/documents", 405},
		{http.MethodGet, "/api/tags", 400},
		{http.MethodGet, "/api/tags?statement_id=x", 400},
		{http.MethodGet, "/api/tags?statement_id=99999", 404},
		{http.MethodPost, "/api/tags", 401},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			r := a.do(t, tt.method, tt.target, nil)
			if r.code != tt.code {
				t.Fatalf("status %d, want %d: %.200s", r.code, tt.code, r.body)
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q, want JSON", ct)
			}
			apiError(t, r)
		})
	}
}

// TestAPITokensStayOutOfLogs: no token, good or bad, reaches the log or an
// answer, whatever the request does with it.
func TestAPITokensStayOutOfLogs(t *testing.T) {
	a := newAPIServer(t)
	var logBuf bytes.Buffer
	var mu sync.Mutex
	a.Server.log = slog.New(slog.NewTextHandler(lockedWriter{&mu, &logBuf}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	bogus := "st_" + strings.Repeat("Z", 43)
	var bodies []string
	for _, tok := range []string{a.editor, a.viewer, bogus, "hunter2-not-a-token"} {
		for _, rq := range []struct {
			method, target string
			body           string
			ctype          string
		}{
			{http.MethodPost, "/api/tags?token=" + tok, `{"statement_id":99999,"dimension":"purview","value":"affirms","evidence":"` + tok + `"}`, "application/json"},
			{http.MethodPost, "/api/tags", `{"statement_id":1,"dimension":"purview","value":"affirms","evidence":"` + tok + `"}`, "application/json"},
			{http.MethodDelete, "/api/tags/1", "", ""},
			{http.MethodPost, "/api/documents", "not a release " + tok, "text/plain"},
			{http.MethodGet, "/api/nothing/" + "x", "", ""},
		} {
			r := a.do(t, rq.method, rq.target, []byte(rq.body), "Authorization", "Bearer "+tok, "Content-Type", rq.ctype)
			bodies = append(bodies, r.body, fmt.Sprint(r.header))
		}
	}
	mu.Lock()
	logged := logBuf.String()
	mu.Unlock()
	if !strings.Contains(logged, "request") {
		t.Fatal("nothing was logged; the test does not see the log")
	}
	for _, tok := range []string{a.editor, a.viewer, bogus, "hunter2-not-a-token"} {
		if strings.Contains(logged, tok) {
			t.Errorf("the log holds the token %s...", tok[:6])
		}
		for _, b := range bodies {
			if strings.Contains(b, tok) {
				t.Errorf("an answer holds the token %s...: %.200s", tok[:6], b)
			}
		}
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestAPIEvidenceCopiedFromTheRelease: UN pages print NBSP and other
// Unicode spaces, which the parsers turn into plain spaces in statement
// text; evidence copied from the page must still be found, stored as the
// statement's own characters, with offsets in characters.
func TestAPIEvidenceCopiedFromTheRelease(t *testing.T) {
	a := newAPIServer(t)
	ctx := context.Background()
	civ, err := a.st.StatementID(ctx, "SC/12751", 5) // "Côte d’Ivoire called for the protection of victims, ..."
	if err != nil {
		t.Fatal(err)
	}
	st, _ := a.st.Statement(ctx, civ)
	want := "d’Ivoire called for the protection"
	for _, ev := range []string{
		"d’Ivoire\u00a0called for the protection",
		"d’Ivoire called\u202ffor\u2009the protection",
		want,
	} {
		r := a.postJSON(t, "/api/tags", a.editor, map[string]any{"statement_id": civ, "dimension": "frame",
			"value": "victim_centred", "evidence": ev})
		if r.code != 201 {
			t.Fatalf("evidence %q: %d %s", ev, r.code, r.body)
		}
		var got postedTag
		if err := json.Unmarshal([]byte(r.body), &got); err != nil {
			t.Fatal(err)
		}
		runes := []rune(st.Text)
		if got.Evidence != want || got.Start != 5 || got.End != 5+len([]rune(want)) || string(runes[got.Start:got.End]) != want {
			t.Errorf("evidence %q: answer %q [%d:%d], want %q [5:%d]", ev, got.Evidence, got.Start, got.End, want, 5+len([]rune(want)))
		}
	}
	// A space where the text has none is still no match.
	r := a.postJSON(t, "/api/tags", a.editor, map[string]any{"statement_id": civ, "dimension": "frame",
		"value": "victim_centred", "evidence": "Côte d’Ivoire\u00a0\u00a0called"})
	if r.code != 422 {
		t.Errorf("double NBSP: %d %s", r.code, r.body)
	}
}

func freshAPIServer(t *testing.T) (apiServer, []byte) {
	t.Helper()
	doc, err := os.ReadFile("../sample/docs/SC-12751.txt")
	if err != nil {
		t.Fatal(err)
	}
	st := newTestStore(t)
	p := &ingest.Pipeline{Store: st, Registry: registry.Default(), Codebook: codebook.Default()}
	a := apiServer{Server: New(Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Ingest: p}), st: st}
	if _, err := st.AddUser(context.Background(), "ana", store.RoleEditor); err != nil {
		t.Fatal(err)
	}
	if a.editor, err = st.CreateToken(context.Background(), "ana"); err != nil {
		t.Fatal(err)
	}
	return a, doc
}

// TestAPIConcurrentDocuments: the same document posted twice at once is
// stored once; the other request says unchanged, and neither fails.
func TestAPIConcurrentDocuments(t *testing.T) {
	a, doc := freshAPIServer(t)
	const n = 4
	var wg sync.WaitGroup
	results := make([]response, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, "/api/documents", bytes.NewReader(doc))
			req.Header.Set("Authorization", "Bearer "+a.editor)
			req.Header.Set("Content-Type", "text/plain")
			resp, err := a.App().Test(req, -1)
			if err != nil {
				results[i] = response{code: -1, body: err.Error()}
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			results[i] = response{resp.StatusCode, resp.Header, string(b)}
		}()
	}
	wg.Wait()
	count := map[string]int{}
	for _, r := range results {
		var res apiIngest
		if err := json.Unmarshal([]byte(r.body), &res); err != nil || (r.code != 200 && r.code != 201) {
			t.Errorf("a concurrent post: %d %.300s", r.code, r.body)
			continue
		}
		count[res.Status]++
	}
	if count["added"] != 1 || count["unchanged"] != n-1 {
		t.Errorf("statuses %v, want 1 added and %d unchanged", count, n-1)
	}
	if m, _ := a.st.CountMeetings(context.Background()); m != 1 {
		t.Errorf("%d meetings, want 1", m)
	}
}

// TestAPIReplacedDocumentKeepsTags: an analyst tag made through the API
// survives a corrected version of its document posted through the API,
// on the same statement, with offsets into the new text.
func TestAPIReplacedDocumentKeepsTags(t *testing.T) {
	a, doc := freshAPIServer(t)
	post := func(body []byte) apiIngest {
		t.Helper()
		r := a.do(t, http.MethodPost, "/api/documents", body, append(bearer(a.editor), "Content-Type", "text/plain")...)
		var res apiIngest
		if err := json.Unmarshal([]byte(r.body), &res); err != nil || r.code >= 300 {
			t.Fatalf("POST /api/documents: %d %s", r.code, r.body)
		}
		return res
	}
	if res := post(doc); res.Status != "added" {
		t.Fatalf("first post: %+v", res)
	}
	const evidence = "trafficking fell outside the Security Council’s purview"
	r := a.postJSON(t, "/api/tags", a.editor, map[string]any{"meeting": "SC/12751", "seq": 29, "dimension": "purview",
		"value": "conditional", "evidence": evidence, "rule": "reread"})
	if r.code != 201 {
		t.Fatalf("POST /api/tags: %d %s", r.code, r.body)
	}
	// The correction lengthens Belarus's statement before the evidence.
	fixed := bytes.Replace(doc, []byte("Deputy Foreign Minister of Belarus, pointed out"),
		[]byte("Deputy Foreign Minister of Belarus, pointed out firmly"), 1)
	if bytes.Equal(fixed, doc) {
		t.Fatal("the correction did not apply")
	}
	res := post(fixed)
	if res.Status != "replaced" || !strings.Contains(strings.Join(res.Notes, "; "), "1 analyst tags carried over") {
		t.Fatalf("corrected post: %+v", res)
	}
	r = a.do(t, http.MethodGet, "/api/tags?meeting=SC/12751&seq=29", nil)
	var listed apiStatementTags
	if err := json.Unmarshal([]byte(r.body), &listed); err != nil {
		t.Fatalf("GET /api/tags: %d %s", r.code, r.body)
	}
	st, err := a.st.Statement(context.Background(), listed.StatementID)
	if err != nil {
		t.Fatal(err)
	}
	runes := []rune(st.Text)
	found := false
	for _, tg := range listed.Tags {
		if tg.Source != "analyst" {
			continue
		}
		found = true
		if tg.Evidence != evidence || tg.Author != "ana" || tg.Rule != "reread" || string(runes[tg.Start:tg.End]) != evidence {
			t.Errorf("carried tag %+v does not point at its evidence", tg)
		}
	}
	if !found || listed.Purview != "conditional" {
		t.Errorf("after the correction: purview %q, analyst tag found %v", listed.Purview, found)
	}
}

// TestAPIDocumentStoreFailure: a database failure while storing a posted
// document is the server's fault, not the document's: a 500 with no SQL in
// it, not a 422 "refused".
func TestAPIDocumentStoreFailure(t *testing.T) {
	a, doc := freshAPIServer(t)
	if _, err := a.st.DB().Exec(`CREATE TRIGGER fail_documents BEFORE INSERT ON documents
		BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`); err != nil {
		t.Fatal(err)
	}
	r := a.do(t, http.MethodPost, "/api/documents", doc, append(bearer(a.editor), "Content-Type", "text/plain")...)
	if r.code != 500 {
		t.Errorf("status %d, want 500: %s", r.code, r.body)
	}
	if msg := apiError(t, r); strings.Contains(msg, "disk on fire") || strings.Contains(msg, "refused") {
		t.Errorf("message %q leaks the database error or blames the document", msg)
	}
}

// TestAPIErrorShapeAnyCase: routing ignores case, so "/API/TAGS" reaches the
// API and its errors must be JSON too, as for "/api" itself.
func TestAPIErrorShapeAnyCase(t *testing.T) {
	a := newAPIServer(t)
	for _, tt := range []struct {
		method, target string
		code           int
	}{
		{http.MethodPost, "/API/TAGS", 401},
		{http.MethodDelete, "/Api/tags/1", 401},
		{http.MethodGet, "/API/nothing", 404},
		{http.MethodGet, "/api", 404},
	} {
		r := a.do(t, tt.method, tt.target, nil)
		if r.code != tt.code || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Errorf("%s %s: %d %q, want %d JSON", tt.method, tt.target, r.code, r.header.Get("Content-Type"), tt.code)
		}
	}
}
