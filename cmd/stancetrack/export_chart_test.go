package main

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/stancetrack/stancetrack/browser"
	"github.com/stancetrack/stancetrack/report"
	"github.com/stancetrack/stancetrack/static"
)

// seededDB ingests the reference release into a new database.
func seededDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "s.db")
	if out, errOut, code := cmdRun(t, nil, "ingest", "--db", db, seed); code != 0 {
		t.Fatalf("ingest exit %d: %s %s", code, out, errOut)
	}
	return db
}

func requireChromium(t *testing.T) {
	t.Helper()
	miss := func(why string) {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set: %s", why)
		}
		t.Skip(why)
	}
	if !static.Has(static.EchartsJS) || !static.Has(static.WorldMapJS) {
		miss("the echarts asset is missing: run make assets")
	}
	if _, err := browser.Find(""); err != nil {
		miss(err.Error())
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestExportChartData(t *testing.T) {
	db := seededDB(t)
	dir := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		out, errOut, code := cmdRun(t, nil, append([]string{"export"}, append(args, "--db", db)...)...)
		if code != 0 {
			t.Fatalf("export %v: exit %d: %s", args, code, errOut)
		}
		return out
	}
	csvFile := filepath.Join(dir, "instruments.csv")
	run("chart", "instruments", "--format", "csv", "-o", csvFile)
	text := string(readFile(t, csvFile))
	if !strings.HasPrefix(text, "# stancetrack chart instruments: ") || !strings.Contains(text, "# Source: UN meetings SC/12751 (2017, undated)\n") ||
		!strings.Contains(text, "# coded with codebook ") {
		t.Errorf("CSV provenance:\n%.400s", text)
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// The same rows as JSON, and the format inferred from -o.
	jsonFile := filepath.Join(dir, "instruments.json")
	run("chart", "instruments", "-o", jsonFile)
	var doc struct {
		Source report.SourceJSON `json:"source"`
		Rows   []map[string]any  `json:"rows"`
	}
	if err := json.Unmarshal(readFile(t, jsonFile), &doc); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(recs[0], []string{"delegation", "instrument", "statements"}) || len(recs)-1 != len(doc.Rows) || len(doc.Rows) < 10 {
		t.Errorf("CSV has %d rows (header %v), JSON %d", len(recs)-1, recs[0], len(doc.Rows))
	}
	if doc.Source.Rows != len(doc.Rows) || len(doc.Source.Meetings) != 1 || doc.Source.Meetings[0].Symbol != "SC/12751" || doc.Source.CodebookVersion == "" {
		t.Errorf("JSON source = %+v", doc.Source)
	}
	// Filters narrow the rows; stdout without -o.
	out := run("chart", "purview", "--format", "csv", "--delegation", "Russian Federation", "--delegation", "Brazil")
	if n := strings.Count(out, "\n") - 5; n != 3 || !strings.Contains(out, "# Filters: delegation=Russian Federation delegation=Brazil\n") {
		t.Errorf("filtered CSV (%d lines after the comments):\n%s", n, out)
	}
	html := run("chart", "map", "--format", "html")
	if !strings.Contains(html, `registerMap`) || strings.Contains(html, "<script src") || !strings.Contains(html, `id="purview-map"`) {
		t.Errorf("map.html is not self-contained (%d bytes)", len(html))
	}
}

func TestExportUsageErrors(t *testing.T) {
	db := seededDB(t)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"export", "chart", "pie", "--format", "csv"}, 2, `unknown chart "pie"`},
		{[]string{"export", "chart", "--format", "csv"}, 2, "name one chart"},
		{[]string{"export", "chart", "purview", "--format", "gif"}, 1, "--format must be one of png, svg, csv, json, html"},
		{[]string{"export", "chart", "purview", "--format", "png", "--width", "5"}, 1, "width and height must be"},
		{[]string{"export", "chart", "purview", "--format", "csv", "--from", "2018-01-01", "--to", "2017-01-01"}, 1, "is after"},
		{[]string{"export", "network", "--format", "gexf"}, 1, "--format must be one of graphml"},
		{[]string{"export", "pack"}, 2, "-o FILE.zip is required"},
		{[]string{"export", "bogus"}, 2, "want: statements, chart, network, pack"},
		{[]string{"export", "statements", "--format", "ods"}, 1, "jsonl, csv or xlsx"},
	}
	for _, tt := range tests {
		_, errOut, code := cmdRun(t, nil, append(tt.args, "--db", db)...)
		if code != tt.code || !strings.Contains(errOut, tt.msg) {
			t.Errorf("%v: exit %d, %q; want exit %d with %q", tt.args, code, errOut, tt.code, tt.msg)
		}
	}
}

func TestExportStatementsXLSXAndNetwork(t *testing.T) {
	db := seededDB(t)
	dir := t.TempDir()
	export := func(name string, args ...string) []byte {
		t.Helper()
		out := filepath.Join(dir, name)
		if _, errOut, code := cmdRun(t, nil, append([]string{"export"}, append(args, "--db", db, "-o", out)...)...); code != 0 {
			t.Fatalf("export %v: exit %d: %s", args, code, errOut)
		}
		return readFile(t, out)
	}
	x, err := excelize.OpenReader(bytes.NewReader(export("statements.xlsx", "statements", "--format", "xlsx")))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !reflect.DeepEqual(got, []string{"statements", "tags", "source"}) {
		t.Fatalf("sheets = %v", got)
	}
	rows, _ := x.GetRows("statements")
	if len(rows) != 80 { // the header and all 79 statements, the duplicate included
		t.Errorf("statements sheet has %d rows, want 80", len(rows))
	}
	tags, _ := x.GetRows("tags")
	recs := exportJSONL(t, db)
	want := 1
	for _, r := range recs {
		want += len(r["tags"].([]any))
	}
	if len(tags) != want {
		t.Errorf("tags sheet has %d rows, want %d (the JSONL's tags + header)", len(tags), want)
	}

	g := export("network.graphml", "network", "--format", "graphml")
	var doc struct {
		Nodes []struct {
			ID string `xml:"id,attr"`
		} `xml:"graph>node"`
		Edges []struct{} `xml:"graph>edge"`
	}
	if err := xml.Unmarshal(g, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Nodes) < 20 || len(doc.Edges) < 20 {
		t.Errorf("network has %d nodes and %d edges", len(doc.Nodes), len(doc.Edges))
	}
}

