package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/stancetrack/stancetrack/model"
)

// StatementRow is a statement with its meeting and tags, as read back.
type StatementRow struct {
	model.Statement
	Meeting model.MeetingRef
}

// statementCols are the columns scanned by scanStatementRow, in order.
const statementCols = `s.id, s.seq, s.section, s.speaker, s.title, s.delegation_raw, s.delegation, s.iso3,
	s.kind, s.council_member, s.on_behalf_of, s.aligns_with, s.duplicate_of, s.text, s.start_offset,
	s.end_offset, s.purview, s.needs_review,
	m.id, m.symbol, m.body, COALESCE(m.meeting_number, 0), m.session, COALESCE(m.date, ''),
	COALESCE(m.year, 0), m.year_inferred`

// meetingOrder puts meetings in time order. A meeting with no printed date
// (plain-text releases, corpus meetings without metadata) sorts at the end
// of its year, so a 2002 meeting never follows a dated 2016 one; meeting
// numbers, which rise over time, break ties.
const meetingOrder = meetingOrderKey + `, m.meeting_number, m.symbol`

// meetingOrderKey is meetingOrder's first term, the expression of
// meetings_order_idx; meetingOrderDesc is meetingOrder backwards.
const (
	meetingOrderKey  = `COALESCE(m.date, m.year || '-12-31', '9999')`
	meetingOrderDesc = meetingOrderKey + ` DESC, m.meeting_number DESC, m.symbol DESC`
)

// statementOrder puts meetings in time order and statements in document
// order.
const statementOrder = `ORDER BY ` + meetingOrder + `, s.seq`

type rowScanner interface{ Scan(dest ...any) error }

