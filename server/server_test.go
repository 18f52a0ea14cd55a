package server

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/export"
	"github.com/stancetrack/stancetrack/static"
	"github.com/stancetrack/stancetrack/store"
)

type response struct {
	code   int
	header http.Header
	body   string
}

func get(t *testing.T, s *Server, target string, headers ...string) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := s.App().Test(req, -1)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read: %v", target, err)
	}
	return response{resp.StatusCode, resp.Header, string(b)}
}

var chartNames = []string{"purview", "map", "frames", "instruments", "blocs", "timeline"}

func TestEveryRouteOK(t *testing.T) {
	s, _ := newTestServer(t, true)
	routes := []string{
		"/", "/?meeting=SC/12751", "/healthz",
		"/delegations/Russian%20Federation", "/delegations/C%C3%B4te%20d%E2%80%99Ivoire",
		"/delegations/Egypt?meeting=SC/14000",
		"/compare?delegation=Russian+Federation&delegation=United+Kingdom",
		"/compare?delegation=Egypt&delegation=C%C3%B4te+d%E2%80%99Ivoire&delegation=Brazil&delegation=Venezuela",
		"/statements", "/statements?q=purview", "/statements?q=traffick*&page=1", "/statements?purview=objections&council=members",
		"/statements.json", "/statements.csv", "/statements.json?delegation=Brazil",
		"/meetings/SC/12751", "/meetings/SC%2F12751", "/meetings/SC/13000",
		"/shifts", "/shifts?group=P5", "/audit",
		"/static/css/app.css", "/static/js/app.js",
	}
	for _, n := range chartNames {
		routes = append(routes, "/charts/"+n, "/charts/"+n+".json", "/charts/"+n+".csv",
			"/charts/"+n+"?group=NAM&from=2017-01-01&to=2017-12-31&kind=member_state")
	}
	for _, r := range routes {
		t.Run(r, func(t *testing.T) {
			resp := get(t, s, r)
			if resp.code != http.StatusOK {
				t.Fatalf("GET %s = %d, want 200; body: %.300s", r, resp.code, resp.body)
			}
			if strings.Contains(resp.header.Get("Content-Type"), "html") && !strings.Contains(resp.body, "</html>") {
				t.Errorf("GET %s: page is cut short", r)
			}
		})
	}
}

func TestBadFilters(t *testing.T) {
	s, _ := newTestServer(t, true)
	tests := []struct {
		target, reason string
	}{
		{"/charts/purview?from=2017-3-1", "from must be a date"},
		{"/charts/purview.json?council=maybe", "council must be"},
		{"/charts/map?purview=angry", "purview must be"},
		{"/charts/frames?kind=alien", "kind must be one of"},
		{"/charts/blocs?from=2018-01-01&to=2017-01-01", "is after to"},
		{"/charts/timeline.csv?body=SC&body=GA", "body takes one value"},
		{"/statements?page=0", "page must be"},
		{"/statements?q=" + strings.Repeat("x", 600), "q must be"},
		{"/compare?delegation=Egypt", "two to four"},
		{"/compare?delegation=A&delegation=B&delegation=C&delegation=D&delegation=E", "two to four"},
		{"/?meeting=" + strings.Repeat("m", 300), "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.target[:min(len(tt.target), 60)], func(t *testing.T) {
			resp := get(t, s, tt.target)
			if resp.code != http.StatusBadRequest {
				t.Fatalf("GET %s = %d, want 400", tt.target, resp.code)
			}
			if !strings.Contains(resp.body, tt.reason) {
				t.Errorf("GET %s: body %.300q does not give the reason %q", tt.target, resp.body, tt.reason)
			}
		})
	}
	// The JSON twin answers errors in JSON.
	resp := get(t, s, "/charts/purview.json?council=maybe")
	var e struct {
		Error  string `json:"error"`
		Status int    `json:"status"`
	}
	if err := json.Unmarshal([]byte(resp.body), &e); err != nil || e.Status != 400 || e.Error == "" {
		t.Errorf("JSON error body = %q (%v)", resp.body, err)
	}
}

