package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/model"
)

// bulkCorpus stores meetings × turns statements, every fifth meeting
// undated, with tags and a duplicate turn per meeting, fast enough for
// benchmarks of tens of thousands of statements.
func bulkCorpus(tb testing.TB, s *Store, meetings, turns int) {
	tb.Helper()
	for i := 0; i < meetings; i++ {
		m := model.Meeting{Symbol: fmt.Sprintf("SC/%d", 30000+i), Body: "SC", Numbers: []int{5000 + i},
			Date: fmt.Sprintf("%d-%02d-%02d", 2000+i%20, 1+i%12, 1+i%28), Year: 2000 + i%20, Source: "press_release"}
		if i%5 == 0 {
			m.Date, m.YearInferred = "", true
		}
		doc := Document{Filename: "b.txt", Format: "text", Raw: []byte(m.Symbol), Meeting: m}
		for j := 0; j < turns; j++ {
			text := fmt.Sprintf("Turn %d of %d on trafficking and victims.", j, i)
			st := model.Statement{Seq: j + 1, Speaker: "S", Delegation: []string{"France", "Egypt", "Brazil"}[j%3],
				Kind: model.KindMemberState, Text: text, Blocs: []string{"NAM"}}
			k := strings.Index(text, "victims")
			st.Tags = []model.Tag{{Dimension: model.DimFrame, Value: "victim_centred", Evidence: "victims", Start: k, End: k + 7,
				Source: model.SourceCodebook}}
			if j%4 == 0 {
				st.Tags = append(st.Tags, model.Tag{Dimension: model.DimPurview, Value: model.PurviewContests, Evidence: "Turn",
					End: 4, Source: model.SourceCodebook})
			}
			if j == turns-1 {
				st = doc.Statements[j-1]
				st.Seq, st.DuplicateOf = j+1, j
			}
			doc.Statements = append(doc.Statements, st)
		}
		if _, err := s.AddDocument(context.Background(), doc); err != nil {
			tb.Fatal(err)
		}
	}
}

func exportAll(t *testing.T, s *Store, f Filter) []StatementRow {
	t.Helper()
	return exportPlan(t, s, f, exportAuto)
}

func exportPlan(t *testing.T, s *Store, f Filter, plan int) []StatementRow {
	t.Helper()
	var out []StatementRow
	if err := s.eachStatement(context.Background(), f, plan, func(r StatementRow) error {
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatalf("EachStatement(%+v): %v", f, err)
	}
	return out
}

func pagedAll(t *testing.T, s *Store, f Filter, size int) []StatementRow {
	t.Helper()
	var out []StatementRow
	for off := 0; ; off += size {
		page, total, err := s.Statements(context.Background(), f, size, off)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if off+size >= total {
			return out
		}
	}
}

// TestEachStatementEqualsStatements: the export is exactly Statements paged
// over everything, rows, tags and order, duplicates included when asked,
// across several tag chunks.
func TestEachStatementEqualsStatements(t *testing.T) {
	s := dashStore(t)
	bulkCorpus(t, s, 30, 40) // 1,200 statements: three tag chunks
	randomCorpus(t, s, rand.New(rand.NewPCG(3, 4)), 24, "v1")
	filters := append(fixedFilters(), Filter{Q: "victims"}, Filter{From: "2005-01-01", To: "2012-06-30"},
		Filter{Meetings: []string{"SC/30003", "SC/30010"}})
	r := rand.New(rand.NewPCG(8, 8))
	for i := 0; i < 40; i++ {
		filters = append(filters, randomFilter(r))
	}
	for _, f := range filters {
		for _, dups := range []bool{false, true} {
			f.IncludeDuplicates = dups
			want := pagedAll(t, s, f, 97)
			for plan, name := range []string{"auto", "walk", "sort"} {
				got := exportPlan(t, s, f, plan)
				if len(got) != len(want) {
					t.Errorf("EachStatement(%+v) plan %s = %d rows, Statements has %d", f, name, len(got), len(want))
					continue
				}
				for i := range got {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Errorf("EachStatement(%+v) plan %s row %d = %+v\nStatements has %+v", f, name, i, got[i], want[i])
						break
					}
				}
			}
		}
	}
	all := exportAll(t, s, Filter{IncludeDuplicates: true})
	dup := 0
	for _, r := range all {
		if r.DuplicateOf != 0 {
			dup++
		}
	}
	if len(all) < 1200 || dup < 30 {
		t.Fatalf("export of everything = %d rows with %d duplicates; want >= 1200 with >= 30", len(all), dup)
	}
}

