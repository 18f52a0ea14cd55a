package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stancetrack/stancetrack/codebook"
	"github.com/stancetrack/stancetrack/ingest"
	"github.com/stancetrack/stancetrack/registry"
	"github.com/stancetrack/stancetrack/store"
)

// apiServer is a seeded server that can ingest, with three accounts.
type apiServer struct {
	*Server
	st                     *store.Store
	editor, admin, viewer  string // tokens
	editorName, viewerName string
}

func newAPIServer(t *testing.T) apiServer {
	t.Helper()
	st := newTestStore(t)
	seed(t, st)
	p := &ingest.Pipeline{Store: st, Registry: registry.Default(), Codebook: codebook.Default()}
	srv := New(Config{Store: st, CodebookVersion: "test-cb-1", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Ingest: p})
	a := apiServer{Server: srv, st: st, editorName: "elena", viewerName: "vic"}
	ctx := context.Background()
	for _, u := range []struct {
		name, role string
		tok        *string
	}{{"elena", store.RoleEditor, &a.editor}, {"root", store.RoleAdmin, &a.admin}, {"vic", store.RoleViewer, &a.viewer}} {
		if _, err := st.AddUser(ctx, u.name, u.role); err != nil {
			t.Fatal(err)
		}
		tok, err := st.CreateToken(ctx, u.name)
		if err != nil {
			t.Fatal(err)
		}
		*u.tok = tok
	}
	return a
}

// do sends a request; headers come in pairs.
func (a apiServer) do(t *testing.T, method, target string, body []byte, headers ...string) response {
	t.Helper()
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := a.App().Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, string(b)}
}

func bearer(tok string) []string { return []string{"Authorization", "Bearer " + tok} }