func TestNotFound(t *testing.T) {
	s, _ := newTestServer(t, true)
	tests := []struct{ target, want string }{
		{"/delegations/Atlantis", "No statement in the database is by a delegation named"},
		{"/delegations/Russia", "Did you mean: Russian Federation?"},
		{"/delegations/C%C3%B4te", "Côte d’Ivoire"},
		{"/compare?delegation=Egypt&delegation=Atlantis", "Atlantis"},
		{"/meetings/SC/99999", "No meeting"},
		{"/no/such/page", "Cannot GET"},
	}
	for _, tt := range tests {
		resp := get(t, s, tt.target)
		if resp.code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", tt.target, resp.code)
		}
		if !strings.Contains(resp.body, tt.want) && !strings.Contains(resp.body, htmlEscape(tt.want)) {
			t.Errorf("GET %s: body %.400q lacks %q", tt.target, resp.body, tt.want)
		}
	}
}

func htmlEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '\'':
			b.WriteString("&#39;")
		case '"':
			b.WriteString("&#34;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestEmptyDatabase(t *testing.T) {
	s, _ := newTestServer(t, false)
	for _, r := range []string{"/", "/charts/purview", "/charts/map", "/charts/frames", "/charts/instruments",
		"/charts/blocs", "/charts/timeline", "/statements", "/shifts", "/audit"} {
		resp := get(t, s, r)
		if resp.code != http.StatusOK {
			t.Errorf("GET %s on an empty database = %d, want 200", r, resp.code)
			continue
		}
		if !strings.Contains(resp.body, "No meetings yet: run <code>stancetrack ingest FILE</code>") {
			t.Errorf("GET %s on an empty database does not say how to ingest", r)
		}
		if strings.Contains(resp.body, `class="chart"`) {
			t.Errorf("GET %s on an empty database draws a (blank) chart", r)
		}
	}
	for _, n := range chartNames {
		resp := get(t, s, "/charts/"+n+".json")
		if resp.code != 200 || strings.TrimSpace(resp.body) != "[]" {
			t.Errorf("GET /charts/%s.json on an empty database = %d %q, want 200 []", n, resp.code, resp.body)
		}
	}
	if resp := get(t, s, "/healthz"); resp.code != 200 || resp.body != "ok" {
		t.Errorf("/healthz = %d %q", resp.code, resp.body)
	}
}

// TestUntrustedTextEscaped: a statement holding <script> shows as text on
// every page, and the chart option cannot close its <script> element.
func TestUntrustedTextEscaped(t *testing.T) {
	s, st := newTestServer(t, true)
	addMeeting(t, st, "SC/66666", "2019-01-01", 9999, []turn{{
		deleg: `Evil</script><script>alert(1)</script>`, iso3: "", text: "It fell outside the Council's purview.",
		purview: "contests", purviewEv: "fell outside the Council's purview"}})
	for _, r := range []string{"/statements?delegation=Brazil", "/meetings/SC/12751", "/delegations/Brazil", "/statements?q=forum"} {
		resp := get(t, s, r)
		if strings.Contains(resp.body, `<script>alert("xss")`) {
			t.Errorf("GET %s: raw <script> from a document reached the page", r)
		}
		if !strings.Contains(resp.body, "&lt;script&gt;alert(") {
			t.Errorf("GET %s: the <script> text is not shown escaped", r)
		}
	}
	for _, r := range []string{"/charts/purview", "/", "/charts/frames?meeting=SC/66666", "/statements?meeting=SC/66666"} {
		resp := get(t, s, r)
		if strings.Contains(resp.body, "<script>alert(1)") {
			t.Errorf("GET %s: delegation name broke out of the page", r)
		}
	}
	resp := get(t, s, "/charts/purview?meeting=SC/66666")
	if !strings.Contains(resp.body, `Evil\u003c/script\u003e`) {
		t.Errorf("chart option does not escape </script>: %.500s", resp.body)
	}
}

