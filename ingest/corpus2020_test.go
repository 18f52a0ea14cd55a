package ingest

import (
	"context"
	"os"
	"sort"
	"strconv"
	"testing"

	"github.com/stancetrack/stancetrack/store"
	"github.com/stancetrack/stancetrack/verbatim"
)

// corpus2020 is the real 2020 corpus beside the repository (shared/ as the
// workplace lays it out, and as CI copies it).
const corpus2020 = "../../shared/corpus/unsc-debates-2020"

// The whole 2020 corpus imports — 81 folders (80 meetings and a resumption
// of one), 1,488 speeches, 33 of them Windows-1252 — and every speech that
// is not the presidency running the meeting gets a delegation, except the
// few whose text names none the parser can read.
func TestImportCorpus2020(t *testing.T) {
	if _, err := os.Stat(corpus2020); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the 2020 corpus is missing beside the repository: %v", err)
		}
		t.Skipf("no 2020 corpus at %s", corpus2020)
	}
	ctx := context.Background()
	p := newPipeline(t)
	fsys := os.DirFS(corpus2020)
	dirs, err := verbatim.FindMeetings(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) != 81 {
		t.Errorf("%d meeting folders, want 81", len(dirs))
	}
	speeches := 0
	for _, d := range dirs {
		res := p.Verbatim(ctx, fsys, d, nil)
		if res.Err != nil {
			t.Errorf("%s refused: %v", d, res.Err)
		}
		speeches += res.Statements
	}
	if speeches != 1488 {
		t.Errorf("%d speeches, want 1,488", speeches)
	}

	// Texts that name no delegation the parser can read: the ICRC's
	// President and two speakers of a resumption invited in the first
	// part (a separate record), a King introduced only in others'
	// speeches, and a child briefer printed without a speaker line.
	known := map[string]bool{
		"S/PV.8699 (Resumption 1) #26": true, "S/PV.8706 (Resumption 1) #18": true,
		"S/PV.8706 (Resumption 1) #32": true, "S/PV.8721 #8": true, "S/PV.8756 #8": true,
	}
	var missing []string
	err = p.Store.EachStatement(ctx, store.Filter{}, func(r store.StatementRow) error {
		if r.Delegation == "" && r.Title != "President" {
			if k := r.Meeting.Symbol + " #" + strconv.Itoa(r.Seq); !known[k] {
				missing = append(missing, k+" "+r.Speaker)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("speeches without a delegation: %q", missing)
	}
}
