package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/model"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// testDoc builds a small document whose statements carry codebook tags
// with correct evidence offsets.
func testDoc(symbol, raw string, texts ...string) Document {
	d := Document{
		Filename: "t.txt", Format: "text", Raw: []byte(raw), Text: strings.Join(texts, "\n\n"),
		Meeting: model.Meeting{Symbol: symbol, Body: "SC", Numbers: []int{7898}, Session: "AM", Year: 2017, Source: "press_release"},
	}
	off := 0
	for i, tx := range texts {
		st := model.Statement{Seq: i + 1, Section: "Statements", Speaker: "SPEAKER " + string(rune('A'+i)),
			Delegation: "Delegation " + string(rune('A'+i)), Kind: model.KindMemberState, Text: tx,
			Start: off, End: off + len(tx), Blocs: []string{"E10"}}
		if j := strings.Index(tx, "outside the Council’s purview"); j >= 0 {
			st.Tags = append(st.Tags, model.Tag{Dimension: model.DimPurview, Value: model.PurviewContests,
				Evidence: "outside the Council’s purview", Start: j, End: j + len("outside the Council’s purview"),
				Rule: "test.contests", Source: model.SourceCodebook, CodebookVersion: "cb-test"})
		}
		d.Statements = append(d.Statements, st)
		off += len(tx) + 2
	}
	return d
}

