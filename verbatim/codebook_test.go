package verbatim_test

import (
	"os"
	"testing"

	"github.com/stancetrack/stancetrack/codebook"
	"github.com/stancetrack/stancetrack/model"
	"github.com/stancetrack/stancetrack/verbatim"
)

// TestPurviewThroughCodebook: the first-person objection in the made-up
// meeting must reach the codebook as one sentence, so the default codebook
// codes it "contests" with that sentence as evidence, as CODEBOOK.md asks for
// verbatim speeches.
func TestPurviewThroughCodebook(t *testing.T) {
	doc, err := verbatim.ParseDir(os.DirFS("testdata"), "UNSC_2030_SPV.9991", nil)
	if err != nil {
		t.Fatal(err)
	}
	cb := codebook.Default()
	want := map[int]struct{ purview, evidence string }{
		4: {model.PurviewContests, "My delegation does not believe the Council is the right forum for this issue, which belongs in the General Assembly."},
		6: {model.PurviewAffirms, "Angola believes the Council has a duty to act."},
		1: {model.PurviewUnstated, ""},
	}
	for _, st := range doc.Statements {
		w, ok := want[st.Seq]
		if !ok {
			continue
		}
		tags := cb.Tag(st)
		purview, _, _ := model.Derive(tags)
		evidence := ""
		for _, tg := range tags {
			if tg.Dimension == model.DimPurview && tg.Value == purview {
				evidence = tg.Evidence
			}
		}
		if purview != w.purview || evidence != w.evidence {
			t.Errorf("spch%03d purview = %s %q, want %s %q", st.Seq, purview, evidence, w.purview, w.evidence)
		}
	}
}
