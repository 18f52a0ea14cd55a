package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"

	"github.com/stancetrack/stancetrack/export"
	"github.com/stancetrack/stancetrack/store"
)

// CommentLines are the provenance lines at the top of a chart's CSV,
// without their "# " prefix. They hold no date, so the file depends only
// on the database and the filters.
func CommentLines(d Data) []string {
	return []string{
		"stancetrack chart " + d.Name + ": " + oneLine(d.Title),
		"Source: UN meetings " + d.Source.MeetingsText(0),
		d.Source.Codebook(),
		"Filters: " + d.Source.FilterText(),
		fmt.Sprintf("Rows: %d", d.Len()),
	}
}

// WriteCSV writes the chart's rows as CSV. The file starts with
// provenance lines beginning with "# " (read them with
// pandas.read_csv(f, comment="#"), R's read.csv(f, comment.char="#") or
// Go's csv.Reader with Comment = '#'); the header row follows. Cells are
// neutralised against spreadsheet formula injection.
func WriteCSV(w io.Writer, d Data) error {
	bw := bufio.NewWriter(w)
	for _, l := range CommentLines(d) {
		if _, err := bw.WriteString("# " + l + "\n"); err != nil {
			return fmt.Errorf("report: csv: %w", err)
		}
	}
	cw := csv.NewWriter(bw)
	for _, row := range d.Table {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = export.SafeCell(c)
		}
		if err := cw.Write(cells); err != nil {
			return fmt.Errorf("report: csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("report: csv: %w", err)
	}
	return bw.Flush()
}

// SourceJSON is the "source" object of a chart's JSON export.
type SourceJSON struct {
	Chart           string              `json:"chart"`
	Title           string              `json:"title"`
	Meetings        []Meeting           `json:"meetings"`
	CodebookVersion string              `json:"codebook_version"`
	Filters         map[string][]string `json:"filters"`
	Rows            int                 `json:"rows"`
}

// FilterMap is the filter as a JSON object of query-string keys.
func FilterMap(f store.Filter) map[string][]string {
	m := map[string][]string{}
	for _, kv := range FilterPairs(f) {
		m[kv[0]] = append(m[kv[0]], kv[1])
	}
	return m
}

// WriteJSON writes {"source": {...}, "rows": [...]}: the rows exactly as
// the chart's .json twin returns them, with their provenance.
func WriteJSON(w io.Writer, d Data) error {
	doc := struct {
		Source SourceJSON `json:"source"`
		Rows   any        `json:"rows"`
	}{SourceJSON{Chart: d.Name, Title: d.Title, Meetings: d.Source.Meetings, CodebookVersion: d.Source.CodebookVersion,
		Filters: FilterMap(d.Source.Filter), Rows: d.Len()}, d.Rows}
	if doc.Source.Meetings == nil {
		doc.Source.Meetings = []Meeting{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("report: json: %w", err)
	}
	return nil
}