// TestEachStatementIsOneSnapshot: a document stored while an export runs
// neither shifts nor joins it; the export is the database as it was when
// it began.
func TestEachStatementIsOneSnapshot(t *testing.T) {
	s := dashStore(t)
	ctx := context.Background()
	bulkCorpus(t, s, 20, 40)
	before := exportAll(t, s, Filter{IncludeDuplicates: true})
	var got []int64
	err := s.EachStatement(ctx, Filter{IncludeDuplicates: true}, func(r StatementRow) error {
		if len(got) == 0 {
			// A meeting that sorts first, stored from another connection.
			m := model.Meeting{Symbol: "SC/1", Body: "SC", Numbers: []int{1}, Date: "1990-01-01", Year: 1990}
			doc := Document{Filename: "e.txt", Format: "text", Raw: []byte("early"), Meeting: m}
			for j := 1; j <= 30; j++ {
				doc.Statements = append(doc.Statements, model.Statement{Seq: j, Delegation: "France", Text: "Early."})
			}
			if _, err := s.AddDocument(ctx, doc); err != nil {
				return err
			}
		}
		got = append(got, r.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var want []int64
	for _, r := range before {
		want = append(want, r.ID)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("export during an ingest = %d rows, want the %d rows of its start", len(got), len(want))
	}
	if after := exportAll(t, s, Filter{IncludeDuplicates: true}); len(after) != len(before)+30 {
		t.Errorf("export after the ingest = %d rows, want %d", len(after), len(before)+30)
	}
}

var pagingRe = regexp.MustCompile(`(?i)\b(OFFSET|LIMIT)\b|\bCOUNT\s*\(`)

// TestEachStatementPlan: the export reads statements once in order: no
// OFFSET, no count, no sort of the whole selection.
func TestEachStatementPlan(t *testing.T) {
	s := dashSeeded(t)
	for _, f := range []Filter{{}, {IncludeDuplicates: true}, {From: "2017-01-01", To: "2018-06-30"},
		{Meetings: []string{"SC/1"}}, {Q: "Council"}, {Group: "P5", Frame: "victim_centred"}, {Body: "SC", Delegations: []string{"France"}}} {
		if q, _ := exportQuery(f, false); pagingRe.MatchString(q) {
			t.Errorf("exportQuery(%+v, sort) pages or counts: %s", f, q)
		}
		q, args := exportQuery(f, true)
		if pagingRe.MatchString(q) {
			t.Errorf("exportQuery(%+v, walk) pages or counts: %s", f, q)
		}
		rows, err := s.DB().Query(`EXPLAIN QUERY PLAN `+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			rows.Scan(&id, &parent, &notused, &detail)
			plan += detail + "; "
		}
		rows.Close()
		if strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("exportQuery(%+v) sorts: %s", f, plan)
		}
	}
}

// BenchmarkEachStatement exports 40,000 statements (go test -bench Each -run X ./store).
func BenchmarkEachStatement(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	bulkCorpus(b, s, 500, 80)
	b.ResetTimer()
	for range b.N {
		n := 0
		if err := s.EachStatement(context.Background(), Filter{IncludeDuplicates: true}, func(StatementRow) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "statements")
	}
}
