package report

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
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/stancetrack/stancetrack/browser"
	"github.com/stancetrack/stancetrack/export"
	"github.com/stancetrack/stancetrack/store"
)

const testDate = "2026-11-26"

func chartData(t *testing.T, st *store.Store, name string, f store.Filter) Data {
	t.Helper()
	d, err := ChartData(context.Background(), st, name, f, "cb-test-7")
	if err != nil {
		t.Fatalf("ChartData(%s): %v", name, err)
	}
	return d
}

func TestChartDataRowsAndSource(t *testing.T) {
	st := newFixture(t)
	tests := []struct {
		name   string
		filter store.Filter
		rows   int
		header []string
	}{
		{"purview", store.Filter{}, fixtureDelegs, []string{"delegation", "iso3", "kind", "position", "contests", "conditional", "affirms", "unstated", "total"}},
		{"map", store.Filter{}, fixtureStates, nil},
		{"frames", store.Filter{}, 3, []string{"delegation", "frame", "statements"}},
		{"instruments", store.Filter{}, 5, []string{"delegation", "instrument", "statements"}},
		{"timeline", store.Filter{}, 2, []string{"meeting", "date", "body", "contests", "conditional", "affirms", "unstated", "total"}},
		{"timeline", store.Filter{Meetings: []string{"SC/13000"}}, 1, nil},
		{"purview", store.Filter{Council: "non-members"}, 2, nil}, // Austria, and Egypt in 2017-09
	}
	for _, tt := range tests {
		d := chartData(t, st, tt.name, tt.filter)
		if d.Len() != tt.rows {
			t.Errorf("%s %+v: %d rows, want %d: %v", tt.name, tt.filter, d.Len(), tt.rows, d.Table)
		}
		if tt.header != nil && !reflect.DeepEqual(d.Table[0], tt.header) {
			t.Errorf("%s header = %v, want %v", tt.name, d.Table[0], tt.header)
		}
		if d.Source.CodebookVersion != "cb-test-7" || len(d.Source.Meetings) == 0 {
			t.Errorf("%s source = %+v", tt.name, d.Source)
		}
	}
	_, err := ChartData(context.Background(), st, "pie", store.Filter{}, "")
	if !errors.Is(err, ErrUnknownChart) || !strings.Contains(err.Error(), "purview, map, frames") {
		t.Errorf("ChartData(pie) = %v, want ErrUnknownChart listing the names", err)
	}
	d := chartData(t, st, "purview", store.Filter{})
	if got := d.Source.MeetingsText(0); got != "SC/12751 (2017-03-15); SC/13000 (2017-09-20)" {
		t.Errorf("MeetingsText = %q", got)
	}
	if d.Source.Updated.Before(time.Now().Add(-time.Hour)) {
		t.Errorf("Updated = %v, want the ingest time", d.Source.Updated)
	}
	v, err := CodebookVersion(context.Background(), st, "fallback")
	if err != nil || v != "cb-test-7" {
		t.Errorf("CodebookVersion = %q, %v; want the stored version", v, err)
	}
}

func TestCSVHasProvenanceAndRows(t *testing.T) {
	st := newFixture(t)
	d := chartData(t, st, "purview", store.Filter{Meetings: []string{"SC/12751", "SC/13000"}})
	var buf bytes.Buffer
	if err := WriteCSV(&buf, d); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	var comments []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "#") {
			comments = append(comments, l)
		} else {
			break
		}
	}
	want := []string{
		"# stancetrack chart purview: Who accepts the Council's purview?",
		"# Source: UN meetings SC/12751 (2017-03-15); SC/13000 (2017-09-20)",
		"# coded with codebook cb-test-7",
		"# Filters: meeting=SC/12751 meeting=SC/13000",
		"# Rows: 5",
	}
	if !reflect.DeepEqual(comments, want) {
		t.Errorf("comment lines:\n%s\nwant:\n%s", strings.Join(comments, "\n"), strings.Join(want, "\n"))
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+fixtureDelegs || recs[0][0] != "delegation" {
		t.Fatalf("CSV has %d records (header %v), want header + %d", len(recs), recs[0], fixtureDelegs)
	}
	// Objectors first, as the chart draws them: Egypt contested once and
	// made a condition once, Russia contested once.
	if recs[1][0] != "Egypt" || recs[2][0] != "Russian Federation" || recs[1][4] != "1" || recs[1][5] != "1" {
		t.Errorf("first rows = %v, %v; want Egypt then the Russian Federation", recs[1], recs[2])
	}
	if strings.Contains(text, time.Now().UTC().Format("2006-01-02")) {
		t.Error("the CSV contains today's date")
	}
}

