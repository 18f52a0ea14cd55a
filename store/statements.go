package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
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
	s.end_offset, s.purview,
	m.id, m.symbol, m.body, COALESCE(m.meeting_number, 0), m.session, COALESCE(m.date, ''),
	COALESCE(m.year, 0), m.year_inferred`

// meetingOrder puts meetings in time order. A meeting with no printed date
// (plain-text releases, corpus meetings without metadata) sorts at the end
// of its year, so a 2002 meeting never follows a dated 2016 one; meeting
// numbers, which rise over time, break ties.
const meetingOrder = `COALESCE(m.date, m.year || '-12-31', '9999'), m.meeting_number, m.symbol`

// statementOrder puts meetings in time order and statements in document
// order.
const statementOrder = `ORDER BY ` + meetingOrder + `, s.seq`

type rowScanner interface{ Scan(dest ...any) error }

func scanStatementRow(sc rowScanner) (StatementRow, error) {
	var r StatementRow
	var council, dup sql.NullInt64
	var onBehalf, aligns string
	err := sc.Scan(&r.ID, &r.Seq, &r.Section, &r.Speaker, &r.Title, &r.DelegationRaw, &r.Delegation,
		&r.ISO3, &r.Kind, &council, &onBehalf, &aligns, &dup, &r.Text, &r.Start, &r.End, &r.Purview,
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
	cond, args := f.where()
	var total int
	countQ := `SELECT count(*) FROM statements s JOIN meetings m ON m.id = s.meeting_id WHERE ` + cond
	if err := s.db.QueryRowContext(ctx, countQ, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count statements: %w", err)
	}
	q := `SELECT ` + statementCols + ` FROM statements s JOIN meetings m ON m.id = s.meeting_id
		WHERE ` + cond + ` ` + statementOrder + ` LIMIT ? OFFSET ?`
	rows, err := s.db.QueryContext(ctx, q, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: statements: %w", err)
	}
	defer rows.Close()
	var out []StatementRow
	for rows.Next() {
		r, err := scanStatementRow(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("store: statements: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: statements: %w", err)
	}
	if err := s.attachTags(ctx, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// EachStatement calls fn for every statement the filter selects, in meeting
// and document order, with its tags, reading in batches so that exports of
// the whole record stay within bounded memory.
func (s *Store) EachStatement(ctx context.Context, f Filter, fn func(StatementRow) error) error {
	const batch = 500
	for offset := 0; ; offset += batch {
		rows, _, err := s.Statements(ctx, f, batch, offset)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(rows) < batch {
			return nil
		}
	}
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
	if err := s.attachTags(ctx, rows); err != nil {
		return r, err
	}
	return rows[0], nil
}

// attachTags loads the tags of the given statements in one query and
// recomputes frames and instruments from them.
func (s *Store) attachTags(ctx context.Context, rows []StatementRow) error {
	if len(rows) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(rows))
	ids := make([]any, len(rows))
	for i, r := range rows {
		idx[r.ID] = i
		ids[i] = r.ID
	}
	q := `SELECT id, statement_id, dimension, value, evidence, start_offset, end_offset, rule, source,
		codebook_version, author FROM tags WHERE statement_id IN (` +
		strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + `) ORDER BY statement_id, id`
	res, err := s.db.QueryContext(ctx, q, ids...)
	if err != nil {
		return fmt.Errorf("store: tags: %w", err)
	}
	defer res.Close()
	for res.Next() {
		var t model.Tag
		var sid int64
		if err := res.Scan(&t.ID, &sid, &t.Dimension, &t.Value, &t.Evidence, &t.Start, &t.End, &t.Rule,
			&t.Source, &t.CodebookVersion, &t.Author); err != nil {
			return fmt.Errorf("store: tags: %w", err)
		}
		i := idx[sid]
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
	(SELECT count(*) FROM statements s WHERE s.meeting_id = m.id AND s.duplicate_of IS NULL),
	(SELECT count(*) FROM statements s WHERE s.meeting_id = m.id AND s.duplicate_of IS NULL
		AND s.purview IN ('contests', 'conditional'))`

func scanMeeting(sc rowScanner) (MeetingSummary, error) {
	var m MeetingSummary
	var numbers, participants, notes string
	err := sc.Scan(&m.ID, &m.Symbol, &m.Body, &numbers, &m.Session, &m.Date, &m.Year, &m.YearInferred,
		&m.Headline, &m.SubHeadline, &m.StartTime, &m.EndTime, &m.Summary, &participants, &m.Topic,
		&m.Source, &m.Filename, &notes, &m.IngestedAt, &m.DocumentSHA, &m.Statements, &m.Objections)
	if err != nil {
		return m, err
	}
	for _, f := range []struct {
		raw string
		dst any
	}{{numbers, &m.Numbers}, {participants, &m.Participants}, {notes, &m.Notes}} {
		if err := json.Unmarshal([]byte(f.raw), f.dst); err != nil {
			return m, fmt.Errorf("meeting %s: %w", m.Symbol, err)
		}
	}
	return m, nil
}

// Meetings lists every meeting in time order.
func (s *Store) Meetings(ctx context.Context) ([]MeetingSummary, error) {
	q := `SELECT ` + meetingCols + ` FROM meetings m JOIN documents d ON d.id = m.document_id
		ORDER BY ` + meetingOrder
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("store: meetings: %w", err)
	}
	defer rows.Close()
	var out []MeetingSummary
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
	q := `SELECT ` + statementCols + ` FROM statements s JOIN meetings m ON m.id = s.meeting_id
		WHERE m.symbol = ? ORDER BY s.seq`
	rows, err := s.db.QueryContext(ctx, q, symbol)
	if err != nil {
		return nil, fmt.Errorf("store: statements of %s: %w", symbol, err)
	}
	defer rows.Close()
	var out []StatementRow
	for rows.Next() {
		r, err := scanStatementRow(rows)
		if err != nil {
			return nil, fmt.Errorf("store: statements of %s: %w", symbol, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: statements of %s: %w", symbol, err)
	}
	if err := s.attachTags(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
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
