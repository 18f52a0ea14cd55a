package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/codebook"
	"github.com/stancetrack/stancetrack/ingest"
	"github.com/stancetrack/stancetrack/model"
	"github.com/stancetrack/stancetrack/registry"
	"github.com/stancetrack/stancetrack/store"
)

const seed = "../../sample/docs/SC-12751.txt"

// cmdRun runs the CLI in-process with a fake environment.
func cmdRun(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb, func(k string) string { return env[k] })
	var ee exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.code
	default:
		errb.WriteString(err.Error())
		code = 1
	}
	return out.String(), errb.String(), code
}

func exportJSONL(t *testing.T, db string, extra ...string) []map[string]any {
	t.Helper()
	out, errOut, code := cmdRun(t, nil, append([]string{"export", "statements", "--db", db, "--format", "jsonl"}, extra...)...)
	if code != 0 {
		t.Fatalf("export exit %d: %s", code, errOut)
	}
	var recs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line is not JSON: %v", err)
		}
		recs = append(recs, m)
	}
	return recs
}

var contractKeys = []string{"meeting", "meeting_number", "body", "session", "date", "year", "seq", "section",
	"speaker", "title", "delegation", "iso3", "kind", "council_member", "on_behalf_of", "aligns_with",
	"duplicate_of", "purview", "frames", "instruments", "tags", "text"}

// addedKeys follow the contract's keys, in this order: the contract may
// only grow at the end.
var addedKeys = []string{"needs_review"}

var exportKeys = append(slices.Clone(contractKeys), addedKeys...)

// keyOrder returns the top-level keys of a JSON object in the order written.
func keyOrder(t *testing.T, line []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.Token() // {
	var keys []string
	for dec.More() {
		tok, _ := dec.Token()
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		dec.Decode(&skip)
	}
	return keys
}