func TestAddDocumentIdempotent(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	d := testDoc("SC/1", "raw one", "First said trafficking fell outside the Council’s purview.", "Second said <script>alert(1)</script>.")
	res, err := s.AddDocument(ctx, d)
	if err != nil || res.Status != Added {
		t.Fatalf("AddDocument = %+v, %v; want added", res, err)
	}
	res, err = s.AddDocument(ctx, d)
	if err != nil || res.Status != Unchanged {
		t.Fatalf("second AddDocument = %+v, %v; want unchanged", res, err)
	}
	rows, total, err := s.Statements(ctx, Filter{}, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if total != 2 || len(rows) != 2 {
		t.Fatalf("Statements total=%d len=%d, want 2", total, len(rows))
	}
	if rows[0].Purview != model.PurviewContests || len(rows[0].Tags) != 1 {
		t.Errorf("first statement purview=%q tags=%d, want contests with 1 tag", rows[0].Purview, len(rows[0].Tags))
	}
	if rows[1].Purview != model.PurviewUnstated {
		t.Errorf("second statement purview=%q, want unstated", rows[1].Purview)
	}
	if rows[0].Meeting.Symbol != "SC/1" || rows[0].Meeting.Year != 2017 {
		t.Errorf("meeting = %+v", rows[0].Meeting)
	}
}

func TestAddDocumentRejectsBadEvidenceAtomically(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	d := testDoc("SC/2", "raw two", "A statement.", "Another statement.")
	d.Statements[1].Tags = []model.Tag{{Dimension: model.DimFrame, Value: "gender", Evidence: "women", Start: 0, End: 5}}
	if _, err := s.AddDocument(ctx, d); err == nil {
		t.Fatal("AddDocument accepted evidence that is not a substring")
	}
	if n, _ := s.CountMeetings(ctx); n != 0 {
		t.Fatalf("a failed document left %d meetings behind", n)
	}
	var docs int
	s.DB().QueryRow(`SELECT count(*) FROM documents`).Scan(&docs)
	if docs != 0 {
		t.Fatalf("a failed document left %d documents behind", docs)
	}
}

func TestReplaceKeepsAnalystTags(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	v1 := testDoc("SC/3", "version 1", "Alpha thought trafficking fell outside the Council’s purview.", "Beta urged the Council to act.")
	if _, err := s.AddDocument(ctx, v1); err != nil {
		t.Fatal(err)
	}
	rows, _, _ := s.Statements(ctx, Filter{}, 10, 0)
	// The analyst overrides the first statement and codes the second.
	if _, err := s.AddAnalystTag(ctx, rows[0].ID, model.Tag{Dimension: model.DimPurview, Value: model.PurviewConditional,
		Evidence: "fell outside", Author: "ana"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddAnalystTag(ctx, rows[1].ID, model.Tag{Dimension: model.DimPurview, Value: model.PurviewAffirms,
		Evidence: "urged the Council to act", Author: "ana"}); err != nil {
		t.Fatal(err)
	}
	// Version 2 corrects a typo in the first turn and rewrites the second
	// so that the analyst's evidence no longer appears.
	v2 := testDoc("SC/3", "version 2", "Alpha thought that trafficking fell outside the Council’s purview.", "Beta asked for more.")
	res, err := s.AddDocument(ctx, v2)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != Replaced || res.AnalystKept != 1 || res.AnalystOrphans != 1 {
		t.Fatalf("AddDocument = %+v, want replaced with 1 kept and 1 orphan", res)
	}
	rows, _, _ = s.Statements(ctx, Filter{}, 10, 0)
	if rows[0].Purview != model.PurviewConditional {
		t.Errorf("purview after replace = %q, want the analyst's conditional", rows[0].Purview)
	}
	for _, tg := range rows[0].Tags {
		if tg.Source == model.SourceAnalyst && rows[0].Text[tg.Start:tg.End] != tg.Evidence {
			t.Errorf("carried-over tag offsets [%d:%d] do not point at %q", tg.Start, tg.End, tg.Evidence)
		}
	}
	var orphans int
	s.DB().QueryRow(`SELECT count(*) FROM orphan_tags WHERE evidence = 'urged the Council to act'`).Scan(&orphans)
	if orphans != 1 {
		t.Errorf("orphan_tags has %d rows for the lost evidence, want 1", orphans)
	}
}

func TestRetagKeepsAnalystTags(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	if _, err := s.AddDocument(ctx, testDoc("SC/4", "r4", "Gamma said it fell outside the Council’s purview.", "Delta spoke.")); err != nil {
		t.Fatal(err)
	}
	rows, _, _ := s.Statements(ctx, Filter{}, 10, 0)
	if _, err := s.AddAnalystTag(ctx, rows[1].ID, model.Tag{Dimension: model.DimPurview, Value: model.PurviewAffirms, Evidence: "Delta spoke"}); err != nil {
		t.Fatal(err)
	}
	// A codebook that finds nothing: codebook tags go, the analyst's stay.
	rep, err := s.Retag(ctx, func(model.Statement) ([]model.Tag, bool) { return nil, true })
	if err != nil {
		t.Fatal(err)
	}
	if rep.Statements != 2 || rep.Before["purview=contests"] != 1 || rep.After["purview=contests"] != 0 {
		t.Errorf("retag report = %+v", rep)
	}
	if len(rep.Changed) != 1 || rep.Changed[0].From != "contests" || rep.Changed[0].To != "unstated" {
		t.Errorf("changed = %+v, want the first statement contests -> unstated", rep.Changed)
	}
	rows, _, _ = s.Statements(ctx, Filter{}, 10, 0)
	if rows[1].Purview != model.PurviewAffirms || len(rows[1].Tags) != 1 || rows[1].Tags[0].Source != model.SourceAnalyst {
		t.Errorf("analyst tag after retag: purview %q tags %+v", rows[1].Purview, rows[1].Tags)
	}
	// The tagger's review flag is stored with the new tags.
	if !rows[0].NeedsReview || !rows[1].NeedsReview {
		t.Errorf("needs_review after retag = %v, %v; want true, true", rows[0].NeedsReview, rows[1].NeedsReview)
	}
}

func TestAddAnalystTagValidates(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	s.AddDocument(ctx, testDoc("SC/5", "r5", "Epsilon spoke at length."))
	rows, _, _ := s.Statements(ctx, Filter{}, 10, 0)
	tests := []struct {
		name string
		id   int64
		tag  model.Tag
		want error
	}{
		{"unknown statement", 9999, model.Tag{Dimension: "purview", Value: "affirms", Evidence: "spoke"}, ErrNotFound},
		{"bad purview", rows[0].ID, model.Tag{Dimension: "purview", Value: "maybe", Evidence: "spoke"}, ErrBadTag},
		{"bad dimension", rows[0].ID, model.Tag{Dimension: "mood", Value: "x", Evidence: "spoke"}, ErrBadTag},
		{"evidence not in text", rows[0].ID, model.Tag{Dimension: "frame", Value: "gender", Evidence: "women"}, ErrBadTag},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.AddAnalystTag(ctx, tt.id, tt.tag); !errors.Is(err, tt.want) {
				t.Errorf("AddAnalystTag = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestFilters(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	s.AddDocument(ctx, testDoc("SC/6", "r6", "Zeta said trafficking fell outside the Council’s purview.", "Eta praised victims' shelters."))
	d := testDoc("GA/7", "r7", "Theta spoke on climate.")
	d.Meeting.Body, d.Meeting.Date = "GA", "2018-05-01"
	s.AddDocument(ctx, d)
	tests := []struct {
		name string
		f    Filter
		want int
	}{
		{"all", Filter{}, 3},
		{"meeting", Filter{Meetings: []string{"SC/6"}}, 2},
		{"body", Filter{Body: "GA"}, 1},
		{"from", Filter{From: "2018-01-01"}, 1},
		{"objections", Filter{Purview: "objections"}, 1},
		{"group", Filter{Group: "E10"}, 3},
		{"group none", Filter{Group: "P5"}, 0},
		{"fts word", Filter{Q: "shelters"}, 1},
		{"fts prefix", Filter{Q: "traffick*"}, 1},
		{"fts syntax is literal", Filter{Q: `"NEAR( OR AND`}, 0},
		{"delegation", Filter{Delegations: []string{"Delegation B"}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.f.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			_, total, err := s.Statements(ctx, tt.f, 10, 0)
			if err != nil {
				t.Fatal(err)
			}
			if total != tt.want {
				t.Errorf("total = %d, want %d", total, tt.want)
			}
		})
	}
}

func TestFilterValidate(t *testing.T) {
	bad := []Filter{
		{From: "yesterday"},
		{Council: "maybe"},
		{Purview: "angry"},
		{Q: strings.Repeat("x", 600)},
		{Delegations: make([]string, 60)},
		{Body: "\xff"},
		{Q: "victims\x01"},
		{Delegations: []string{"France\n"}},
	}
	for _, f := range bad {
		if err := f.Validate(); err == nil {
			t.Errorf("Validate(%+v) = nil, want an error", f)
		}
	}
	// Text pasted into the search box keeps its tabs and line breaks.
	if err := (Filter{Q: "victims\ttrafficking\r\n"}).Validate(); err != nil {
		t.Errorf("Validate(q with a tab) = %v", err)
	}
}

func TestMigrateTwice(t *testing.T) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("migrations: %v %v", names, err)
	}
	sort.Strings(names)
	latest, err := strconv.Atoi(strings.SplitN(path.Base(names[len(names)-1]), "_", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "m.db")
	for i := 0; i < 2; i++ {
		s, err := Open(context.Background(), file)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		var v int
		s.DB().QueryRow(`PRAGMA user_version`).Scan(&v)
		if v != latest {
			t.Errorf("user_version = %d, want %d", v, latest)
		}
		var fk int
		s.DB().QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
		if fk != 1 {
			t.Errorf("foreign_keys = %d, want 1", fk)
		}
		s.Close()
	}
}

// TestMigration2 upgrades a database built by migration 0001 alone and
// checks that 0002 drops its two indexes and that statement lists filtered
// through them answer the same before and after.
func TestMigration2(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "m.db")
	db, err := sql.Open("sqlite", DSN(file))
	if err != nil {
		t.Fatal(err)
	}
	body, err := migrationFS.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{db: db}
	if err := s.applyMigration(ctx, 1, string(body)); err != nil {
		t.Fatal(err)
	}
	texts := []string{"Alpha said it was outside the Council’s purview.", "Beta spoke."}
	d := testDoc("SC/1", "raw one", texts...)
	d.Statements[1].Tags = []model.Tag{{Dimension: model.DimFrame, Value: "victims", Evidence: "spoke",
		Start: 5, End: 10, Rule: "test.frame", Source: model.SourceCodebook, CodebookVersion: "cb-test"}}
	// Today's AddDocument writes the columns of later additive migrations
	// (0004's needs_review and confidence, 0005's raw_encoding): add them for the write and the first
	// read, then drop them, so that Open below upgrades a true 0001 schema.
	later := [][2]string{{"tags", "confidence TEXT NOT NULL DEFAULT ''"}, {"statements", "needs_review INTEGER NOT NULL DEFAULT 0"},
		{"documents", "raw_encoding TEXT NOT NULL DEFAULT ''"}}
	for _, c := range later {
		if _, err := db.ExecContext(ctx, `ALTER TABLE `+c[0]+` ADD COLUMN `+c[1]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddDocument(ctx, d); err != nil {
		t.Fatal(err)
	}
	filters := []Filter{{Delegations: []string{"Delegation A"}}, {Frame: "victims"}, {Frame: "other"}}
	lists := func() string {
		var out []string
		for _, f := range filters {
			rows, total, err := s.Statements(ctx, f, 10, 0)
			if err != nil {
				t.Fatal(err)
			}
			var speakers []string
			for _, r := range rows {
				speakers = append(speakers, r.Speaker)
			}
			out = append(out, fmt.Sprint(total, speakers))
		}
		return strings.Join(out, "; ")
	}
	before := lists()
	if want := "1 [SPEAKER A]; 1 [SPEAKER B]; 0 []"; before != want {
		t.Fatalf("before migration: %s, want %s", before, want)
	}
	for _, c := range later {
		if _, err := db.ExecContext(ctx, `ALTER TABLE `+c[0]+` DROP COLUMN `+strings.Fields(c[1])[0]); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	if s, err = Open(ctx, file); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var idx int
	s.DB().QueryRow(`SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('statements_delegation_idx', 'tags_dimension_statement_idx')`).Scan(&idx)
	if idx != 0 {
		t.Errorf("%d dropped indexes still there", idx)
	}
	if after := lists(); after != before {
		t.Errorf("statement lists changed by the migration:\n before %s\n after  %s", before, after)
	}
}

// TestLatestMeetingSymbols: the latest n meetings are the tail of
// MeetingSymbols, in its order, whatever ties of dates, numbers and years
// the meetings hold, for every n around the number of meetings.
func TestLatestMeetingSymbols(t *testing.T) {
	ctx := context.Background()
	s := dashStore(t)
	num := func(n int) []int {
		if n == 0 {
			return nil
		}
		return []int{n}
	}
	// Equal dates with equal and missing meeting numbers, undated meetings
	// with and without a year, and symbols that sort against their numbers.
	for _, m := range []model.Meeting{
		{Symbol: "SC/9", Body: "SC", Numbers: num(7), Date: "2017-03-15", Year: 2017},
		{Symbol: "SC/10", Body: "SC", Numbers: num(7), Date: "2017-03-15", Year: 2017},
		{Symbol: "GA/1", Body: "GA", Numbers: num(0), Date: "2017-03-15", Year: 2017},
		{Symbol: "GA/2", Body: "GA", Numbers: num(0), Date: "2017-03-15", Year: 2017},
		{Symbol: "SC/8", Body: "SC", Numbers: num(3), Date: "2017-03-15", Year: 2017},
		{Symbol: "SC/7", Body: "SC", Numbers: num(2), Year: 2017, YearInferred: true},
		{Symbol: "SC/6", Body: "SC", Numbers: num(1), Year: 2017, YearInferred: true},
		{Symbol: "SC/5", Body: "SC", Numbers: num(9)},
		{Symbol: "SC/4", Body: "SC", Numbers: num(0)},
		{Symbol: "SC/3", Body: "SC", Numbers: num(4), Date: "2016-12-31", Year: 2016},
		{Symbol: "SC/2", Body: "SC", Numbers: num(5), Date: "2018-01-01", Year: 2018},
	} {
		m.Source = "press_release"
		dashAddMeeting(t, s, m, []dashStatement{{deleg: "France", text: "A turn."}})
	}
	// The oracle: the meeting list's order (Meetings), a query of its own.
	meetings, err := s.Meetings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var all []SourceMeeting
	for _, m := range meetings {
		all = append(all, SourceMeeting{Symbol: m.Symbol, Date: m.Date, Year: m.Year})
	}
	for n := 0; n <= len(all)+2; n++ {
		got, total, err := s.LatestMeetingSymbols(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		want := all[max(0, len(all)-n):]
		if total != len(all) || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("LatestMeetingSymbols(%d) = %v, %d\n want the tail of Meetings %v, %d", n, got, total, want, len(all))
		}
	}
}
