package eval

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/model"
)

// heldOutBlindDocs pairs every release in gold/heldout/ with its gold file.
// The four releases (pandemics, Council working methods, a country human
// rights situation, a General Assembly debate on the Council's report) were
// written and hand-coded before the codebook was read; see
// gold/heldout/README.md for the judgement calls and the first, blind run.
func heldOutBlindDocs(t *testing.T) []struct{ doc, gold string } {
	t.Helper()
	docs, err := filepath.Glob("../gold/heldout/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 4 {
		t.Fatalf("gold/heldout has %d documents, want 4", len(docs))
	}
	var out []struct{ doc, gold string }
	for _, d := range docs {
		out = append(out, struct{ doc, gold string }{d, strings.TrimSuffix(d, ".txt") + ".jsonl"})
	}
	return out
}

// TestHeldOutBlind scores the default codebook on the blind held-out set.
// First run, before any codebook change: purview accuracy 0.818 (54/66),
// objections 17/20 found with 1 false, frames micro F1 0.912,
// instruments F1 0.861 (0.962 once the IHR id was aligned with the
// registry's). The figures below were measured after the general fixes
// and are pinned against regression. The remaining misses are known and
// left alone (gold/heldout/README.md): a Council task on another topic
// than the agenda's (GA/12601 #12), a task given to bare "members"
// (SC/16018 #2), and counter-terrorism named only as the subject of a
// resolution cited as overreach (SC/16018 #12).
func TestHeldOutBlind(t *testing.T) {
	docs := heldOutBlindDocs(t)
	gold, got, meetings := tagDocs(t, docs)
	r := Compare(gold, got, func(st model.Statement) string { return meetings[st.ID] })
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", buf.String())

	// The parser must split each release into exactly the coded turns.
	if r.Gold != 66 || len(r.Missing) > 0 || r.Unscored > 0 {
		t.Errorf("held-out turns: %d gold, missing %v, %d parsed turns without gold; want 66, none, 0", r.Gold, r.Missing, r.Unscored)
	}
	if r.ObjectionsGold != 20 || r.ObjectionsFound != 20 || r.FalseObjections != 0 {
		t.Errorf("held-out objections %d/%d found, %d false; want 20/20, 0 false", r.ObjectionsFound, r.ObjectionsGold, r.FalseObjections)
	}
	const tol = 0.005
	for name, v := range map[string][2]float64{
		"purview accuracy":     {r.PurviewAccuracy, 64.0 / 66},
		"frames micro F1":      {r.FramesMicro.F1, 0.983},
		"instruments F1":       {r.Instruments.F1, 1.0},
		"victim_centred F1":    {r.Frames["victim_centred"].F1, 1.0},
		"counter_terrorism F1": {r.Frames["counter_terrorism"].F1, 2.0 / 3},
	} {
		if v[0] < v[1]-tol {
			t.Errorf("held-out %s regressed: %.3f, was %.3f", name, v[0], v[1])
		}
		if v[0] > v[1]+tol {
			t.Logf("held-out %s = %.3f, above the pinned %.3f; update the pin and gold/heldout/README.md", name, v[0], v[1])
		}
	}
}
