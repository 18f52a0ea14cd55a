package ingest

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/model"
	"github.com/stancetrack/stancetrack/store"
)

// A release copied from the press page without its header (no symbol, no
// meeting line) is stored, not refused: under --symbol, else the symbol in
// its file name, else a provisional id; naming it later renames it and keeps
// the analyst's tags.
func TestReleaseWithoutSymbol(t *testing.T) {
	raw, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	// Drop the banner, meeting line and symbol, as a copy of the article
	// body has none of them.
	i := strings.Index(string(raw), "Prevention, Protection, Prosecution")
	body := raw[i:]
	ctx := context.Background()

	p := newPipeline(t)
	res := p.Bytes(ctx, "pasted.txt", body)
	if res.Err != nil {
		t.Fatalf("refused: %v", res.Err)
	}
	if !strings.HasPrefix(res.Symbol, model.ProvisionalPrefix) || !strings.Contains(strings.Join(res.Notes, "; "), "provisional id") {
		t.Fatalf("symbol %q, notes %q; want a provisional id and a note saying so", res.Symbol, res.Notes)
	}
	if again := p.Bytes(ctx, "pasted-again.txt", body); again.Status != store.Unchanged {
		t.Errorf("the same text again: %s, want unchanged", again.Status)
	}
	rows, _, err := p.Store.Statements(ctx, store.Filter{}, 1, 0)
	if err != nil || len(rows) != 1 {
		t.Fatal(rows, err)
	}
	if _, err := p.Store.AddAnalystTag(ctx, rows[0].ID, model.Tag{Dimension: model.DimFrame, Value: "gender",
		Evidence: rows[0].Text[:20], Start: 0, End: 20, Author: "ana"}); err != nil {
		t.Fatal(err)
	}

	// Named with --symbol: the provisional meeting becomes SC/12751.
	p.Symbol = "SC/12751"
	res = p.Bytes(ctx, "pasted.txt", body)
	if res.Err != nil || res.Symbol != "SC/12751" || res.Status != store.Replaced {
		t.Fatalf("with --symbol: %+v", res)
	}
	metas, err := p.Store.Meetings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(metas) != 1 || metas[0].Symbol != "SC/12751" || metas[0].Body != "SC" || metas[0].Year != 2017 {
		t.Errorf("meetings after naming: %+v", metas)
	}
	rows, _, _ = p.Store.Statements(ctx, store.Filter{}, 1, 0)
	analyst := 0
	for _, tg := range rows[0].Tags {
		if tg.Source == model.SourceAnalyst {
			analyst++
		}
	}
	if analyst != 1 {
		t.Errorf("analyst tags after renaming: %d, want 1", analyst)
	}

	// From the file name.
	p2 := newPipeline(t)
	if res := p2.Bytes(ctx, "/downloads/SC-12751.txt", body); res.Err != nil || res.Symbol != "SC/12751" {
		t.Errorf("from the file name: %+v", res)
	}
}
