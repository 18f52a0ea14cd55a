package store

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/model"
)

// dashStatement builds a statement whose tags' evidence is cut from its
// text, as the codebook does, so AddDocument accepts it.
type dashStatement struct {
	deleg, iso3 string
	member      *bool
	blocs       []string
	text        string
	purview     string // evidence: the whole text
	frames      []string
	instruments []string
	dupOf       int
	kind        string // default: member_state, or un_system without a delegation
}

func dashBool(b bool) *bool { return &b }

func dashAdd(t *testing.T, s *Store, symbol, date string, sts []dashStatement) {
	t.Helper()
	year, _ := strconv.Atoi(date[:4])
	dashAddMeeting(t, s, model.Meeting{Symbol: symbol, Body: "SC", Numbers: []int{len(symbol)}, Date: date, Year: year,
		Source: "press_release"}, sts)
}

// dashAddMeeting stores a meeting as given: undated meetings with an
// inferred year, or with no year at all, are built with it.
func dashAddMeeting(t *testing.T, s *Store, m model.Meeting, sts []dashStatement) {
	t.Helper()
	symbol := m.Symbol
	doc := Document{Filename: symbol + ".txt", Format: "text", Raw: []byte(symbol + m.Date), Meeting: m}
	for i, d := range sts {
		st := model.Statement{Seq: i + 1, Delegation: d.deleg, ISO3: d.iso3, Kind: model.KindMemberState,
			CouncilMember: d.member, Blocs: d.blocs, Text: d.text, DuplicateOf: d.dupOf}
		if d.deleg == "" {
			st.Kind = model.KindUNSystem
		}
		if d.kind != "" {
			st.Kind = d.kind
		}
		if d.purview != "" {
			st.Tags = append(st.Tags, model.Tag{Dimension: model.DimPurview, Value: d.purview, Evidence: d.text,
				End: len(d.text), Source: model.SourceCodebook, CodebookVersion: "v1"})
		}
		for _, f := range d.frames {
			st.Tags = append(st.Tags, model.Tag{Dimension: model.DimFrame, Value: f, Evidence: d.text[:1], End: 1,
				Source: model.SourceCodebook, CodebookVersion: "v1"})
		}
		for _, in := range d.instruments {
			st.Tags = append(st.Tags, model.Tag{Dimension: model.DimInstrument, Value: in, Evidence: d.text[:1], End: 1,
				Source: model.SourceCodebook, CodebookVersion: "v1"})
		}
		doc.Statements = append(doc.Statements, st)
		doc.Text += d.text + "\n"
	}
	if _, err := s.AddDocument(context.Background(), doc); err != nil {
		t.Fatalf("AddDocument(%s): %v", symbol, err)
	}
}

func dashStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "dash.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// dashSeeded holds two meetings: France affirms twice, Russia contests then
// affirms, Egypt is conditional then silent, Brazil (not on the Council)
// contests; a duplicate turn and a Secretary-General turn must not count.
func dashSeeded(t *testing.T) *Store {
	s := dashStore(t)
	dashAdd(t, s, "SC/1", "2017-03-15", []dashStatement{
		{deleg: "", text: "The Secretary-General said the Council must act."},
		{deleg: "France", iso3: "FRA", member: dashBool(true), blocs: []string{"P5", "EU"}, text: "The Council had a duty to act.",
			purview: "affirms", frames: []string{"victim_centred"}, instruments: []string{"TIP_PROTOCOL", "UNSCR_2331"}},
		{deleg: "Russian Federation", iso3: "RUS", member: dashBool(true), blocs: []string{"P5"}, text: "It fell outside the Council's purview.",
			purview: "contests", frames: []string{"counter_terrorism"}},
		{deleg: "Egypt", iso3: "EGY", member: dashBool(true), blocs: []string{"E10", "NAM"}, text: "Only in conjunction with conflicts.",
			purview: "conditional", instruments: []string{"UNTOC"}},
		{deleg: "Côte d’Ivoire", iso3: "CIV", member: dashBool(false), blocs: []string{"NAM"}, text: "Trafficking is a scourge."},
		{deleg: "France", iso3: "FRA", member: dashBool(true), blocs: []string{"P5", "EU"}, text: "The Council had a duty to act.",
			purview: "affirms", dupOf: 2},
	})
	dashAdd(t, s, "SC/2", "2018-05-01", []dashStatement{
		{deleg: "France", iso3: "FRA", member: dashBool(true), blocs: []string{"P5", "EU"}, text: "The Council should lead.",
			purview: "affirms", frames: []string{"victim_centred"}, instruments: []string{"TIP_PROTOCOL"}},
		{deleg: "Russian Federation", iso3: "RUS", member: dashBool(true), blocs: []string{"P5"}, text: "The Council may help.",
			purview: "affirms"},
		{deleg: "Egypt", iso3: "EGY", member: dashBool(false), blocs: []string{"NAM"}, text: "Nothing on the forum."},
		{deleg: "Brazil", iso3: "BRA", member: dashBool(false), text: "The General Assembly is the right forum.",
			purview: "contests", instruments: []string{"TIP_PROTOCOL"}},
	})
	return s
}