func TestJSONHasSourceAndRows(t *testing.T) {
	st := newFixture(t)
	d := chartData(t, st, "instruments", store.Filter{})
	var buf bytes.Buffer
	if err := WriteJSON(&buf, d); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Source SourceJSON       `json:"source"`
		Rows   []store.TagCount `json:"rows"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Source.Chart != "instruments" || len(doc.Source.Meetings) != 2 || doc.Source.CodebookVersion != "cb-test-7" || doc.Source.Rows != 5 {
		t.Errorf("source = %+v", doc.Source)
	}
	if len(doc.Rows) != 5 || doc.Rows[0] != (store.TagCount{Delegation: "Austria", Value: "UNSCR_2331", Statements: 1}) {
		t.Errorf("rows = %+v", doc.Rows)
	}
	if !strings.Contains(buf.String(), `\"Friends\" <&> Co`) {
		t.Error("JSON escapes the group's name instead of keeping it as text")
	}
}

func TestStatementsXLSX(t *testing.T) {
	st := newFixture(t)
	ctx := context.Background()
	f := store.Filter{IncludeDuplicates: true}
	p, err := Source(ctx, st, f, "cb-test-7")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := WriteStatementsXLSX(ctx, &buf, st, f, p)
	if err != nil {
		t.Fatal(err)
	}
	if n.Statements != fixtureStatements || n.Tags != fixtureTags || len(n.Meetings) != 2 {
		t.Errorf("counts = %+v, want %d statements, %d tags, 2 meetings", n, fixtureStatements, fixtureTags)
	}
	x, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !reflect.DeepEqual(got, XLSXSheets) {
		t.Fatalf("sheets = %v, want %v", got, XLSXSheets)
	}
	rows := func(sheet string) [][]string {
		r, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	srows, trows, src := rows("statements"), rows("tags"), rows("source")
	if len(srows) != 1+fixtureStatements || len(trows) != 1+fixtureTags {
		t.Errorf("statements sheet %d rows, tags sheet %d rows; want %d and %d", len(srows), len(trows), 1+fixtureStatements, 1+fixtureTags)
	}
	textCol := slices.Index(export.Columns, "text")
	if !reflect.DeepEqual(srows[0], export.Columns) || !reflect.DeepEqual(trows[0], TagColumns) {
		t.Errorf("headers: %v / %v", srows[0], trows[0])
	}
	// The formula-like statement is kept exactly, as a string: no cell
	// holds a formula, so the spreadsheet shows it as text.
	found := false
	for i, r := range srows {
		if textCol >= len(r) {
			continue
		}
		if last := r[textCol]; strings.Contains(last, "HYPERLINK") {
			found = true
			if !strings.HasPrefix(last, "=HYPERLINK") {
				t.Errorf("formula-like text altered: %q", last)
			}
			if typ, _ := x.GetCellType("statements", fmt.Sprintf("V%d", i+1)); typ == excelize.CellTypeFormula {
				t.Errorf("row %d text cell is a formula", i+1)
			}
			cell, _ := excelize.CoordinatesToCellName(textCol+1, i+1)
			if fm, _ := x.GetCellFormula("statements", cell); fm != "" {
				t.Errorf("cell %s holds formula %q", cell, fm)
			}
		}
	}
	if !found {
		t.Error("the formula-like statement is missing")
	}
	// seq is a number, not text.
	if typ, _ := x.GetCellType("statements", "G2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("seq cell type = %v, want a number", typ)
	}
	joined := ""
	for _, r := range src {
		joined += strings.Join(r, "|") + "\n"
	}
	for _, want := range []string{"codebook version|cb-test-7", "statements|9", "tags|16", "SC/12751|2017-03-15", "SC/13000|2017-09-20", "filters|none"} {
		if !strings.Contains(joined, want) {
			t.Errorf("source sheet lacks %q:\n%s", want, joined)
		}
	}
	props, err := x.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Created != p.Updated.Format(time.RFC3339) || props.Modified != props.Created {
		t.Errorf("document times = %s / %s, want the newest ingest time %s", props.Created, props.Modified, p.Updated.Format(time.RFC3339))
	}
}

// gml mirrors the GraphML elements the test checks.
type gml struct {
	Keys []struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	} `xml:"key"`
	Graph struct {
		EdgeDefault string `xml:"edgedefault,attr"`
		Nodes       []struct {
			ID   string    `xml:"id,attr"`
			Data []gmlData `xml:"data"`
		} `xml:"node"`
		Edges []struct {
			Source string    `xml:"source,attr"`
			Target string    `xml:"target,attr"`
			Data   []gmlData `xml:"data"`
		} `xml:"edge"`
	} `xml:"graph"`
}