func TestIngestAndExportSeed(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	out, errOut, code := cmdRun(t, nil, "ingest", "--db", db, seed)
	if code != 0 {
		t.Fatalf("ingest exit %d: %s %s", code, out, errOut)
	}
	if !strings.Contains(out, "SC/12751") || !strings.Contains(out, "79 statements") || !strings.Contains(out, "duplicate") {
		t.Errorf("ingest summary = %q; want symbol, 79 statements and the duplicate noted", out)
	}

	raw, _, _ := cmdRun(t, nil, "export", "statements", "--db", db, "--format", "jsonl")
	first := []byte(strings.SplitN(raw, "\n", 2)[0])
	if got := keyOrder(t, first); !reflect.DeepEqual(got, exportKeys) {
		t.Fatalf("JSONL keys = %v\nwant %v", got, exportKeys)
	}

	recs := exportJSONL(t, db)
	if len(recs) != 79 {
		t.Fatalf("exported %d statements, want 79", len(recs))
	}
	dups := 0
	bySpeaker := map[string]map[string]any{}
	for i, r := range recs {
		if r["meeting"] != "SC/12751" || r["meeting_number"] != float64(7898) || r["session"] != "AM" || r["body"] != "SC" {
			t.Fatalf("record %d meeting fields = %v %v %v %v", i, r["meeting"], r["meeting_number"], r["session"], r["body"])
		}
		if r["seq"] != float64(i+1) {
			t.Errorf("record %d has seq %v, want document order", i, r["seq"])
		}
		if r["duplicate_of"] != nil {
			dups++
		}
		text := r["text"].(string)
		for _, tg := range r["tags"].([]any) {
			tag := tg.(map[string]any)
			start, end := int(tag["start"].(float64)), int(tag["end"].(float64))
			runes := []rune(text)
			if start < 0 || end > len(runes) || string(runes[start:end]) != tag["evidence"] {
				t.Errorf("seq %v: tag %v evidence %q is not text[%d:%d] (in characters)", r["seq"], tag["value"], tag["evidence"], start, end)
			}
		}
		if s, ok := r["speaker"].(string); ok && r["duplicate_of"] == nil {
			bySpeaker[s] = r
		}
	}
	if dups != 1 {
		t.Errorf("%d records flagged duplicate_of, want 1 (the Austria turn printed twice)", dups)
	}

	checks := []struct {
		speaker, delegation, iso3, kind string
		council                         any
		onBehalf, aligns                []string
	}{
		{"NIKKI HALEY", "United States", "USA", "member_state", true, nil, nil},
		{"VALENTIN RYBAKOV", "Belarus", "BLR", "member_state", false, nil, nil},
		{"EVGENY T. ZAGAYNOV", "Russian Federation", "RUS", "member_state", true, nil, nil},
		{"MICHAELIA CASH", "Australia", "AUS", "member_state", false, []string{"Canada", "New Zealand"}, nil},
		{"LAILA BOKHARI", "Norway", "NOR", "member_state", false, []string{"Denmark", "Finland", "Iceland", "Sweden"}, nil},
		{"LAURENCE ROSSIGNOL", "France", "FRA", "member_state", true, nil, []string{"European Union"}},
		{"DEMITU HAMBISSA", "Ethiopia", "ETH", "member_state", true, nil, []string{"Non-Aligned Movement"}},
		{"Mr. SCHULZ", "Germany", "DEU", "member_state", false, nil, []string{"European Union"}},
		{"KORO BESSHO", "Japan", "JPN", "member_state", true, nil, nil},
		{"SERGIY KYSLYTSYA", "Ukraine", "UKR", "member_state", true, nil, nil},
		{"FEH MOUSSA GONE", "Côte d’Ivoire", "CIV", "member_state", false, nil, nil},
		{"BERNARDITO CLEOPAS AUZA", "Holy See", "VAT", "observer_state", false, nil, nil},
		{"JOANNE ADAMSON", "European Union", "", "intergovernmental", nil, nil, nil},
		{"ILWAD ELMAN", "", "", "civil_society", nil, nil, nil},
	}
	for _, c := range checks {
		r, ok := bySpeaker[c.speaker]
		if !ok {
			t.Errorf("no statement by %s", c.speaker)
			continue
		}
		if c.delegation != "" && r["delegation"] != c.delegation {
			t.Errorf("%s: delegation = %v, want %s", c.speaker, r["delegation"], c.delegation)
		}
		if c.iso3 != "" && r["iso3"] != c.iso3 {
			t.Errorf("%s: iso3 = %v, want %s", c.speaker, r["iso3"], c.iso3)
		}
		if r["kind"] != c.kind {
			t.Errorf("%s: kind = %v, want %s", c.speaker, r["kind"], c.kind)
		}
		if r["council_member"] != c.council {
			t.Errorf("%s: council_member = %v, want %v", c.speaker, r["council_member"], c.council)
		}
		if got := strs(r["on_behalf_of"]); !reflect.DeepEqual(got, c.onBehalf) {
			t.Errorf("%s: on_behalf_of = %v, want %v", c.speaker, got, c.onBehalf)
		}
		if got := strs(r["aligns_with"]); !reflect.DeepEqual(got, c.aligns) {
			t.Errorf("%s: aligns_with = %v, want %v", c.speaker, got, c.aligns)
		}
	}

	// Filtering by meeting, and CSV with the same fields.
	if got := exportJSONL(t, db, "--meeting", "SC/99999"); len(got) != 0 {
		t.Errorf("--meeting SC/99999 exported %d records", len(got))
	}
	csvPath := filepath.Join(t.TempDir(), "s.csv")
	if _, e, code := cmdRun(t, nil, "export", "statements", "--db", db, "--meeting", "SC/12751", "--format", "csv", "-o", csvPath); code != 0 {
		t.Fatalf("csv export: %s", e)
	}
	f, _ := os.Open(csvPath)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows[0], exportKeys) || len(rows) != 80 {
		t.Errorf("csv header %v with %d rows, want the contract's keys then the added ones, and 79 rows", rows[0], len(rows)-1)
	}
}

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestIngestIsIdempotent(t *testing.T) {
	db := filepath.Join(t.TempDir(), "i.db")
	for i, want := range []string{"added", "unchanged"} {
		out, e, code := cmdRun(t, nil, "ingest", "--db", db, seed)
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("ingest #%d: exit %d out %q err %q; want %q", i+1, code, out, e, want)
		}
	}
	if n := len(exportJSONL(t, db)); n != 79 {
		t.Errorf("after two ingests: %d statements, want 79", n)
	}
}

