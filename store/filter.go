package store

import (
	"fmt"
	"github.com/stancetrack/stancetrack/model"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Filter selects statements. Every dashboard view, export and JSON/CSV twin
// takes the same filter, parsed from the query string or CLI flags, so any
// state of the dashboard is a permalink. The zero Filter selects everything.
//
// Dates: From and To are inclusive bounds, either may be absent. A meeting
// with a printed date is in range when From <= date <= To. Many meetings
// have no printed date (plain-text releases, corpus meetings without
// metadata) but a year inferred from their meeting or release number; such
// a meeting is in range when its year lies within [year(From), year(To)],
// because a bound inside that year cannot tell whether it fell before or
// after. A meeting with neither date nor year is excluded by any bound.
// Filter.where() states the rule in SQL; the rollup plans in
// rollup_query.go apply the same rule bucket by bucket.
type Filter struct {
	Meetings    []string // meeting symbols ("SC/12751"); any of them
	Body        string   // "SC", "GA", ...
	From, To    string   // inclusive YYYY-MM-DD bounds on the meeting date; see "Dates" above
	Delegations []string // canonical delegation names; any of them
	Kind        string   // model.Kind* value
	Council     string   // "members" or "non-members"
	Group       string   // a bloc: "P5", "E10", "EU", "NAM", ...
	Purview     string   // model.Purview* value
	Frame       string   // frame id
	Instrument  string   // instrument id
	Q           string   // full-text query (FTS5), matched as plain words

	// IncludeDuplicates keeps the flagged second copies of a turn that a
	// document printed twice. Exports keep them (with duplicate_of set);
	// charts and counts never do.
	IncludeDuplicates bool
}

// Limits on filter values: they come from untrusted query strings.
const (
	maxFilterList  = 50
	maxFilterValue = 200
	maxQueryLen    = 500
)

var dateRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// Validate checks the filter's values and returns an error that says which
// value is wrong, suitable for a 400 response.
func (f Filter) Validate() error {
	if f.Kind != "" && !slices.Contains(model.Kinds, f.Kind) {
		return fmt.Errorf("kind must be one of %v, got %q", model.Kinds, f.Kind)
	}
	if len(f.Meetings) > maxFilterList || len(f.Delegations) > maxFilterList {
		return fmt.Errorf("at most %d meetings and %d delegations per filter", maxFilterList, maxFilterList)
	}
	for _, v := range append(append([]string{}, f.Meetings...), f.Delegations...) {
		if err := checkValue(v); err != nil {
			return err
		}
	}
	for _, v := range []string{f.Body, f.Kind, f.Group, f.Frame, f.Instrument, f.Purview} {
		if err := checkValue(v); err != nil {
			return err
		}
	}
	for _, b := range []struct{ name, date string }{{"from", f.From}, {"to", f.To}} {
		if b.date == "" {
			continue
		}
		// time.Parse refuses months and days that do not exist (2017-13-45,
		// 2017-02-30); the pattern refuses what it would accept otherwise.
		if _, err := time.Parse(time.DateOnly, b.date); err != nil || !dateRe.MatchString(b.date) {
			return fmt.Errorf("%s must be a date as YYYY-MM-DD that exists, got %q", b.name, b.date)
		}
	}
	if f.From != "" && f.To != "" && f.From > f.To {
		return fmt.Errorf("from (%s) is after to (%s)", f.From, f.To)
	}
	switch f.Council {
	case "", "members", "non-members":
	default:
		return fmt.Errorf("council must be \"members\" or \"non-members\", got %q", f.Council)
	}
	switch f.Purview {
	case "", "affirms", "contests", "conditional", "unstated", "objections":
	default:
		return fmt.Errorf("purview must be affirms, conditional, contests, unstated or objections, got %q", f.Purview)
	}
	if err := checkPrefixes(f.Q); err != nil {
		return err
	}
	if len(f.Q) > maxQueryLen || !utf8.ValidString(f.Q) || hasControl(f.Q, true) {
		return fmt.Errorf("q must be valid text of at most %d bytes, without control characters", maxQueryLen)
	}
	return nil
}

func checkValue(v string) error {
	if len(v) > maxFilterValue || !utf8.ValidString(v) || hasControl(v, false) {
		return fmt.Errorf("filter value too long or not valid text: %.40q", v)
	}
	return nil
}

// hasControl reports a C0 control character or DEL. No symbol, name or
// search needs one, and the charts' link templates use one as their slot
// (charts.linkSlot), which no filter of the page may then contain. With
// space, a search may hold the tabs and line breaks of pasted text.
func hasControl(s string, space bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if space && (c == '\t' || c == '\n' || c == '\r') {
			continue
		}
		if c < 0x20 || c == 0x7f {
			return true
		}
	}
	return false
}

// IsZero reports whether the filter selects everything.
func (f Filter) IsZero() bool {
	return len(f.Meetings) == 0 && len(f.Delegations) == 0 && f.Body == "" && f.From == "" &&
		f.To == "" && f.Kind == "" && f.Council == "" && f.Group == "" && f.Purview == "" &&
		f.Frame == "" && f.Instrument == "" && f.Q == ""
}

