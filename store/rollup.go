package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
)

// This file maintains the derived tables of migration 0001 (statement_values,
// the copied columns of statement_blocs, meeting_purview, rollup_*) and the
// data generation. Every write path calls them inside its own transaction,
// so a reader never sees base rows and aggregates that disagree:
//
//   - AddDocument: dropMeetingDerived for a replaced meeting before its rows
//     go, addMeetingDerived for the new meeting after its statements, tags
//     and reattached analyst tags are in;
//   - AddAnalystTag (and any future tag edit): refreshPurview, which
//     re-derives the statement's purview and refreshes its meeting;
//   - Retag: rebuildDerived once at the end.
//
// Subtraction reads only derived rows (meeting_purview, statement_values,
// statement_blocs' copies), so it removes exactly what was added even after
// tags changed. statement_blocs' copy of purview is written at insert and by
// setPurview, so refreshPurview subtracts before it calls setPurview.

// purviewCode maps the purview column to the integer stored in derived
// tables: the codebook's precedence, so MAX() is the strongest position.
const purviewCode = `(CASE %s WHEN 'affirms' THEN 1 WHEN 'conditional' THEN 2 WHEN 'contests' THEN 3 ELSE 0 END)`

func purviewCodeOf(col string) string { return fmt.Sprintf(purviewCode, col) }

// Purview codes of derived tables.
const (
	codeUnstated    = 0
	codeAffirms     = 1
	codeConditional = 2
	codeContests    = 3
)

// councilCode is the council_member column in derived tables, where NULL
// (unknown) becomes -1 because it is part of primary keys.
func councilCode(col string) string { return `COALESCE(` + col + `, -1)` }

// bucketCols are a meeting's rollup bucket: body, year (from the printed date,
// else the inferred year, else 0) and whether it has a printed date, which
// date filters need.
const bucketCols = `m.body, CASE WHEN m.date IS NOT NULL THEN CAST(substr(m.date, 1, 4) AS INTEGER) ELSE COALESCE(m.year, 0) END, m.date IS NOT NULL`

// meetingRange selects every meeting for whole-database rebuilds.
var allMeetings = [2]int64{math.MinInt64, math.MaxInt64}

// addMeetingDerived derives the rows of the meetings with id in [lo, hi]
// from their base rows and adds them to the rollups. The meetings must have
// no derived rows yet (new, dropped, or all cleared).
func addMeetingDerived(ctx context.Context, tx *sql.Tx, lo, hi int64) error {
	steps := []string{
		// CROSS JOIN keeps statements outer: the planner would otherwise
		// walk every tag of the dimension, and ingest would slow down with
		// the size of the database.
		`INSERT INTO statement_values (statement_id, dimension, value, meeting_id, delegation, kind, council, purview)
			SELECT DISTINCT t.statement_id, t.dimension, t.value, s.meeting_id, s.delegation, s.kind, ` +
			councilCode("s.council_member") + `, ` + purviewCodeOf("s.purview") + `
			FROM statements s CROSS JOIN tags t ON t.statement_id = s.id
			WHERE s.meeting_id BETWEEN ?1 AND ?2 AND s.duplicate_of IS NULL AND t.dimension IN ('frame', 'instrument')`,
		`INSERT INTO meeting_purview (meeting_id, delegation, iso3, kind, council, purview, n)
			SELECT s.meeting_id, s.delegation, s.iso3, s.kind, ` + councilCode("s.council_member") + `, ` +
			purviewCodeOf("s.purview") + `, COUNT(*)
			FROM statements s WHERE s.meeting_id BETWEEN ?1 AND ?2 AND s.duplicate_of IS NULL
			GROUP BY 1, 2, 3, 4, 5, 6`,
		`INSERT INTO rollup_meetings (meeting_id, kind, council, purview, n)
			SELECT meeting_id, kind, council, purview, SUM(n) FROM meeting_purview
			WHERE meeting_id BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3, 4`,
	}
	for _, q := range steps {
		if _, err := tx.ExecContext(ctx, q, lo, hi); err != nil {
			return fmt.Errorf("store: derive meetings %d-%d: %w", lo, hi, err)
		}
	}
	return addRollups(ctx, tx, lo, hi, 1)
}

// dropMeetingDerived subtracts the meetings' rows from the rollups and
// deletes their derived rows.
func dropMeetingDerived(ctx context.Context, tx *sql.Tx, lo, hi int64) error {
	if err := addRollups(ctx, tx, lo, hi, -1); err != nil {
		return err
	}
	steps := []string{
		`DELETE FROM statement_values WHERE meeting_id BETWEEN ?1 AND ?2`,
		`DELETE FROM meeting_purview WHERE meeting_id BETWEEN ?1 AND ?2`,
		`DELETE FROM rollup_meetings WHERE meeting_id BETWEEN ?1 AND ?2`,
	}
	for _, q := range steps {
		if _, err := tx.ExecContext(ctx, q, lo, hi); err != nil {
			return fmt.Errorf("store: drop derived rows of meetings %d-%d: %w", lo, hi, err)
		}
	}
	return nil
}