func (a apiServer) postJSON(t *testing.T, target, tok string, v any) response {
	t.Helper()
	var b []byte
	switch v := v.(type) {
	case string:
		b = []byte(v)
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	return a.do(t, http.MethodPost, target, b, append(bearer(tok), "Content-Type", "application/json")...)
}

func apiError(t *testing.T, r response) string {
	t.Helper()
	var e struct {
		Error  string `json:"error"`
		Status int    `json:"status"`
	}
	if err := json.Unmarshal([]byte(r.body), &e); err != nil || e.Status != r.code {
		t.Fatalf("error body %q is not {error, status %d}: %v", r.body, r.code, err)
	}
	return e.Error
}

func TestAPIAuth(t *testing.T) {
	a := newAPIServer(t)
	tag := []byte(`{"meeting":"SC/13000","seq":4,"dimension":"purview","value":"affirms","evidence":"The matter"}`)
	routes := []struct{ method, target, ctype string }{
		{http.MethodPost, "/api/tags", "application/json"},
		{http.MethodDelete, "/api/tags/1", ""},
		{http.MethodPost, "/api/documents", "text/plain"},
	}
	tests := []struct {
		name      string
		auth      string
		code      int
		challenge string
	}{
		{"no header", "", 401, `Bearer realm="stancetrack"`},
		{"basic", "Basic YW5hOnB3", 401, `Bearer realm="stancetrack"`},
		{"empty bearer", "Bearer ", 401, `Bearer realm="stancetrack"`},
		{"unknown token", "Bearer st_" + strings.Repeat("A", 43), 401, `Bearer realm="stancetrack", error="invalid_token"`},
		{"not a token", "Bearer hunter2", 401, `Bearer realm="stancetrack", error="invalid_token"`},
		{"viewer", "Bearer " + a.viewer, 403, ""},
	}
	for _, rt := range routes {
		for _, tt := range tests {
			t.Run(rt.method+" "+rt.target+" "+tt.name, func(t *testing.T) {
				h := []string{"Content-Type", rt.ctype}
				if tt.auth != "" {
					h = append(h, "Authorization", tt.auth)
				}
				r := a.do(t, rt.method, rt.target, tag, h...)
				if r.code != tt.code {
					t.Fatalf("status %d, want %d: %s", r.code, tt.code, r.body)
				}
				if got := r.header.Get("WWW-Authenticate"); got != tt.challenge {
					t.Errorf("WWW-Authenticate = %q, want %q", got, tt.challenge)
				}
				msg := apiError(t, r)
				if tt.code == 403 && !strings.Contains(msg, "viewer") {
					t.Errorf("403 message %q does not say the role", msg)
				}
			})
		}
	}
	// Nothing was written by any of them.
	var n int
	a.st.DB().QueryRow(`SELECT count(*) FROM tags WHERE source = 'analyst'`).Scan(&n)
	if n != 1 { // the seed's one analyst tag
		t.Errorf("%d analyst tags after refused writes, want the seed's 1", n)
	}
	// The scheme is case-insensitive (RFC 6750), and reads need no token.
	if r := a.do(t, http.MethodPost, "/api/tags", tag, "Authorization", "bearer "+a.admin, "Content-Type", "application/json"); r.code != 201 {
		t.Errorf("admin with lower-case scheme: %d %s", r.code, r.body)
	}
	if r := a.do(t, http.MethodGet, "/api/tags?meeting=SC/13000&seq=4", nil); r.code != 200 {
		t.Errorf("GET /api/tags without a token: %d %s", r.code, r.body)
	}
	if r := a.do(t, http.MethodGet, "/charts/purview.json", nil); r.code != 200 {
		t.Errorf("GET /charts/purview.json: %d", r.code)
	}
}

func purviewRow(t *testing.T, a apiServer, delegation string) store.DelegationPurview {
	t.Helper()
	var rows []store.DelegationPurview
	r := a.do(t, http.MethodGet, "/charts/purview.json", nil)
	if err := json.Unmarshal([]byte(r.body), &rows); err != nil {
		t.Fatalf("purview.json: %v: %s", err, r.body)
	}
	for _, row := range rows {
		if row.Delegation == delegation {
			return row
		}
	}
	t.Fatalf("purview.json has no row for %s", delegation)
	return store.DelegationPurview{}
}

// postedTag is the 201 answer of POST /api/tags.
type postedTag struct {
	apiTag
	Meeting string `json:"meeting"`
	Seq     int    `json:"seq"`
	Purview string `json:"purview"`
}

// TestAPITagChangesCharts: an analyst tag posted through the API decides
// the statement's purview on the charts at once (the cache is keyed by
// the data generation), and deleting it gives the codebook's back.
func TestAPITagChangesCharts(t *testing.T) {
	a := newAPIServer(t)
	before := purviewRow(t, a, "Venezuela")
	if before.Contests != 1 || before.Affirms != 0 {
		t.Fatalf("Venezuela before: %+v, want 1 contests", before.PurviewCounts)
	}
	r := a.postJSON(t, "/api/tags", a.editor, map[string]any{"meeting": "SC/13000", "seq": 4, "dimension": "purview",
		"value": "affirms", "evidence": "not to the Council", "rule": "reread: sarcasm"})
	if r.code != 201 {
		t.Fatalf("POST /api/tags: %d %s", r.code, r.body)
	}
	var got postedTag
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatal(err)
	}
	if got.ID == 0 || got.Author != a.editorName || got.Source != "analyst" || got.Rule != "reread: sarcasm" ||
		got.Meeting != "SC/13000" || got.Seq != 4 || got.Purview != "affirms" {
		t.Errorf("answer = %+v", got)
	}
	after := purviewRow(t, a, "Venezuela")
	if after.Contests != 0 || after.Affirms != 1 || after.Total != before.Total {
		t.Errorf("Venezuela after the analyst tag: %+v, want 1 affirms", after.PurviewCounts)
	}
	if r := a.do(t, http.MethodDelete, fmt.Sprintf("/api/tags/%d", got.ID), nil, bearer(a.editor)...); r.code != 204 || r.body != "" {
		t.Fatalf("DELETE: %d %q", r.code, r.body)
	}
	if again := purviewRow(t, a, "Venezuela"); again.PurviewCounts != before.PurviewCounts {
		t.Errorf("Venezuela after delete: %+v, want %+v", again.PurviewCounts, before.PurviewCounts)
	}
}