func scanStatementRow(sc rowScanner) (StatementRow, error) {
	var r StatementRow
	var council, dup sql.NullInt64
	var onBehalf, aligns string
	err := sc.Scan(&r.ID, &r.Seq, &r.Section, &r.Speaker, &r.Title, &r.DelegationRaw, &r.Delegation,
		&r.ISO3, &r.Kind, &council, &onBehalf, &aligns, &dup, &r.Text, &r.Start, &r.End, &r.Purview, &r.NeedsReview,
		&r.Meeting.ID, &r.Meeting.Symbol, &r.Meeting.Body, &r.Meeting.Number, &r.Meeting.Session,
		&r.Meeting.Date, &r.Meeting.Year, &r.Meeting.YearInferred)
	if err != nil {
		return r, err
	}
	if council.Valid {
		b := council.Int64 == 1
		r.CouncilMember = &b
	}
	if dup.Valid {
		r.DuplicateOf = int(dup.Int64)
	}
	if err := json.Unmarshal([]byte(onBehalf), &r.OnBehalfOf); err != nil {
		return r, fmt.Errorf("on_behalf_of of statement %d: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(aligns), &r.AlignsWith); err != nil {
		return r, fmt.Errorf("aligns_with of statement %d: %w", r.ID, err)
	}
	return r, nil
}

// Statements returns one page of the statements the filter selects, in
// meeting and document order, with their tags, and the total number of
// matching statements. Duplicate copies of a turn are left out.
func (s *Store) Statements(ctx context.Context, f Filter, limit, offset int) ([]StatementRow, int, error) {
	total, err := countStatements(ctx, s.db, f)
	if err != nil {
		return nil, 0, err
	}
	if limit <= 0 || offset >= total {
		return nil, total, nil
	}
	out, err := s.statementPage(ctx, f, limit, offset, total)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// countStatements counts what the filter selects, exactly, without reading
// every selected statement where it can: from the rollups when no filter
// looks inside statements, and for a full-text search alone as the index's
// match count less the duplicate copies that match.
func countStatements(ctx context.Context, db querier, f Filter) (int, error) {
	var total int
	var q string
	var args []any
	switch {
	case !f.IncludeDuplicates && !f.statementFilters():
		cells, cargs := planScope(f).meetingCells()
		q, args = `SELECT COALESCE(SUM(n), 0) FROM (`+cells+`)`, cargs
	case !f.IncludeDuplicates && f.onlyText():
		fts := FTSQuery(f.Q)
		// The duplicates are few (statements_duplicate_idx): they are
		// looked up among the matches, whose rowids the index lists
		// without reading a row.
		q = `SELECT (SELECT count(*) FROM statements_fts WHERE statements_fts MATCH ?1) -
			(SELECT count(*) FROM statements s INDEXED BY statements_duplicate_idx
			 WHERE s.duplicate_of IS NOT NULL AND s.id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?1))`
		args = []any{fts}
	default:
		cond, cargs := f.exactWhere()
		q, args = `SELECT count(*) FROM statements s WHERE `+cond, cargs
	}
	if err := db.QueryRowContext(ctx, q, args...).Scan(&total); err != nil {
		return 0, fmt.Errorf("store: count statements: %w", err)
	}
	return total, nil
}

// onlyText reports whether the full-text query is the filter's only part.
func (f Filter) onlyText() bool {
	g := f
	g.Q, g.IncludeDuplicates = "", false
	return FTSQuery(f.Q) != "" && g.IsZero()
}

// statementPage reads one page in meeting and document order, given the
// number of statements the filter selects. Three plans, costed in µs from
// measurements on 40,000 statements:
//
//   - sort: start from the most selective part of the filter, read every
//     match and sort them: ~3 per match;
//   - walk: meetings in time order (meetings_order_idx), each meeting's
//     statements by (meeting_id, seq), testing the filter on the way and
//     stopping after the page, no sort: ~0.5 per statement walked, about
//     (offset+limit) × all / total of them, plus ~0.7 per full-text match
//     to list the matches first;
//   - probe: the walk, looking each statement up in the full-text index
//     instead of listing the matches: ~70 per statement walked, best for
//     the first pages of a common word.
//
// m.id in the ORDER BY makes the meeting order unique, which lets SQLite
// take the walk's order as is; CROSS JOIN fixes the walk's loop order.
func (s *Store) statementPage(ctx context.Context, f Filter, limit, offset, total int) ([]StatementRow, error) {
	var all int
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(n), 0) FROM rollup_meetings`).Scan(&all); err != nil {
		return nil, fmt.Errorf("store: statements: %w", err)
	}
	need := float64(min(offset+limit, total))
	walked := need * float64(max(all, total)) / float64(total)
	sortCost, walkCost, probeCost := 3*float64(total), 0.5*walked, math.Inf(1)
	if FTSQuery(f.Q) != "" {
		walkCost += 0.7 * float64(total)
		probeCost = 70 * walked
	}
	join := ` FROM statements s JOIN meetings m ON m.id = s.meeting_id`
	cond, args := f.exactWhere()
	switch {
	case probeCost < walkCost && probeCost < sortCost:
		join = ` FROM meetings m CROSS JOIN statements s ON s.meeting_id = m.id`
		cond, args = f.exactWhereFTS(true)
	case walkCost < sortCost:
		join = ` FROM meetings m CROSS JOIN statements s ON s.meeting_id = m.id`
	}
	q := `SELECT ` + statementCols + join + ` WHERE ` + cond + ` ORDER BY ` + meetingOrder + `, m.id, s.seq LIMIT ? OFFSET ?`
	rows, err := s.db.QueryContext(ctx, q, append(args, limit, offset)...)
	if err != nil {
		return nil, fmt.Errorf("store: statements: %w", err)
	}
	defer rows.Close()
	var out []StatementRow
	for rows.Next() {
		r, err := scanStatementRow(rows)
		if err != nil {
			return nil, fmt.Errorf("store: statements: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: statements: %w", err)
	}
	if err := attachTags(ctx, s.db, out); err != nil {
		return nil, err
	}
	return out, nil
}

// exportChunk is how many statements EachStatement reads before loading
// their tags with one query: memory stays bounded, queries stay few.
const exportChunk = 500

// EachStatement calls fn for every statement the filter selects, in the
// order of Statements (meetings in time order, then document order), with
// its tags; exports of the whole record use it.
//
// It is one read: a single SELECT over the selection inside one read-only
// transaction (after, for a filter, one count that picks its plan), so the
// export is the database as it was when it began (WAL lets ingest commit
// meanwhile, unseen) and costs time linear in the statements read. Paging with OFFSET walked every earlier row again for
// each batch and could skip or repeat rows when a document arrived between
// batches. Tags are loaded per chunk of statements by a second query on the
// same transaction while the statement cursor stays open (SQLite steps
// several statements on one connection). fn runs inside the transaction:
// a slow fn holds the snapshot, which only delays WAL checkpoints.
func (s *Store) EachStatement(ctx context.Context, f Filter, fn func(StatementRow) error) error {
	return s.eachStatement(ctx, f, exportAuto, fn)
}

// Export plans (see exportQuery).
const (
	exportAuto = iota
	exportWalk
	exportSort
)

func (s *Store) eachStatement(ctx context.Context, f Filter, plan int, fn func(StatementRow) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("store: export statements: %w", err)
	}
	defer tx.Rollback() // read-only: nothing to commit
	if plan == exportAuto {
		if plan, err = choosePlan(ctx, tx, f); err != nil {
			return err
		}
	}
	q, args := exportQuery(f, plan == exportWalk)
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: export statements: %w", err)
	}
	defer rows.Close()
	chunk := make([]StatementRow, 0, exportChunk)
	flush := func() error {
		if err := attachTags(ctx, tx, chunk); err != nil {
			return err
		}
		for _, r := range chunk {
			if err := fn(r); err != nil {
				return err
			}
		}
		chunk = chunk[:0]
		return nil
	}
	for rows.Next() {
		r, err := scanStatementRow(rows)
		if err != nil {
			return fmt.Errorf("store: export statements: %w", err)
		}
		if chunk = append(chunk, r); len(chunk) == exportChunk {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: export statements: %w", err)
	}
	return flush()
}

// choosePlan walks every statement unless the filter selects few of them:
// the walk costs ~0.5 µs per statement stored, the sort ~3 per statement
// selected (statementPage's measurements). Both counts are read once, from
// rollups and indexes where they can be.
func choosePlan(ctx context.Context, tx *sql.Tx, f Filter) (int, error) {
	if f.IsZero() {
		return exportWalk, nil
	}
	total, err := countStatements(ctx, tx, f)
	if err != nil {
		return 0, err
	}
	var all int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(n), 0) FROM rollup_meetings`).Scan(&all); err != nil {
		return 0, fmt.Errorf("store: export statements: %w", err)
	}
	if 0.5*float64(all) < 3*float64(total) {
		return exportWalk, nil
	}
	return exportSort, nil
}