func TestIngestRefusesBadFilesAndKeepsGoodOnes(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"empty.txt":  {},
		"binary.txt": {0x89, 'P', 'N', 'G', 0, 0, 0, 1, 2, 3},
		"readme.txt": []byte("# My project\n\nThis is a README with instructions.\n"),
		"story.html": []byte("<html><body><h1>Weather</h1><p>It rained today in New York.</p></body></html>"),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	good, _ := os.ReadFile(seed)
	os.WriteFile(filepath.Join(dir, "sc.txt"), good, 0o600)
	os.WriteFile(filepath.Join(dir, "ignored.pdf"), []byte("%PDF"), 0o600)

	db := filepath.Join(t.TempDir(), "r.db")
	out, errOut, code := cmdRun(t, nil, "ingest", dir, "--db", db)
	if code != 1 {
		t.Fatalf("exit %d, want 1 when files were refused; out=%s err=%s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 {
		t.Fatalf("got %d summary lines, want 5 (the .pdf is not picked from a folder):\n%s", len(lines), out)
	}
	refused := 0
	for _, l := range lines {
		if strings.Contains(l, "refused:") {
			refused++
			if strings.Count(l, "\n") > 0 || len(strings.TrimSpace(strings.SplitN(l, "refused:", 2)[1])) < 10 {
				t.Errorf("refusal without a clear reason: %q", l)
			}
		}
	}
	if refused != 4 {
		t.Errorf("%d files refused, want 4:\n%s", refused, out)
	}
	if n := len(exportJSONL(t, db)); n != 79 {
		t.Errorf("the good file stored %d statements, want 79", n)
	}
}

func TestDatabaseFromEnvironment(t *testing.T) {
	db := filepath.Join(t.TempDir(), "env.db")
	env := map[string]string{"STANCETRACK_DB": db}
	if _, e, code := cmdRun(t, env, "ingest", seed); code != 0 {
		t.Fatalf("ingest: %s", e)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("$STANCETRACK_DB was not used: %v", err)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := [][]string{
		{},
		{"frobnicate"},
		{"ingest"},
		{"export"},
		{"export", "statements", "--format", "pdf"},
		{"export", "statements", "--kind", "alien"},
		{"export", "statements", "--from", "2017-02-30"},
		{"export", "statements", "--from", "2018-01-01", "--to", "2017-01-01"},
		{"eval"},
		{"codebook", "check"},
	}
	for _, args := range tests {
		if _, _, code := cmdRun(t, nil, args...); code == 0 {
			t.Errorf("stancetrack %v exited 0", args)
		}
	}
}

func TestImportUNSCDebates(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	out, errOut, code := cmdRun(t, nil, "import", "unsc-debates", "../../sample/unsc-debates",
		"--meta", "../../sample/unsc-debates/speaker-metadata-sample.tsv", "--db", db)
	if code != 0 {
		t.Fatalf("import exit %d: %s %s", code, out, errOut)
	}
	for _, want := range []string{"S/PV.4644", "S/PV.7138", "S/PV.7658"} {
		if !strings.Contains(out, want) {
			t.Errorf("import summary lacks %s:\n%s", want, out)
		}
	}
	recs := exportJSONL(t, db, "--meeting", "S/PV.7138")
	if len(recs) != 21 {
		t.Fatalf("S/PV.7138 exported %d statements, want 21", len(recs))
	}
	r := recs[1] // spch002: Mr. Churkin (Russian Federation)
	if r["speaker"] != "Mr. Churkin" || r["delegation"] != "Russian Federation" || r["year"] != float64(2014) ||
		r["date"] != "2014-03-15" || r["council_member"] != true {
		t.Errorf("spch002 = %v / %v / %v / %v / %v", r["speaker"], r["delegation"], r["year"], r["date"], r["council_member"])
	}
	if strings.HasPrefix(r["text"].(string), "Mr. Churkin") {
		t.Errorf("speech text still starts with the speaker line: %.60q", r["text"])
	}
	if _, _, code := cmdRun(t, nil, "import", "unsc-debates", t.TempDir(), "--db", db); code == 0 {
		t.Error("import of an empty folder exited 0")
	}
}

func TestServeSampleIngestsOnlyIntoEmptyDatabase(t *testing.T) {
	// ingestSample is what `make run` relies on: a fresh database gets the
	// bundled documents, an existing one is left alone.
	db := filepath.Join(t.TempDir(), "sample.db")
	ctx := context.Background()
	c := &cli{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	st, err := c.openStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := &ingest.Pipeline{Store: st, Registry: registry.Default(), Codebook: codebook.Default()}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := ingestSample(ctx, st, p, log); err != nil {
		t.Fatal(err)
	}
	n, _ := st.CountMeetings(ctx)
	if n != 4 {
		t.Fatalf("sample gave %d meetings, want 4 (SC/12751 and three verbatim meetings)", n)
	}
	st.DB().Exec(`DELETE FROM documents WHERE symbol = 'S/PV.4644'`)
	if err := ingestSample(ctx, st, p, log); err != nil {
		t.Fatal(err)
	}
	if n, _ := st.CountMeetings(ctx); n != 3 {
		t.Errorf("a non-empty database was re-seeded: %d meetings, want 3", n)
	}
}

func TestCodebookCheck(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, codebook.DefaultYAML(), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, e, code := cmdRun(t, nil, "codebook", "check", good); code != 0 || !strings.Contains(out, "ok") {
		t.Fatalf("default codebook: exit %d %s %s", code, out, e)
	}
	broken := strings.Replace(string(codebook.DefaultYAML()), "{council}", "{counsil}", 1)
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte(broken), 0o600)
	out, _, code := cmdRun(t, nil, "codebook", "check", bad)
	if code != 1 {
		t.Fatalf("broken codebook: exit %d, want 1", code)
	}
	// Every problem names the file and a line number.
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(line, bad+":") || !strings.Contains(line, "counsil") && !strings.Contains(line, "unknown class") {
			t.Errorf("problem line %q does not name file:line and the cause", line)
		}
	}
	// ingest and retag refuse a broken codebook rather than tag with it.
	if _, _, code := cmdRun(t, nil, "ingest", "--db", filepath.Join(dir, "x.db"), "--codebook", bad, seed); code == 0 {
		t.Error("ingest accepted a broken codebook")
	}
}

func TestRetagKeepsAnalystTags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "rt.db")
	if _, e, code := cmdRun(t, nil, "ingest", "--db", db, seed); code != 0 {
		t.Fatal(e)
	}
	ctx := context.Background()
	c := &cli{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	st, err := c.openStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	rows, _, err := st.Statements(ctx, store.Filter{Delegations: []string{"Egypt"}}, 10, 0)
	if err != nil || len(rows) != 1 {
		t.Fatalf("Egypt rows = %d, %v", len(rows), err)
	}
	// The analyst reads Egypt's "looked forward to the General Assembly's
	// robust review" as an objection; retag must not undo that.
	ev := "looked forward to the General Assembly’s robust review"
	if _, err := st.AddAnalystTag(ctx, rows[0].ID, model.Tag{Dimension: "purview", Value: "contests", Evidence: ev, Author: "ana"}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	// Retag from a codebook file (the default's text): every codebook tag
	// is rewritten, nothing changes, and the analyst's tag stays decisive.
	file := filepath.Join(t.TempDir(), "cb.yaml")
	os.WriteFile(file, codebook.DefaultYAML(), 0o600)
	out, e, code := cmdRun(t, nil, "retag", "--db", db, "--codebook", file)
	if code != 0 {
		t.Fatalf("retag: %s", e)
	}
	if !strings.Contains(out, "retagged 79 statements") || !strings.Contains(out, "no statement changed purview") {
		t.Errorf("retag with the same codebook changed something:\n%s", out)
	}
	recs := exportJSONL(t, db, "--delegation", "Egypt")
	if len(recs) != 1 || recs[0]["purview"] != "contests" {
		t.Fatalf("Egypt after retag = %v, want the analyst's contests", recs)
	}
	found := false
	for _, tg := range recs[0]["tags"].([]any) {
		m := tg.(map[string]any)
		if m["source"] == "analyst" && m["evidence"] == ev {
			found = true
		}
	}
	if !found {
		t.Error("the analyst tag is gone after retag")
	}
}

func TestEvalScoresTheCodebookNotAnalysts(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ev.db")
	if _, e, code := cmdRun(t, nil, "ingest", "--db", db, seed); code != 0 {
		t.Fatal(e)
	}
	before, e, code := cmdRun(t, nil, "eval", "--db", db, "--gold", "../../gold/SC-12751.jsonl")
	if code != 0 || !strings.Contains(before, "Purview accuracy") {
		t.Fatalf("eval: exit %d %s %s", code, before, e)
	}
	// An analyst "corrects" Belarus to affirms. The codebook still says
	// contests, and that is what eval must score.
	ctx := context.Background()
	c := &cli{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	st, err := c.openStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	rows, _, _ := st.Statements(ctx, store.Filter{Delegations: []string{"Belarus"}}, 10, 0)
	if _, err := st.AddAnalystTag(ctx, rows[0].ID, model.Tag{Dimension: "purview", Value: "affirms", Evidence: rows[0].Text[:20]}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	after, _, _ := cmdRun(t, nil, "eval", "--db", db, "--gold", "../../gold/SC-12751.jsonl")
	if after != before {
		t.Errorf("an analyst tag changed the codebook's scores:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// TestReadingCommandsNeedADatabase: commands that read or change stored
// data refuse a database that does not exist, instead of creating an empty
// one behind a mistyped --db and answering as if the record were empty.
func TestReadingCommandsNeedADatabase(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "typo.db")
	gold := filepath.Join(dir, "gold.jsonl")
	if err := os.WriteFile(gold, []byte(`{"meeting":"SC/1","seq":1,"purview":"affirms"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"export", "statements", "--format", "jsonl"},
		{"export", "chart", "purview", "--format", "csv", "-o", filepath.Join(dir, "p.csv")},
		{"export", "pack", "-o", filepath.Join(dir, "p.zip")},
		{"eval", "--gold", gold},
		{"retag"},
		{"user", "list"},
		{"token", "create", "ana"},
		{"backup", "-o", filepath.Join(dir, "b.db")},
	} {
		_, stderr, code := cmdRun(t, nil, append(args, "--db", missing)...)
		if code != 1 || !strings.Contains(stderr, "no database at "+missing) {
			t.Errorf("stancetrack %v on a missing database: exit %d, %q", args, code, stderr)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Fatalf("stancetrack %v created %s", args, missing)
		}
	}
	// Commands that put data in create it.
	if _, stderr, code := cmdRun(t, nil, "user", "add", "ana", "--role", "editor", "--db", missing); code != 0 {
		t.Fatalf("user add on a new database: exit %d, %s", code, stderr)
	}
}

// --symbol names one release whose text prints none; anything else is a
// usage error that stores nothing.
func TestIngestSymbolFlag(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	for _, args := range [][]string{
		{"ingest", "--db", db, "--symbol", "bogus", "../../sample/docs/SC-12751.txt"},
		{"ingest", "--db", db, "--symbol", "SC/1", "../../sample/docs/SC-12751.txt", "../../gold/docs/SC-15901.txt"},
	} {
		if _, errOut, code := cmdRun(t, nil, args...); code != 2 || !strings.Contains(errOut, "--symbol") {
			t.Errorf("%v: exit %d, %q; want 2 and a word on --symbol", args, code, errOut)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a usage error created the database")
	}
}
