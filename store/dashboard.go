package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/stancetrack/stancetrack/model"
)

// This file holds the aggregate queries behind the dashboard's charts. Each
// takes the same Filter as every other view, so a chart, its .json/.csv twin
// and the statements a bar links to always agree. Aggregation happens in
// SQL over cells from rollups, statement-grain derived tables or the base
// tables, whichever answers the filter exactly at the least cost
// (rollup_query.go); nothing is cached in memory.

// fromFiltered is the FROM clause every aggregate shares; Filter.where()
// refers to these aliases.
const fromFiltered = ` FROM statements s JOIN meetings m ON m.id = s.meeting_id WHERE `

// meetingRef finds a reference to the meetings alias in a condition.
var meetingRef = regexp.MustCompile(`\bm\.`)

// meetingJoin returns what follows "FROM statements s" for a filter
// condition: the join with meetings costs a lookup per statement, so it is
// made only when the condition refers to a meeting column (meeting, body,
// from, to).
func meetingJoin(cond string) string {
	if meetingRef.MatchString(cond) {
		return ` JOIN meetings m ON m.id = s.meeting_id WHERE `
	}
	return ` WHERE `
}

// from is the FROM clause of an aggregate over the filtered statements.
func from(cond string) string { return ` FROM statements s` + meetingJoin(cond) }

// purviewSums counts statements by purview; the column order matches
// scanPurviewSums.
const purviewSums = `SUM(s.purview = 'affirms'), SUM(s.purview = 'conditional'),
	SUM(s.purview = 'contests'), SUM(s.purview = 'unstated'), COUNT(*)`

// kindPriority orders statement kinds for naming one per delegation. A
// delegation name can cover turns of several kinds: a national official
// (the United Kingdom's Anti-Slavery Commissioner, the president of
// Argentina's National Council of Women) speaks under the State's name, and
// the State must still show as a member State.
var kindPriority = []string{model.KindMemberState, model.KindObserverState, model.KindIntergovernmental,
	model.KindUNSystem, model.KindCivilSociety, model.KindNationalOfficial, model.KindOther}

// preferredKind is an aggregate over a kind column: the kind of highest
// priority (kindPriority) among the rows. Each kind is prefixed with its
// rank digit, MIN picks the best, substr drops the digit; a kind not in
// the list ranks with "other" and comes back as stored.
func preferredKind(col string) string {
	var b strings.Builder
	b.WriteString("substr(MIN(CASE " + col)
	for i, k := range kindPriority {
		fmt.Fprintf(&b, " WHEN '%s' THEN '%d'", k, i)
	}
	fmt.Fprintf(&b, " ELSE '%d' END || %s), 2)", len(kindPriority)-1, col)
	return b.String()
}

// PurviewCounts is how many statements took each purview position.
type PurviewCounts struct {
	Affirms     int `json:"affirms"`
	Conditional int `json:"conditional"`
	Contests    int `json:"contests"`
	Unstated    int `json:"unstated"`
	Total       int `json:"total"`
}

// Get returns the count for one purview value.
func (p PurviewCounts) Get(purview string) int {
	switch purview {
	case model.PurviewAffirms:
		return p.Affirms
	case model.PurviewConditional:
		return p.Conditional
	case model.PurviewContests:
		return p.Contests
	case model.PurviewUnstated:
		return p.Unstated
	}
	return 0
}

// Strongest is the strongest position taken in any of the statements, by
// the codebook's precedence (contests > conditional > affirms > unstated):
// one objection is what an analyst needs to see on a map.
func (p PurviewCounts) Strongest() string {
	switch {
	case p.Contests > 0:
		return model.PurviewContests
	case p.Conditional > 0:
		return model.PurviewConditional
	case p.Affirms > 0:
		return model.PurviewAffirms
	}
	return model.PurviewUnstated
}

// PurviewValues lists the purview values in chart order: objections first.
var PurviewValues = []string{model.PurviewContests, model.PurviewConditional, model.PurviewAffirms, model.PurviewUnstated}

func scanPurviewSums(dst *PurviewCounts) []any {
	return []any{&dst.Affirms, &dst.Conditional, &dst.Contests, &dst.Unstated, &dst.Total}
}

// DelegationPurview is one delegation's purview counts.
type DelegationPurview struct {
	Delegation string `json:"delegation"`
	ISO3       string `json:"iso3"`
	Kind       string `json:"kind"`
	Position   string `json:"position"` // strongest position taken, see PurviewCounts.Strongest
	PurviewCounts
}