func dataMap(ds []gmlData) map[string]string {
	m := map[string]string{}
	for _, d := range ds {
		m[d.Key] = d.Value
	}
	return m
}

func TestGraphML(t *testing.T) {
	st := newFixture(t)
	ctx := context.Background()
	n, err := LoadNetwork(ctx, st, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := Source(ctx, st, store.Filter{}, "cb-test-7")
	var buf bytes.Buffer
	if err := WriteGraphML(&buf, n, p); err != nil {
		t.Fatal(err)
	}
	var g gml
	if err := xml.Unmarshal(buf.Bytes(), &g); err != nil {
		t.Fatalf("GraphML does not parse: %v\n%s", err, buf.String())
	}
	keys := map[string]string{}
	for _, k := range g.Keys {
		keys[k.For+"/"+k.Name] = k.Type
	}
	for k, typ := range map[string]string{"node/kind": "string", "node/iso3": "string", "node/council_member": "string",
		"node/delegation_kind": "string", "node/label": "string", "edge/weight": "double", "edge/relation": "string"} {
		if keys[k] != typ {
			t.Errorf("key %s has type %q, want %q", k, keys[k], typ)
		}
	}
	nodes := map[string]map[string]string{}
	for _, nd := range g.Graph.Nodes {
		nodes[nd.ID] = dataMap(nd.Data)
	}
	if len(nodes) != 10 {
		t.Errorf("%d nodes, want 5 delegations + 2 instruments + 3 frames: %v", len(nodes), nodes)
	}
	for id, want := range map[string]map[string]string{
		"delegation:Egypt":          {"kind": "delegation", "iso3": "EGY", "council": "both", "delegation_kind": "member_state", "statements": "2"},
		"delegation:Austria":        {"council": "non-member", "statements": "1"},
		"delegation:United Kingdom": {"council": "member"},
		"delegation:" + groupName:   {"label": groupName, "council": "unknown", "delegation_kind": "intergovernmental", "iso3": ""},
		"instrument:UNSCR_2331":     {"kind": "instrument", "statements": "4"},
		"frame:gender":              {"kind": "frame", "statements": "1"},
	} {
		got, ok := nodes[id]
		if !ok {
			t.Errorf("no node %q", id)
			continue
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("node %q: %s = %q, want %q", id, k, got[k], v)
			}
		}
	}
	edges := map[string]string{}
	for _, e := range g.Graph.Edges {
		d := dataMap(e.Data)
		if nodes[e.Source] == nil || nodes[e.Target] == nil {
			t.Errorf("edge %s–%s names a missing node", e.Source, e.Target)
		}
		edges[e.Source+" → "+e.Target] = d["relation"] + " " + d["weight"]
	}
	want := map[string]string{
		"delegation:United Kingdom → instrument:TIP_PROTOCOL":     "cites 1",
		"delegation:United Kingdom → instrument:UNSCR_2331":       "cites 1",
		"delegation:Egypt → instrument:UNSCR_2331":                "cites 1",
		"delegation:Austria → instrument:UNSCR_2331":              "cites 1",
		"delegation:" + groupName + " → instrument:UNSCR_2331":    "cites 1",
		"delegation:United Kingdom → frame:victim_centred":        "frames 1",
		"delegation:Russian Federation → frame:counter_terrorism": "frames 1",
		"delegation:Egypt → frame:gender":                         "frames 1",
	}
	if !reflect.DeepEqual(edges, want) {
		t.Errorf("edges = %v\nwant %v", edges, want)
	}
	if !strings.Contains(buf.String(), `Group of &#34;Friends&#34; &lt;&amp;&gt; Co`) {
		t.Error("the group's name is not escaped in the XML")
	}
}