var scriptRe = regexp.MustCompile(`<script[^>]*>`)

func scriptTags(body string) []string { return scriptRe.FindAllString(body, -1) }

func TestSecurityHeadersCompressionETag(t *testing.T) {
	s, _ := newTestServer(t, true)
	resp := get(t, s, "/charts/purview", "Accept-Encoding", "gzip")
	csp := resp.header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
		t.Errorf("CSP = %q, want scripts from 'self' only", csp)
	}
	if resp.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("X-Content-Type-Options = %q", resp.header.Get("X-Content-Type-Options"))
	}
	if resp.header.Get("Content-Encoding") != "gzip" {
		t.Errorf("Content-Encoding = %q, want gzip", resp.header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(strings.NewReader(resp.body))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(zr)
	// Every script on the page is external or a JSON data block: no inline
	// code, no event handler attributes.
	for _, tag := range scriptTags(string(page)) {
		if !strings.Contains(tag, `src="/static/`) && !strings.Contains(tag, `type="application/json"`) {
			t.Errorf("inline script on the page: %s", tag)
		}
	}
	if regexp.MustCompile(`\son[a-z]+=`).Match(page) {
		t.Errorf("page has an inline event handler")
	}
	etag := resp.header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if again := get(t, s, "/charts/purview", "If-None-Match", etag); again.code != http.StatusNotModified {
		t.Errorf("conditional GET = %d, want 304", again.code)
	}
}

func TestEchartsAssetOrMessage(t *testing.T) {
	s, _ := newTestServer(t, true)
	resp := get(t, s, "/charts/map")
	if static.Has(static.EchartsJS) {
		for _, src := range []string{`src="/static/echarts/echarts.min.js"`, `src="/static/echarts/maps/world.js"`} {
			if !strings.Contains(resp.body, src) {
				t.Errorf("map page does not load %s", src)
			}
		}
		if js := get(t, s, "/static/echarts/echarts.min.js"); js.code != 200 || len(js.body) < 500000 {
			t.Errorf("echarts.min.js = %d, %d bytes", js.code, len(js.body))
		}
	} else if !strings.Contains(resp.body, "charts need the echarts asset: run <code>make assets</code>") {
		t.Errorf("without the echarts asset the page does not say how to get it")
	}
}

// chartOption extracts a chart's option JSON from a page.
func chartOption(t *testing.T, page, id string) map[string]any {
	t.Helper()
	re := regexp.MustCompile(`<script type="application/json" id="` + regexp.QuoteMeta(id) + `-option">(.*?)</script>`)
	m := re.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no option for chart %s", id)
	}
	var opt map[string]any
	if err := json.Unmarshal([]byte(m[1]), &opt); err != nil {
		t.Fatalf("option of %s: %v", id, err)
	}
	return opt
}

func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v", err)
	}
	return recs
}

