package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/stancetrack/stancetrack/browser"
	"github.com/stancetrack/stancetrack/codebook"
	"github.com/stancetrack/stancetrack/report"
	"github.com/stancetrack/stancetrack/store"
)

// renderTimeout bounds one CLI render; a pack renders every figure at
// once, and nobody else waits for the browser.
const renderTimeout = 2 * time.Minute

// filterFlags registers the dashboard's filters as flags.
func filterFlags(fs *flag.FlagSet, f *store.Filter) {
	fs.Var((*multiFlag)(&f.Meetings), "meeting", "meeting symbol, e.g. SC/12751 (repeatable)")
	fs.Var((*multiFlag)(&f.Delegations), "delegation", "delegation (repeatable)")
	fs.StringVar(&f.Body, "body", "", "body: SC, GA, ...")
	fs.StringVar(&f.From, "from", "", "from date YYYY-MM-DD")
	fs.StringVar(&f.To, "to", "", "to date YYYY-MM-DD")
	fs.StringVar(&f.Kind, "kind", "", "kind of speaker")
	fs.StringVar(&f.Council, "council", "", "members or non-members")
	fs.StringVar(&f.Group, "group", "", "bloc: P5, E10, EU, NAM, ...")
	fs.StringVar(&f.Purview, "purview", "", "affirms, conditional, contests, unstated or objections")
	fs.StringVar(&f.Frame, "frame", "", "frame id")
	fs.StringVar(&f.Instrument, "instrument", "", "instrument id")
	fs.StringVar(&f.Q, "q", "", "full-text query")
}

func checkFilter(f store.Filter) error {
	if err := f.Validate(); err != nil {
		return fmt.Errorf("invalid filter: %w", err)
	}
	return nil
}

