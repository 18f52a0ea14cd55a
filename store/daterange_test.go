package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/model"
)

// inDateRange is Filter's date rule written out plainly, as the oracle for
// Filter.where(): a dated meeting is in range when from <= date <= to; an
// undated meeting with a year when year(from) <= year <= year(to); a
// meeting with neither is excluded by any bound. Absent bounds are open.
func inDateRange(date string, year int, from, to string) bool {
	if from == "" && to == "" {
		return true
	}
	if date != "" {
		return (from == "" || from <= date) && (to == "" || date <= to)
	}
	if year == 0 {
		return false
	}
	y := func(d string) int { n, _ := strconv.Atoi(d[:4]); return n }
	return (from == "" || y(from) <= year) && (to == "" || year <= y(to))
}

// undatedSeeded stores meetings of every date shape: dated ones, undated
// ones whose year was inferred (as SC/12751 from a plain-text release), and
// one with neither date nor year.
func undatedSeeded(t *testing.T) *Store {
	s := dashStore(t)
	turn := func(deleg, iso3, text, purview string) dashStatement {
		return dashStatement{deleg: deleg, iso3: iso3, member: dashBool(true), blocs: []string{"P5"}, text: text,
			purview: purview, frames: []string{"victim_centred"}, instruments: []string{"UNTOC"}}
	}
	meetings := []struct {
		m   model.Meeting
		sts []dashStatement
	}{
		{model.Meeting{Symbol: "SC/3", Body: "SC", Numbers: []int{7000}, Year: 2016, YearInferred: true},
			[]dashStatement{turn("France", "FRA", "France spoke in 2016.", "affirms")}},
		{model.Meeting{Symbol: "SC/1", Body: "SC", Numbers: []int{7800}, Date: "2017-03-15", Year: 2017},
			[]dashStatement{turn("France", "FRA", "France spoke in March.", "affirms"), turn("Egypt", "EGY", "Egypt spoke.", "contests")}},
		{model.Meeting{Symbol: "SC/12751", Body: "SC", Numbers: []int{7898}, Year: 2017, YearInferred: true},
			[]dashStatement{turn("France", "FRA", "France spoke undated.", "contests"), turn("Egypt", "EGY", "Egypt again.", "conditional"),
				turn("Brazil", "BRA", "Brazil spoke.", "")}},
		{model.Meeting{Symbol: "SC/2", Body: "SC", Numbers: []int{8200}, Date: "2018-05-01", Year: 2018},
			[]dashStatement{turn("France", "FRA", "France spoke in 2018.", "affirms")}},
		{model.Meeting{Symbol: "SC/9", Body: "SC"},
			[]dashStatement{turn("France", "FRA", "France spoke, when unknown.", "contests")}},
	}
	for _, m := range meetings {
		m.m.Source = "press_release"
		dashAddMeeting(t, s, m.m, m.sts)
	}
	return s
}