// TestTwinsAgree: the purview page draws exactly the rows of its JSON and
// CSV twins, objectors first, and each bar links to its statements.
func TestTwinsAgree(t *testing.T) {
	s, _ := newTestServer(t, true)
	var rows []store.DelegationPurview
	if err := json.Unmarshal([]byte(get(t, s, "/charts/purview.json").body), &rows); err != nil {
		t.Fatal(err)
	}
	var names []any
	for _, r := range rows {
		names = append(names, r.Delegation)
	}
	wantFirst := []any{"Russian Federation", "Brazil", "Venezuela", "Egypt"}
	if !reflect.DeepEqual(names[:4], wantFirst) {
		t.Errorf("purview rows start %v, want objectors first %v", names[:4], wantFirst)
	}
	csvRows := readCSV(t, get(t, s, "/charts/purview.csv").body)
	if len(csvRows) != len(rows)+1 || csvRows[0][0] != "delegation" {
		t.Fatalf("CSV has %d rows, JSON %d", len(csvRows), len(rows))
	}
	for i, r := range rows {
		c := csvRows[i+1]
		if c[0] != r.Delegation || c[4] != strconv.Itoa(r.Contests) || c[8] != strconv.Itoa(r.Total) {
			t.Errorf("CSV row %v disagrees with JSON row %+v", c, r)
		}
	}
	page := get(t, s, "/charts/purview").body
	opt := chartOption(t, page, "purview-bars")
	cats := opt["yAxis"].([]any)[0].(map[string]any)["data"].([]any)
	if !reflect.DeepEqual(cats, names) {
		t.Errorf("chart categories %v, want the JSON rows %v", cats, names)
	}
	series := opt["series"].([]any)
	contests := series[0].(map[string]any)
	if contests["name"] != "contests" || contests["stack"] != "purview" {
		t.Errorf("first series = %v/%v, want contests stacked", contests["name"], contests["stack"])
	}
	first := contests["data"].([]any)[0].(map[string]any)
	if first["value"].(float64) != float64(rows[0].Contests) {
		t.Errorf("first bar value %v, want %d", first["value"], rows[0].Contests)
	}
	url := first["url"].(string)
	if url != "/statements?delegation=Russian+Federation&purview=contests" {
		t.Errorf("drill-down url = %q", url)
	}
	// Following the link lands on exactly the statements behind the bar.
	var recs []export.Record
	if err := json.Unmarshal([]byte(get(t, s, strings.Replace(url, "/statements", "/statements.json", 1)).body), &recs); err != nil {
		t.Fatal(err)
	}
	if len(recs) != rows[0].Contests {
		t.Errorf("the bar counts %d statements, its link finds %d", rows[0].Contests, len(recs))
	}
	for _, r := range recs {
		if *r.Delegation != "Russian Federation" || r.Purview != "contests" {
			t.Errorf("drill-down found %s/%s", *r.Delegation, r.Purview)
		}
	}

	// Every other chart's JSON twin has as many rows as its CSV twin.
	for _, n := range chartNames {
		var js []map[string]any
		if err := json.Unmarshal([]byte(get(t, s, "/charts/"+n+".json").body), &js); err != nil {
			t.Fatalf("%s.json: %v", n, err)
		}
		c := readCSV(t, get(t, s, "/charts/"+n+".csv").body)
		if len(js) == 0 || len(c) != len(js)+1 {
			t.Errorf("%s: %d JSON rows, %d CSV lines", n, len(js), len(c))
		}
	}
}

func TestChartPagesContent(t *testing.T) {
	s, _ := newTestServer(t, true)
	tests := []struct {
		path string
		ids  []string
		want []string
	}{
		{"/charts/purview", []string{"purview-bars", "purview-donut"}, []string{"Source: SC/12751 (2017-03-15); SC/13000 (2017-09-20); SC/14000 (2018-06-11) · codebook test-cb-1"}},
		{"/charts/map", []string{"purview-map"}, []string{`"name":"RUS"`, `"delegation":"Côte d’Ivoire"`}},
		{"/charts/frames", []string{"frames-heatmap"}, []string{"victim_centred"}},
		{"/charts/instruments", []string{"instruments-bar", "instruments-network"}, []string{"UNSCR_2331", "◆ TIP_PROTOCOL"}},
		{"/charts/blocs", []string{"bloc-bars"}, []string{"Non-members", "council=non-members"}},
		{"/charts/timeline", []string{"timeline"}, []string{"SC/13000 2017-09-20"}},
		{"/charts/timeline?meeting=SC/12751", nil, []string{"Only one meeting (SC/12751)"}},
		{"/delegations/Russian%20Federation", []string{"frames-radar"}, []string{"counter_terrorism", "<mark", "(analyst)"}},
		{"/compare?delegation=Russian+Federation&delegation=Egypt", []string{"purview-bars", "frames-radar"}, []string{"Russian Federation", "Egypt"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			page := get(t, s, tt.path).body
			for _, id := range tt.ids {
				opt := chartOption(t, page, id)
				if opt["animation"] != false {
					t.Errorf("%s: animation = %v, want false", id, opt["animation"])
				}
				if !strings.Contains(page, `<div class="chart" id="`+id+`"`) {
					t.Errorf("%s: no chart element", id)
				}
			}
			if tt.ids == nil && strings.Contains(page, `class="chart"`) {
				t.Errorf("%s draws a chart", tt.path)
			}
			for _, w := range tt.want {
				if !strings.Contains(page, w) && !strings.Contains(page, htmlEscape(w)) {
					t.Errorf("%s lacks %q", tt.path, w)
				}
			}
		})
	}
}