// PurviewByDelegation counts each delegation's statements by purview,
// objectors first: most contests, then most conditional, then most
// affirmations, then by name.
func (s *Store) PurviewByDelegation(ctx context.Context, f Filter) ([]DelegationPurview, error) {
	cells, args := planScope(f).purviewCells()
	q := `SELECT delegation, MAX(iso3), ` + preferredKind("kind") + `, ` + cellSums + ` FROM (` + cells + `)
		WHERE delegation <> '' GROUP BY delegation`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: purview by delegation: %w", err)
	}
	defer rows.Close()
	out := []DelegationPurview{}
	for rows.Next() {
		var r DelegationPurview
		if err := rows.Scan(append([]any{&r.Delegation, &r.ISO3, &r.Kind}, scanPurviewSums(&r.PurviewCounts)...)...); err != nil {
			return nil, fmt.Errorf("store: purview by delegation: %w", err)
		}
		r.Position = r.Strongest()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: purview by delegation: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Contests != b.Contests {
			return a.Contests > b.Contests
		}
		if a.Conditional != b.Conditional {
			return a.Conditional > b.Conditional
		}
		if a.Affirms != b.Affirms {
			return a.Affirms > b.Affirms
		}
		return a.Delegation < b.Delegation
	})
	return out, nil
}