// TestDateRangeKeepsUndatedMeetings: from/to select undated meetings by
// their year, on every path (rollups for whole years, statement grain for
// cut years, base tables for statement filters, statement pages, exports).
func TestDateRangeKeepsUndatedMeetings(t *testing.T) {
	s := undatedSeeded(t)
	ctx := context.Background()
	tests := []struct {
		name     string
		from, to string
		want     []string // meetings selected, in time order
	}{
		{"no bounds", "", "", []string{"SC/3", "SC/1", "SC/12751", "SC/2", "SC/9"}},
		{"whole year", "2017-01-01", "2017-12-31", []string{"SC/1", "SC/12751"}},
		{"from cuts the year", "2017-03-16", "", []string{"SC/12751", "SC/2"}},
		{"to cuts the year", "", "2017-01-01", []string{"SC/3", "SC/12751"}},
		{"inside one year, no dated meeting", "2017-06-01", "2017-06-30", []string{"SC/12751"}},
		{"whole years", "2016-01-01", "2018-12-31", []string{"SC/3", "SC/1", "SC/12751", "SC/2"}},
		{"to only excludes the yearless", "", "2030-12-31", []string{"SC/3", "SC/1", "SC/12751", "SC/2"}},
		{"after", "2019-01-01", "", []string{}},
	}
	extra := []Filter{{}, {Body: "SC"}, {Delegations: []string{"Egypt", "France"}}, {Purview: "contests"},
		{Council: "members"}, {Group: "P5"}, {Frame: "victim_centred"}, {Q: "spoke"}}
	for _, tt := range tests {
		for _, base := range extra {
			f := base
			f.From, f.To = tt.from, tt.to
			if err := f.Validate(); err != nil {
				t.Fatalf("Validate(%+v): %v", f, err)
			}
			want := tt.want
			if base.Purview == "contests" || len(base.Delegations) > 0 {
				// Narrower cells: compare with the oracle below only.
				want = nil
			}
			t.Run(fmt.Sprintf("%s %+v", tt.name, base), func(t *testing.T) {
				src, err := s.Sources(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				got := []string{}
				for _, m := range src {
					got = append(got, m.Symbol)
				}
				if want != nil && !reflect.DeepEqual(got, want) {
					t.Errorf("Sources(%+v) = %v, want %v", f, got, want)
				}
				var exported []string
				if err := s.EachStatement(ctx, f, func(r StatementRow) error {
					if len(exported) == 0 || exported[len(exported)-1] != r.Meeting.Symbol {
						exported = append(exported, r.Meeting.Symbol)
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(nonNilStrings(exported), got) {
					t.Errorf("EachStatement(%+v) meetings = %v, want %v", f, exported, got)
				}
				checkAggregates(t, s, f)
			})
		}
	}
	// The reviewer's case: the undated SC/12751 is in 2017.
	p, err := s.DelegationProfile(ctx, "Brazil", Filter{From: "2017-01-01", To: "2017-12-31"})
	if err != nil || p.Purview.Total != 1 || p.Meetings != 1 {
		t.Errorf("DelegationProfile(Brazil, 2017) = %+v, %v; want its undated 2017 turn", p, err)
	}
	sh, err := s.Shifts(ctx, Filter{From: "2017-01-01", To: "2017-12-31", Delegations: []string{"France"}})
	if err != nil || len(sh) != 1 || sh[0].ToMeeting != "SC/12751" {
		t.Errorf("Shifts(France, 2017) = %+v, %v; want affirms at SC/1 -> contests at SC/12751", sh, err)
	}
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// TestDateRuleMatchesDefinition holds Filter.where() and the rollup paths
// to the plain rule over random meetings and every pair of bounds from a
// grid that cuts years, spans them and leaves either side open.
func TestDateRuleMatchesDefinition(t *testing.T) {
	s := dashStore(t)
	ctx := context.Background()
	randomCorpus(t, s, rand.New(rand.NewPCG(5, 6)), 40, "v1")
	type meeting struct {
		symbol, date string
		year         int
	}
	var all []meeting
	rows, err := s.DB().Query(`SELECT symbol, COALESCE(date, ''), COALESCE(year, 0) FROM meetings`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var m meeting
		if err := rows.Scan(&m.symbol, &m.date, &m.year); err != nil {
			t.Fatal(err)
		}
		all = append(all, m)
	}
	rows.Close()
	var undated, yearless int
	for _, m := range all {
		if m.date == "" {
			undated++
			if m.year == 0 {
				yearless++
			}
		}
	}
	if undated-yearless < 3 || yearless == 0 {
		t.Fatalf("corpus has %d undated meetings, %d without a year; want both kinds", undated, yearless)
	}
	bounds := []string{"", "2015-01-01", "2016-01-01", "2016-03-10", "2016-12-31", "2017-06-30", "2017-12-31", "2018-01-01", "2019-01-01"}
	for _, from := range bounds {
		for _, to := range bounds {
			f := Filter{From: from, To: to}
			var want []string
			for _, m := range all {
				if inDateRange(m.date, m.year, from, to) {
					want = append(want, m.symbol)
				}
			}
			cond, args := f.where()
			var got []string
			for _, r := range (oracle{s.DB()}).rows(t, `SELECT DISTINCT m.symbol`+fromFiltered+cond, args...) {
				got = append(got, r[0])
			}
			sort.Strings(want)
			sort.Strings(got)
			if !reflect.DeepEqual(nonNilStrings(got), nonNilStrings(want)) {
				t.Errorf("where(from %q, to %q) meetings = %v, want %v", from, to, got, want)
			}
			src, err := s.Sources(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(src) != len(want) {
				t.Errorf("Sources(from %q, to %q) = %d meetings, want %d", from, to, len(src), len(want))
			}
		}
	}
}

func TestFilterValidateDates(t *testing.T) {
	tests := []struct {
		f    Filter
		want string // "" when valid, else part of the message
	}{
		{Filter{From: "2017-01-01", To: "2017-12-31"}, ""},
		{Filter{From: "2016-02-29"}, ""},
		{Filter{From: "2017-03-01", To: "2017-03-01"}, ""},
		{Filter{From: "2017-13-45"}, `from must be a date as YYYY-MM-DD that exists, got "2017-13-45"`},
		{Filter{To: "2017-02-30"}, `to must be a date`},
		{Filter{From: "2017-02-29"}, `from must be a date`},
		{Filter{From: "2017-00-10"}, `from must be a date`},
		{Filter{From: "17-01-01"}, `from must be a date`},
		{Filter{From: "2017-1-1"}, `from must be a date`},
		{Filter{From: "2017-12-31", To: "2017-01-01"}, "from (2017-12-31) is after to (2017-01-01)"},
	}
	for _, tt := range tests {
		err := tt.f.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("Validate(from %q, to %q) = %v, want nil", tt.f.From, tt.f.To, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("Validate(from %q, to %q) = %v, want an error saying %q", tt.f.From, tt.f.To, err, tt.want)
		}
	}
}

// TestDelegationKindByPriority: a national official's turn that shares a
// State's delegation name must not make the State a national official.
func TestDelegationKindByPriority(t *testing.T) {
	s := dashStore(t)
	ctx := context.Background()
	dashAdd(t, s, "SC/1", "2017-03-15", []dashStatement{
		{deleg: "United Kingdom", iso3: "GBR", member: dashBool(true), text: "The United Kingdom spoke.", purview: "affirms"},
		{deleg: "United Kingdom", text: "The Anti-Slavery Commissioner spoke.", kind: model.KindNationalOfficial},
		{deleg: "Argentina", text: "The National Council of Women spoke.", kind: model.KindNationalOfficial},
		{deleg: "Holy See", iso3: "VAT", text: "The Holy See spoke.", kind: model.KindObserverState},
		{deleg: "Holy See", text: "A civil society voice under the same name.", kind: model.KindCivilSociety},
	})
	dashAdd(t, s, "SC/2", "2018-03-15", []dashStatement{
		{deleg: "Argentina", iso3: "ARG", member: dashBool(false), text: "Argentina spoke.", purview: "contests"},
		{deleg: "Atlantis", text: "Someone else.", kind: "zz_unknown"},
	})
	want := map[string]string{"United Kingdom": model.KindMemberState, "Argentina": model.KindMemberState,
		"Holy See": model.KindObserverState, "Atlantis": "zz_unknown"}
	// Each filter reads another source: the global rollup, year rollups,
	// cut years (statement grain), a meeting list, base tables.
	for _, f := range []Filter{{}, {From: "2017-01-01"}, {From: "2017-02-01"}, {Meetings: []string{"SC/1", "SC/2"}},
		{Q: "spoke"}, {Delegations: []string{"Argentina", "United Kingdom", "Holy See", "Atlantis"}}} {
		rows, err := s.PurviewByDelegation(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if w, ok := want[r.Delegation]; ok && r.Kind != w {
				t.Errorf("PurviewByDelegation(%+v) %s kind = %q, want %q", f, r.Delegation, r.Kind, w)
			}
		}
		checkAggregates(t, s, f)
	}
	// Within one meeting, Argentina has only the official's turn.
	rows, err := s.PurviewByDelegation(ctx, Filter{Meetings: []string{"SC/1"}, Delegations: []string{"Argentina"}})
	if err != nil || len(rows) != 1 || rows[0].Kind != model.KindNationalOfficial {
		t.Errorf("PurviewByDelegation(Argentina at SC/1) = %+v, %v; want national_official", rows, err)
	}
	for name, w := range want {
		p, err := s.DelegationProfile(ctx, name, Filter{})
		if err != nil || p.Kind != w {
			t.Errorf("DelegationProfile(%s).Kind = %q, %v; want %q", name, p.Kind, err, w)
		}
	}
}
