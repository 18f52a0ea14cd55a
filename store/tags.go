package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/stancetrack/stancetrack/model"
)

// RetagReport says what a retag changed.
type RetagReport struct {
	Statements int
	Before     map[string]int // "dimension=value" → count of codebook tags before
	After      map[string]int // the same after
	Changed    []PurviewChange
}

// PurviewChange is a statement whose purview changed on retagging.
type PurviewChange struct {
	Meeting    string
	Seq        int
	Delegation string
	From, To   string
}

// Retag replaces every codebook tag with the tagger's output, in one
// transaction. Analyst tags are never touched, and they still decide the
// purview over codebook tags (model.Derive).
//
// tag returns a statement's codebook tags and whether it needs review.
func (s *Store) Retag(ctx context.Context, tag func(model.Statement) ([]model.Tag, bool)) (RetagReport, error) {
	rep := RetagReport{Before: map[string]int{}, After: map[string]int{}}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("store: retag: %w", err)
	}
	defer tx.Rollback()

	if err := countTags(ctx, tx, rep.Before); err != nil {
		return rep, err
	}
	type item struct {
		id      int64
		st      model.Statement
		meeting string
	}
	rows, err := tx.QueryContext(ctx, `SELECT s.id, s.seq, s.delegation, s.kind, s.text, s.purview, m.symbol
		FROM statements s JOIN meetings m ON m.id = s.meeting_id ORDER BY m.id, s.seq`)
	if err != nil {
		return rep, fmt.Errorf("store: retag: %w", err)
	}
	var items []item
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.id, &it.st.Seq, &it.st.Delegation, &it.st.Kind, &it.st.Text, &it.st.Purview, &it.meeting); err != nil {
			rows.Close()
			return rep, fmt.Errorf("store: retag: %w", err)
		}
		items = append(items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, fmt.Errorf("store: retag: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM tags WHERE source = 'codebook'`); err != nil {
		return rep, fmt.Errorf("store: retag: clear codebook tags: %w", err)
	}
	ins, err := prepareTagInsert(ctx, tx)
	if err != nil {
		return rep, fmt.Errorf("store: retag: %w", err)
	}
	defer ins.Close()
	review, err := tx.PrepareContext(ctx, `UPDATE statements SET needs_review = ? WHERE id = ?`)
	if err != nil {
		return rep, fmt.Errorf("store: retag: %w", err)
	}
	defer review.Close()
	now := time.Now().UTC().Format(time.RFC3339)
	for _, it := range items {
		tags, needsReview := tag(it.st)
		if _, err := review.ExecContext(ctx, needsReview, it.id); err != nil {
			return rep, fmt.Errorf("store: retag %s seq %d: %w", it.meeting, it.st.Seq, err)
		}
		for _, t := range tags {
			if err := checkEvidence(it.st.Text, t); err != nil {
				return rep, fmt.Errorf("store: retag %s seq %d: %w", it.meeting, it.st.Seq, err)
			}
			t.Source = model.SourceCodebook
			if _, err := execTagInsert(ctx, ins, it.id, t, now); err != nil {
				return rep, fmt.Errorf("store: retag %s seq %d: %w", it.meeting, it.st.Seq, err)
			}
		}
		after, _, err := setPurview(ctx, tx, it.id)
		if err != nil {
			return rep, err
		}
		if after != it.st.Purview {
			rep.Changed = append(rep.Changed, PurviewChange{Meeting: it.meeting, Seq: it.st.Seq,
				Delegation: it.st.Delegation, From: it.st.Purview, To: after})
		}
	}
	rep.Statements = len(items)
	if err := rebuildDerived(ctx, tx); err != nil {
		return rep, err
	}
	if err := bumpGeneration(ctx, tx); err != nil {
		return rep, err
	}
	if err := countTags(ctx, tx, rep.After); err != nil {
		return rep, err
	}
	if err := tx.Commit(); err != nil {
		return rep, fmt.Errorf("store: retag: commit: %w", err)
	}
	return rep, nil
}

func countTags(ctx context.Context, tx *sql.Tx, into map[string]int) error {
	rows, err := tx.QueryContext(ctx, `SELECT t.dimension, t.value, count(*) FROM tags t
		JOIN statements s ON s.id = t.statement_id
		WHERE t.source = 'codebook' AND s.duplicate_of IS NULL GROUP BY t.dimension, t.value`)
	if err != nil {
		return fmt.Errorf("store: count tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var dim, val string
		var n int
		if err := rows.Scan(&dim, &val, &n); err != nil {
			return fmt.Errorf("store: count tags: %w", err)
		}
		into[dim+"="+val] = n
	}
	return rows.Err()
}

// Keys returns the union of keys of the before and after counts, sorted.
func (r RetagReport) Keys() []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range []map[string]int{r.Before, r.After} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// ErrBadTag is returned for an analyst tag that does not fit its statement.
var ErrBadTag = errors.New("store: bad tag")

// AddAnalystTag records an analyst's tag on a statement. The evidence must be
// an exact substring of the statement; offsets are taken from the tag when
// they match, else from the first occurrence.
func (s *Store) AddAnalystTag(ctx context.Context, statementID int64, t model.Tag) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store: add tag: %w", err)
	}
	defer tx.Rollback()
	var text string
	err = tx.QueryRowContext(ctx, `SELECT text FROM statements WHERE id = ?`, statementID).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("store: add tag: %w", err)
	}
	switch t.Dimension {
	case model.DimPurview:
		if !model.ValidPurview(t.Value) {
			return 0, fmt.Errorf("%w: purview must be affirms, conditional, contests or unstated", ErrBadTag)
		}
	case model.DimFrame, model.DimInstrument:
		if t.Value == "" {
			return 0, fmt.Errorf("%w: value is empty", ErrBadTag)
		}
	default:
		return 0, fmt.Errorf("%w: dimension must be purview, frame or instrument", ErrBadTag)
	}
	if checkEvidence(text, t) != nil {
		i := strings.Index(text, t.Evidence)
		if t.Evidence == "" || i < 0 {
			return 0, fmt.Errorf("%w: evidence must be an exact substring of the statement", ErrBadTag)
		}
		t.Start, t.End = i, i+len(t.Evidence)
	}
	t.Source = model.SourceAnalyst
	if t.Rule == "" {
		t.Rule = "analyst"
	}
	t.CodebookVersion = ""
	ins, err := prepareTagInsert(ctx, tx)
	if err != nil {
		return 0, fmt.Errorf("store: add tag: %w", err)
	}
	defer ins.Close()
	id, err := execTagInsert(ctx, ins, statementID, t, time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return 0, fmt.Errorf("store: add tag: %w", err)
	}
	if err := refreshPurview(ctx, tx, statementID); err != nil {
		return 0, err
	}
	return id, tx.Commit()
}