// PurviewTotals counts all selected statements by purview.
func (s *Store) PurviewTotals(ctx context.Context, f Filter) (PurviewCounts, error) {
	cells, args := planScope(f).purviewCells()
	var p PurviewCounts
	var sums [5]sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT `+cellSums+` FROM (`+cells+`)`, args...).
		Scan(&sums[0], &sums[1], &sums[2], &sums[3], &sums[4])
	if err != nil {
		return p, fmt.Errorf("store: purview totals: %w", err)
	}
	// SUM over no rows is NULL.
	p.Affirms, p.Conditional, p.Contests, p.Unstated = int(sums[0].Int64), int(sums[1].Int64), int(sums[2].Int64), int(sums[3].Int64)
	p.Total = int(sums[4].Int64)
	return p, nil
}

// TagCount is how many distinct statements of a delegation carry a tag
// value (a frame or an instrument).
type TagCount struct {
	Delegation string `json:"delegation"`
	Value      string `json:"value"`
	Statements int    `json:"statements"`
}

// FramesByDelegation counts, per delegation and frame, the statements that
// use the frame.
func (s *Store) FramesByDelegation(ctx context.Context, f Filter) ([]TagCount, error) {
	return s.tagsByDelegation(ctx, f, model.DimFrame)
}

// InstrumentsByDelegation counts, per delegation and instrument, the
// statements that cite the instrument.
func (s *Store) InstrumentsByDelegation(ctx context.Context, f Filter) ([]TagCount, error) {
	return s.tagsByDelegation(ctx, f, model.DimInstrument)
}

func (s *Store) tagsByDelegation(ctx context.Context, f Filter, dim string) ([]TagCount, error) {
	// statement_values holds distinct (statement, value) pairs, so a
	// statement citing an instrument twice counts once.
	cells, args := planScope(f).valueCells(dim)
	q := `SELECT delegation, value, SUM(n) FROM (` + cells + `)
		WHERE delegation <> '' GROUP BY delegation, value ORDER BY delegation, value`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s by delegation: %w", dim, err)
	}
	defer rows.Close()
	out := []TagCount{}
	for rows.Next() {
		var r TagCount
		if err := rows.Scan(&r.Delegation, &r.Value, &r.Statements); err != nil {
			return nil, fmt.Errorf("store: %s by delegation: %w", dim, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s by delegation: %w", dim, err)
	}
	return out, nil
}

// InstrumentReach is how widely an instrument is cited.
type InstrumentReach struct {
	Instrument  string `json:"instrument"`
	Delegations int    `json:"delegations"`
	Statements  int    `json:"statements"`
}

// Reach ranks the instruments in citation rows (InstrumentsByDelegation)
// by the number of delegations citing them, then by statements, then by
// id. It is computed from the same rows as the network so the two charts
// of the instruments view cannot disagree.
func Reach(rows []TagCount) []InstrumentReach {
	idx := map[string]int{}
	out := []InstrumentReach{}
	for _, r := range rows {
		i, ok := idx[r.Value]
		if !ok {
			i = len(out)
			idx[r.Value] = i
			out = append(out, InstrumentReach{Instrument: r.Value})
		}
		// Rows are per (delegation, instrument), and a statement has one
		// delegation, so summing statements counts each statement once.
		out[i].Delegations++
		out[i].Statements += r.Statements
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Delegations != b.Delegations {
			return a.Delegations > b.Delegations
		}
		if a.Statements != b.Statements {
			return a.Statements > b.Statements
		}
		return a.Instrument < b.Instrument
	})
	return out
}

// BlocStance is the purview counts of the statements made by members of a
// bloc. A statement counts once in every bloc its delegation belonged to.
type BlocStance struct {
	Bloc string `json:"bloc"`
	// Filter says how to select the bloc's statements in the query string:
	// "group" for blocs, "council" for the Council non-members row, which
	// is derived from the council_member column rather than a bloc.
	FilterKey   string `json:"filter_key"`
	FilterValue string `json:"filter_value"`
	PurviewCounts
}

// NonMembersBloc names the row for statements by States not on the Council.
const NonMembersBloc = "Non-members"

// BlocStances aggregates purview by bloc (P5, E10, EU, NAM, regional
// groups, ... as stored in statement_blocs) plus one row for Council
// non-members, largest blocs first.
func (s *Store) BlocStances(ctx context.Context, f Filter) ([]BlocStance, error) {
	sc := planScope(f)
	blocs, bargs := sc.blocCells()
	people, pargs := sc.purviewCells()
	q := `SELECT bloc, 'group', bloc, ` + cellSums + ` FROM (` + blocs + `) GROUP BY bloc
		UNION ALL
		SELECT ?, 'council', 'non-members', ` + cellSums + ` FROM (` + people + `) WHERE council = 0
		HAVING SUM(n) > 0`
	all := cat(bargs, []any{NonMembersBloc}, pargs)
	rows, err := s.db.QueryContext(ctx, q, all...)
	if err != nil {
		return nil, fmt.Errorf("store: bloc stances: %w", err)
	}
	defer rows.Close()
	out := []BlocStance{}
	for rows.Next() {
		var r BlocStance
		if err := rows.Scan(append([]any{&r.Bloc, &r.FilterKey, &r.FilterValue}, scanPurviewSums(&r.PurviewCounts)...)...); err != nil {
			return nil, fmt.Errorf("store: bloc stances: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: bloc stances: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Total != out[j].Total {
			return out[i].Total > out[j].Total
		}
		return out[i].Bloc < out[j].Bloc
	})
	return out, nil
}

// MeetingPurview is one meeting's purview counts, for the timeline.
type MeetingPurview struct {
	Meeting string `json:"meeting"`
	Date    string `json:"date"`
	Body    string `json:"body"`
	PurviewCounts
}

// Timeline counts purview positions per meeting, in time order.
func (s *Store) Timeline(ctx context.Context, f Filter) ([]MeetingPurview, error) {
	cells, args := planScope(f).meetingCells()
	q := `SELECT m.symbol, COALESCE(m.date, ''), m.body, ` + cellSums + ` FROM (` + cells + `) c
		JOIN meetings m ON m.id = c.meeting_id GROUP BY m.id ORDER BY ` + meetingOrder
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: timeline: %w", err)
	}
	defer rows.Close()
	out := []MeetingPurview{}
	for rows.Next() {
		var r MeetingPurview
		if err := rows.Scan(append([]any{&r.Meeting, &r.Date, &r.Body}, scanPurviewSums(&r.PurviewCounts)...)...); err != nil {
			return nil, fmt.Errorf("store: timeline: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: timeline: %w", err)
	}
	return out, nil
}

// Shift is a change in a delegation's purview between two consecutive
// meetings where it took a stated position.
type Shift struct {
	Delegation  string `json:"delegation"`
	FromMeeting string `json:"from_meeting"`
	FromDate    string `json:"from_date"`
	FromPurview string `json:"from_purview"`
	ToMeeting   string `json:"to_meeting"`
	ToDate      string `json:"to_date"`
	ToPurview   string `json:"to_purview"`
}

// Shifts lists, per delegation, each change of purview between meetings.
// A delegation's position at a meeting is its strongest statement there;
// meetings where it stated none (unstated) are skipped, because silence is
// not a change of mind.
//
// Unless the filter looks inside statements, the positions come from
// meeting_purview, one row per meeting and delegation cell, instead of
// every statement: over the whole record that is a second against tens of
// milliseconds.
func (s *Store) Shifts(ctx context.Context, f Filter) ([]Shift, error) {
	return s.shifts(ctx, f, f.statementFilters())
}

func (s *Store) shifts(ctx context.Context, f Filter, exact bool) ([]Shift, error) {
	// An aggregate never counts duplicate copies (planScope); meeting_purview
	// holds none, and the exact path must not add them either.
	f.IncludeDuplicates = false
	var q string
	var args []any
	if exact {
		cond, cargs := f.where()
		q = `SELECT s.delegation, m.symbol, COALESCE(m.date, ''), MAX(` + purviewCodeOf("s.purview") + `)
			` + fromFiltered + cond + ` AND s.delegation <> '' AND s.purview <> 'unstated'
			GROUP BY s.delegation, m.id
			ORDER BY s.delegation, ` + meetingOrder
		args = cargs
	} else {
		cell, cargs := f.cellWhere()
		q = `SELECT mp.delegation, m.symbol, COALESCE(m.date, ''), MAX(mp.purview)
			FROM meeting_purview mp JOIN meetings m ON m.id = mp.meeting_id
			WHERE mp.delegation <> '' AND mp.purview > 0 AND ` + cell
		args = cargs
		if mc, margs := f.meetingWhere(); mc != "" {
			q += ` AND ` + mc
			args = append(args, margs...)
		}
		q += ` GROUP BY mp.delegation, m.id ORDER BY mp.delegation, ` + meetingOrder
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: shifts: %w", err)
	}
	defer rows.Close()
	names := map[int]string{codeContests: model.PurviewContests, codeConditional: model.PurviewConditional,
		codeAffirms: model.PurviewAffirms, codeUnstated: model.PurviewUnstated}
	type point struct{ deleg, symbol, date, purview string }
	var prev point
	out := []Shift{}
	for rows.Next() {
		var p point
		var rank int
		if err := rows.Scan(&p.deleg, &p.symbol, &p.date, &rank); err != nil {
			return nil, fmt.Errorf("store: shifts: %w", err)
		}
		p.purview = names[rank]
		if prev.deleg == p.deleg && prev.purview != p.purview {
			out = append(out, Shift{Delegation: p.deleg, FromMeeting: prev.symbol, FromDate: prev.date,
				FromPurview: prev.purview, ToMeeting: p.symbol, ToDate: p.date, ToPurview: p.purview})
		}
		prev = p
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: shifts: %w", err)
	}
	return out, nil
}

// SourceMeeting is a meeting that contributes statements to a view; chart
// subtitles cite them.
type SourceMeeting struct {
	Symbol string `json:"symbol"`
	Date   string `json:"date"`
	Year   int    `json:"year"` // from the date, or inferred when no date was printed
}

// When is the meeting's date, else its year, else "".
func (m SourceMeeting) When() string {
	switch {
	case m.Date != "":
		return m.Date
	case m.Year != 0:
		return fmt.Sprint(m.Year)
	}
	return ""
}

// Sources lists the meetings the filter draws statements from, in time
// order.
func (s *Store) Sources(ctx context.Context, f Filter) ([]SourceMeeting, error) {
	cells, args := planScope(f).meetingCells()
	q := `SELECT m.symbol, COALESCE(m.date, ''), COALESCE(m.year, 0) FROM meetings m
		WHERE m.id IN (SELECT meeting_id FROM (` + cells + `)) ORDER BY ` + meetingOrder
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: sources: %w", err)
	}
	defer rows.Close()
	out := []SourceMeeting{}
	for rows.Next() {
		var r SourceMeeting
		if err := rows.Scan(&r.Symbol, &r.Date, &r.Year); err != nil {
			return nil, fmt.Errorf("store: sources: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: sources: %w", err)
	}
	return out, nil
}

// Overview is the database at a glance. Tag counts by source are on the
// audit page (CodebookVersions): counting 60,000 tags per overview request
// cost more than every chart together.
type Overview struct {
	Meetings    int `json:"meetings"`
	Statements  int `json:"statements"`
	Delegations int `json:"delegations"`
	Objections  int `json:"objections"`
}

// Overview counts what the filter selects.
func (s *Store) Overview(ctx context.Context, f Filter) (Overview, error) {
	sc := planScope(f)
	var o Overview
	cells, args := sc.meetingCells()
	q := `SELECT COUNT(DISTINCT meeting_id), COALESCE(SUM(n), 0), COALESCE(SUM(n * (purview >= 2)), 0) FROM (` + cells + `)`
	if err := s.db.QueryRowContext(ctx, q, args...).Scan(&o.Meetings, &o.Statements, &o.Objections); err != nil {
		return o, fmt.Errorf("store: overview: %w", err)
	}
	cells, args = sc.purviewCells()
	q = `SELECT COUNT(DISTINCT delegation) FROM (` + cells + `) WHERE delegation <> ''`
	if err := s.db.QueryRowContext(ctx, q, args...).Scan(&o.Delegations); err != nil {
		return o, fmt.Errorf("store: overview: %w", err)
	}
	return o, nil
}

// LatestMeetingSymbols lists the n latest meetings in time order (n < 0:
// all of them), for the filter form, and how many meetings there are: with
// thousands of meetings a list of all of them would weigh more than the
// page it sits on.
func (s *Store) LatestMeetingSymbols(ctx context.Context, n int) ([]SourceMeeting, int, error) {
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM meetings`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: meeting symbols: %w", err)
	}
	// The inner query walks meetings_order_idx backwards from the end.
	rows, err := s.db.QueryContext(ctx, `SELECT symbol, date, year FROM (
			SELECT m.symbol, COALESCE(m.date, '') AS date, COALESCE(m.year, 0) AS year, `+meetingOrderKey+` AS k1,
				m.meeting_number AS k2
			FROM meetings m ORDER BY `+meetingOrderDesc+` LIMIT ?)
		ORDER BY k1, k2, symbol`, n)
	if err != nil {
		return nil, 0, fmt.Errorf("store: meeting symbols: %w", err)
	}
	defer rows.Close()
	out := []SourceMeeting{}
	for rows.Next() {
		var r SourceMeeting
		if err := rows.Scan(&r.Symbol, &r.Date, &r.Year); err != nil {
			return nil, 0, fmt.Errorf("store: meeting symbols: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: meeting symbols: %w", err)
	}
	return out, total, nil
}

