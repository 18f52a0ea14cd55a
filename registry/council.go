package registry

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// seats returns the ISO3 codes whose Council seat the State holds in year:
// its own, and for a predecessor (USSR, Democratic Yemen) the seat its
// successor continues, up to its last year.
func (r *Registry) seats(id, year int) []string {
	e := r.ents[id]
	out := []string{e.ISO3}
	if e.Successor != "" && (year <= 0 || e.Until == 0 || year <= e.Until) {
		out = append(out, e.Successor)
	}
	return out
}

func (r *Registry) isPermanent(id, year int) bool {
	for _, s := range r.seats(id, year) {
		if slices.Contains(r.permanent, s) {
			return true
		}
	}
	return false
}

func (r *Registry) isElected(id, year int) bool {
	el, ok := r.elected[year]
	if !ok {
		return false
	}
	for _, s := range r.seats(id, year) {
		if slices.Contains(el, s) {
			return true
		}
	}
	return false
}

// CouncilMember reports whether the State sat on the Security Council in
// year. name may be canonical or any alias. known is false when the year is
// outside the table or the name is not a State.
func (r *Registry) CouncilMember(name string, year int) (member bool, known bool) {
	e, ok := r.Lookup(name)
	if !ok || !e.IsState() {
		return false, false
	}
	return r.councilMemberID(r.byISO[e.ISO3], year)
}

func (r *Registry) councilMemberID(id, year int) (member bool, known bool) {
	if _, ok := r.elected[year]; !ok {
		return false, false
	}
	return r.isPermanent(id, year) || r.isElected(id, year), true
}

// CouncilMembers returns the canonical names of the permanent and elected
// members in year (elected sorted by name); both nil when the year is unknown.
func (r *Registry) CouncilMembers(year int) (permanent, elected []string) {
	el, ok := r.elected[year]
	if !ok {
		return nil, nil
	}
	for _, c := range r.permanent {
		permanent = append(permanent, r.ents[r.byISO[c]].Name)
	}
	for _, c := range el {
		elected = append(elected, r.ents[r.byISO[c]].Name)
	}
	sort.Strings(elected)
	return permanent, elected
}

// CouncilYears returns the first and last year of the membership table.
func (r *Registry) CouncilYears() (first, last int) { return r.firstYear, r.lastYear }

// resolveBloc finds a bloc by key, any alias, the name of the entity it
// stands for, or a regional group name ("African" → "African Group").
func (r *Registry) resolveBloc(group string) (int, bool) {
	if bi, ok := r.blocByKey[normKey(group)]; ok {
		return bi, true
	}
	if e, ok := r.Lookup(group); ok {
		if id, ok := r.byKey[normKey(e.Name)]; ok {
			if bi, ok := r.entBloc[id]; ok {
				return bi, true
			}
		}
	}
	return 0, false
}

// inBloc reports whether entity id belongs to bloc b in year; year <= 0
// means "at any time" for listed blocs and is never an elected year.
func (r *Registry) inBloc(id int, b bloc, year int) bool {
	e := r.ents[id]
	if !e.IsState() {
		return false
	}
	switch {
	case b.source == "council:permanent":
		return r.isPermanent(id, year)
	case b.source == "council:elected":
		return r.isElected(id, year)
	case strings.HasPrefix(b.source, "region:"):
		return e.Region == strings.TrimPrefix(b.source, "region:")
	case b.source == "list":
		for _, sp := range b.members[e.ISO3] {
			if sp.has(year) {
				return true
			}
		}
	}
	return false
}

// InGroup reports whether the State name belonged to group in year. group is
// a bloc key or any of its names: "P5", "E10" (elected that year), "EU",
// "NAM", "G77", "African Group", "Arab Group", a regional group ("WEOG",
// "GRULAC", "African", ...), "AOSIS", ... Unknown names give false.
func (r *Registry) InGroup(name, group string, year int) bool {
	e, ok := r.Lookup(name)
	if !ok || !e.IsState() {
		return false
	}
	bi, ok := r.resolveBloc(group)
	if !ok {
		return false
	}
	return r.inBloc(r.byISO[e.ISO3], r.blocs[bi], year)
}

// Blocs returns the keys of every bloc the State belonged to in year, in
// BlocNames order; nil for names that are not States.
func (r *Registry) Blocs(name string, year int) []string {
	e, ok := r.Lookup(name)
	if !ok || !e.IsState() {
		return nil
	}
	id := r.byISO[e.ISO3]
	var out []string
	for _, b := range r.blocs {
		if r.inBloc(id, b, year) {
			out = append(out, b.key)
		}
	}
	return out
}