// globalBucket is the rollup bucket that sums every meeting: the
// unfiltered dashboard reads it alone, however many years the data spans.
// dated = -1 keeps it apart from real buckets (dated 0 or 1).
const globalBucket = `'', -1, -1`

// bothBuckets are the bucket columns of a row counted twice, once in its
// meeting's bucket (g.g = 0) and once in the global bucket (g.g = 1), so
// one statement per table maintains both.
const bothBuckets = `CASE WHEN g.g THEN '' ELSE m.body END,
	CASE WHEN g.g THEN -1 WHEN m.date IS NOT NULL THEN CAST(substr(m.date, 1, 4) AS INTEGER) ELSE COALESCE(m.year, 0) END,
	CASE WHEN g.g THEN -1 ELSE m.date IS NOT NULL END`

const twoBuckets = ` CROSS JOIN (SELECT 0 AS g UNION ALL SELECT 1) g`

// addRollups adds (sign 1) or subtracts (sign -1) the meetings' derived rows
// to the rollups, in their buckets and in the global bucket, then deletes
// cells that reached zero in those buckets.
func addRollups(ctx context.Context, tx *sql.Tx, lo, hi int64, sign int) error {
	steps := []string{
		`INSERT INTO rollup_purview (body, year, dated, delegation, iso3, kind, council, purview, n)
			SELECT ` + bothBuckets + `, mp.delegation, mp.iso3, mp.kind, mp.council, mp.purview, ?3 * SUM(mp.n)
			FROM meeting_purview mp JOIN meetings m ON m.id = mp.meeting_id` + twoBuckets + `
			WHERE mp.meeting_id BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
			ON CONFLICT DO UPDATE SET n = n + excluded.n`,
		`INSERT INTO rollup_values (body, year, dated, dimension, value, delegation, kind, council, purview, n)
			SELECT ` + bothBuckets + `, v.dimension, v.value, v.delegation, v.kind, v.council, v.purview, ?3 * COUNT(*)
			FROM statement_values v JOIN meetings m ON m.id = v.meeting_id` + twoBuckets + `
			WHERE v.meeting_id BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
			ON CONFLICT DO UPDATE SET n = n + excluded.n`,
		// statement_blocs has no meeting index (ingest pays for every
		// index); a meeting's blocs are found from its statements.
		`INSERT INTO rollup_blocs (body, year, dated, bloc, kind, council, purview, n)
			SELECT ` + bothBuckets + `, b.bloc, b.kind, b.council, b.purview, ?3 * COUNT(*)
			FROM meetings m CROSS JOIN statements s ON s.meeting_id = m.id
			CROSS JOIN statement_blocs b ON b.statement_id = s.id` + twoBuckets + `
			WHERE m.id BETWEEN ?1 AND ?2 AND b.duplicate = 0 GROUP BY 1, 2, 3, 4, 5, 6, 7
			ON CONFLICT DO UPDATE SET n = n + excluded.n`,
	}
	for _, q := range steps {
		if _, err := tx.ExecContext(ctx, q, lo, hi, sign); err != nil {
			return fmt.Errorf("store: roll up meetings %d-%d: %w", lo, hi, err)
		}
	}
	if sign > 0 {
		return nil
	}
	for _, table := range []string{"rollup_purview", "rollup_values", "rollup_blocs"} {
		q := `DELETE FROM ` + table + ` WHERE n = 0 AND (body, year, dated) IN (SELECT ` + bucketCols +
			` FROM meetings m WHERE m.id BETWEEN ?1 AND ?2 UNION ALL SELECT ` + globalBucket + `)`
		if _, err := tx.ExecContext(ctx, q, lo, hi); err != nil {
			return fmt.Errorf("store: roll up meetings %d-%d: %w", lo, hi, err)
		}
	}
	return nil
}

// rebuildDerived recomputes every derived row from the base tables; Retag
// uses it after rewriting every statement's tags.
func rebuildDerived(ctx context.Context, tx *sql.Tx) error {
	for _, table := range []string{"statement_values", "meeting_purview", "rollup_meetings", "rollup_purview",
		"rollup_values", "rollup_blocs"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
			return fmt.Errorf("store: clear %s: %w", table, err)
		}
	}
	return addMeetingDerived(ctx, tx, allMeetings[0], allMeetings[1])
}

// bumpGeneration marks a write; callers run it in the write's transaction.
func bumpGeneration(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `UPDATE generation SET n = n + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("store: bump generation: %w", err)
	}
	return nil
}

// Generation returns the data generation: a number that changes with every
// committed write (document added or replaced, retag, analyst tag). A cached
// answer computed at one generation is valid until it changes. It reads one
// row and is cheap enough to call per request.
func (s *Store) Generation(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT n FROM generation WHERE id = 1`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: generation: %w", err)
	}
	return n, nil
}
