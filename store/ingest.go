package store

import (
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/stancetrack/stancetrack/model"
)

// Document is one parsed, resolved and tagged document ready to be stored.
type Document struct {
	Filename   string
	Format     string // "text", "html", "verbatim"
	Raw        []byte // the file as read, kept for re-parsing
	Text       string // the normalised text statement offsets refer to
	Notes      []string
	Meeting    model.Meeting
	Statements []model.Statement // resolved and tagged; Tags carry the codebook version
}

// Outcomes of AddDocument.
const (
	Added     = "added"     // a new meeting
	Unchanged = "unchanged" // the same bytes were ingested before
	Replaced  = "replaced"  // a different document with the same symbol replaced the old one
)

// AddResult says what AddDocument did.
type AddResult struct {
	Status         string
	MeetingID      int64
	Statements     int
	AnalystKept    int // analyst tags carried over to the new version of a replaced document
	AnalystOrphans int // analyst tags that fit no statement of the new version, kept in orphan_tags
}

// AddDocument stores a document, its meeting, statements and tags in one
// transaction. A document already stored (same SHA-256) changes nothing. A
// document whose symbol is already stored replaces the old one; analyst tags
// on the old statements are carried over to the matching new statements, or
// kept in orphan_tags when none matches, so corrections are never lost.
func (s *Store) AddDocument(ctx context.Context, d Document) (AddResult, error) {
	sum := sha256.Sum256(d.Raw)
	sha := hex.EncodeToString(sum[:])
	if d.Meeting.Symbol == "" {
		return AddResult{}, errors.New("store: document has no symbol")
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return AddResult{}, fmt.Errorf("store: add %s: %w", d.Meeting.Symbol, err)
	}
	defer tx.Rollback()

	var existingID int64
	var existingSymbol string
	err = tx.QueryRowContext(ctx, `SELECT m.id, d.symbol FROM documents d JOIN meetings m ON m.document_id = d.id
		WHERE d.sha256 = ?`, sha).Scan(&existingID, &existingSymbol)
	// The document this one replaces: the one stored under its symbol, or
	// the same text stored under a provisional id, now named.
	oldSymbol := d.Meeting.Symbol
	switch {
	case err == nil && (existingSymbol == d.Meeting.Symbol || !strings.HasPrefix(existingSymbol, model.ProvisionalPrefix)):
		return AddResult{Status: Unchanged, MeetingID: existingID}, nil
	case err == nil:
		oldSymbol = existingSymbol
	case !errors.Is(err, sql.ErrNoRows):
		return AddResult{}, fmt.Errorf("store: add %s: look up hash: %w", d.Meeting.Symbol, err)
	}

	res := AddResult{Status: Added, Statements: len(d.Statements)}
	kept, err := takeAnalystTags(ctx, tx, oldSymbol)
	if err != nil {
		return AddResult{}, err
	}
	var oldDoc int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM documents WHERE symbol = ?`, oldSymbol).Scan(&oldDoc)
	switch {
	case err == nil:
		res.Status = Replaced
		var oldMeeting int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM meetings WHERE document_id = ?`, oldDoc).Scan(&oldMeeting); err != nil {
			return AddResult{}, fmt.Errorf("store: replace %s: %w", d.Meeting.Symbol, err)
		}
		if err := dropMeetingDerived(ctx, tx, oldMeeting, oldMeeting); err != nil {
			return AddResult{}, fmt.Errorf("store: replace %s: %w", d.Meeting.Symbol, err)
		}
		// Take the old statements out of the full-text index before the
		// cascade deletes the rows the index reads them from.
		if _, err := tx.ExecContext(ctx, `INSERT INTO statements_fts (statements_fts, rowid, text, speaker, delegation)
			SELECT 'delete', s.id, s.text, s.speaker, s.delegation
			FROM statements s JOIN meetings m ON m.id = s.meeting_id WHERE m.document_id = ?`, oldDoc); err != nil {
			return AddResult{}, fmt.Errorf("store: replace %s: unindex: %w", d.Meeting.Symbol, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM documents WHERE id = ?`, oldDoc); err != nil {
			return AddResult{}, fmt.Errorf("store: replace %s: %w", d.Meeting.Symbol, err)
		}
	case !errors.Is(err, sql.ErrNoRows):
		return AddResult{}, fmt.Errorf("store: add %s: %w", d.Meeting.Symbol, err)
	}

	now := time.Now().UTC().Format(time.RFC3339)
	notes, _ := json.Marshal(nonNil(d.Notes))
	raw, err := deflate(d.Raw)
	if err != nil {
		return AddResult{}, fmt.Errorf("store: add document %s: %w", d.Meeting.Symbol, err)
	}
	// The normalised text is not stored (migration 0005): the statements
	// hold it, and the parser derives it from the raw bytes.
	r, err := tx.ExecContext(ctx, `INSERT INTO documents (symbol, sha256, filename, format, raw, raw_encoding, text, notes, ingested_at)
		VALUES (?, ?, ?, ?, ?, 'deflate', '', ?, ?)`, d.Meeting.Symbol, sha, d.Filename, d.Format, raw, string(notes), now)
	if err != nil {
		return AddResult{}, fmt.Errorf("store: add document %s: %w", d.Meeting.Symbol, err)
	}
	docID, _ := r.LastInsertId()

	m := d.Meeting
	numbers, _ := json.Marshal(nonNilInts(m.Numbers))
	participants, _ := json.Marshal(nonNil(m.Participants))
	r, err = tx.ExecContext(ctx, `INSERT INTO meetings (document_id, symbol, body, numbers, meeting_number,
		session, date, year, year_inferred, headline, subheadline, start_time, end_time, summary,
		participants, topic, source)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		docID, m.Symbol, m.Body, string(numbers), nullInt(m.MeetingNumber()), m.Session, nullString(m.Date),
		nullInt(m.Year), m.YearInferred, m.Headline, m.SubHeadline, m.StartTime, m.EndTime, m.Summary,
		string(participants), m.Topic, m.Source)
	if err != nil {
		return AddResult{}, fmt.Errorf("store: add meeting %s: %w", m.Symbol, err)
	}
	res.MeetingID, _ = r.LastInsertId()

	ids, err := insertStatements(ctx, tx, res.MeetingID, d.Statements, now)
	if err != nil {
		return AddResult{}, fmt.Errorf("store: add statements of %s: %w", m.Symbol, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO statements_fts (rowid, text, speaker, delegation)
		SELECT id, text, speaker, delegation FROM statements WHERE meeting_id = ?`, res.MeetingID); err != nil {
		return AddResult{}, fmt.Errorf("store: index statements of %s: %w", m.Symbol, err)
	}
	if len(kept) > 0 {
		res.AnalystKept, res.AnalystOrphans, err = reattach(ctx, tx, kept, d.Statements, ids, m.Symbol, now)
		if err != nil {
			return AddResult{}, err
		}
	}
	if err := addMeetingDerived(ctx, tx, res.MeetingID, res.MeetingID); err != nil {
		return AddResult{}, err
	}
	if err := bumpGeneration(ctx, tx); err != nil {
		return AddResult{}, err
	}
	if err := tx.Commit(); err != nil {
		return AddResult{}, fmt.Errorf("store: commit %s: %w", m.Symbol, err)
	}
	return res, nil
}

func insertStatements(ctx context.Context, tx *sql.Tx, meetingID int64, sts []model.Statement, now string) ([]int64, error) {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO statements (meeting_id, seq, section, speaker, title,
		delegation_raw, delegation, iso3, kind, council_member, on_behalf_of, aligns_with, duplicate_of,
		text, start_offset, end_offset, purview, needs_review)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	blocStmt, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO statement_blocs (statement_id, bloc, meeting_id,
		delegation, kind, council, purview, duplicate) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	defer blocStmt.Close()
	tagStmt, err := prepareTagInsert(ctx, tx)
	if err != nil {
		return nil, err
	}
	defer tagStmt.Close()

	ids := make([]int64, len(sts))
	for i, st := range sts {
		purview, _, _ := model.Derive(st.Tags)
		onBehalf, _ := json.Marshal(nonNil(st.OnBehalfOf))
		aligns, _ := json.Marshal(nonNil(st.AlignsWith))
		var council any
		if st.CouncilMember != nil {
			council = *st.CouncilMember
		}
		kind := st.Kind
		if kind == "" {
			kind = model.KindOther
		}
		r, err := stmt.ExecContext(ctx, meetingID, st.Seq, st.Section, st.Speaker, st.Title, st.DelegationRaw,
			st.Delegation, st.ISO3, kind, council, string(onBehalf), string(aligns), nullInt(st.DuplicateOf),
			st.Text, st.Start, st.End, purview, st.NeedsReview)
		if err != nil {
			return nil, fmt.Errorf("statement %d: %w", st.Seq, err)
		}
		ids[i], _ = r.LastInsertId()
		councilCode := -1
		if st.CouncilMember != nil {
			councilCode = 0
			if *st.CouncilMember {
				councilCode = 1
			}
		}
		for _, b := range st.Blocs {
			if _, err := blocStmt.ExecContext(ctx, ids[i], b, meetingID, st.Delegation, kind, councilCode,
				purviewCodes[purview], st.DuplicateOf != 0); err != nil {
				return nil, fmt.Errorf("statement %d bloc %s: %w", st.Seq, b, err)
			}
		}
		for _, t := range st.Tags {
			if err := checkEvidence(st.Text, t); err != nil {
				return nil, fmt.Errorf("statement %d: %w", st.Seq, err)
			}
			if _, err := execTagInsert(ctx, tagStmt, ids[i], t, now); err != nil {
				return nil, fmt.Errorf("statement %d tag %s=%s: %w", st.Seq, t.Dimension, t.Value, err)
			}
		}
	}
	return ids, nil
}

// evidenceOf is the SQL of a tag's evidence: as stored, or for a codebook
// tag (” since migration 0005) its statement's text at the tag's byte
// offsets. tag and statement are the tables' names in the query.
func evidenceOf(tag, statement string) string {
	return `CASE WHEN ` + tag + `.evidence <> '' THEN ` + tag + `.evidence ELSE CAST(substr(CAST(` + statement +
		`.text AS BLOB), ` + tag + `.start_offset + 1, ` + tag + `.end_offset - ` + tag + `.start_offset) AS TEXT) END`
}

// deflate compresses a raw document for documents.raw (raw_encoding
// 'deflate'): releases shrink to about a third.
func deflate(raw []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.DefaultCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(raw); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// RawDocument returns the bytes of the document stored for a meeting, as
// they were read (uncompressed), for re-parsing.
func (s *Store) RawDocument(ctx context.Context, symbol string) ([]byte, error) {
	var raw []byte
	var enc string
	err := s.db.QueryRowContext(ctx, `SELECT raw, raw_encoding FROM documents WHERE symbol = ?`, symbol).Scan(&raw, &enc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: document %s: %w", symbol, err)
	}
	if enc == "" {
		return raw, nil
	}
	out, err := io.ReadAll(flate.NewReader(bytes.NewReader(raw)))
	if err != nil {
		return nil, fmt.Errorf("store: document %s: %w", symbol, err)
	}
	return out, nil
}

// checkEvidence enforces the promise that every tag's evidence is an exact
// substring of its statement at the recorded offsets.
func checkEvidence(text string, t model.Tag) error {
	if t.Start < 0 || t.End > len(text) || t.Start > t.End || text[t.Start:t.End] != t.Evidence {
		return fmt.Errorf("tag %s=%s: evidence %.60q is not the statement text at [%d:%d]",
			t.Dimension, t.Value, t.Evidence, t.Start, t.End)
	}
	return nil
}

func prepareTagInsert(ctx context.Context, tx *sql.Tx) (*sql.Stmt, error) {
	return tx.PrepareContext(ctx, `INSERT INTO tags (statement_id, dimension, value, evidence, start_offset,
		end_offset, rule, source, codebook_version, author, created_at, confidence)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
}

func execTagInsert(ctx context.Context, stmt *sql.Stmt, statementID int64, t model.Tag, now string) (int64, error) {
	source := t.Source
	if source == "" {
		source = model.SourceCodebook
	}
	// A codebook tag's evidence is its statement's text at its offsets
	// (checkEvidence): stored as '' and read back from the text
	// (migration 0005). Analyst tags keep what the analyst wrote.
	evidence := t.Evidence
	if source == model.SourceCodebook {
		evidence = ""
	}
	r, err := stmt.ExecContext(ctx, statementID, t.Dimension, t.Value, evidence, t.Start, t.End, t.Rule,
		source, t.CodebookVersion, t.Author, now, t.Confidence)
	if err != nil {
		return 0, err
	}
	return r.LastInsertId()
}

// keptTag is an analyst tag lifted off a statement that is about to be
// replaced, with what is needed to find its statement again.
type keptTag struct {
	tag        model.Tag
	seq        int
	speaker    string
	delegation string
	createdAt  string
}

func takeAnalystTags(ctx context.Context, tx *sql.Tx, symbol string) ([]keptTag, error) {
	rows, err := tx.QueryContext(ctx, `SELECT t.dimension, t.value, `+evidenceOf("t", "s")+`, t.start_offset, t.end_offset,
		t.rule, t.author, t.created_at, s.seq, s.speaker, s.delegation
		FROM tags t JOIN statements s ON s.id = t.statement_id JOIN meetings m ON m.id = s.meeting_id
		WHERE m.symbol = ? AND t.source = 'analyst' ORDER BY t.id`, symbol)
	if err != nil {
		return nil, fmt.Errorf("store: analyst tags of %s: %w", symbol, err)
	}
	defer rows.Close()
	var out []keptTag
	for rows.Next() {
		var k keptTag
		if err := rows.Scan(&k.tag.Dimension, &k.tag.Value, &k.tag.Evidence, &k.tag.Start, &k.tag.End,
			&k.tag.Rule, &k.tag.Author, &k.createdAt, &k.seq, &k.speaker, &k.delegation); err != nil {
			return nil, fmt.Errorf("store: analyst tags of %s: %w", symbol, err)
		}
		k.tag.Source = model.SourceAnalyst
		out = append(out, k)
	}
	return out, rows.Err()
}

// reattach puts analyst tags back on the new statements: the statement of
// the same delegation and speaker whose text still holds the evidence,
// preferring the same position. Tags that fit nowhere go to orphan_tags.
func reattach(ctx context.Context, tx *sql.Tx, kept []keptTag, sts []model.Statement, ids []int64, symbol, now string) (int, int, error) {
	tagStmt, err := prepareTagInsert(ctx, tx)
	if err != nil {
		return 0, 0, err
	}
	defer tagStmt.Close()
	touched := map[int]bool{}
	var nKept, nOrphan int
	for _, k := range kept {
		best := -1
		for i, st := range sts {
			if st.Delegation != k.delegation || st.Speaker != k.speaker || !strings.Contains(st.Text, k.tag.Evidence) {
				continue
			}
			if best < 0 || abs(st.Seq-k.seq) < abs(sts[best].Seq-k.seq) {
				best = i
			}
		}
		if best < 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO orphan_tags (meeting_symbol, seq, speaker, delegation,
				dimension, value, evidence, rule, author, created_at, orphaned_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, symbol, k.seq, k.speaker, k.delegation,
				k.tag.Dimension, k.tag.Value, k.tag.Evidence, k.tag.Rule, k.tag.Author, k.createdAt, now); err != nil {
				return 0, 0, fmt.Errorf("store: keep orphaned analyst tag: %w", err)
			}
			nOrphan++
			continue
		}
		t := k.tag
		t.Start = strings.Index(sts[best].Text, t.Evidence)
		t.End = t.Start + len(t.Evidence)
		if _, err := execTagInsert(ctx, tagStmt, ids[best], t, k.createdAt); err != nil {
			return 0, 0, fmt.Errorf("store: carry over analyst tag: %w", err)
		}
		touched[best] = true
		nKept++
	}
	// The caller derives the new meeting's aggregates after this.
	for i := range touched {
		if _, _, err := setPurview(ctx, tx, ids[i]); err != nil {
			return 0, 0, err
		}
	}
	return nKept, nOrphan, nil
}

// refreshPurview recomputes a statement's cached purview column from its
// tags and refreshes the derived rows of its meeting, and marks the write.
// Any change to one statement's tags calls it in the change's transaction.
func refreshPurview(ctx context.Context, tx *sql.Tx, statementID int64) error {
	var meetingID int64
	if err := tx.QueryRowContext(ctx, `SELECT meeting_id FROM statements WHERE id = ?`, statementID).Scan(&meetingID); err != nil {
		return fmt.Errorf("store: purview of statement %d: %w", statementID, err)
	}
	// Subtract first: it reads the derived rows as they were added.
	if err := dropMeetingDerived(ctx, tx, meetingID, meetingID); err != nil {
		return err
	}
	if _, _, err := setPurview(ctx, tx, statementID); err != nil {
		return err
	}
	if err := addMeetingDerived(ctx, tx, meetingID, meetingID); err != nil {
		return err
	}
	return bumpGeneration(ctx, tx)
}

// setPurview recomputes the cached purview column from a statement's tags,
// and its copy in statement_blocs, and returns it with the statement's
// meeting. Other derived tables are left to the caller.
func setPurview(ctx context.Context, tx *sql.Tx, statementID int64) (string, int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT dimension, value, source FROM tags WHERE statement_id = ? ORDER BY id`, statementID)
	if err != nil {
		return "", 0, fmt.Errorf("store: purview of statement %d: %w", statementID, err)
	}
	var tags []model.Tag
	for rows.Next() {
		var t model.Tag
		if err := rows.Scan(&t.Dimension, &t.Value, &t.Source); err != nil {
			rows.Close()
			return "", 0, fmt.Errorf("store: purview of statement %d: %w", statementID, err)
		}
		tags = append(tags, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", 0, fmt.Errorf("store: purview of statement %d: %w", statementID, err)
	}
	purview, _, _ := model.Derive(tags)
	var meetingID int64
	if err := tx.QueryRowContext(ctx, `UPDATE statements SET purview = ? WHERE id = ? RETURNING meeting_id`,
		purview, statementID).Scan(&meetingID); err != nil {
		return "", 0, fmt.Errorf("store: purview of statement %d: %w", statementID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE statement_blocs SET purview = ? WHERE statement_id = ? AND purview <> ?`,
		purviewCodes[purview], statementID, purviewCodes[purview]); err != nil {
		return "", 0, fmt.Errorf("store: purview of statement %d: %w", statementID, err)
	}
	return purview, meetingID, nil
}

// purviewCodes are the derived tables' purview integers (see purviewCode).
var purviewCodes = map[string]int{model.PurviewUnstated: codeUnstated, model.PurviewAffirms: codeAffirms,
	model.PurviewConditional: codeConditional, model.PurviewContests: codeContests}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilInts(s []int) []int {
	if s == nil {
		return []int{}
	}
	return s
}

func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
