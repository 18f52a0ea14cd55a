package report

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/stancetrack/stancetrack/export"
	"github.com/stancetrack/stancetrack/store"
)

// XLSXSheets are the sheets of a statements workbook, in order.
var XLSXSheets = []string{"statements", "tags", "source"}

// TagColumns is the header of the "tags" sheet.
var TagColumns = []string{"meeting", "seq", "delegation", "dimension", "value", "evidence", "start", "end", "rule", "source"}

// XLSXCounts is what a workbook holds.
type XLSXCounts struct {
	Statements, Tags int
	Meetings         []Meeting
}

// ErrTooManyRows is a workbook that would pass Excel's row limit.
var ErrTooManyRows = fmt.Errorf("more than %d rows do not fit in an XLSX sheet: narrow the filters or export CSV", excelize.TotalRows)

// numericColumns are the contract columns written as numbers, not text.
var numericColumns = map[int]bool{
	slices.Index(export.Columns, "meeting_number"): true,
	slices.Index(export.Columns, "year"):           true,
	slices.Index(export.Columns, "seq"):            true,
	slices.Index(export.Columns, "duplicate_of"):   true,
}

// WriteStatementsXLSX writes the statements f selects as a workbook with
// three sheets: "statements" (the export contract's columns, lists joined
// with "; ", tags as JSON, exactly as the CSV export), "tags" (one row per
// tag, offsets in characters) and "source" (meetings with dates, codebook
// version, filters, row counts).
//
// Text cells are written as strings, never formulas, so they keep the
// exact text (evidence stays a substring of the statement). The document properties'
// times are p.Updated and the zip entries are in a fixed order with that
// time, so the same database and filters give the same bytes.
func WriteStatementsXLSX(ctx context.Context, w io.Writer, st *store.Store, f store.Filter, p Provenance) (XLSXCounts, error) {
	var n XLSXCounts
	x := excelize.NewFile()
	defer x.Close()
	fail := func(err error) (XLSXCounts, error) { return n, fmt.Errorf("report: xlsx: %w", err) }
	if err := x.SetSheetName("Sheet1", XLSXSheets[0]); err != nil {
		return fail(err)
	}
	for _, s := range XLSXSheets[1:] {
		if _, err := x.NewSheet(s); err != nil {
			return fail(err)
		}
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fail(err)
	}
	header := func(cols []string) []any {
		out := make([]any, len(cols))
		for i, c := range cols {
			out[i] = excelize.Cell{StyleID: bold, Value: c}
		}
		return out
	}
	sw, err := x.NewStreamWriter("statements")
	if err != nil {
		return fail(err)
	}
	tw, err := x.NewStreamWriter("tags")
	if err != nil {
		return fail(err)
	}
	for _, s := range []*excelize.StreamWriter{sw, tw} {
		if err := s.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return fail(err)
		}
	}
	if err := sw.SetRow("A1", header(export.Columns)); err != nil {
		return fail(err)
	}
	if err := tw.SetRow("A1", header(TagColumns)); err != nil {
		return fail(err)
	}
	seen := map[string]bool{}
	err = st.EachStatement(ctx, f, func(r store.StatementRow) error {
		if n.Statements+2 > excelize.TotalRows || n.Tags+len(r.Tags)+1 > excelize.TotalRows {
			return ErrTooManyRows
		}
		if !seen[r.Meeting.Symbol] {
			seen[r.Meeting.Symbol] = true
			n.Meetings = append(n.Meetings, Meeting{Symbol: r.Meeting.Symbol, Date: r.Meeting.Date, Year: r.Meeting.Year})
		}
		rec := export.NewRecord(r.Meeting, r.Statement)
		row := export.Cells(rec)
		cells := make([]any, len(row))
		for i, c := range row {
			cells[i] = c
			if numericColumns[i] && c != "" {
				if v, err := strconv.Atoi(c); err == nil {
					cells[i] = v
				}
			}
		}
		n.Statements++
		cell, _ := excelize.CoordinatesToCellName(1, n.Statements+1)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
		deleg := ""
		if rec.Delegation != nil {
			deleg = *rec.Delegation
		}
		for _, t := range rec.Tags {
			n.Tags++
			cell, _ := excelize.CoordinatesToCellName(1, n.Tags+1)
			vals := []any{rec.Meeting, rec.Seq, deleg, t.Dimension, t.Value, t.Evidence, t.Start, t.End, t.Rule, t.Source}
			if err := tw.SetRow(cell, vals); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, ErrTooManyRows) {
		return n, err
	}
	if err != nil {
		return fail(err)
	}
	if err := sw.Flush(); err != nil {
		return fail(err)
	}
	if err := tw.Flush(); err != nil {
		return fail(err)
	}
	if err := writeSourceSheet(x, "source", bold, n, p); err != nil {
		return fail(err)
	}
	when := p.Updated
	if when.IsZero() {
		when = epoch
	}
	stamp := when.UTC().Format(time.RFC3339)
	if err := x.SetDocProps(&excelize.DocProperties{Created: stamp, Modified: stamp, Creator: "stancetrack",
		LastModifiedBy: "stancetrack", Title: "stancetrack statements", Description: "Source: UN meetings " + sourceOf(n.Meetings, p).MeetingsText(6)}); err != nil {
		return fail(err)
	}
	x.SetActiveSheet(0)
	buf, err := x.WriteToBuffer()
	if err != nil {
		return fail(err)
	}
	if err := normalizeZip(w, buf.Bytes(), when); err != nil {
		return fail(err)
	}
	return n, nil
}

func sourceOf(ms []Meeting, p Provenance) Provenance {
	p.Meetings = ms
	return p
}

func writeSourceSheet(x *excelize.File, sheet string, bold int, n XLSXCounts, p Provenance) error {
	rows := [][]any{
		{"stancetrack export of statements"},
		{"codebook version", p.CodebookVersion},
		{"filters", p.FilterText()},
		{"statements", n.Statements},
		{"tags", n.Tags},
		{"meetings", len(n.Meetings)},
		{},
		{"meeting", "date", "year"},
	}
	for _, m := range n.Meetings {
		year := any(nil)
		if m.Year > 0 {
			year = m.Year
		}
		rows = append(rows, []any{export.SafeCell(m.Symbol), m.Date, year})
	}
	for i, r := range rows {
		for j, v := range r {
			if s, ok := v.(string); ok && j > 0 {
				v = export.SafeCell(s)
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := x.SetCellValue(sheet, cell, v); err != nil {
				return err
			}
		}
	}
	for _, c := range []string{"A1", "A8", "B8", "C8"} {
		if err := x.SetCellStyle(sheet, c, c, bold); err != nil {
			return err
		}
	}
	return x.SetColWidth(sheet, "A", "A", 22)
}

// normalizeZip rewrites a zip with its entries in a fixed order
// ([Content_Types].xml first, as Office writes it, then by name) and one
// modification time. excelize writes stream-written sheets in map order.
func normalizeZip(w io.Writer, data []byte, when time.Time) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	files := slices.Clone(zr.File)
	slices.SortFunc(files, func(a, b *zip.File) int {
		ka, kb := a.Name != "[Content_Types].xml", b.Name != "[Content_Types].xml"
		if ka != kb {
			if !ka {
				return -1
			}
			return 1
		}
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	zw := zip.NewWriter(w)
	for _, f := range files {
		fh := f.FileHeader
		fh.Modified = when.UTC()
		fh.Extra = nil
		raw, err := f.OpenRaw()
		if err != nil {
			return err
		}
		dst, err := zw.CreateRaw(&fh)
		if err != nil {
			return err
		}
		if _, err := io.Copy(dst, raw); err != nil {
			return err
		}
	}
	return zw.Close()
}