// writeOutput writes to path (via a temporary file renamed into place, so
// a failed export leaves no half-written file) or, when path is empty, to
// stdout.
func (c *cli) writeOutput(path string, write func(io.Writer) error) error {
	if path == "" {
		bw := bufio.NewWriter(c.stdout)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriter(tmp)
	if err := write(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// CreateTemp makes the file private; an export is an ordinary file.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// codebookVersion cites the versions stored with the tags, else the
// embedded codebook's, as `serve` shows by default.
// openExport opens the database for an export and reads the codebook
// version its provenance cites (the one stored with the tags, else the
// embedded codebook's).
func (c *cli) openExport(ctx context.Context, dbFlagValue string) (*store.Store, string, error) {
	st, err := c.openExistingStore(ctx, dbFlagValue)
	if err != nil {
		return nil, "", err
	}
	v, err := report.CodebookVersion(ctx, st, codebook.Default().Version())
	if err != nil {
		st.Close()
		return nil, "", err
	}
	return st, v, nil
}

func exportDate() string { return time.Now().UTC().Format("2006-01-02") }

// formatOf is --format, else the extension of -o.
func formatOf(format, out string, allowed []string) (string, error) {
	if format == "" {
		format = strings.TrimPrefix(filepath.Ext(out), ".")
	}
	if !slices.Contains(allowed, format) {
		return "", fmt.Errorf("--format must be one of %s, got %q", strings.Join(allowed, ", "), format)
	}
	return format, nil
}

// exportChart: stancetrack export chart NAME --format png|svg|csv|json|html -o FILE.
func (c *cli) exportChart(ctx context.Context, args []string) error {
	fs := c.newFlags("export chart")
	db := dbFlag(fs)
	format := fs.String("format", "", strings.Join(report.ChartFormats, ", ")+" (default: from the extension of -o)")
	out := fs.String("o", "", "output file (default: standard output)")
	width := fs.Int("width", report.DefaultWidth, "figure width in pixels (png, svg)")
	height := fs.Int("height", report.DefaultHeight, "figure height in pixels (png, svg; html: the chart's height)")
	var f store.Filter
	filterFlags(fs, &f)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return exitError{2}
	}
	if len(pos) != 1 {
		fmt.Fprintf(c.stderr, "stancetrack export chart: name one chart: %s\n", strings.Join(report.Names, ", "))
		return exitError{2}
	}
	name := pos[0]
	if !slices.Contains(report.Names, name) {
		fmt.Fprintf(c.stderr, "stancetrack export chart: unknown chart %q (want: %s)\n", name, strings.Join(report.Names, ", "))
		return exitError{2}
	}
	fmtName, err := formatOf(*format, *out, report.ChartFormats)
	if err != nil {
		return fmt.Errorf("export chart: %w", err)
	}
	size := report.Size{Width: *width, Height: *height}
	if err := size.Check(); err != nil {
		return fmt.Errorf("export chart: %w", err)
	}
	if err := checkFilter(f); err != nil {
		return err
	}
	st, v, err := c.openExport(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := report.ChartData(ctx, st, name, f, v)
	if err != nil {
		return err
	}
	var write func(io.Writer) error
	switch fmtName {
	case "csv":
		write = func(w io.Writer) error { return report.WriteCSV(w, d) }
	case "json":
		write = func(w io.Writer) error { return report.WriteJSON(w, d) }
	case "html":
		write = func(w io.Writer) error { return report.WriteHTML(w, d, size, exportDate(), nil) }
	default: // png, svg
		r := browser.New(browser.Options{Timeout: renderTimeout})
		defer r.Close()
		b, err := report.RenderChart(ctx, r, d, fmtName, size, exportDate())
		if err != nil {
			return fmt.Errorf("export chart %s: %w", name, err)
		}
		write = func(w io.Writer) error { _, err := w.Write(b); return err }
	}
	if err := c.writeOutput(*out, write); err != nil {
		return fmt.Errorf("export chart %s: %w", name, err)
	}
	return nil
}

// exportNetwork: stancetrack export network --format graphml -o FILE.
func (c *cli) exportNetwork(ctx context.Context, args []string) error {
	fs := c.newFlags("export network")
	db := dbFlag(fs)
	format := fs.String("format", "graphml", "graphml")
	out := fs.String("o", "", "output file (default: standard output)")
	var f store.Filter
	filterFlags(fs, &f)
	if pos, err := parseInterleaved(fs, args); err != nil || len(pos) > 0 {
		return exitError{2}
	}
	if _, err := formatOf(*format, *out, []string{"graphml"}); err != nil {
		return fmt.Errorf("export network: %w", err)
	}
	if err := checkFilter(f); err != nil {
		return err
	}
	st, v, err := c.openExport(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := report.Source(ctx, st, f, v)
	if err != nil {
		return err
	}
	n, err := report.LoadNetwork(ctx, st, f)
	if err != nil {
		return err
	}
	return c.writeOutput(*out, func(w io.Writer) error { return report.WriteGraphML(w, n, p) })
}

// exportPack: stancetrack export pack -o FILE.zip.
func (c *cli) exportPack(ctx context.Context, args []string) error {
	fs := c.newFlags("export pack")
	db := dbFlag(fs)
	out := fs.String("o", "", "output zip file (required)")
	width := fs.Int("width", report.DefaultWidth, "figure width in pixels")
	height := fs.Int("height", report.DefaultHeight, "figure height in pixels")
	var f store.Filter
	filterFlags(fs, &f)
	if pos, err := parseInterleaved(fs, args); err != nil || len(pos) > 0 {
		return exitError{2}
	}
	if *out == "" {
		fmt.Fprintln(c.stderr, "stancetrack export pack: -o FILE.zip is required")
		return exitError{2}
	}
	size := report.Size{Width: *width, Height: *height}
	if err := size.Check(); err != nil {
		return fmt.Errorf("export pack: %w", err)
	}
	if err := checkFilter(f); err != nil {
		return err
	}
	st, v, err := c.openExport(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	// Check for Chromium before writing anything.
	if _, err := browser.Find(""); err != nil {
		return fmt.Errorf("export pack: %w", err)
	}
	r := browser.New(browser.Options{Timeout: renderTimeout})
	defer r.Close()
	var names []string
	err = c.writeOutput(*out, func(w io.Writer) error {
		var err error
		names, err = report.WritePack(ctx, w, st, f, r, report.PackOptions{Size: size, Date: exportDate(), CodebookVersion: v})
		return err
	})
	if err != nil {
		return fmt.Errorf("export pack: %w", err)
	}
	fmt.Fprintf(c.stderr, "wrote %s: %d files\n", *out, len(names))
	return nil
}

// exportStatementsXLSX writes `export statements --format xlsx`.
func (c *cli) exportStatementsXLSX(ctx context.Context, dbFlagValue string, f store.Filter, out string) error {
	st, v, err := c.openExport(ctx, dbFlagValue)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := report.Source(ctx, st, f, v)
	if err != nil {
		return err
	}
	return c.writeOutput(out, func(w io.Writer) error {
		_, err := report.WriteStatementsXLSX(ctx, w, st, f, p)
		return err
	})
}