func TestEvidenceAndHits(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"evidence", string(markSpans("a <b> c", []span{{2, 5, "x"}})), `a <mark title="x">&lt;b&gt;</mark> c`},
		{"overlap merges", string(markSpans("abcdef", []span{{0, 3, "p"}, {2, 5, "f"}})), `<mark title="p; f">abcde</mark>f`},
		{"out of range ignored", string(markSpans("abc", []span{{2, 9, "x"}, {-1, 1, "y"}})), `abc`},
		{"mid-rune ignored", string(markSpans("Côte", []span{{0, 2, "x"}})), `Côte`},
		{"hits", string(hitsHTML("Trafficking <in> persons; traffickers", "traffick* persons")), `<mark>Trafficking</mark> &lt;in&gt; <mark>persons</mark>; <mark>traffickers</mark>`},
		{"no query", string(hitsHTML("<x>", "")), `&lt;x&gt;`},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestStatementsExport(t *testing.T) {
	s, _ := newTestServer(t, true)
	resp := get(t, s, "/statements.json?meeting=SC/12751")
	var recs []map[string]any
	if err := json.Unmarshal([]byte(resp.body), &recs); err != nil {
		t.Fatal(err)
	}
	// 9 turns, one of them a repeated paragraph, which is left out.
	if len(recs) != 8 {
		t.Fatalf("got %d statements, want 8", len(recs))
	}
	for _, k := range []string{"meeting", "meeting_number", "body", "session", "date", "year", "seq", "section", "speaker",
		"title", "delegation", "iso3", "kind", "council_member", "on_behalf_of", "aligns_with", "duplicate_of", "purview",
		"frames", "instruments", "tags", "text"} {
		if _, ok := recs[0][k]; !ok {
			t.Errorf("export record lacks key %q", k)
		}
	}
	c := readCSV(t, get(t, s, "/statements.csv?meeting=SC/12751").body)
	if len(c) != 9 || !reflect.DeepEqual(c[0], export.Columns) {
		t.Errorf("CSV: %d lines, header %v", len(c), c[0])
	}
	page := get(t, s, "/statements?q=purview").body
	if !strings.Contains(page, "<mark>purview</mark>") {
		t.Errorf("search hits are not highlighted")
	}
	if !strings.Contains(page, "Statements 1–2 of 2") {
		t.Errorf("search count wrong: %s", regexp.MustCompile(`Statements [0-9][^.]*`).FindString(page))
	}
}

func TestPagination(t *testing.T) {
	s, st := newTestServer(t, false)
	generate(t, st, 3, 40)
	page := get(t, s, "/statements?meeting=SC/20000&meeting=SC/20001&meeting=SC/20002").body
	if !strings.Contains(page, "Statements 1–50 of 120") || !strings.Contains(page, "page=2") {
		t.Errorf("first page does not paginate")
	}
	page = get(t, s, "/statements?meeting=SC/20000&meeting=SC/20001&meeting=SC/20002&page=3").body
	if !strings.Contains(page, "Statements 101–120 of 120") || strings.Contains(page, `rel="next"`) {
		t.Errorf("last page wrong")
	}
}