func TestDataExportsAreDeterministic(t *testing.T) {
	st := newFixture(t)
	ctx := context.Background()
	f := store.Filter{Meetings: []string{"SC/12751", "SC/13000"}}
	export := func() map[string][]byte {
		out := map[string][]byte{}
		for _, name := range Names {
			d := chartData(t, st, name, f)
			var c, j bytes.Buffer
			if err := WriteCSV(&c, d); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(&j, d); err != nil {
				t.Fatal(err)
			}
			out[name+".csv"], out[name+".json"] = c.Bytes(), j.Bytes()
		}
		p, _ := Source(ctx, st, f, "cb-test-7")
		var x, g bytes.Buffer
		all := f
		all.IncludeDuplicates = true
		if _, err := WriteStatementsXLSX(ctx, &x, st, all, p); err != nil {
			t.Fatal(err)
		}
		n, err := LoadNetwork(ctx, st, f)
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteGraphML(&g, n, p); err != nil {
			t.Fatal(err)
		}
		out["statements.xlsx"], out["network.graphml"] = x.Bytes(), g.Bytes()
		return out
	}
	first := export()
	time.Sleep(1100 * time.Millisecond) // a clock reading in a file would now differ
	second := export()
	for name, b := range first {
		if !bytes.Equal(b, second[name]) {
			t.Errorf("%s differs between two exports of the same data", name)
		}
	}
}

func TestFigureOptionCarriesProvenance(t *testing.T) {
	st := newFixture(t)
	d := chartData(t, st, "purview", store.Filter{Council: "members"})
	figs := d.Figures()
	if len(figs) != 2 || figs[0].ID != "purview" || figs[1].ID != "purview-donut" {
		t.Fatalf("figures = %+v", figs)
	}
	for _, interactive := range []bool{false, true} {
		raw, err := FigureOption(figs[0], d.Source, testDate, interactive)
		if err != nil {
			t.Fatal(err)
		}
		var opt struct {
			Title   map[string]any   `json:"title"`
			Toolbox map[string]any   `json:"toolbox"`
			Graphic []map[string]any `json:"graphic"`
			Series  []struct {
				Data []map[string]any `json:"data"`
			} `json:"series"`
			Background string `json:"backgroundColor"`
		}
		if err := json.Unmarshal(raw, &opt); err != nil {
			t.Fatal(err)
		}
		if opt.Title["text"] != "Who accepts the Council's purview?" || opt.Title["subtext"] != "Source: UN meetings SC/12751 (2017-03-15); SC/13000 (2017-09-20)" {
			t.Errorf("title = %v", opt.Title)
		}
		footer, _ := opt.Graphic[0]["style"].(map[string]any)["text"].(string)
		for _, want := range []string{"coded with codebook cb-test-7", "filters: council=members", "exported " + testDate} {
			if !strings.Contains(footer, want) {
				t.Errorf("footer %q lacks %q", footer, want)
			}
		}
		if opt.Toolbox["show"] != interactive {
			t.Errorf("interactive=%v: toolbox shown = %v", interactive, opt.Toolbox["show"])
		}
		if opt.Background != "#fff" {
			t.Errorf("background = %q", opt.Background)
		}
		for _, s := range opt.Series {
			for _, it := range s.Data {
				if _, ok := it["url"]; ok {
					t.Errorf("an exported data item links to %v", it["url"])
				}
			}
		}
	}
}

// fakeRenderer returns a tiny valid PNG or SVG for each job, so the pack's
// structure is tested without a browser.
type fakeRenderer struct{ jobs []browser.Job }

func (f *fakeRenderer) Render(_ context.Context, jobs []browser.Job) ([][]byte, error) {
	f.jobs = append(f.jobs, jobs...)
	out := make([][]byte, len(jobs))
	for i, j := range jobs {
		out[i] = []byte("<svg " + j.ID + "/>")
	}
	return out, nil
}

func TestPackListsEveryFileAndSource(t *testing.T) {
	st := newFixture(t)
	var buf bytes.Buffer
	r := &fakeRenderer{}
	names, err := WritePack(context.Background(), &buf, st, store.Filter{}, r, PackOptions{Date: testDate, CodebookVersion: "cb-test-7"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.jobs) != 16 || r.jobs[0].Width != DefaultWidth || r.jobs[0].Height != DefaultHeight {
		t.Errorf("rendered %d jobs (%+v), want 8 figures × PNG and SVG at 1600×900", len(r.jobs), r.jobs[0])
	}
	checkPack(t, buf.Bytes(), names)
}

// checkPack checks that the zip holds every listed file and that the
// README names the sources and the files.
func checkPack(t *testing.T, b []byte, names []string) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	want := []string{"README.txt", "statements.xlsx", "network.graphml"}
	for _, n := range Names {
		want = append(want, n+".csv", n+".json")
	}
	for _, fig := range []string{"purview", "purview-donut", "map", "frames", "instruments", "instruments-network", "blocs", "timeline"} {
		want = append(want, fig+".png", fig+".svg")
	}
	if len(names) != len(want) || len(files) != len(want) {
		t.Errorf("pack lists %d and holds %d files, want %d", len(names), len(files), len(want))
	}
	for _, n := range want {
		if len(files[n]) == 0 {
			t.Errorf("pack lacks %s", n)
		}
	}
	readme := string(files["README.txt"])
	for _, s := range append([]string{"  SC/12751 (2017-03-15)\n", "  SC/13000 (2017-09-20)\n", "coded with codebook cb-test-7", "Filters: none"}, want...) {
		if !strings.Contains(readme, s) {
			t.Errorf("README lacks %q", s)
		}
	}
	return files
}

