package report

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/stancetrack/stancetrack/store"
)

// PackOptions configure a figure pack.
type PackOptions struct {
	Size            Size
	Date            string // export date, YYYY-MM-DD: shown in figures and the README
	CodebookVersion string
}

// WritePack writes a zip with, for every chart, each figure as PNG and SVG
// and the rows as CSV and JSON; statements.xlsx; network.graphml; and a
// README.txt that lists the files and the sources. All figures render in
// one browser page, so a pack costs about one figure's render time plus
// the drawing. It returns the names written, in order.
func WritePack(ctx context.Context, w io.Writer, st *store.Store, f store.Filter, r Renderer, o PackOptions) ([]string, error) {
	type entry struct {
		name string
		data []byte
	}
	var entries []entry
	add := func(name string, write func(io.Writer) error) error {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			return fmt.Errorf("report: pack %s: %w", name, err)
		}
		entries = append(entries, entry{name, buf.Bytes()})
		return nil
	}
	var figs []Figure
	var src Provenance
	for _, name := range Names {
		d, err := ChartData(ctx, st, name, f, o.CodebookVersion)
		if err != nil {
			return nil, err
		}
		src = d.Source
		if err := add(name+".csv", func(w io.Writer) error { return WriteCSV(w, d) }); err != nil {
			return nil, err
		}
		if err := add(name+".json", func(w io.Writer) error { return WriteJSON(w, d) }); err != nil {
			return nil, err
		}
		figs = append(figs, d.Figures()...)
	}
	formats := []string{"png", "svg"}
	images, err := RenderFigures(ctx, r, figs, src, formats, o.Size, o.Date)
	if err != nil {
		return nil, err
	}
	for i, fig := range figs {
		for j, format := range formats {
			entries = append(entries, entry{fig.ID + "." + format, images[i*len(formats)+j]})
		}
	}
	all := f
	all.IncludeDuplicates = true // as the statements export
	var counts XLSXCounts
	if err := add("statements.xlsx", func(w io.Writer) error {
		var err error
		counts, err = WriteStatementsXLSX(ctx, w, st, all, src)
		return err
	}); err != nil {
		return nil, err
	}
	if err := add("network.graphml", func(w io.Writer) error {
		n, err := LoadNetwork(ctx, st, f)
		if err != nil {
			return err
		}
		return WriteGraphML(w, n, src)
	}); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(entries)+1)
	for _, e := range entries {
		names = append(names, e.name)
	}
	readme := packREADME(src, o, names, figs, counts)
	entries = append([]entry{{"README.txt", []byte(readme)}}, entries...)
	zw := zip.NewWriter(w)
	for _, e := range entries {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: src.Updated.UTC()})
		if err != nil {
			return nil, fmt.Errorf("report: pack: %w", err)
		}
		if _, err := fw.Write(e.data); err != nil {
			return nil, fmt.Errorf("report: pack: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("report: pack: %w", err)
	}
	return append([]string{"README.txt"}, names...), nil
}

func packREADME(p Provenance, o PackOptions, names []string, figs []Figure, n XLSXCounts) string {
	var b strings.Builder
	size := o.Size.orDefault()
	fmt.Fprintf(&b, "stancetrack figure pack, exported %s\n\n", o.Date)
	fmt.Fprintf(&b, "Sources: %d UN meetings (statements as parsed from the meetings coverage press releases\n", len(p.Meetings))
	b.WriteString("and verbatim records stored in the database):\n")
	for _, m := range p.Meetings {
		fmt.Fprintf(&b, "  %s\n", m)
	}
	fmt.Fprintf(&b, "\nCodebook: %s\nFilters: %s\nStatements: %d (with flagged duplicates), tags: %d\n\n",
		p.Codebook(), p.FilterText(), n.Statements, n.Tags)
	fmt.Fprintf(&b, "Figures (%d×%d pixels, PNG and SVG; each shows its title, sources, codebook, filters and the export date):\n", size.Width, size.Height)
	for _, f := range figs {
		fmt.Fprintf(&b, "  %-22s %s\n", f.ID, f.Title)
	}
	b.WriteString(`
Data:
  NAME.csv          the rows behind each chart; the first lines start with "# " and give the
                    source (pandas.read_csv(f, comment="#"), R read.csv(f, comment.char="#"))
  NAME.json         {"source": {...}, "rows": [...]}, the same rows
  statements.xlsx   sheets "statements" (export contract columns), "tags" (evidence per tag), "source"
  network.graphml   delegation-instrument ("cites") and delegation-frame ("frames") edges in one
                    graph, weighted by statements; opens in Gephi, yEd, networkx
Data files carry no export date: the same database and filters give the same bytes.
Every number traces to sentences: see the "tags" sheet for the evidence of each tag.

Files:
`)
	for _, n := range append([]string{"README.txt"}, names...) {
		b.WriteString("  " + n + "\n")
	}
	return b.String()
}
