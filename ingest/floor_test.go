package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/pressrelease"
	"github.com/stancetrack/stancetrack/store"
)

// BenchmarkIngestFloor measures what any schema must pay to store the
// seed's statements with modernc.org/sqlite, to compare BenchmarkIngestNew
// with:
//
//   - prepare: parse, resolve and tag (no database);
//   - rows: the 79 statements and their tags into bare tables (no
//     secondary index, no derived table, no full-text index);
//   - fts5: the same statements into a bare table and an FTS5 index of
//     their text, speaker and delegation, as statements_fts is built.
//
// Each iteration is one transaction, committed, on a database that grows
// as the real one does.
func BenchmarkIngestFloor(b *testing.B) {
	raw, err := os.ReadFile(seed)
	if err != nil {
		b.Fatal(err)
	}
	p := newPipeline(b)
	parsed, err := pressrelease.Parse(strings.NewReader(string(raw)))
	if err != nil {
		b.Fatal(err)
	}
	doc, _ := p.Prepare(Parsed(*parsed))

	b.Run("prepare", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			d, err := pressrelease.Parse(strings.NewReader(string(raw)))
			if err != nil {
				b.Fatal(err)
			}
			p.Prepare(Parsed(*d))
		}
	})
	bare := func(b *testing.B, schema string, fts bool) {
		db, err := sql.Open("sqlite", store.DSN(filepath.Join(b.TempDir(), "floor.db")))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(schema); err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := floorInsert(ctx, db, i, doc, fts); err != nil {
				b.Fatal(err)
			}
		}
	}
	const tables = `CREATE TABLE statements (id INTEGER PRIMARY KEY, meeting INTEGER, seq INTEGER, speaker TEXT,
		delegation TEXT, text TEXT);
		CREATE TABLE tags (id INTEGER PRIMARY KEY, statement_id INTEGER, dimension TEXT, value TEXT, evidence TEXT,
		start_offset INTEGER, end_offset INTEGER, rule TEXT, source TEXT, codebook_version TEXT);`
	b.Run("rows", func(b *testing.B) { bare(b, tables, false) })
	b.Run("fts5", func(b *testing.B) {
		bare(b, tables+`CREATE VIRTUAL TABLE statements_fts USING fts5(text, speaker, delegation,
			content = 'statements', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');`, true)
	})
}

// floorInsert writes doc's statements as meeting n, with their tags, or
// with the full-text index of them instead.
func floorInsert(ctx context.Context, db *sql.DB, n int, doc store.Document, fts bool) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO statements (meeting, seq, speaker, delegation, text) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	tag, err := tx.PrepareContext(ctx, `INSERT INTO tags (statement_id, dimension, value, evidence, start_offset,
		end_offset, rule, source, codebook_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer tag.Close()
	for _, s := range doc.Statements {
		r, err := st.ExecContext(ctx, n, s.Seq, s.Speaker, s.Delegation, s.Text)
		if err != nil {
			return err
		}
		if fts {
			continue
		}
		id, _ := r.LastInsertId()
		for _, t := range s.Tags {
			if _, err := tag.ExecContext(ctx, id, t.Dimension, t.Value, t.Evidence, t.Start, t.End, t.Rule,
				t.Source, t.CodebookVersion); err != nil {
				return err
			}
		}
	}
	if fts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO statements_fts (rowid, text, speaker, delegation)
			SELECT id, text, speaker, delegation FROM statements WHERE meeting = ?`, n); err != nil {
			return fmt.Errorf("index: %w", err)
		}
	}
	return tx.Commit()
}