func TestAPIAddTag(t *testing.T) {
	a := newAPIServer(t)
	ctx := context.Background()
	civ, err := a.st.StatementID(ctx, "SC/12751", 5) // Côte d’Ivoire: multi-byte text
	if err != nil {
		t.Fatal(err)
	}
	r := a.postJSON(t, "/api/tags", a.editor, map[string]any{"statement_id": civ, "dimension": "frame",
		"value": "migration", "evidence": "especially women and girls"})
	if r.code != 201 {
		t.Fatalf("POST: %d %s", r.code, r.body)
	}
	var got postedTag
	json.Unmarshal([]byte(r.body), &got)
	st, _ := a.st.Statement(ctx, civ)
	runes := []rune(st.Text)
	if got.StatementID != civ || got.Rule != "analyst" || string(runes[got.Start:got.End]) != "especially women and girls" {
		t.Errorf("answer %+v: start/end must count characters of the text", got)
	}
	if got.Start == strings.Index(st.Text, "especially") {
		t.Errorf("start %d is a byte offset", got.Start)
	}

	tests := []struct {
		name string
		body any
		code int
		msg  string
	}{
		{"not JSON", "dimension=purview", 400, "JSON object"},
		{"empty body", "", 400, "empty"},
		{"two objects", `{"statement_id":1,"dimension":"purview","value":"affirms","evidence":"x"} {}`, 400, "one JSON object"},
		{"unknown field", map[string]any{"statement_id": civ, "dimension": "purview", "value": "affirms", "evidance": "x"}, 400, "evidance"},
		{"id as string", map[string]any{"statement_id": "5", "dimension": "purview", "value": "affirms", "evidence": "x"}, 400, "statement_id must be a JSON number"},
		{"missing fields", map[string]any{"statement_id": civ, "dimension": "purview"}, 400, "missing value, evidence"},
		{"no statement", map[string]any{"dimension": "purview", "value": "affirms", "evidence": "x"}, 400, "statement_id, or by meeting and seq"},
		{"both ways", map[string]any{"statement_id": civ, "meeting": "SC/12751", "seq": 5, "dimension": "purview", "value": "affirms", "evidence": "x"}, 400, "statement_id, or by meeting and seq"},
		{"unknown statement", map[string]any{"statement_id": 99999, "dimension": "purview", "value": "affirms", "evidence": "x"}, 404, "statement 99999"},
		{"unknown seq", map[string]any{"meeting": "SC/12751", "seq": 99, "dimension": "purview", "value": "affirms", "evidence": "x"}, 404, "seq 99"},
		{"unknown meeting", map[string]any{"meeting": "SC/1", "seq": 1, "dimension": "purview", "value": "affirms", "evidence": "x"}, 404, "SC/1"},
		{"evidence not in text", map[string]any{"statement_id": civ, "dimension": "purview", "value": "affirms", "evidence": "the Council must act"}, 422, "exact substring"},
		{"bad purview", map[string]any{"statement_id": civ, "dimension": "purview", "value": "maybe", "evidence": "poverty"}, 422, "purview must be"},
		{"bad dimension", map[string]any{"statement_id": civ, "dimension": "mood", "value": "x", "evidence": "poverty"}, 422, "dimension must be"},
		{"frame not in codebook", map[string]any{"statement_id": civ, "dimension": "frame", "value": "victim_centered", "evidence": "poverty"}, 422, "not in the codebook"},
		{"instrument shape", map[string]any{"statement_id": civ, "dimension": "instrument", "value": "Palermo protocol", "evidence": "poverty"}, 422, "UNSCR_2331"},
		{"control character", map[string]any{"statement_id": civ, "dimension": "purview", "value": "affirms", "evidence": "poverty", "rule": "a\x00b"}, 422, "control characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.postJSON(t, "/api/tags", a.editor, tt.body)
			if r.code != tt.code {
				t.Fatalf("status %d, want %d: %s", r.code, tt.code, r.body)
			}
			if msg := apiError(t, r); !strings.Contains(msg, tt.msg) {
				t.Errorf("message %q, want it to say %q", msg, tt.msg)
			}
		})
	}
	// A compressed body is refused before anything inflates it.
	r = a.do(t, http.MethodPost, "/api/tags", []byte{0x1f, 0x8b}, append(bearer(a.editor), "Content-Encoding", "gzip")...)
	if r.code != 415 {
		t.Errorf("gzip body: %d %s", r.code, r.body)
	}
	// Only the first, valid tag was stored.
	var n int
	a.st.DB().QueryRow(`SELECT count(*) FROM tags WHERE source = 'analyst' AND author = 'elena'`).Scan(&n)
	if n != 1 {
		t.Errorf("elena has %d tags, want 1", n)
	}
}