func TestPurviewByDelegation(t *testing.T) {
	s := dashSeeded(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		filter Filter
		want   []string // delegation:contests/conditional/affirms/unstated
	}{
		{"all, objectors first", Filter{}, []string{
			"Russian Federation:1/0/1/0", "Brazil:1/0/0/0", "Egypt:0/1/0/1", "France:0/0/2/0", "Côte d’Ivoire:0/0/0/1"}},
		{"one meeting", Filter{Meetings: []string{"SC/2"}}, []string{
			"Brazil:1/0/0/0", "France:0/0/1/0", "Russian Federation:0/0/1/0", "Egypt:0/0/0/1"}},
		{"non-members", Filter{Council: "non-members"}, []string{"Brazil:1/0/0/0", "Côte d’Ivoire:0/0/0/1", "Egypt:0/0/0/1"}},
		{"group P5", Filter{Group: "P5"}, []string{"Russian Federation:1/0/1/0", "France:0/0/2/0"}},
		{"instrument", Filter{Instrument: "TIP_PROTOCOL"}, []string{"Brazil:1/0/0/0", "France:0/0/2/0"}},
		{"objections", Filter{Purview: "objections"}, []string{"Brazil:1/0/0/0", "Russian Federation:1/0/0/0", "Egypt:0/1/0/0"}},
		{"full text", Filter{Q: "purview"}, []string{"Russian Federation:1/0/0/0"}},
		{"date range", Filter{From: "2018-01-01", To: "2018-12-31", Delegations: []string{"Egypt"}}, []string{"Egypt:0/0/0/1"}},
		{"nothing", Filter{Body: "GA"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := s.PurviewByDelegation(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, r := range rows {
				got = append(got, r.Delegation+":"+strconv.Itoa(r.Contests)+"/"+strconv.Itoa(r.Conditional)+"/"+strconv.Itoa(r.Affirms)+"/"+strconv.Itoa(r.Unstated))
				if r.Total != r.Contests+r.Conditional+r.Affirms+r.Unstated {
					t.Errorf("%s: total %d is not the sum of its parts", r.Delegation, r.Total)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("PurviewByDelegation(%+v) = %v, want %v", tt.filter, got, tt.want)
			}
		})
	}
	rows, _ := s.PurviewByDelegation(ctx, Filter{})
	if rows[1].ISO3 != "BRA" || rows[1].Position != "contests" || rows[0].Position != "contests" || rows[3].Position != "affirms" || rows[4].Position != "unstated" {
		t.Errorf("iso3/position wrong: %+v", rows)
	}
}

func TestPurviewTotals(t *testing.T) {
	s := dashSeeded(t)
	got, err := s.PurviewTotals(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	// 9 non-duplicate statements: the Secretary-General's counts (unstated).
	want := PurviewCounts{Affirms: 3, Conditional: 1, Contests: 2, Unstated: 3, Total: 9}
	if got != want {
		t.Errorf("PurviewTotals = %+v, want %+v", got, want)
	}
	empty, err := s.PurviewTotals(context.Background(), Filter{Body: "GA"})
	if err != nil || empty != (PurviewCounts{}) {
		t.Errorf("PurviewTotals(no rows) = %+v, %v; want zero", empty, err)
	}
}

func TestFramesAndInstruments(t *testing.T) {
	s := dashSeeded(t)
	ctx := context.Background()
	frames, err := s.FramesByDelegation(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	wantF := []TagCount{{"France", "victim_centred", 2}, {"Russian Federation", "counter_terrorism", 1}}
	if !reflect.DeepEqual(frames, wantF) {
		t.Errorf("FramesByDelegation = %v, want %v", frames, wantF)
	}
	// A filter on the frame dimension must not clash with the join alias.
	frames, err = s.FramesByDelegation(ctx, Filter{Frame: "counter_terrorism", Instrument: "UNTOC"})
	if err != nil || len(frames) != 0 {
		t.Errorf("FramesByDelegation(frame+instrument) = %v, %v; want none", frames, err)
	}
	all, err := s.InstrumentsByDelegation(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	reach := Reach(all)
	wantR := []InstrumentReach{{"TIP_PROTOCOL", 2, 3}, {"UNSCR_2331", 1, 1}, {"UNTOC", 1, 1}}
	if !reflect.DeepEqual(reach, wantR) {
		t.Errorf("InstrumentsReach = %v, want %v", reach, wantR)
	}
	inst, err := s.InstrumentsByDelegation(ctx, Filter{Delegations: []string{"France"}})
	if err != nil {
		t.Fatal(err)
	}
	wantI := []TagCount{{"France", "TIP_PROTOCOL", 2}, {"France", "UNSCR_2331", 1}}
	if !reflect.DeepEqual(inst, wantI) {
		t.Errorf("InstrumentsByDelegation = %v, want %v", inst, wantI)
	}
}

func TestBlocStances(t *testing.T) {
	s := dashSeeded(t)
	rows, err := s.BlocStances(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]PurviewCounts{}
	var order []string
	for _, r := range rows {
		got[r.Bloc] = r.PurviewCounts
		order = append(order, r.Bloc)
	}
	want := map[string]PurviewCounts{
		"P5":           {Affirms: 3, Contests: 1, Total: 4},
		"EU":           {Affirms: 2, Total: 2},
		"NAM":          {Conditional: 1, Unstated: 2, Total: 3},
		"E10":          {Conditional: 1, Total: 1},
		NonMembersBloc: {Contests: 1, Unstated: 2, Total: 3},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("BlocStances = %v, want %v", got, want)
	}
	if order[0] != "P5" {
		t.Errorf("largest bloc first: got order %v", order)
	}
	for _, r := range rows {
		if r.Bloc == NonMembersBloc && (r.FilterKey != "council" || r.FilterValue != "non-members") {
			t.Errorf("non-members row filters by %s=%s", r.FilterKey, r.FilterValue)
		}
	}
}

func TestTimelineShiftsSources(t *testing.T) {
	s := dashSeeded(t)
	ctx := context.Background()
	tl, err := s.Timeline(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tl) != 2 || tl[0].Meeting != "SC/1" || tl[0].Total != 5 || tl[1].Meeting != "SC/2" || tl[1].Contests != 1 {
		t.Errorf("Timeline = %+v", tl)
	}
	shifts, err := s.Shifts(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Shift{{Delegation: "Russian Federation", FromMeeting: "SC/1", FromDate: "2017-03-15", FromPurview: "contests",
		ToMeeting: "SC/2", ToDate: "2018-05-01", ToPurview: "affirms"}}
	if !reflect.DeepEqual(shifts, want) {
		t.Errorf("Shifts = %+v, want %+v", shifts, want)
	}
	src, err := s.Sources(ctx, Filter{Delegations: []string{"Brazil"}})
	if err != nil || !reflect.DeepEqual(src, []SourceMeeting{{Symbol: "SC/2", Date: "2018-05-01", Year: 2018}}) {
		t.Errorf("Sources(Brazil) = %v, %v", src, err)
	}
}

func TestOverviewAuditProfile(t *testing.T) {
	s := dashSeeded(t)
	ctx := context.Background()
	o, err := s.Overview(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	want := Overview{Meetings: 2, Statements: 9, Delegations: 5, Objections: 3}
	if o != want {
		t.Errorf("Overview = %+v, want %+v", o, want)
	}
	if ms, n, err := s.LatestMeetingSymbols(ctx, -1); err != nil || n != 2 || !reflect.DeepEqual(ms, []SourceMeeting{{Symbol: "SC/1", Date: "2017-03-15", Year: 2017}, {Symbol: "SC/2", Date: "2018-05-01", Year: 2018}}) {
		t.Errorf("LatestMeetingSymbols(-1) = %v, %d, %v", ms, n, err)
	}
	if o, err := s.Overview(ctx, Filter{Meetings: []string{"SC/2"}}); err != nil || o.Statements != 4 || o.Meetings != 1 {
		t.Errorf("Overview(SC/2) = %+v, %v", o, err)
	}
	vs, err := s.CodebookVersions(ctx)
	if err != nil || len(vs) != 1 || vs[0].CodebookVersion != "v1" || vs[0].Source != "codebook" {
		t.Errorf("CodebookVersions = %+v, %v", vs, err)
	}

	p, err := s.DelegationProfile(ctx, "Egypt", Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if p.ISO3 != "EGY" || p.Meetings != 2 || p.CouncilMember != 1 || !reflect.DeepEqual(p.Blocs, []string{"E10", "NAM"}) ||
		p.Purview.Conditional != 1 || p.Purview.Unstated != 1 || len(p.Instruments) != 1 {
		t.Errorf("DelegationProfile(Egypt) = %+v", p)
	}
	if _, err := s.DelegationProfile(ctx, "Atlantis", Filter{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("DelegationProfile(Atlantis) error = %v, want ErrNotFound", err)
	}
	// Filtered out is not unknown.
	p, err = s.DelegationProfile(ctx, "Brazil", Filter{Meetings: []string{"SC/1"}})
	if err != nil || p.Purview.Total != 0 {
		t.Errorf("DelegationProfile(Brazil at SC/1) = %+v, %v; want empty profile", p, err)
	}
	names, err := s.DelegationNames(ctx)
	if err != nil || len(names) != 5 || names[0] != "Brazil" {
		t.Errorf("DelegationNames = %v, %v", names, err)
	}
	if err := s.Healthy(ctx); err != nil {
		t.Errorf("Healthy: %v", err)
	}
}

func TestDashboardEmpty(t *testing.T) {
	s := dashStore(t)
	ctx := context.Background()
	if rows, err := s.PurviewByDelegation(ctx, Filter{}); err != nil || rows == nil || len(rows) != 0 {
		t.Errorf("PurviewByDelegation(empty) = %#v, %v; want empty non-nil", rows, err)
	}
	if rows, err := s.BlocStances(ctx, Filter{}); err != nil || len(rows) != 0 {
		t.Errorf("BlocStances(empty) = %#v, %v", rows, err)
	}
	if o, err := s.Overview(ctx, Filter{}); err != nil || o != (Overview{}) {
		t.Errorf("Overview(empty) = %+v, %v", o, err)
	}
}

// TestDashboardPlans: unfiltered and whole-year aggregates read rollup
// rows, never the statements table; a cut year reads only the statement
// grain of the meetings it cuts.
func TestDashboardPlans(t *testing.T) {
	s := dashSeeded(t)
	plan := func(q string, args []any) string {
		rows, err := s.DB().Query(`EXPLAIN QUERY PLAN `+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			rows.Scan(&id, &parent, &notused, &detail)
			out += detail + "; "
		}
		return out
	}
	tests := []struct {
		f         Filter
		want, not []string
	}{
		{Filter{}, []string{"SEARCH rollup_purview"}, []string{"statements", "meeting_purview"}},
		{Filter{Body: "SC", From: "2017-01-01", To: "2018-12-31", Council: "members"}, []string{"SEARCH rollup_purview"}, []string{"statements", "meeting_purview"}},
		{Filter{From: "2017-03-01"}, []string{"rollup_purview", "meeting_purview"}, []string{"SCAN statements"}},
	}
	for _, tt := range tests {
		cells, args := planScope(tt.f).purviewCells()
		p := plan(`SELECT delegation, `+cellSums+` FROM (`+cells+`) GROUP BY delegation`, args)
		for _, w := range tt.want {
			if !strings.Contains(p, w) {
				t.Errorf("plan(%+v) = %s; want %q", tt.f, p, w)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(p, n) {
				t.Errorf("plan(%+v) = %s; must not read %q", tt.f, p, n)
			}
		}
	}
}

func TestMeetingJoinOnlyWhenNeeded(t *testing.T) {
	tests := []struct {
		f    Filter
		join bool
	}{
		{Filter{}, false},
		{Filter{Delegations: []string{"x"}, Group: "P5", Q: "m.x"}, false},
		{Filter{Meetings: []string{"SC/1"}}, true},
		{Filter{From: "2017-01-01"}, true},
		{Filter{Body: "SC"}, true},
	}
	for _, tt := range tests {
		cond, _ := tt.f.where()
		if got := strings.Contains(from(cond), "JOIN meetings"); got != tt.join {
			t.Errorf("from(%+v) joins meetings = %v, want %v", tt.f, got, tt.join)
		}
	}
}