// FilterChoices are the values the data holds for the filter form's free
// fields, offered as suggestions: analysts should not have to know that the
// elected members are "E10" or the Palermo Protocol "TIP_PROTOCOL".
type FilterChoices struct {
	Bodies, Groups, Frames, Instruments []string
}

// Choices reads the filter form's suggestions from the meetings and the
// rollups' all-meetings bucket: a few hundred rows at most.
func (s *Store) Choices(ctx context.Context) (FilterChoices, error) {
	var c FilterChoices
	for _, q := range []struct {
		dst *[]string
		sql string
	}{
		{&c.Bodies, `SELECT DISTINCT body FROM meetings ORDER BY body`},
		{&c.Groups, `SELECT DISTINCT bloc FROM rollup_blocs WHERE body = '' AND year = -1 AND dated = -1 AND n > 0 ORDER BY bloc`},
		{&c.Frames, `SELECT DISTINCT value FROM rollup_values
			WHERE dimension = 'frame' AND body = '' AND year = -1 AND dated = -1 AND n > 0 ORDER BY value`},
		{&c.Instruments, `SELECT DISTINCT value FROM rollup_values
			WHERE dimension = 'instrument' AND body = '' AND year = -1 AND dated = -1 AND n > 0 ORDER BY value`},
	} {
		vals, err := s.strings(ctx, q.sql)
		if err != nil {
			return c, fmt.Errorf("store: filter choices: %w", err)
		}
		*q.dst = vals
	}
	return c, nil
}