func TestAPIDeleteTag(t *testing.T) {
	a := newAPIServer(t)
	r := a.do(t, http.MethodGet, "/api/tags?meeting=SC/12751&seq=3", nil)
	var listed apiStatementTags
	if err := json.Unmarshal([]byte(r.body), &listed); err != nil || len(listed.Tags) == 0 {
		t.Fatalf("GET /api/tags: %d %s", r.code, r.body)
	}
	if listed.Delegation != "Russian Federation" || listed.Purview != "contests" {
		t.Errorf("listed %+v", listed)
	}
	codebookTag := listed.Tags[0].ID
	r = a.postJSON(t, "/api/tags", a.admin, map[string]any{"statement_id": listed.StatementID, "dimension": "purview",
		"value": "conditional", "evidence": "should be addressed by the General Assembly"})
	var added postedTag
	if err := json.Unmarshal([]byte(r.body), &added); err != nil || r.code != 201 {
		t.Fatalf("POST: %d %s", r.code, r.body)
	}
	tests := []struct {
		name, target string
		code         int
		msg          string
	}{
		{"codebook tag", fmt.Sprintf("/api/tags/%d", codebookTag), 409, "add an analyst tag"},
		{"not a number", "/api/tags/abc", 400, "positive integer"},
		{"negative", "/api/tags/-3", 400, "positive integer"},
		{"unknown", "/api/tags/99999", 404, "tag 99999 not found"},
		{"analyst tag", fmt.Sprintf("/api/tags/%d", added.ID), 204, ""},
		{"deleted already", fmt.Sprintf("/api/tags/%d", added.ID), 404, "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.do(t, http.MethodDelete, tt.target, nil, bearer(a.editor)...)
			if r.code != tt.code {
				t.Fatalf("status %d, want %d: %s", r.code, tt.code, r.body)
			}
			if tt.msg != "" {
				if msg := apiError(t, r); !strings.Contains(msg, tt.msg) {
					t.Errorf("message %q, want it to say %q", msg, tt.msg)
				}
			}
		})
	}
	if _, err := a.st.Tag(context.Background(), codebookTag); err != nil {
		t.Errorf("the codebook tag is gone: %v", err)
	}
	// Unknown API paths answer JSON too.
	if r := a.do(t, http.MethodGet, "/api/nothing", nil); r.code != 404 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("GET /api/nothing: %d %s", r.code, r.header.Get("Content-Type"))
	}
}

