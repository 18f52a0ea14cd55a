package eval

import (
	"bytes"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/model"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestCompareArithmetic scores a tiny hand-made case whose figures are
// worked out by hand in the comments.
func TestCompareArithmetic(t *testing.T) {
	gold := []Gold{
		{Meeting: "M", Seq: 1, Purview: "contests", Frames: []string{"gender", "migration"}, Instruments: []string{"UNTOC"}},
		{Meeting: "M", Seq: 2, Purview: "affirms", Frames: []string{"gender"}, Instruments: []string{"UNTOC", "UNSCR_2331"}},
		{Meeting: "M", Seq: 3, Purview: "unstated", Frames: nil},
		{Meeting: "M", Seq: 4, Purview: "conditional"},
		{Meeting: "M", Seq: 5, Purview: "unstated"}, // no statement: missing
	}
	got := []model.Statement{
		{Seq: 1, Purview: "contests", Frames: []string{"gender"}, Instruments: []string{"UNTOC", "PRST_2015"}},
		{Seq: 2, Purview: "unstated", Frames: []string{"gender", "migration"}, Instruments: []string{"UNTOC"}},
		{Seq: 3, Purview: "conditional"},
		{Seq: 4, Purview: "contests"},
		{Seq: 9, Purview: "affirms"}, // no gold: unscored
	}
	r := Compare(gold, got, func(model.Statement) string { return "M" })

	if r.Gold != 5 || r.Matched != 4 || len(r.Missing) != 1 || r.Missing[0] != "M #5" || r.Unscored != 1 {
		t.Errorf("counts: gold %d matched %d missing %v unscored %d", r.Gold, r.Matched, r.Missing, r.Unscored)
	}
	// Purview: 1 of 4 right.
	if !near(r.PurviewAccuracy, 0.25) {
		t.Errorf("PurviewAccuracy = %v, want 0.25", r.PurviewAccuracy)
	}
	// contests: TP 1 (seq 1), FP 1 (seq 4), FN 0 -> P 0.5, R 1, F1 2/3.
	if c := r.Purview["contests"]; c.TP != 1 || c.FP != 1 || c.FN != 0 || !near(c.F1, 2.0/3) || c.Support != 1 {
		t.Errorf("contests = %+v", c)
	}
	// unstated: TP 0, FP 1 (seq 2), FN 1 (seq 3) -> all zero.
	if u := r.Purview["unstated"]; u.TP != 0 || u.FP != 1 || u.FN != 1 || u.F1 != 0 {
		t.Errorf("unstated = %+v", u)
	}
	// Confusion rows gold, columns tagged (contests, conditional, affirms, unstated).
	want := [4][4]int{{1, 0, 0, 0}, {1, 0, 0, 0}, {0, 0, 0, 1}, {0, 1, 0, 0}}
	if r.Confusion != want {
		t.Errorf("Confusion = %v, want %v", r.Confusion, want)
	}
	// Objections in gold: seq 1 (found), seq 4 (found as contests). False: seq 3.
	if r.ObjectionsGold != 2 || r.ObjectionsFound != 2 || r.FalseObjections != 1 {
		t.Errorf("objections gold %d found %d false %d", r.ObjectionsGold, r.ObjectionsFound, r.FalseObjections)
	}
	// gender: TP 2. migration: TP 0, FP 1 (seq 2), FN 1 (seq 1).
	if g := r.Frames["gender"]; g.TP != 2 || g.FP != 0 || g.FN != 0 || !near(g.F1, 1) {
		t.Errorf("gender = %+v", g)
	}
	if m := r.Frames["migration"]; m.TP != 0 || m.FP != 1 || m.FN != 1 || m.F1 != 0 {
		t.Errorf("migration = %+v", m)
	}
	// micro over frames: TP 2, FP 1, FN 1 -> P 2/3, R 2/3.
	if f := r.FramesMicro; f.TP != 2 || f.FP != 1 || f.FN != 1 || !near(f.Precision, 2.0/3) || !near(f.Recall, 2.0/3) {
		t.Errorf("FramesMicro = %+v", f)
	}
	// Instruments: TP 2 (UNTOC twice), FP 1 (PRST_2015), FN 1 (UNSCR_2331)
	// -> P 2/3, R 2/3, F1 2/3.
	if i := r.Instruments; i.TP != 2 || i.FP != 1 || i.FN != 1 || !near(i.F1, 2.0/3) {
		t.Errorf("Instruments = %+v", i)
	}
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, s := range []string{"Purview accuracy: 0.250 (1/4)", "| contests | 0.500 | 1.000 | 0.667 | 1 |", "| gold \\ tagged |", "Instruments (micro): precision 0.667", "M #2 : gold affirms, tagged unstated", "Missing statements: M #5"} {
		if !strings.Contains(out, s) {
			t.Errorf("Write output lacks %q:\n%s", s, out)
		}
	}
}

func TestCompareEmptyPurview(t *testing.T) {
	// A statement never tagged has Purview "": it counts as unstated.
	r := Compare([]Gold{{Meeting: "M", Seq: 1, Purview: "unstated"}}, []model.Statement{{Seq: 1}}, func(model.Statement) string { return "M" })
	if r.PurviewAccuracy != 1 {
		t.Errorf("PurviewAccuracy = %v, want 1", r.PurviewAccuracy)
	}
}

func TestLoadGold(t *testing.T) {
	good := `{"meeting":"SC/1","seq":1,"speaker":"A","delegation":"X","purview":"affirms","frames":["gender"],"instruments":[],"note":""}

# a comment
{"meeting":"SC/1","seq":2,"purview":""}
`
	g, err := LoadGold(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(g) != 2 || g[1].Purview != "unstated" || g[0].Frames[0] != "gender" {
		t.Errorf("LoadGold = %+v", g)
	}
	bad := []struct{ name, in, want string }{
		{"syntax", `{"meeting":"SC/1","seq":1}` + "\n" + `{"meeting":`, "gold line 2"},
		{"unknown purview", `{"meeting":"SC/1","seq":1,"purview":"maybe"}`, `gold line 1: unknown purview "maybe"`},
		{"unknown field", `{"meeting":"SC/1","seq":1,"purveiw":"affirms"}`, "gold line 1"},
		{"no seq", `{"meeting":"SC/1"}`, "gold line 1: meeting and a positive seq"},
		{"duplicate", "{\"meeting\":\"SC/1\",\"seq\":1}\n{\"meeting\":\"SC/1\",\"seq\":1}", "gold line 2: SC/1 seq 1 already coded on line 1"},
		{"empty", "\n\n", "no entries"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadGold(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadGold(%q) error = %v, want %q", tt.in, err, tt.want)
			}
		})
	}
}

// TestGoldFiles loads every gold file in the repository.
func TestGoldFiles(t *testing.T) {
	files := []string{"SC-12751", "SC-15901", "SC-15612", "SC-15777", "SC-15680", "GA-12345", "GA-SHC-4201"}
	for _, f := range files {
		fh, err := os.Open("../gold/" + f + ".jsonl")
		if err != nil {
			t.Fatal(err)
		}
		g, err := LoadGold(fh)
		fh.Close()
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		for i, e := range g {
			if e.Seq != i+1 {
				t.Errorf("%s line %d: seq %d, want %d (document order)", f, i+1, e.Seq, i+1)
			}
		}
		if f == "SC-12751" {
			if len(g) != 79 {
				t.Errorf("SC-12751 gold has %d turns, want 79", len(g))
			}
			// The Austria turn is printed twice; both are coded the same.
			a, b := g[6], g[44]
			if a.Delegation != "Austria" || b.Delegation != "Austria" || a.Purview != b.Purview ||
				strings.Join(a.Frames, ",") != strings.Join(b.Frames, ",") || strings.Join(a.Instruments, ",") != strings.Join(b.Instruments, ",") {
				t.Errorf("Austria seq 7 and 45 differ: %+v / %+v", a, b)
			}
		}
	}
}

func TestWilson(t *testing.T) {
	tests := []struct {
		k, n   int
		lo, hi float64
	}{
		{0, 0, 0, 1},
		{0, 10, 0, 0.2775},
		{10, 10, 0.7225, 1},
		{81, 100, 0.7222, 0.8749}, // Newcombe (1998), table I style check
		{135, 215, 0.5616, 0.6897},
	}
	for _, tt := range tests {
		lo, hi := Wilson(tt.k, tt.n)
		if math.Abs(lo-tt.lo) > 0.0006 || math.Abs(hi-tt.hi) > 0.0006 {
			t.Errorf("Wilson(%d, %d) = [%.4f, %.4f], want [%.4f, %.4f]", tt.k, tt.n, lo, hi, tt.lo, tt.hi)
		}
	}
}
