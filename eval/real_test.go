package eval

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stancetrack/stancetrack/codebook"
	"github.com/stancetrack/stancetrack/ingest"
	"github.com/stancetrack/stancetrack/model"
	"github.com/stancetrack/stancetrack/registry"
	"github.com/stancetrack/stancetrack/store"
	"github.com/stancetrack/stancetrack/verbatim"
)

// corpus2020 is the real 2020 corpus beside the repository.
const corpus2020 = "../../shared/corpus/unsc-debates-2020"

// realFigures is what the default codebook scores on the blind-coded 2020
// gold (gold/real), through the whole pipeline (parse, resolve, tag). The
// test split was coded before any codebook change and is never tuned on;
// these pins catch a codebook edit that loses ground, and the README quotes
// them with their intervals.
var realFigures = map[string]struct {
	correct, matched            int
	objFound, objGold, objFalse int
	instF1                      float64
}{
	"dev":  {396, 459, 11, 26, 2, 0.954},
	"test": {171, 215, 0, 11, 2, 0.935},
}

func TestRealGold2020(t *testing.T) {
	if _, err := os.Stat(corpus2020); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the 2020 corpus is missing beside the repository: %v", err)
		}
		t.Skipf("no 2020 corpus at %s", corpus2020)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "real.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := &ingest.Pipeline{Store: st, Registry: registry.Default(), Codebook: codebook.Default()}
	fsys := os.DirFS(corpus2020)
	dirs, err := verbatim.FindMeetings(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if res := p.Verbatim(ctx, fsys, d, nil); res.Err != nil {
			t.Fatalf("%s: %v", d, res.Err)
		}
	}
	var got []model.Statement
	meetingOf := map[int64]string{}
	err = st.EachStatement(ctx, store.Filter{}, func(r store.StatementRow) error {
		meetingOf[r.ID] = r.Meeting.Symbol
		got = append(got, r.Statement)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, split := range []string{"dev", "test"} {
		t.Run(split, func(t *testing.T) {
			f, err := os.Open("../gold/real/" + split + ".jsonl")
			if err != nil {
				t.Fatal(err)
			}
			gold, err := LoadGold(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			r := Compare(gold, got, func(s model.Statement) string { return meetingOf[s.ID] })
			var buf bytes.Buffer
			r.Write(&buf)
			t.Logf("\n%s", buf.String())
			want := realFigures[split]
			correct := int(r.PurviewAccuracy*float64(r.Matched) + 0.5)
			if correct != want.correct || r.Matched != want.matched || r.ObjectionsFound != want.objFound ||
				r.ObjectionsGold != want.objGold || r.FalseObjections != want.objFalse || math.Abs(r.Instruments.F1-want.instF1) > 0.0005 {
				t.Errorf("%s: purview %d/%d, objections %d/%d found with %d false, instruments F1 %.3f; pinned %d/%d, %d/%d with %d false, %.3f",
					split, correct, r.Matched, r.ObjectionsFound, r.ObjectionsGold, r.FalseObjections, r.Instruments.F1,
					want.correct, want.matched, want.objFound, want.objGold, want.objFalse, want.instF1)
			}
		})
	}
}
