package server

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"github.com/stancetrack/stancetrack/browser"
	"github.com/stancetrack/stancetrack/report"
	"github.com/stancetrack/stancetrack/store"
)

// shutdownOnCleanup stops the server's browser when the test ends.
func shutdownOnCleanup(t *testing.T, s *Server) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.Shutdown(ctx)
	})
}

func TestExportChartDataMatchesTwins(t *testing.T) {
	s, _ := newTestServer(t, true)
	for _, name := range chartNames {
		q := "?meeting=SC/12751&meeting=SC/13000"
		t.Run(name, func(t *testing.T) {
			resp := get(t, s, "/export/chart/"+name+".csv"+q)
			if resp.code != http.StatusOK || resp.header.Get("Content-Type") != "text/csv; charset=utf-8" ||
				resp.header.Get("Content-Disposition") != `attachment; filename="`+name+`.csv"` {
				t.Fatalf("CSV: %d %v %.200s", resp.code, resp.header, resp.body)
			}
			if !strings.HasPrefix(resp.body, "# stancetrack chart "+name+": ") ||
				!strings.Contains(resp.body, "# Source: UN meetings SC/12751 (2017-03-15); SC/13000 (2017-09-20)\n") ||
				!strings.Contains(resp.body, "# coded with codebook test-cb-1\n") {
				t.Errorf("CSV provenance lines missing:\n%.400s", resp.body)
			}
			r := csv.NewReader(strings.NewReader(resp.body))
			r.Comment = '#'
			got, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			twin, err := csv.NewReader(strings.NewReader(get(t, s, "/charts/"+name+".csv"+q).body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, twin) {
				t.Errorf("export CSV rows differ from /charts/%s.csv:\n%v\n%v", name, got, twin)
			}

			resp = get(t, s, "/export/chart/"+name+".json"+q)
			var doc struct {
				Source report.SourceJSON `json:"source"`
				Rows   json.RawMessage   `json:"rows"`
			}
			if err := json.Unmarshal([]byte(resp.body), &doc); err != nil {
				t.Fatalf("JSON: %v: %.200s", err, resp.body)
			}
			var a, b any
			json.Unmarshal(doc.Rows, &a)
			json.Unmarshal([]byte(get(t, s, "/charts/"+name+".json"+q).body), &b)
			if !reflect.DeepEqual(a, b) {
				t.Errorf("export JSON rows differ from /charts/%s.json", name)
			}
			if len(doc.Source.Meetings) != 2 || doc.Source.Filters["meeting"] == nil || doc.Source.Rows != len(got)-1 {
				t.Errorf("JSON source = %+v", doc.Source)
			}

			resp = get(t, s, "/export/chart/"+name+".html"+q)
			// Self-contained: echarts inlined, nothing loaded from anywhere.
			if resp.code != http.StatusOK || !strings.Contains(resp.body, "echarts") || strings.Contains(resp.body, "<script src") ||
				regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//`).MatchString(resp.body) {
				t.Errorf("HTML export is not self-contained: %d %.200s", resp.code, resp.body)
			}
		})
	}
}

func TestExportBadRequests(t *testing.T) {
	s, _ := newTestServer(t, true)
	tests := []struct{ target, reason string }{
		{"/export/chart/pie.png", `unknown chart`},
		{"/export/chart/purview.gif", `unknown format`},
		{"/export/chart/purview", `unknown format`},
		{"/export/chart/purview.csv?from=yesterday", "from must be a date"},
		{"/export/chart/purview.png?width=10", "width and height must be"},
		{"/export/chart/purview.png?height=tall", "height must be a whole number"},
		{"/export/statements.xlsx?council=maybe", "council must be"},
		{"/export/network.graphml?kind=alien", "kind must be one of"},
		{"/export/pack.zip?width=99999", "width and height must be"},
	}
	for _, tt := range tests {
		resp := get(t, s, tt.target)
		if resp.code != http.StatusBadRequest {
			t.Errorf("GET %s = %d, want 400", tt.target, resp.code)
		}
		if !strings.Contains(resp.body, tt.reason) && !strings.Contains(resp.body, htmlEscape(tt.reason)) {
			t.Errorf("GET %s: body %.300q lacks %q", tt.target, resp.body, tt.reason)
		}
	}
}