// strings runs a query of one text column.
func (s *Store) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// VersionCount is how many tags came from one source and codebook version.
type VersionCount struct {
	Source          string `json:"source"`
	CodebookVersion string `json:"codebook_version"`
	Tags            int    `json:"tags"`
	Statements      int    `json:"statements"`
}

// CodebookVersions counts stored tags by source and codebook version, most
// tags first. More than one codebook version means some documents were
// tagged by an older codebook and may want a retag.
func (s *Store) CodebookVersions(ctx context.Context) ([]VersionCount, error) {
	const q = `SELECT source, codebook_version, COUNT(*), COUNT(DISTINCT statement_id) FROM tags
		GROUP BY source, codebook_version ORDER BY 3 DESC, 1, 2`
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("store: codebook versions: %w", err)
	}
	defer rows.Close()
	out := []VersionCount{}
	for rows.Next() {
		var r VersionCount
		if err := rows.Scan(&r.Source, &r.CodebookVersion, &r.Tags, &r.Statements); err != nil {
			return nil, fmt.Errorf("store: codebook versions: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: codebook versions: %w", err)
	}
	return out, nil
}

// OrphanTagCount counts analyst tags kept after their statement vanished.
func (s *Store) OrphanTagCount(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM orphan_tags`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: orphan tags: %w", err)
	}
	return n, nil
}

// DelegationInfo is what a delegation's profile shows beside its
// statements.
type DelegationInfo struct {
	Name          string        `json:"delegation"`
	ISO3          string        `json:"iso3"`
	Kind          string        `json:"kind"`
	Meetings      int           `json:"meetings"`
	CouncilMember int           `json:"council_member_meetings"` // meetings at which it sat on the Council
	Blocs         []string      `json:"blocs"`
	Purview       PurviewCounts `json:"purview"`
	Frames        []TagCount    `json:"frames"`
	Instruments   []TagCount    `json:"instruments"`
}

// DelegationProfile returns a delegation's profile over the filtered statements,
// or ErrNotFound when it made no statement at all (in the whole database,
// so that a filter that excludes it is not mistaken for a wrong name).
func (s *Store) DelegationProfile(ctx context.Context, name string, f Filter) (DelegationInfo, error) {
	info := DelegationInfo{Name: name, Blocs: []string{}}
	var exists int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM statements WHERE delegation = ? LIMIT 1)`, name).Scan(&exists); err != nil {
		return info, fmt.Errorf("store: delegation %s: %w", name, err)
	}
	if exists == 0 {
		return info, ErrNotFound
	}
	f.Delegations = []string{name}
	cond, args := f.where()
	var iso3, kind sql.NullString
	var sums [4]sql.NullInt64
	q := `SELECT MAX(s.iso3), ` + preferredKind("s.kind") + `, COUNT(DISTINCT m.id), COUNT(DISTINCT CASE WHEN s.council_member = 1 THEN m.id END),
		SUM(s.purview = 'affirms'), SUM(s.purview = 'conditional'), SUM(s.purview = 'contests'), SUM(s.purview = 'unstated'), COUNT(*)` +
		fromFiltered + cond
	err := s.db.QueryRowContext(ctx, q, args...).Scan(&iso3, &kind, &info.Meetings, &info.CouncilMember,
		&sums[0], &sums[1], &sums[2], &sums[3], &info.Purview.Total)
	if err != nil {
		return info, fmt.Errorf("store: delegation %s: %w", name, err)
	}
	info.ISO3, info.Kind = iso3.String, kind.String
	info.Purview.Affirms, info.Purview.Conditional = int(sums[0].Int64), int(sums[1].Int64)
	info.Purview.Contests, info.Purview.Unstated = int(sums[2].Int64), int(sums[3].Int64)

	bq := `SELECT DISTINCT b.bloc FROM statements s JOIN meetings m ON m.id = s.meeting_id
		JOIN statement_blocs b ON b.statement_id = s.id WHERE ` + cond + ` ORDER BY b.bloc`
	rows, err := s.db.QueryContext(ctx, bq, args...)
	if err != nil {
		return info, fmt.Errorf("store: blocs of %s: %w", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			return info, fmt.Errorf("store: blocs of %s: %w", name, err)
		}
		info.Blocs = append(info.Blocs, b)
	}
	if err := rows.Err(); err != nil {
		return info, fmt.Errorf("store: blocs of %s: %w", name, err)
	}
	if info.Frames, err = s.FramesByDelegation(ctx, f); err != nil {
		return info, err
	}
	if info.Instruments, err = s.InstrumentsByDelegation(ctx, f); err != nil {
		return info, err
	}
	return info, nil
}

// DelegationNames lists every delegation with at least one statement, by
// name; the compare page offers them.
func (s *Store) DelegationNames(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT delegation FROM statements WHERE delegation <> '' ORDER BY delegation`)
	if err != nil {
		return nil, fmt.Errorf("store: delegation names: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("store: delegation names: %w", err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: delegation names: %w", err)
	}
	return out, nil
}

// Healthy reports whether the database answers; /healthz uses it.
func (s *Store) Healthy(ctx context.Context) error {
	var one int
	if err := s.db.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}