// exportQuery selects the filter's statements in Statements' order. The
// walk reads meetings in time order (meetings_order_idx, pinned by INDEXED
// BY so that no plan sorts the whole record) and each meeting's statements
// by seq, testing the meeting-level filters once per meeting; the sort
// reads only the selected statements, through the filter's indexes, and
// sorts them.
func exportQuery(f Filter, walk bool) (string, []any) {
	cond, args := f.exactWhere()
	if !walk {
		return `SELECT ` + statementCols + ` FROM statements s JOIN meetings m ON m.id = s.meeting_id
			WHERE ` + cond + ` ORDER BY ` + meetingOrder + `, m.id, s.seq`, args
	}
	if mc, ma := f.meetingWhere(); mc != "" {
		// As a list of ids, not the bare condition: a term on m.symbol
		// made SQLite sort each meeting's statements again.
		cond += " AND m.id IN (SELECT m.id FROM meetings m WHERE " + mc + ")"
		args = append(args, ma...)
	}
	return `SELECT ` + statementCols + ` FROM meetings m INDEXED BY meetings_order_idx
		CROSS JOIN statements s ON s.meeting_id = m.id WHERE ` + cond + ` ORDER BY ` + meetingOrder + `, m.id, s.seq`, args
}

// Statement returns one statement by id, duplicates included.
func (s *Store) Statement(ctx context.Context, id int64) (StatementRow, error) {
	q := `SELECT ` + statementCols + ` FROM statements s JOIN meetings m ON m.id = s.meeting_id WHERE s.id = ?`
	r, err := scanStatementRow(s.db.QueryRowContext(ctx, q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("store: statement %d: %w", id, err)
	}
	rows := []StatementRow{r}
	if err := attachTags(ctx, s.db, rows); err != nil {
		return r, err
	}
	return rows[0], nil
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// attachTags loads the tags of the given statements in one query and
// recomputes frames and instruments from them. The ids travel as one JSON
// array (json_each), not one variable each: SQLite takes at most 32,766
// variables, fewer than a long meeting's statements.
func attachTags(ctx context.Context, db querier, rows []StatementRow) error {
	if len(rows) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(rows))
	ids := make([]byte, 0, 8*len(rows))
	ids = append(ids, '[')
	for i, r := range rows {
		idx[r.ID] = i
		if i > 0 {
			ids = append(ids, ',')
		}
		ids = strconv.AppendInt(ids, r.ID, 10)
	}
	ids = append(ids, ']')
	q := `SELECT t.id, t.statement_id, t.dimension, t.value, t.evidence, t.start_offset, t.end_offset, t.rule, t.source,
		t.codebook_version, t.author, t.confidence FROM json_each(?) j CROSS JOIN tags t ON t.statement_id = j.value
		ORDER BY t.statement_id, t.id`
	res, err := db.QueryContext(ctx, q, string(ids))
	if err != nil {
		return fmt.Errorf("store: tags: %w", err)
	}
	defer res.Close()
	for res.Next() {
		var t model.Tag
		var sid int64
		if err := res.Scan(&t.ID, &sid, &t.Dimension, &t.Value, &t.Evidence, &t.Start, &t.End, &t.Rule,
			&t.Source, &t.CodebookVersion, &t.Author, &t.Confidence); err != nil {
			return fmt.Errorf("store: tags: %w", err)
		}
		i := idx[sid]
		// A codebook tag's evidence is stored as its offsets only
		// (migration 0005).
		if text := rows[i].Text; t.Evidence == "" && 0 <= t.Start && t.Start <= t.End && t.End <= len(text) {
			t.Evidence = text[t.Start:t.End]
		}
		rows[i].Tags = append(rows[i].Tags, t)
	}
	if err := res.Err(); err != nil {
		return fmt.Errorf("store: tags: %w", err)
	}
	for i := range rows {
		// Purview comes from the stored column (kept in step with the tags);
		// frames and instruments are read from the tags themselves.
		_, rows[i].Frames, rows[i].Instruments = model.Derive(rows[i].Tags)
	}
	return nil
}

// MeetingSummary is a meeting with counts, for listings.
type MeetingSummary struct {
	model.Meeting
	ID          int64
	Statements  int
	Objections  int // statements whose purview is contests or conditional
	Filename    string
	Notes       []string
	IngestedAt  string
	DocumentSHA string
}

const meetingCols = `m.id, m.symbol, m.body, m.numbers, m.session, COALESCE(m.date, ''), COALESCE(m.year, 0),
	m.year_inferred, m.headline, m.subheadline, m.start_time, m.end_time, m.summary, m.participants, m.topic,
	m.source, d.filename, d.notes, d.ingested_at, d.sha256,
	(SELECT COALESCE(SUM(n), 0) FROM rollup_meetings r WHERE r.meeting_id = m.id),
	(SELECT COALESCE(SUM(n), 0) FROM rollup_meetings r WHERE r.meeting_id = m.id AND r.purview >= 2)`

func scanMeeting(sc rowScanner) (MeetingSummary, error) {
	var m MeetingSummary
	var numbers, participants, notes string
	err := sc.Scan(&m.ID, &m.Symbol, &m.Body, &numbers, &m.Session, &m.Date, &m.Year, &m.YearInferred,
		&m.Headline, &m.SubHeadline, &m.StartTime, &m.EndTime, &m.Summary, &participants, &m.Topic,
		&m.Source, &m.Filename, &notes, &m.IngestedAt, &m.DocumentSHA, &m.Statements, &m.Objections)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal([]byte(numbers), &m.Numbers); err != nil {
		return m, fmt.Errorf("meeting %s: %w", m.Symbol, err)
	}
	for _, f := range []struct {
		raw string
		dst *[]string
	}{{participants, &m.Participants}, {notes, &m.Notes}} {
		if err := decodeStrings(f.raw, f.dst); err != nil {
			return m, fmt.Errorf("meeting %s: %w", m.Symbol, err)
		}
	}
	return m, nil
}

// decodeStrings decodes a JSON array of strings as the store wrote it
// (json.Marshal: compact). Listing 500 meetings decoded ~40,000
// participant names per request with encoding/json; names without escapes
// are split directly, anything else goes through encoding/json.
func decodeStrings(raw string, dst *[]string) error {
	if raw == "[]" {
		*dst = []string{}
		return nil
	}
	if len(raw) >= 4 && strings.HasPrefix(raw, `["`) && strings.HasSuffix(raw, `"]`) && !strings.Contains(raw, `\`) {
		// Without backslashes no string holds a quote, so `","` only
		// separates elements.
		*dst = strings.Split(raw[2:len(raw)-2], `","`)
		return nil
	}
	return json.Unmarshal([]byte(raw), dst)
}

// meetingListCols are meetingCols without the long texts: a summary is
// ~7 KB of overflow pages per meeting, and reading 500 of them was most of
// the overview's cost.
var meetingListCols = strings.NewReplacer("m.summary,", "'',", "m.participants,", "'[]',").Replace(meetingCols)

// Meetings lists every meeting in time order, for listings: Summary and
// Participants are left empty (MeetingBySymbol returns them).
func (s *Store) Meetings(ctx context.Context) ([]MeetingSummary, error) {
	return s.listMeetings(ctx, -1, 0)
}

// MeetingPage lists limit meetings from offset in the order of Meetings,
// and how many meetings there are: pages that list meetings stay small
// with the whole public record (thousands of meetings) in the database.
func (s *Store) MeetingPage(ctx context.Context, limit, offset int) ([]MeetingSummary, int, error) {
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM meetings`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: meetings: %w", err)
	}
	if limit <= 0 || offset >= total {
		return []MeetingSummary{}, total, nil
	}
	out, err := s.listMeetings(ctx, limit, offset)
	return out, total, err
}

// listMeetings reads meetings in time order; limit -1 reads them all.
func (s *Store) listMeetings(ctx context.Context, limit, offset int) ([]MeetingSummary, error) {
	q := `SELECT ` + meetingListCols + ` FROM meetings m JOIN documents d ON d.id = m.document_id
		ORDER BY ` + meetingOrder + ` LIMIT ? OFFSET ?`
	rows, err := s.db.QueryContext(ctx, q, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("store: meetings: %w", err)
	}
	defer rows.Close()
	out := []MeetingSummary{}
	for rows.Next() {
		m, err := scanMeeting(rows)
		if err != nil {
			return nil, fmt.Errorf("store: meetings: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: meetings: %w", err)
	}
	return out, nil
}

// MeetingBySymbol returns one meeting, or ErrNotFound.
func (s *Store) MeetingBySymbol(ctx context.Context, symbol string) (MeetingSummary, error) {
	q := `SELECT ` + meetingCols + ` FROM meetings m JOIN documents d ON d.id = m.document_id WHERE m.symbol = ?`
	m, err := scanMeeting(s.db.QueryRowContext(ctx, q, symbol))
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("store: meeting %s: %w", symbol, err)
	}
	return m, nil
}

// MeetingStatements returns every statement of a meeting in document order,
// duplicates included (flagged), with tags.
func (s *Store) MeetingStatements(ctx context.Context, symbol string) ([]StatementRow, error) {
	out, _, err := s.MeetingStatementPage(ctx, symbol, -1, 0)
	return out, err
}

// MeetingStatementPage returns limit statements of a meeting from offset
// in document order (limit -1: all of them), duplicates included
// (flagged), with tags, and how many statements the meeting has. A meeting
// of tens of thousands of turns is shown a page at a time.
func (s *Store) MeetingStatementPage(ctx context.Context, symbol string, limit, offset int) ([]StatementRow, int, error) {
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM statements s JOIN meetings m ON m.id = s.meeting_id
		WHERE m.symbol = ?`, symbol).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: statements of %s: %w", symbol, err)
	}
	q := `SELECT ` + statementCols + ` FROM statements s JOIN meetings m ON m.id = s.meeting_id
		WHERE m.symbol = ? ORDER BY s.seq LIMIT ? OFFSET ?`
	rows, err := s.db.QueryContext(ctx, q, symbol, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("store: statements of %s: %w", symbol, err)
	}
	defer rows.Close()
	var out []StatementRow
	for rows.Next() {
		r, err := scanStatementRow(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("store: statements of %s: %w", symbol, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: statements of %s: %w", symbol, err)
	}
	if err := attachTags(ctx, s.db, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// CountMeetings returns how many meetings are stored; `make run` ingests the
// bundled sample only when this is zero.
func (s *Store) CountMeetings(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM meetings`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count meetings: %w", err)
	}
	return n, nil
}