// where returns a SQL condition over the aliases s (statements) and m
// (meetings), and its arguments. Values are always bound as parameters.
// Duplicate copies of a turn are never counted.
func (f Filter) where() (string, []any) {
	conds := []string{"1 = 1"}
	if !f.IncludeDuplicates {
		conds = append(conds, "s.duplicate_of IS NULL")
	}
	var args []any
	in := func(col string, vals []string) {
		ph := strings.TrimSuffix(strings.Repeat("?,", len(vals)), ",")
		conds = append(conds, col+" IN ("+ph+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	if len(f.Meetings) > 0 {
		in("m.symbol", f.Meetings)
	}
	if len(f.Delegations) > 0 {
		in("s.delegation", f.Delegations)
	}
	if f.Body != "" {
		conds = append(conds, "m.body = ?")
		args = append(args, f.Body)
	}
	dc, da := f.dateWhere()
	conds = append(conds, dc...)
	args = append(args, da...)
	if f.Kind != "" {
		conds = append(conds, "s.kind = ?")
		args = append(args, f.Kind)
	}
	switch f.Council {
	case "members":
		conds = append(conds, "s.council_member = 1")
	case "non-members":
		conds = append(conds, "s.council_member = 0")
	}
	if f.Group != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM statement_blocs b WHERE b.statement_id = s.id AND b.bloc = ?)")
		args = append(args, f.Group)
	}
	switch f.Purview {
	case "":
	case "objections":
		conds = append(conds, "s.purview IN ('contests', 'conditional')")
	default:
		conds = append(conds, "s.purview = ?")
		args = append(args, f.Purview)
	}
	if f.Frame != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM tags t WHERE t.statement_id = s.id AND t.dimension = 'frame' AND t.value = ?)")
		args = append(args, f.Frame)
	}
	if f.Instrument != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM tags t WHERE t.statement_id = s.id AND t.dimension = 'instrument' AND t.value = ?)")
		args = append(args, f.Instrument)
	}
	if q := FTSQuery(f.Q); q != "" {
		conds = append(conds, "s.id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)")
		args = append(args, q)
	}
	return strings.Join(conds, " AND "), args
}

// dateWhere is the date rule (see Filter) over meetings m: one condition
// per bound. A NULL date or year makes a branch NULL, which excludes the
// meeting.
func (f Filter) dateWhere() ([]string, []any) {
	var conds []string
	var args []any
	lo, hi := boundYears(f.From, f.To)
	if f.From != "" {
		conds = append(conds, "(m.date >= ? OR (m.date IS NULL AND m.year >= ?))")
		args = append(args, f.From, lo)
	}
	if f.To != "" {
		conds = append(conds, "(m.date <= ? OR (m.date IS NULL AND m.year <= ?))")
		args = append(args, f.To, hi)
	}
	return conds, args
}

// boundYears returns the years of the date bounds, the range an undated
// meeting's year must lie in. An absent bound is open; an unreadable one
// (Validate refuses it) admits no undated meeting.
func boundYears(from, to string) (lo, hi int) {
	lo, hi = math.MinInt32, math.MaxInt32
	year := func(d string) (int, bool) {
		if len(d) < 4 {
			return 0, false
		}
		y, err := strconv.Atoi(d[:4])
		return y, err == nil
	}
	if from != "" {
		if y, ok := year(from); ok {
			lo = y
		} else {
			lo = math.MaxInt32
		}
	}
	if to != "" {
		if y, ok := year(to); ok {
			hi = y
		} else {
			hi = math.MinInt32
		}
	}
	return lo, hi
}

// minPrefix is the fewest letters a prefix search (word*) takes: "s*"
// matches most of the record and took seconds on 434,000 statements.
const minPrefix = 3

// checkPrefixes refuses prefix terms shorter than minPrefix.
func checkPrefixes(q string) error {
	for _, w := range strings.Fields(q) {
		if !strings.HasSuffix(w, "*") {
			continue
		}
		if stem := strings.Trim(w, "*\""); utf8.RuneCountInString(stem) < minPrefix {
			return fmt.Errorf("a prefix search needs at least three letters before the *, got %q", w)
		}
	}
	return nil
}

// FTSQuery turns user input into a safe FTS5 query: each word becomes a
// quoted string (so FTS5 operators and syntax errors cannot come from the
// user), a trailing * keeps prefix search, and words are ANDed.
func FTSQuery(q string) string {
	var parts []string
	for _, w := range strings.Fields(q) {
		prefix := strings.HasSuffix(w, "*")
		w = strings.Trim(w, "*\"")
		if w == "" {
			continue
		}
		p := `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
		if prefix {
			p += "*"
		}
		parts = append(parts, p)
		if len(parts) == 20 {
			break
		}
	}
	return strings.Join(parts, " ")
}