// BlocNames returns the bloc keys charts can offer, in the stable order of
// groups.tsv.
func (r *Registry) BlocNames() []string {
	out := make([]string, len(r.blocs))
	for i, b := range r.blocs {
		out[i] = b.key
	}
	return out
}

// BlocMembers returns the canonical names of the States in the bloc in year,
// sorted; nil for unknown blocs.
func (r *Registry) BlocMembers(group string, year int) []string {
	bi, ok := r.resolveBloc(group)
	if !ok {
		return nil
	}
	var out []string
	for id, e := range r.ents {
		if !e.IsState() || !r.inBloc(id, r.blocs[bi], year) {
			continue
		}
		// Listed blocs carry their own years; region blocs hold a State only
		// while it exists.
		exists := year <= 0 || ((e.From == 0 || year >= e.From) && (e.Until == 0 || year <= e.Until))
		if exists || r.blocs[bi].source == "list" {
			out = append(out, e.Name)
		}
	}
	sort.Strings(out)
	return out
}

// yearTable holds the first number of each year for one series.
type yearTable struct {
	years  []int // ascending
	starts []int // 0 = unknown
	approx []bool
}

var startColumns = []string{"sc_meeting", "sc_release", "ga_release"}

func (r *Registry) parseMeetings(c []string) error {
	y, err := parseYear(c[0])
	if err != nil || y == 0 {
		return fmt.Errorf("bad year %q", c[0])
	}
	for i, col := range startColumns {
		t := r.starts[col]
		if t == nil {
			t = &yearTable{}
			r.starts[col] = t
		}
		if n := len(t.years); n > 0 && t.years[n-1] != y-1 {
			return fmt.Errorf("year %d does not follow %d", y, t.years[n-1])
		}
		v := dash(c[1+i])
		approx := strings.HasPrefix(v, "~")
		v = strings.TrimPrefix(v, "~")
		n := 0
		if v != "" {
			if n, err = strconv.Atoi(v); err != nil || n <= 0 {
				return fmt.Errorf("%s: bad number %q", col, c[1+i])
			}
			for j := len(t.starts) - 1; j >= 0; j-- {
				if t.starts[j] != 0 {
					if t.starts[j] >= n {
						return fmt.Errorf("%s: %d is not above %d of %d", col, n, t.starts[j], t.years[j])
					}
					break
				}
			}
		}
		t.years = append(t.years, y)
		t.starts = append(t.starts, n)
		t.approx = append(t.approx, approx)
	}
	return nil
}

// infer finds the year whose range holds n: at or above the year's start
// and below the next year's. The last year is open up to the longest year
// span seen in the table.
func (t *yearTable) infer(n int) (year int, approx, ok bool) {
	if t == nil || n <= 0 {
		return 0, false, false
	}
	maxSpan := 0
	for i := 0; i+1 < len(t.starts); i++ {
		if t.starts[i] != 0 && t.starts[i+1] != 0 {
			maxSpan = max(maxSpan, t.starts[i+1]-t.starts[i])
		}
	}
	for i := len(t.starts) - 1; i >= 0; i-- {
		s := t.starts[i]
		if s == 0 || n < s {
			continue
		}
		if i+1 < len(t.starts) {
			next := t.starts[i+1]
			if next == 0 || n >= next {
				return 0, false, false
			}
			return t.years[i], t.approx[i] || t.approx[i+1], true
		}
		if n >= s+maxSpan {
			return 0, false, false
		}
		return t.years[i], true, true
	}
	return 0, false, false
}

// InferYear dates a document that prints no date from its number: body "SC"
// with an S/PV meeting number or an SC/ press release number, or body "GA"
// with a GA/ release number. ok is false when the number falls outside the
// table or next to an unknown value. Callers must mark the year as inferred.
func (r *Registry) InferYear(body string, meetingNumber, releaseNumber int) (year int, ok bool) {
	year, _, ok = r.InferYearDetail(body, meetingNumber, releaseNumber)
	return year, ok
}

// InferYearDetail is InferYear that also says whether the boundary used is
// approximate (marked "~" in meetings.tsv), i.e. a document near the turn
// of the year may belong to the neighbouring year.
func (r *Registry) InferYearDetail(body string, meetingNumber, releaseNumber int) (year int, approximate, ok bool) {
	switch strings.ToUpper(strings.TrimSpace(body)) {
	case "SC", "S/PV":
		if meetingNumber > 0 {
			return r.starts["sc_meeting"].infer(meetingNumber)
		}
		return r.starts["sc_release"].infer(releaseNumber)
	case "GA":
		return r.starts["ga_release"].infer(releaseNumber)
	}
	return 0, false, false
}