func multipartBody(t *testing.T, field, filename string, content []byte) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, err := w.CreateFormFile(field, filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

func TestAPIDocuments(t *testing.T) {
	a := newAPIServer(t)
	doc, err := os.ReadFile("../sample/docs/SC-12751.txt")
	if err != nil {
		t.Fatal(err)
	}
	// The seed has its own SC/12751; a fresh store shows "added".
	st := newTestStore(t)
	p := &ingest.Pipeline{Store: st, Registry: registry.Default(), Codebook: codebook.Default()}
	a.Server = New(Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Ingest: p})
	a.st = st
	if _, err := st.AddUser(context.Background(), "ana", store.RoleEditor); err != nil {
		t.Fatal(err)
	}
	a.editor, _ = st.CreateToken(context.Background(), "ana")
	meetings := func() int {
		n, err := st.CountMeetings(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	post := func(body []byte, ctype string) response {
		return a.do(t, http.MethodPost, "/api/documents", body, append(bearer(a.editor), "Content-Type", ctype)...)
	}
	r := post(doc, "text/plain; charset=utf-8")
	var res apiIngest
	if err := json.Unmarshal([]byte(r.body), &res); err != nil || r.code != 201 {
		t.Fatalf("POST text/plain: %d %s", r.code, r.body)
	}
	if res.Status != "added" || res.Symbol != "SC/12751" || res.Statements != 79 || len(res.Notes) == 0 {
		t.Errorf("answer = %+v", res)
	}
	mp, ctype := multipartBody(t, "file", "../../SC-12751.txt", doc)
	r = post(mp, ctype)
	if json.Unmarshal([]byte(r.body), &res); r.code != 200 || res.Status != "unchanged" {
		t.Errorf("POST multipart of the same bytes: %d %s", r.code, r.body)
	}
	var filename string
	st.DB().QueryRow(`SELECT filename FROM documents`).Scan(&filename)
	if filename != "upload.txt" {
		t.Errorf("stored filename %q", filename)
	}
	if meetings() != 1 {
		t.Fatalf("%d meetings, want 1", meetings())
	}
	if row := purviewRow(t, a, "Russian Federation"); row.Total == 0 {
		t.Errorf("the posted document is not on the charts")
	}

	gen, _ := st.Generation(context.Background())
	huge := bytes.Repeat([]byte("a"), ingest.MaxFileSize+1)
	wrongField, wrongCtype := multipartBody(t, "document", "x.txt", doc)
	hugePart, hugeCtype := multipartBody(t, "file", "x.txt", huge)
	tests := []struct {
		name  string
		body  []byte
		ctype string
		code  int
		msg   string
	}{
		{"not a release", []byte("Dear colleagues,\n\nplease find attached the agenda.\n"), "text/plain", 422, "refused: "},
		{"html garbage", []byte("<html><body><p>Hello</p></body></html>"), "text/html", 422, "refused: "},
		{"binary", []byte{0, 1, 2, 3, 0xff, 0xfe}, "text/plain", 422, "refused: "},
		{"empty", nil, "text/plain", 400, "empty"},
		{"json", []byte(`{"text":"x"}`), "application/json", 415, "text/plain or text/html"},
		{"no content type", doc, "", 415, "text/plain or text/html"},
		{"wrong field", wrongField, wrongCtype, 400, `"file"`},
		{"one byte too large", huge, "text/plain", 413, "at most 8 MiB"},
		{"multipart too large", hugePart, hugeCtype, 413, "at most 8 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post(tt.body, tt.ctype)
			if r.code != tt.code {
				t.Fatalf("status %d, want %d: %.300s", r.code, tt.code, r.body)
			}
			if msg := apiError(t, r); !strings.Contains(msg, tt.msg) || strings.Contains(msg, "\n") || !utf8.ValidString(msg) {
				t.Errorf("message %q, want one line saying %q", msg, tt.msg)
			}
		})
	}
	// Above the server's body limit, fasthttp answers before the handler
	// runs; app.Test cannot send such a body, so this goes over TCP.
	t.Run("over the body limit", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Skip("no loopback listener:", err)
		}
		go a.App().Listener(ln)
		defer a.App().Shutdown()
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		fmt.Fprintf(conn, "POST /api/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
			"Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n", a.editor, ingest.MaxFileSize+2<<20)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 413 {
			t.Errorf("status %d, want 413: %s", resp.StatusCode, body)
		}
	})
	if g, _ := st.Generation(context.Background()); g != gen || meetings() != 1 {
		t.Errorf("refused documents changed the data: generation %d -> %d, %d meetings", gen, g, meetings())
	}
}

