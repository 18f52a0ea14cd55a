package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/stancetrack/stancetrack/model"
)

// ErrCodebookTag is returned when deleting a tag the codebook made: the
// next retag would bring it back, and an analyst tag already decides over
// it (model.Derive), so the way to overrule it is to add one.
var ErrCodebookTag = errors.New("store: codebook tags cannot be deleted; add an analyst tag to overrule it (analyst tags decide the purview, and codebook tags come back on every retag)")

// TagRow is a stored tag with the statement it belongs to.
type TagRow struct {
	model.Tag
	StatementID int64
	CreatedAt   string
}

// tagRowCols read tags FROM tags (not aliased); a codebook tag's evidence
// is read from its statement (evidenceOf).
var tagRowCols = `tags.id, tags.statement_id, tags.dimension, tags.value, COALESCE((SELECT ` + evidenceOf("tags", "s") +
	` FROM statements s WHERE s.id = tags.statement_id), tags.evidence), tags.start_offset, tags.end_offset, tags.rule,
	tags.source, tags.codebook_version, tags.author, tags.created_at, tags.confidence`

func scanTagRow(sc rowScanner) (TagRow, error) {
	var t TagRow
	err := sc.Scan(&t.ID, &t.StatementID, &t.Dimension, &t.Value, &t.Evidence, &t.Start, &t.End, &t.Rule,
		&t.Source, &t.CodebookVersion, &t.Author, &t.CreatedAt, &t.Confidence)
	return t, err
}

// Tag returns one tag by id.
func (s *Store) Tag(ctx context.Context, id int64) (TagRow, error) {
	t, err := scanTagRow(s.db.QueryRowContext(ctx, `SELECT `+tagRowCols+` FROM tags WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	if err != nil {
		return t, fmt.Errorf("store: tag %d: %w", id, err)
	}
	return t, nil
}

// StatementTags returns a statement's tags in the order they were stored.
// A statement with no tags gives an empty list; an unknown statement
// ErrNotFound.
func (s *Store) StatementTags(ctx context.Context, statementID int64) ([]TagRow, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("store: tags of statement %d: %w", statementID, err)
	}
	defer tx.Rollback()
	var one int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM statements WHERE id = ?`, statementID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: tags of statement %d: %w", statementID, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+tagRowCols+` FROM tags WHERE statement_id = ? ORDER BY id`, statementID)
	if err != nil {
		return nil, fmt.Errorf("store: tags of statement %d: %w", statementID, err)
	}
	defer rows.Close()
	out := []TagRow{}
	for rows.Next() {
		t, err := scanTagRow(rows)
		if err != nil {
			return nil, fmt.Errorf("store: tags of statement %d: %w", statementID, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// StatementID finds a statement by its meeting's symbol and its seq, the
// names the export contract gives it.
func (s *Store) StatementID(ctx context.Context, symbol string, seq int) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT s.id FROM statements s JOIN meetings m ON m.id = s.meeting_id
		WHERE m.symbol = ? AND s.seq = ?`, symbol, seq).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("store: statement %s seq %d: %w", symbol, seq, err)
	}
	return id, nil
}

// DeleteAnalystTag removes an analyst's tag and re-derives its statement's
// purview and its meeting's aggregates in the same transaction. A codebook
// tag is ErrCodebookTag; an unknown id ErrNotFound.
func (s *Store) DeleteAnalystTag(ctx context.Context, id int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: delete tag %d: %w", id, err)
	}
	defer tx.Rollback()
	var statementID int64
	var source string
	err = tx.QueryRowContext(ctx, `SELECT statement_id, source FROM tags WHERE id = ?`, id).Scan(&statementID, &source)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("store: delete tag %d: %w", id, err)
	}
	if source != model.SourceAnalyst {
		return ErrCodebookTag
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM tags WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: delete tag %d: %w", id, err)
	}
	// The derived rows are subtracted from what they were, not from the
	// tags, so deleting the tag first is safe (rollup.go).
	if err := refreshPurview(ctx, tx, statementID); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: delete tag %d: commit: %w", id, err)
	}
	return nil
}
