package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/model"
)

// The dashboard reads rollups and derived tables maintained at write time.
// These tests hold them to a straightforward recomputation from the base
// tables (the aggregate queries as they were before any derived table, over
// Filter.where()), after ingest, replace, analyst tags and retag, for many
// filters.

// oracle holds the plain base-table aggregates.
type oracle struct{ db *sql.DB }

func (o oracle) rows(t *testing.T, q string, args ...any) [][]string {
	t.Helper()
	rows, err := o.db.Query(q, args...)
	if err != nil {
		t.Fatalf("oracle %s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = v.String
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

const oracleSums = `COALESCE(SUM(s.purview = 'affirms'), 0), COALESCE(SUM(s.purview = 'conditional'), 0),
	COALESCE(SUM(s.purview = 'contests'), 0), COALESCE(SUM(s.purview = 'unstated'), 0), COUNT(*)`

// oracleKindOrder is the priority of kinds when one delegation name covers
// turns of several kinds; kinds not listed come last.
var oracleKindOrder = []string{model.KindMemberState, model.KindObserverState, model.KindIntergovernmental,
	model.KindUNSystem, model.KindCivilSociety, model.KindNationalOfficial, model.KindOther}

func (o oracle) purviewByDelegation(t *testing.T, f Filter) [][]string {
	cond, args := f.where()
	rows := o.rows(t, `SELECT s.delegation, MAX(s.iso3), group_concat(DISTINCT s.kind), `+oracleSums+fromFiltered+cond+
		` AND s.delegation <> '' GROUP BY s.delegation ORDER BY s.delegation`, args...)
	for _, r := range rows {
		kinds := strings.Split(r[2], ",")
		rank := func(k string) int {
			for i, o := range oracleKindOrder {
				if o == k {
					return i
				}
			}
			return len(oracleKindOrder)
		}
		sort.SliceStable(kinds, func(i, j int) bool {
			if rank(kinds[i]) != rank(kinds[j]) {
				return rank(kinds[i]) < rank(kinds[j])
			}
			return kinds[i] < kinds[j]
		})
		r[2] = kinds[0]
	}
	return rows
}

func (o oracle) totals(t *testing.T, f Filter) [][]string {
	cond, args := f.where()
	return o.rows(t, `SELECT `+oracleSums+fromFiltered+cond, args...)
}

func (o oracle) tags(t *testing.T, f Filter, dim string) [][]string {
	cond, args := f.where()
	return o.rows(t, `SELECT s.delegation, tg.value, COUNT(*)
		FROM (SELECT DISTINCT statement_id, value FROM tags WHERE dimension = ?) tg
		JOIN statements s ON s.id = tg.statement_id JOIN meetings m ON m.id = s.meeting_id WHERE `+cond+
		` AND s.delegation <> '' GROUP BY s.delegation, tg.value ORDER BY s.delegation, tg.value`, append([]any{dim}, args...)...)
}

func (o oracle) blocs(t *testing.T, f Filter) [][]string {
	cond, args := f.where()
	return o.rows(t, `SELECT * FROM (SELECT b.bloc, `+oracleSums+`
		FROM statement_blocs b JOIN statements s ON s.id = b.statement_id JOIN meetings m ON m.id = s.meeting_id
		WHERE `+cond+` GROUP BY b.bloc
		UNION ALL
		SELECT ?, `+oracleSums+fromFiltered+cond+` AND s.council_member = 0 HAVING COUNT(*) > 0) ORDER BY 1`,
		append(append(append([]any{}, args...), NonMembersBloc), args...)...)
}

func (o oracle) timeline(t *testing.T, f Filter) [][]string {
	cond, args := f.where()
	return o.rows(t, `SELECT m.symbol, COALESCE(m.date, ''), m.body, `+oracleSums+fromFiltered+cond+
		` GROUP BY m.id ORDER BY `+meetingOrder, args...)
}

func (o oracle) overview(t *testing.T, f Filter) [][]string {
	cond, args := f.where()
	return o.rows(t, `SELECT COUNT(DISTINCT s.meeting_id), COUNT(*), COUNT(DISTINCT NULLIF(s.delegation, '')),
		COALESCE(SUM(s.purview IN ('contests', 'conditional')), 0)`+fromFiltered+cond, args...)
}

func (o oracle) statementIDs(t *testing.T, f Filter) [][]string {
	cond, args := f.where()
	return o.rows(t, `SELECT s.id`+fromFiltered+cond+` `+statementOrder, args...)
}

func purviewRows(rows []DelegationPurview) [][]string {
	out := [][]string{}
	for _, r := range rows {
		out = append(out, []string{r.Delegation, r.ISO3, r.Kind, fmt.Sprint(r.Affirms), fmt.Sprint(r.Conditional),
			fmt.Sprint(r.Contests), fmt.Sprint(r.Unstated), fmt.Sprint(r.Total)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

func countsRow(p PurviewCounts, first ...string) []string {
	return append(first, fmt.Sprint(p.Affirms), fmt.Sprint(p.Conditional), fmt.Sprint(p.Contests),
		fmt.Sprint(p.Unstated), fmt.Sprint(p.Total))
}

func nonNilRows(r [][]string) [][]string {
	if r == nil {
		return [][]string{}
	}
	return r
}

// checkAggregates compares every dashboard aggregate with the oracle.
func checkAggregates(t *testing.T, s *Store, f Filter) {
	t.Helper()
	ctx := context.Background()
	o := oracle{s.DB()}
	fail := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s(%+v)\n got  %v\n want %v", what, f, got, want)
		}
	}
	pd, err := s.PurviewByDelegation(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	fail("PurviewByDelegation", purviewRows(pd), nonNilRows(o.purviewByDelegation(t, f)))

	tot, err := s.PurviewTotals(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	fail("PurviewTotals", [][]string{countsRow(tot)}, o.totals(t, f))

	for _, dim := range []string{model.DimFrame, model.DimInstrument} {
		got, err := s.tagsByDelegation(ctx, f, dim)
		if err != nil {
			t.Fatal(err)
		}
		var rows [][]string
		for _, r := range got {
			rows = append(rows, []string{r.Delegation, r.Value, fmt.Sprint(r.Statements)})
		}
		fail("tagsByDelegation "+dim, nonNilRows(rows), nonNilRows(o.tags(t, f, dim)))
	}

	sh, err := s.Shifts(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	exact, err := s.shifts(ctx, f, true)
	if err != nil {
		t.Fatal(err)
	}
	fail("Shifts", sh, exact)

	bl, err := s.BlocStances(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	var brows [][]string
	for _, r := range bl {
		brows = append(brows, countsRow(r.PurviewCounts, r.Bloc))
	}
	sort.Slice(brows, func(i, j int) bool { return brows[i][0] < brows[j][0] })
	fail("BlocStances", nonNilRows(brows), nonNilRows(o.blocs(t, f)))

	tl, err := s.Timeline(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	var trows [][]string
	for _, r := range tl {
		trows = append(trows, countsRow(r.PurviewCounts, r.Meeting, r.Date, r.Body))
	}
	want := o.timeline(t, f)
	fail("Timeline", nonNilRows(trows), nonNilRows(want))

	src, err := s.Sources(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	var srows [][]string
	for _, r := range src {
		srows = append(srows, []string{r.Symbol})
	}
	var wsrc [][]string
	for _, r := range want {
		wsrc = append(wsrc, []string{r[0]})
	}
	fail("Sources", nonNilRows(srows), nonNilRows(wsrc))

	ov, err := s.Overview(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	fail("Overview", [][]string{{fmt.Sprint(ov.Meetings), fmt.Sprint(ov.Statements), fmt.Sprint(ov.Delegations),
		fmt.Sprint(ov.Objections)}}, o.overview(t, f))

	for _, dups := range []bool{false, true} {
		g := f
		g.IncludeDuplicates = dups
		ids := o.statementIDs(t, g)
		page, total, err := s.Statements(ctx, g, 7, 3)
		if err != nil {
			t.Fatal(err)
		}
		if total != len(ids) {
			t.Errorf("Statements(%+v) total = %d, want %d", g, total, len(ids))
		}
		var got, wantIDs []string
		for _, r := range page {
			got = append(got, fmt.Sprint(r.ID))
		}
		for i := 3; i < len(ids) && i < 10; i++ {
			wantIDs = append(wantIDs, ids[i][0])
		}
		fail("Statements page", got, wantIDs)
	}
}

// checkDerived compares every derived table with a recomputation.
func checkDerived(t *testing.T, s *Store) {
	t.Helper()
	o := oracle{s.DB()}
	bucket := `m.body, CASE WHEN m.date IS NOT NULL THEN CAST(substr(m.date, 1, 4) AS INTEGER) ELSE COALESCE(m.year, 0) END, m.date IS NOT NULL`
	code := purviewCodeOf("s.purview")
	pairs := []struct{ name, got, want string }{
		{"statement_values", `SELECT statement_id, dimension, value, meeting_id, delegation, kind, council, purview FROM statement_values`,
			`SELECT DISTINCT s.id, t.dimension, t.value, s.meeting_id, s.delegation, s.kind, COALESCE(s.council_member, -1), ` + code + `
			FROM tags t JOIN statements s ON s.id = t.statement_id WHERE s.duplicate_of IS NULL AND t.dimension <> 'purview'`},
		{"statement_blocs", `SELECT statement_id, bloc, meeting_id, delegation, kind, council, purview, duplicate FROM statement_blocs`,
			`SELECT s.id, b.bloc, s.meeting_id, s.delegation, s.kind, COALESCE(s.council_member, -1), ` + code + `, s.duplicate_of IS NOT NULL
			FROM statement_blocs b JOIN statements s ON s.id = b.statement_id`},
		{"rollup_purview", `SELECT body, year, dated, delegation, iso3, kind, council, purview, n FROM rollup_purview`,
			`SELECT %[1]s, s.delegation, s.iso3, s.kind, COALESCE(s.council_member, -1), ` + code + `, COUNT(*)
			FROM statements s JOIN meetings m ON m.id = s.meeting_id WHERE s.duplicate_of IS NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`},
		{"rollup_values", `SELECT body, year, dated, dimension, value, delegation, kind, council, purview, n FROM rollup_values`,
			`SELECT %[1]s, t.dimension, t.value, s.delegation, s.kind, COALESCE(s.council_member, -1), ` + code + `, COUNT(DISTINCT s.id)
			FROM tags t JOIN statements s ON s.id = t.statement_id JOIN meetings m ON m.id = s.meeting_id
			WHERE s.duplicate_of IS NULL AND t.dimension <> 'purview' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`},
		{"rollup_blocs", `SELECT body, year, dated, bloc, kind, council, purview, n FROM rollup_blocs`,
			`SELECT %[1]s, b.bloc, s.kind, COALESCE(s.council_member, -1), ` + code + `, COUNT(*)
			FROM statement_blocs b JOIN statements s ON s.id = b.statement_id JOIN meetings m ON m.id = s.meeting_id
			WHERE s.duplicate_of IS NULL GROUP BY 1, 2, 3, 4, 5, 6, 7`},
		{"rollup_meetings", `SELECT meeting_id, kind, council, purview, n FROM rollup_meetings`,
			`SELECT s.meeting_id, s.kind, COALESCE(s.council_member, -1), ` + code + `, COUNT(*)
			FROM statements s WHERE s.duplicate_of IS NULL GROUP BY 1, 2, 3, 4`},
		{"meeting_purview", `SELECT meeting_id, delegation, iso3, kind, council, purview, n FROM meeting_purview`,
			`SELECT s.meeting_id, s.delegation, s.iso3, s.kind, COALESCE(s.council_member, -1), ` + code + `, COUNT(*)
			FROM statements s WHERE s.duplicate_of IS NULL GROUP BY 1, 2, 3, 4, 5, 6`},
	}
	for _, p := range pairs {
		if strings.Contains(p.want, "%[1]s") {
			// Every meeting's bucket, and the global bucket.
			p.want = "SELECT * FROM (" + fmt.Sprintf(p.want, bucket) + " UNION ALL " + fmt.Sprintf(p.want, globalBucket) + ")"
		}
		for _, dir := range [][2]string{{p.got, p.want}, {p.want, p.got}} {
			extra := o.rows(t, dir[0]+` EXCEPT `+dir[1])
			if len(extra) > 0 {
				t.Errorf("%s: %d rows only in %.30s...: %v", p.name, len(extra), dir[0], extra[:min(3, len(extra))])
			}
		}
	}
}

// randomCorpus ingests n meetings of varied shape: two bodies, dated and
// undated meetings over several years, unknown Council seats, blocs,
// repeated tag values and duplicate turns.
func randomCorpus(t *testing.T, s *Store, r *rand.Rand, n int, version string) {
	t.Helper()
	delegs := []struct{ name, iso3, kind string }{
		{"France", "FRA", model.KindMemberState}, {"Russian Federation", "RUS", model.KindMemberState},
		{"Egypt", "EGY", model.KindMemberState}, {"Brazil", "BRA", model.KindMemberState},
		{"European Union", "", model.KindIntergovernmental}, {"Holy See", "VAT", model.KindObserverState},
		{"", "", model.KindUNSystem}, {"Côte d’Ivoire", "CIV", model.KindMemberState},
		// A national official whose delegation name is a State's.
		{"France", "", model.KindNationalOfficial}, {"Brazil", "", model.KindCivilSociety},
	}
	blocs := []string{"P5", "E10", "EU", "NAM", "African Group"}
	purviews := []string{"", model.PurviewAffirms, model.PurviewConditional, model.PurviewContests, model.PurviewUnstated}
	frames := []string{"victim_centred", "counter_terrorism", "gender"}
	insts := []string{"TIP_PROTOCOL", "UNSCR_2331", "UNTOC"}
	words := []string{"trafficking", "victims", "purview", "Council", "forum", "slavery"}
	for i := 0; i < n; i++ {
		body := []string{"SC", "SC", "GA"}[r.IntN(3)]
		year := 2015 + r.IntN(4)
		date := fmt.Sprintf("%d-%02d-%02d", year, 1+r.IntN(12), 1+r.IntN(28))
		if r.IntN(8) == 0 {
			date = fmt.Sprintf("%d-%s", year, []string{"01-01", "12-31"}[r.IntN(2)])
		}
		m := model.Meeting{Symbol: fmt.Sprintf("%s/%d", body, 100+i), Body: body, Numbers: []int{7000 + i}, Date: date,
			Year: year, Source: "press_release"}
		// Undated meetings: most with a year inferred from their number (as
		// plain-text releases), some with none.
		if r.IntN(4) == 0 || i%7 == 0 || i%11 == 1 {
			m.Date, m.YearInferred = "", true
			if r.IntN(4) == 0 || i%11 == 1 {
				m.Year, m.YearInferred = 0, false
			}
		}
		doc := Document{Filename: "r.txt", Format: "text", Raw: []byte(m.Symbol + version), Meeting: m}
		for j := 0; j < 3+r.IntN(6); j++ {
			d := delegs[r.IntN(len(delegs))]
			text := fmt.Sprintf("Turn %d says %s and %s.", j, words[r.IntN(len(words))], words[r.IntN(len(words))])
			st := model.Statement{Seq: j + 1, Speaker: "S" + d.iso3, Delegation: d.name, ISO3: d.iso3, Kind: d.kind, Text: text}
			switch r.IntN(3) {
			case 0:
				st.CouncilMember = dashBool(true)
			case 1:
				st.CouncilMember = dashBool(false)
			}
			for _, b := range blocs {
				if r.IntN(3) == 0 {
					st.Blocs = append(st.Blocs, b)
				}
			}
			tag := func(dim, value string) model.Tag {
				return model.Tag{Dimension: dim, Value: value, Evidence: text[:4], End: 4, Source: model.SourceCodebook, CodebookVersion: version}
			}
			if p := purviews[r.IntN(len(purviews))]; p != "" {
				st.Tags = append(st.Tags, tag(model.DimPurview, p))
			}
			for k := 0; k < r.IntN(4); k++ {
				st.Tags = append(st.Tags, tag(model.DimFrame, frames[r.IntN(len(frames))]))
			}
			for k := 0; k < r.IntN(3); k++ {
				st.Tags = append(st.Tags, tag(model.DimInstrument, insts[r.IntN(len(insts))]))
			}
			if j > 0 && r.IntN(6) == 0 {
				prev := doc.Statements[j-1]
				st = prev
				st.Seq, st.DuplicateOf = j+1, prev.Seq
			}
			doc.Statements = append(doc.Statements, st)
		}
		if _, err := s.AddDocument(context.Background(), doc); err != nil {
			t.Fatalf("AddDocument(%s): %v", m.Symbol, err)
		}
	}
}

// randomFilter draws a filter from values that occur in randomCorpus, and
// some that do not.
func randomFilter(r *rand.Rand) Filter {
	pick := func(vals ...string) string {
		if r.IntN(3) != 0 {
			return ""
		}
		return vals[r.IntN(len(vals))]
	}
	f := Filter{
		Body:       pick("SC", "GA", "HRC"),
		From:       pick("2015-01-01", "2016-03-10", "2016-01-01", "2017-12-31", "2019-01-01", "2017-06-30", "2018-01-02"),
		To:         pick("2016-12-31", "2017-06-30", "2015-01-01", "2018-12-31", "2016-03-10", "2017-01-01"),
		Kind:       pick(model.KindMemberState, model.KindUNSystem, model.KindObserverState),
		Council:    pick("members", "non-members"),
		Group:      pick("P5", "NAM", "G77"),
		Purview:    pick("affirms", "conditional", "contests", "unstated", "objections"),
		Frame:      pick("victim_centred", "gender", "none"),
		Instrument: pick("TIP_PROTOCOL", "UNTOC"),
		Q:          pick("trafficking", "victims forum", "purv*", `"NEAR(`),
	}
	if r.IntN(4) == 0 {
		f.Delegations = []string{"France", "Egypt", "Holy See", "Atlantis"}[:1+r.IntN(4)]
	}
	if r.IntN(5) == 0 {
		f.Meetings = []string{fmt.Sprintf("SC/%d", 100+r.IntN(12)), fmt.Sprintf("GA/%d", 100+r.IntN(12))}
	}
	// Most draws keep the filter small, as users do.
	for _, clear := range []*string{&f.Group, &f.Frame, &f.Instrument, &f.Q} {
		if r.IntN(2) == 0 {
			*clear = ""
		}
	}
	return f
}

func fixedFilters() []Filter {
	return []Filter{
		{}, {Body: "SC"}, {Body: "GA"}, {From: "2016-01-01"}, {To: "2016-12-31"}, {From: "2016-01-01", To: "2017-12-31"},
		{From: "2016-03-10", To: "2017-06-30"}, {From: "2017-06-30", To: "2017-01-01"}, {Body: "SC", From: "2015-06-01"},
		{Meetings: []string{"SC/100", "GA/101", "SC/105"}}, {Meetings: []string{"SC/100"}, Body: "GA"},
		{Delegations: []string{"France", "Egypt"}}, {Kind: model.KindUNSystem}, {Council: "members"},
		{Council: "non-members"}, {Purview: "objections"}, {Purview: "unstated"}, {Group: "P5"}, {Frame: "gender"},
		{Instrument: "UNTOC"}, {Q: "trafficking"}, {Q: "purv*"}, {Q: "trafficking", Body: "SC"},
		{Group: "NAM", From: "2016-01-01", Council: "non-members"}, {Delegations: []string{"France"}, From: "2016-05-01"},
		{Delegations: []string{"France"}, Meetings: []string{"SC/101", "SC/102"}}, {Purview: "affirms", Body: "GA", To: "2017-12-31"},
		// Ranges that cut the years of undated meetings, or hold no dated
		// meeting at all.
		{From: "2017-06-30"}, {To: "2017-06-30"}, {From: "2017-06-01", To: "2017-06-30"}, {From: "2016-03-10", To: "2016-03-10"},
		{Meetings: []string{"SC/100", "GA/101", "SC/105"}, From: "2016-06-01", To: "2017-02-01"},
		{Kind: model.KindNationalOfficial}, {Delegations: []string{"France", "Brazil"}, From: "2017-01-01"},
	}
}

func checkAll(t *testing.T, s *Store, seed uint64) {
	t.Helper()
	checkDerived(t, s)
	for _, f := range fixedFilters() {
		checkAggregates(t, s, f)
	}
	r := rand.New(rand.NewPCG(seed, 7))
	for i := 0; i < 120; i++ {
		checkAggregates(t, s, randomFilter(r))
	}
}

func TestRollupsMatchBaseTables(t *testing.T) {
	s := dashStore(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	randomCorpus(t, s, r, 24, "v1")
	t.Run("after ingest", func(t *testing.T) { checkAll(t, s, 1) })

	// Analyst tags change purview, frames and instruments of statements,
	// duplicates included.
	var ids []int64
	rows, err := s.DB().Query(`SELECT id FROM statements ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	for i, id := range ids {
		if i%5 != 0 {
			continue
		}
		tags := []model.Tag{
			{Dimension: model.DimPurview, Value: []string{"contests", "affirms", "conditional", "unstated"}[i%4], Evidence: "Turn"},
			{Dimension: model.DimFrame, Value: "analyst_frame", Evidence: "says"},
			{Dimension: model.DimInstrument, Value: "UNTOC", Evidence: "Turn"},
		}
		if _, err := s.AddAnalystTag(ctx, id, tags[i%3]); err != nil {
			t.Fatalf("AddAnalystTag(%d): %v", id, err)
		}
	}
	t.Run("after analyst tags", func(t *testing.T) { checkAll(t, s, 2) })

	// Replacing documents: new content for some symbols, analyst tags
	// carried over or orphaned, meetings moving to other buckets.
	randomCorpus(t, s, rand.New(rand.NewPCG(9, 9)), 10, "v2")
	t.Run("after replace", func(t *testing.T) { checkAll(t, s, 3) })

	rep, err := s.Retag(ctx, func(st model.Statement) ([]model.Tag, bool) {
		if !strings.Contains(st.Text, "victims") {
			return nil, false
		}
		i := strings.Index(st.Text, "victims")
		return []model.Tag{
			{Dimension: model.DimFrame, Value: "victim_centred", Evidence: "victims", Start: i, End: i + 7},
			{Dimension: model.DimPurview, Value: "affirms", Evidence: "victims", Start: i, End: i + 7},
		}, false
	})
	if err != nil || rep.Statements == 0 {
		t.Fatalf("Retag = %+v, %v", rep, err)
	}
	t.Run("after retag", func(t *testing.T) { checkAll(t, s, 4) })
}

func TestGenerationChangesOnEveryWrite(t *testing.T) {
	s := dashStore(t)
	ctx := context.Background()
	gen := func() int64 {
		t.Helper()
		g, err := s.Generation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	g0 := gen()
	dashAdd(t, s, "SC/1", "2017-03-15", []dashStatement{{deleg: "France", text: "The Council had a duty to act.", purview: "affirms"}})
	g1 := gen()
	if g1 == g0 {
		t.Fatalf("generation %d unchanged by AddDocument", g1)
	}
	// The same bytes again store nothing and need not change it.
	doc := Document{Filename: "SC/1.txt", Format: "text", Raw: []byte("SC/12017-03-15"), Meeting: model.Meeting{Symbol: "SC/1", Body: "SC"}}
	if res, err := s.AddDocument(ctx, doc); err != nil || res.Status != Unchanged {
		t.Fatalf("AddDocument(same) = %+v, %v", res, err)
	}
	rows, _, _ := s.Statements(ctx, Filter{}, 1, 0)
	if _, err := s.AddAnalystTag(ctx, rows[0].ID, model.Tag{Dimension: model.DimPurview, Value: "contests", Evidence: "duty"}); err != nil {
		t.Fatal(err)
	}
	g2 := gen()
	if g2 == g1 {
		t.Errorf("generation unchanged by AddAnalystTag")
	}
	if _, err := s.Retag(ctx, func(model.Statement) ([]model.Tag, bool) { return nil, false }); err != nil {
		t.Fatal(err)
	}
	if g3 := gen(); g3 == g2 {
		t.Errorf("generation unchanged by Retag")
	}
	// A failed write leaves it as it was.
	g4 := gen()
	if _, err := s.AddAnalystTag(ctx, rows[0].ID, model.Tag{Dimension: "mood", Value: "x", Evidence: "duty"}); err == nil {
		t.Fatal("bad tag accepted")
	}
	if gen() != g4 {
		t.Errorf("generation changed by a refused write")
	}
}

func TestFullYears(t *testing.T) {
	tests := []struct {
		from, to string
		lo, hi   int
	}{
		{"2016-01-01", "2017-12-31", 2016, 2017},
		{"2016-01-02", "2017-12-30", 2017, 2016},
		{"2016-03-10", "", 2017, 1<<31 - 1},
		{"", "2016-12-31", -1 << 31, 2016},
		{"bad", "", 1, 0},
	}
	for _, tt := range tests {
		if lo, hi := fullYears(tt.from, tt.to); lo != tt.lo || hi != tt.hi {
			t.Errorf("fullYears(%q, %q) = %d, %d; want %d, %d", tt.from, tt.to, lo, hi, tt.lo, tt.hi)
		}
	}
}

func TestDecodeStrings(t *testing.T) {
	for _, in := range [][]string{{}, {""}, {"a"}, {"Côte d’Ivoire", "b,c", `say "x"`}, {`a","b`}, {"<script>", "tab\there"}, {"back\\slash"}} {
		raw, _ := json.Marshal(in)
		var got []string
		if err := decodeStrings(string(raw), &got); err != nil || !reflect.DeepEqual(got, in) {
			t.Errorf("decodeStrings(%s) = %q, %v; want %q", raw, got, err, in)
		}
	}
	var got []string
	if err := decodeStrings(`["a",`, &got); err == nil {
		t.Errorf("decodeStrings(truncated) = %q, want an error", got)
	}
}

func TestMeetingsListLeavesLongFields(t *testing.T) {
	s := dashSeeded(t)
	ctx := context.Background()
	if !strings.Contains(meetingCols, "m.summary,") || strings.Contains(meetingListCols, "m.summary") ||
		strings.Contains(meetingListCols, "m.participants") {
		t.Fatalf("meetingListCols = %s", meetingListCols)
	}
	ms, err := s.Meetings(ctx)
	if err != nil || len(ms) != 2 || ms[0].Symbol != "SC/1" || ms[0].Statements != 5 || ms[0].Objections != 2 {
		t.Fatalf("Meetings = %+v, %v", ms, err)
	}
}

// TestShiftsIgnoreDuplicates: like every aggregate, Shifts never counts the
// second copy of a turn, whether or not the filter looks inside statements
// and whatever IncludeDuplicates says. Here the copy alone contests (an
// analyst tagged it), which would make a shift of France.
func TestShiftsIgnoreDuplicates(t *testing.T) {
	ctx := context.Background()
	s := dashStore(t)
	dashAdd(t, s, "SC/1", "2017-03-15", []dashStatement{
		{deleg: "France", iso3: "FRA", blocs: []string{"P5"}, text: "The Council had a duty to act.", purview: "affirms"},
		{deleg: "France", iso3: "FRA", blocs: []string{"P5"}, text: "The Council had a duty to act.", purview: "affirms", dupOf: 1},
	})
	dashAdd(t, s, "SC/2", "2017-04-15", []dashStatement{
		{deleg: "France", iso3: "FRA", blocs: []string{"P5"}, text: "The Council had a duty to act.", purview: "affirms"},
		{deleg: "France", iso3: "FRA", blocs: []string{"P5"}, text: "The Council had a duty to act.", purview: "affirms", dupOf: 1},
	})
	var dup int64
	if err := s.DB().QueryRow(`SELECT s.id FROM statements s JOIN meetings m ON m.id = s.meeting_id
		WHERE m.symbol = 'SC/2' AND s.duplicate_of IS NOT NULL`).Scan(&dup); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddAnalystTag(ctx, dup, model.Tag{Dimension: model.DimPurview, Value: "contests", Evidence: "duty"}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []Filter{{}, {Group: "P5"}, {Q: "duty"}, {Delegations: []string{"France"}}} {
		want, err := s.Shifts(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) != 0 {
			t.Errorf("Shifts(%+v) = %v, want none", f, want)
		}
		f.IncludeDuplicates = true
		if got, err := s.Shifts(ctx, f); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Shifts(%+v) = %v, %v; want %v as without duplicates", f, got, err, want)
		}
	}
}
