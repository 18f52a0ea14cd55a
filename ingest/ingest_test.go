package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/codebook"
	"github.com/stancetrack/stancetrack/registry"
	"github.com/stancetrack/stancetrack/store"
)

const seed = "../sample/docs/SC-12751.txt"

func newPipeline(t testing.TB) *Pipeline {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "i.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &Pipeline{Store: st, Registry: registry.Default(), Codebook: codebook.Default()}
}

func TestSeedYearInferredAndTagged(t *testing.T) {
	p := newPipeline(t)
	res := p.File(context.Background(), seed)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if res.Symbol != "SC/12751" || res.Statements != 79 || res.Meeting != "7898th meeting (AM)" {
		t.Errorf("result = %+v", res)
	}
	if !strings.Contains(strings.Join(res.Notes, "; "), "year 2017 inferred") {
		t.Errorf("notes %q do not say the year was inferred", res.Notes)
	}
	rows, _, err := p.Store.Statements(context.Background(), store.Filter{Purview: "objections"}, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows {
		got[r.Delegation] = r.Purview
		if !r.Meeting.YearInferred || r.Meeting.Year != 2017 {
			t.Errorf("meeting year %d inferred=%v, want 2017 inferred", r.Meeting.Year, r.Meeting.YearInferred)
		}
	}
	for d, want := range map[string]string{"Belarus": "contests", "Brazil": "contests", "Russian Federation": "conditional"} {
		if got[d] != want {
			t.Errorf("%s purview = %q, want %q (objections found: %v)", d, got[d], want, got)
		}
	}
}

func TestRefusedDocumentStoresNothing(t *testing.T) {
	p := newPipeline(t)
	ctx := context.Background()
	seedBytes, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string][]byte{
		"empty":     nil,
		"binary":    {0, 1, 2, 3, 0xff, 0xfe},
		"truncated": seedBytes[:200], // header only: a meeting line but no turns
		"news":      []byte("NEW YORK — Markets rose today as investors weighed the outlook.\n\nAnalysts said more was to come.\n"),
	}
	for name, raw := range bad {
		res := p.Bytes(ctx, name, raw)
		if res.Err == nil || res.Status != Refused {
			t.Errorf("%s: result %+v, want refused", name, res)
		}
		if strings.Contains(res.Line(), "\n") {
			t.Errorf("%s: refusal spans lines: %q", name, res.Line())
		}
	}
	if n, _ := p.Store.CountMeetings(ctx); n != 0 {
		t.Errorf("refused documents left %d meetings", n)
	}
}

func TestCollect(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.txt", "b.HTML", "c.htm", "d.pdf", "sub/e.txt", "sub/f.json"} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("x"), 0o600)
	}
	explicit := filepath.Join(dir, "d.pdf")
	got, err := Collect([]string{dir, explicit})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range got {
		rel, _ := filepath.Rel(dir, g)
		names = append(names, rel)
	}
	want := "a.txt b.HTML c.htm sub/e.txt d.pdf"
	if strings.Join(names, " ") != want {
		t.Errorf("Collect = %v, want %s", names, want)
	}
	if _, err := Collect([]string{filepath.Join(dir, "missing")}); err == nil {
		t.Error("Collect of a missing path returned no error")
	}
}

// BenchmarkIngest measures resolve + tag + store of the seed (parse
// included) into a database, replacing it each time so every iteration
// writes all 79 statements and their tags in one transaction.
func BenchmarkIngest(b *testing.B) {
	p := newPipeline(b)
	raw, err := os.ReadFile(seed)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.SetBytes(int64(len(raw)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Vary one byte in a trailing line so the hash differs and the
		// document is replaced rather than skipped as unchanged.
		doc := append(append([]byte{}, raw...), []byte("\n"+strings.Repeat(" ", i%7))...)
		if res := p.Bytes(ctx, "seed.txt", doc); res.Err != nil {
			b.Fatal(res.Err)
		}
	}
}

// BenchmarkIngestNew measures ingest of a new meeting each time (the
// symbol is renumbered per iteration), the common case of a bulk import.
func BenchmarkIngestNew(b *testing.B) {
	p := newPipeline(b)
	raw, err := os.ReadFile(seed)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.SetBytes(int64(len(raw)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		doc := strings.Replace(string(raw), "SC/12751", fmt.Sprintf("SC/%d", 20000+i), 1)
		if res := p.Bytes(ctx, "seed.txt", []byte(doc)); res.Err != nil || res.Status != store.Added {
			b.Fatalf("%+v", res)
		}
	}
}