func TestExportStatementsXLSX(t *testing.T) {
	s, st := newTestServer(t, true)
	f := store.Filter{Meetings: []string{"SC/12751"}, IncludeDuplicates: true}
	var statements, tags int
	if err := st.EachStatement(context.Background(), f, func(r store.StatementRow) error {
		statements++
		tags += len(r.Tags)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	resp := get(t, s, "/export/statements.xlsx?meeting=SC/12751")
	if resp.code != http.StatusOK || resp.header.Get("Content-Disposition") != `attachment; filename="statements.xlsx"` {
		t.Fatalf("GET statements.xlsx = %d %v", resp.code, resp.header)
	}
	x, err := excelize.OpenReader(strings.NewReader(resp.body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !reflect.DeepEqual(got, report.XLSXSheets) {
		t.Fatalf("sheets = %v", got)
	}
	for sheet, want := range map[string]int{"statements": statements + 1, "tags": tags + 1} {
		rows, _ := x.GetRows(sheet)
		if len(rows) != want {
			t.Errorf("sheet %s has %d rows, want %d", sheet, len(rows), want)
		}
	}
	// The statement with a <script> element is text, not markup or a formula.
	rows, _ := x.GetRows("statements")
	found := false
	for _, r := range rows {
		found = found || slices.Contains(r, scriptText)
	}
	if !found {
		t.Error("the statement with <script> is not kept verbatim")
	}
	if statements != 9 {
		t.Errorf("fixture has %d statements in SC/12751, want 9 (the duplicate included)", statements)
	}
}

func TestExportNetworkGraphML(t *testing.T) {
	s, _ := newTestServer(t, true)
	resp := get(t, s, "/export/network.graphml")
	if resp.code != http.StatusOK || resp.header.Get("Content-Type") != "application/graphml+xml" {
		t.Fatalf("GET network.graphml = %d %v", resp.code, resp.header)
	}
	var g struct {
		Nodes []struct {
			ID   string `xml:"id,attr"`
			Data []struct {
				Key   string `xml:"key,attr"`
				Value string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"graph>node"`
		Edges []struct {
			Source string `xml:"source,attr"`
			Target string `xml:"target,attr"`
		} `xml:"graph>edge"`
	}
	if err := xml.Unmarshal([]byte(resp.body), &g); err != nil {
		t.Fatal(err)
	}
	attrs := map[string]string{}
	for _, n := range g.Nodes {
		for _, d := range n.Data {
			attrs[n.ID+"/"+d.Key] = d.Value
		}
	}
	for k, want := range map[string]string{
		"delegation:Russian Federation/council": "member",
		"delegation:Russian Federation/iso3":    "RUS",
		"delegation:Côte d’Ivoire/council":      "both",
		"instrument:UNSCR_2331/kind":            "instrument",
		"frame:root_causes/statements":          "2",
	} {
		if attrs[k] != want {
			t.Errorf("%s = %q, want %q", k, attrs[k], want)
		}
	}
	edges := map[string]bool{}
	for _, e := range g.Edges {
		edges[e.Source+"|"+e.Target] = true
	}
	for _, e := range []string{"delegation:Egypt|instrument:AGENDA_2030", "delegation:European Union|instrument:TIP_PROTOCOL", "delegation:Russian Federation|frame:counter_terrorism"} {
		if !edges[e] {
			t.Errorf("no edge %s", e)
		}
	}
}

func TestExportWithoutChromium(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no chromium on PATH
	s, _ := newTestServer(t, true)
	shutdownOnCleanup(t, s)
	for _, target := range []string{"/export/chart/purview.png", "/export/chart/map.svg", "/export/pack.zip"} {
		resp := get(t, s, target)
		if resp.code != http.StatusServiceUnavailable || !strings.Contains(resp.body, "apt-get install chromium") {
			t.Errorf("GET %s without Chromium = %d %.300q, want 503 with the install hint", target, resp.code, resp.body)
		}
	}
	if resp := get(t, s, "/export/chart/purview.csv"); resp.code != http.StatusOK {
		t.Errorf("CSV export needs no browser, got %d", resp.code)
	}
}

func TestRenderErrorStatus(t *testing.T) {
	tests := []struct {
		err  error
		code int
	}{
		{fmt.Errorf("render: %w", context.DeadlineExceeded), http.StatusGatewayTimeout},
		{browser.ErrBusy, http.StatusServiceUnavailable},
		{browser.ErrNoChromium, http.StatusServiceUnavailable},
		{browser.ErrAssets, http.StatusServiceUnavailable},
	}
	for _, tt := range tests {
		err := renderError(tt.err)
		var fe *fiber.Error
		if !errors.As(err, &fe) || fe.Code != tt.code {
			t.Errorf("renderError(%v) = %v, want status %d", tt.err, err, tt.code)
		}
	}
}

func TestExportFiguresInChromium(t *testing.T) {
	requireBrowser(t)
	s, _ := newTestServer(t, true)
	shutdownOnCleanup(t, s)
	resp := get(t, s, "/export/chart/purview.png?meeting=SC/12751")
	if resp.code != http.StatusOK || resp.header.Get("Content-Type") != "image/png" {
		t.Fatalf("PNG: %d %.300s", resp.code, resp.body)
	}
	cfg, err := png.DecodeConfig(strings.NewReader(resp.body))
	if err != nil || cfg.Width != report.DefaultWidth || cfg.Height != report.DefaultHeight {
		t.Errorf("PNG is %+v (%v), want 1600×900", cfg, err)
	}
	resp = get(t, s, "/export/chart/instruments.png?width=800&height=500")
	if cfg, err := png.DecodeConfig(strings.NewReader(resp.body)); err != nil || cfg.Width != 800 || cfg.Height != 500 {
		t.Errorf("PNG with size = %+v (%v), want 800×500", cfg, err)
	}
	resp = get(t, s, "/export/chart/frames.svg?council=non-members")
	if resp.code != http.StatusOK || resp.header.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("SVG: %d %.300s", resp.code, resp.body)
	}
	if err := xml.Unmarshal([]byte(resp.body), new(struct{})); err != nil {
		t.Fatalf("SVG does not parse: %v", err)
	}
	for _, want := range []string{"Côte d’Ivoire", "Egypt", "root_causes", "filters: council=non-members", "coded with codebook test-cb-1"} {
		if !strings.Contains(resp.body, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	resp = get(t, s, "/export/pack.zip?from=2017-01-01")
	if resp.code != http.StatusOK {
		t.Fatalf("pack: %d %.300s", resp.code, resp.body)
	}
	zr, err := zip.NewReader(strings.NewReader(resp.body), int64(len(resp.body)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]bool{}
	for _, f := range zr.File {
		files[f.Name] = true
	}
	for _, name := range append(chartNames, "purview-donut", "instruments-network") {
		for _, ext := range []string{".png", ".svg"} {
			if !files[name+ext] {
				t.Errorf("pack lacks %s%s", name, ext)
			}
		}
	}
	for _, name := range []string{"README.txt", "statements.xlsx", "network.graphml", "timeline.csv", "map.json"} {
		if !files[name] {
			t.Errorf("pack lacks %s", name)
		}
	}
}

// fetch GETs a path on its own goroutine; t.Fatal is not allowed there.
func fetch(s *Server, target string) (int, []byte, error) {
	resp, err := s.App().Test(httptest.NewRequest(http.MethodGet, target, nil), -1)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func TestConcurrentPNGExportsShareOneBrowser(t *testing.T) {
	requireBrowser(t)
	s, _ := newTestServer(t, true)
	shutdownOnCleanup(t, s)
	before := browser.Launches()
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, body, err := fetch(s, fmt.Sprintf("/export/chart/%s.png?width=640&height=360", chartNames[i%len(chartNames)]))
			switch {
			case err != nil:
				errs[i] = err
			case code != http.StatusOK:
				errs[i] = fmt.Errorf("status %d: %.200s", code, body)
			default:
				if _, err := png.DecodeConfig(bytes.NewReader(body)); err != nil {
					errs[i] = err
				}
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("request %d: %v", i, err)
		}
	}
	if got := browser.Launches() - before; got != 1 {
		t.Errorf("%d parallel PNG exports started %d browsers, want 1", n, got)
	}
}