// TestAPIExportShapedTag: a tag written as the export writes one (with
// source and character offsets) is taken; the offsets pick the occurrence,
// and offsets that do not hold the evidence or a source other than analyst
// are refused.
func TestAPIExportShapedTag(t *testing.T) {
	a := newAPIServer(t)
	ctx := context.Background()
	civ, err := a.st.StatementID(ctx, "SC/12751", 5) // Côte d’Ivoire: multi-byte text
	if err != nil {
		t.Fatal(err)
	}
	st, _ := a.st.Statement(ctx, civ)
	runes := []rune(st.Text)
	// The last occurrence of a short word, in characters.
	word := []rune("and")
	first, at := -1, -1
	for i := 0; i+len(word) <= len(runes); i++ {
		if string(runes[i:i+len(word)]) == string(word) {
			if first < 0 {
				first = i
			}
			at = i
		}
	}
	if at <= first {
		t.Fatalf("the statement needs a later occurrence of %q beyond the first", string(word))
	}
	tag := map[string]any{"statement_id": civ, "dimension": "frame", "value": "gender", "evidence": "and",
		"start": at, "end": at + len(word), "rule": "", "source": "analyst"}
	r := a.postJSON(t, "/api/tags", a.editor, tag)
	if r.code != 201 {
		t.Fatalf("POST export-shaped tag: %d %s", r.code, r.body)
	}
	var got postedTag
	json.Unmarshal([]byte(r.body), &got)
	if got.Start != at || got.End != at+len(word) || got.Source != "analyst" {
		t.Errorf("answer %+v, want the occurrence at %d", got, at)
	}

	for _, tt := range []struct {
		name string
		edit map[string]any
		code int
		msg  string
	}{
		{"offsets elsewhere", map[string]any{"start": at + 1, "end": at + 1 + len(word)}, 422, "not the evidence"},
		{"offsets past the end", map[string]any{"start": len(runes), "end": len(runes) + 3}, 422, "not the evidence"},
		{"start alone", map[string]any{"end": nil}, 400, "start and end go together"},
		{"codebook source", map[string]any{"source": "codebook"}, 422, "analyst"},
	} {
		body := map[string]any{}
		for k, v := range tag {
			body[k] = v
		}
		for k, v := range tt.edit {
			if v == nil {
				delete(body, k)
			} else {
				body[k] = v
			}
		}
		r := a.postJSON(t, "/api/tags", a.editor, body)
		if r.code != tt.code || !strings.Contains(apiError(t, r), tt.msg) {
			t.Errorf("%s: %d %s, want %d with %q", tt.name, r.code, r.body, tt.code, tt.msg)
		}
	}
}

// TestAPIReadOnlyServer: a server started read-only refuses every write
// with 403, even an admin's, after the token is checked, and still reads.
func TestAPIReadOnlyServer(t *testing.T) {
	a := newAPIServer(t)
	a.Server.readOnly = true
	tag := map[string]any{"meeting": "SC/12751", "seq": 5, "dimension": "frame", "value": "gender", "evidence": "women"}
	if r := a.postJSON(t, "/api/tags", "", tag); r.code != 401 {
		t.Errorf("no token on a read-only server: %d, want 401", r.code)
	}
	for _, tok := range []string{a.editor, a.admin} {
		r := a.postJSON(t, "/api/tags", tok, tag)
		if r.code != 403 || !strings.Contains(apiError(t, r), "read-only") {
			t.Errorf("POST /api/tags on a read-only server: %d %s, want 403", r.code, r.body)
		}
		if r := a.do(t, http.MethodDelete, "/api/tags/1", nil, bearer(tok)...); r.code != 403 {
			t.Errorf("DELETE on a read-only server: %d, want 403", r.code)
		}
		if r := a.do(t, http.MethodPost, "/api/documents", []byte("text"), append(bearer(tok), "Content-Type", "text/plain")...); r.code != 403 {
			t.Errorf("POST /api/documents on a read-only server: %d, want 403", r.code)
		}
	}
	if r := a.do(t, http.MethodGet, "/api/tags?meeting=SC/12751&seq=5", nil); r.code != 200 {
		t.Errorf("reading tags on a read-only server: %d", r.code)
	}
}