func TestRenderFiguresInChromium(t *testing.T) {
	requireChromium(t)
	st := newFixture(t)
	r := browser.New(browser.Options{})
	defer r.Close()
	ctx := context.Background()
	d := chartData(t, st, "purview", store.Filter{})
	pngB, err := RenderChart(ctx, r, d, "png", Size{Width: 1200, Height: 700}, testDate)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(pngB))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 700 {
		t.Errorf("PNG is %v, want 1200×700", b)
	}
	for _, name := range Names {
		d := chartData(t, st, name, store.Filter{})
		svg, err := RenderChart(ctx, r, d, "svg", Size{}, testDate)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := xml.Unmarshal(svg, new(struct{})); err != nil {
			t.Fatalf("%s: SVG does not parse: %v", name, err)
		}
		s := string(svg)
		wants := []string{`width="1600"`, `height="900"`, "SC/12751 (2017-03-15)", "exported " + testDate, "codebook cb-test-7"}
		switch name {
		case "purview", "frames", "instruments":
			// the instruments bar names instruments; its network names delegations
			wants = append(wants, map[string]string{"purview": "Russian Federation", "frames": "Egypt", "instruments": "UNSCR_2331"}[name])
		}
		for _, want := range wants {
			if !strings.Contains(s, want) {
				t.Errorf("%s SVG lacks %q", name, want)
			}
		}
	}
	if r.Starts() != 1 {
		t.Errorf("%d browser starts for one renderer", r.Starts())
	}
}

func TestPackInChromium(t *testing.T) {
	requireChromium(t)
	st := newFixture(t)
	r := browser.New(browser.Options{})
	defer r.Close()
	var buf bytes.Buffer
	names, err := WritePack(context.Background(), &buf, st, store.Filter{}, r, PackOptions{Size: Size{Width: 800, Height: 450}, Date: testDate, CodebookVersion: "cb-test-7"})
	if err != nil {
		t.Fatal(err)
	}
	files := checkPack(t, buf.Bytes(), names)
	for name, b := range files {
		if strings.HasSuffix(name, ".png") {
			cfg, err := png.DecodeConfig(bytes.NewReader(b))
			if err != nil || cfg.Width != 800 || cfg.Height != 450 {
				t.Errorf("%s: %+v, %v; want an 800×450 PNG", name, cfg, err)
			}
		}
	}
}

// TestHTMLOpensOffline opens the exported map as a file in Chromium: the
// chart draws with every State, and the page fetches nothing.
func TestHTMLOpensOffline(t *testing.T) {
	requireChromium(t)
	st := newFixture(t)
	d := chartData(t, st, "map", store.Filter{})
	path := filepath.Join(t.TempDir(), "map.html")
	var buf bytes.Buffer
	if err := WriteHTML(&buf, d, Size{}, testDate, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	exe, _ := browser.Find("")
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU)...)
	defer cancelA()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+path)); err != nil {
		t.Fatal(err)
	}
	type state struct {
		Regions   int
		Resources []string
		Footer    string
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[state](`(() => {
		const c = echarts.getInstanceByDom(document.getElementById("purview-map"));
		return {Regions: c ? c.getOption().series[0].data.filter(d => d.delegation).length : -1,
			Resources: performance.getEntriesByType("resource").map(e => e.name),
			Footer: document.querySelector("p").textContent};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if got.Regions != fixtureStates || len(got.Resources) != 0 || !strings.Contains(got.Footer, "SC/12751 (2017-03-15)") {
		t.Errorf("offline map: %+v; want %d regions, no fetched resource, the sources", got, fixtureStates)
	}
}