func TestExportIsDeterministic(t *testing.T) {
	db := seededDB(t)
	dir := t.TempDir()
	cases := [][]string{
		{"purview.csv", "chart", "purview", "--format", "csv", "--council", "members"},
		{"frames.json", "chart", "frames", "--format", "json"},
		{"network.graphml", "network"},
		{"statements.xlsx", "statements", "--format", "xlsx"},
	}
	for _, c := range cases {
		var outs [2][]byte
		for i := range outs {
			path := filepath.Join(dir, c[0])
			if _, errOut, code := cmdRun(t, nil, append([]string{"export"}, append(c[1:], "--db", db, "-o", path)...)...); code != 0 {
				t.Fatalf("%v: %s", c, errOut)
			}
			outs[i] = readFile(t, path)
		}
		if !bytes.Equal(outs[0], outs[1]) {
			t.Errorf("%s differs between two exports", c[0])
		}
	}
}

func TestExportFiguresWithoutChromium(t *testing.T) {
	db := seededDB(t)
	t.Setenv("PATH", t.TempDir())
	out := filepath.Join(t.TempDir(), "p.png")
	for _, args := range [][]string{
		{"export", "chart", "purview", "--format", "png", "-o", out},
		{"export", "pack", "-o", out + ".zip"},
	} {
		_, errOut, code := cmdRun(t, nil, append(args, "--db", db)...)
		if code != 1 || !strings.Contains(errOut, "apt-get install chromium") {
			t.Errorf("%v without Chromium: exit %d, %q", args, code, errOut)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed export left %s behind", out)
	}
}

func TestExportFiguresAndPack(t *testing.T) {
	requireChromium(t)
	db := seededDB(t)
	dir := t.TempDir()
	pngFile, svgFile, zipFile := filepath.Join(dir, "purview.png"), filepath.Join(dir, "frames.svg"), filepath.Join(dir, "report-pack.zip")
	for _, args := range [][]string{
		{"chart", "purview", "--format", "png", "-o", pngFile, "--width", "1200", "--height", "800", "--meeting", "SC/12751"},
		{"chart", "frames", "--format", "svg", "-o", svgFile},
		{"pack", "-o", zipFile, "--width", "800", "--height", "450"},
	} {
		if _, errOut, code := cmdRun(t, nil, append([]string{"export"}, append(args, "--db", db)...)...); code != 0 {
			t.Fatalf("export %v: exit %d: %s", args, code, errOut)
		}
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(readFile(t, pngFile)))
	if err != nil || cfg.Width != 1200 || cfg.Height != 800 {
		t.Errorf("PNG %+v, %v; want 1200×800", cfg, err)
	}
	svg := readFile(t, svgFile)
	if err := xml.Unmarshal(svg, new(struct{})); err != nil || !bytes.Contains(svg, []byte("Russian Federation")) ||
		!bytes.Contains(svg, []byte("SC/12751 (2017, undated)")) {
		t.Errorf("SVG (%v) lacks a delegation or its source", err)
	}
	zr, err := zip.OpenReader(zipFile)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	for _, name := range []string{"README.txt", "statements.xlsx", "network.graphml", "purview.png", "purview.svg", "purview.csv",
		"map.png", "map.svg", "frames.png", "instruments-network.svg", "blocs.csv", "timeline.png"} {
		if files[name] == nil {
			t.Errorf("pack lacks %s", name)
		}
	}
	rc, err := files["README.txt"].Open()
	if err != nil {
		t.Fatal(err)
	}
	var readme bytes.Buffer
	readme.ReadFrom(rc)
	rc.Close()
	if !strings.Contains(readme.String(), "  SC/12751 (2017, undated)\n") || !strings.Contains(readme.String(), "statements.xlsx") {
		t.Errorf("README does not list the sources and files:\n%s", readme.String())
	}
}

// TestFiguresAreDeterministic: the same database and filters draw the same
// figures, the network included (a random force layout once made every
// pack differ).
func TestFiguresAreDeterministic(t *testing.T) {
	requireChromium(t)
	db := seededDB(t)
	dir := t.TempDir()
	var svgs [2]map[string][]byte
	for i := range svgs {
		path := filepath.Join(dir, fmt.Sprintf("pack%d.zip", i))
		if _, errOut, code := cmdRun(t, nil, "export", "pack", "--db", db, "-o", path); code != 0 {
			t.Fatalf("pack: %s", errOut)
		}
		zr, err := zip.OpenReader(path)
		if err != nil {
			t.Fatal(err)
		}
		svgs[i] = map[string][]byte{}
		for _, f := range zr.File {
			if strings.HasSuffix(f.Name, ".svg") {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				svgs[i][f.Name] = b
			}
		}
		zr.Close()
	}
	if len(svgs[0]) < 6 {
		t.Fatalf("pack holds %d SVG figures, want every chart", len(svgs[0]))
	}
	for name, b := range svgs[0] {
		if !bytes.Equal(b, svgs[1][name]) {
			t.Errorf("%s differs between two packs of the same data", name)
		}
	}
}
