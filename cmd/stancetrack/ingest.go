package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/stancetrack/stancetrack/ingest"
	"github.com/stancetrack/stancetrack/pressrelease"
	"github.com/stancetrack/stancetrack/registry"
)

func (c *cli) ingest(ctx context.Context, args []string) error {
	fs := c.newFlags("ingest")
	db := dbFlag(fs)
	cbPath := fs.String("codebook", "", "codebook file (default: the embedded codebook)")
	symbol := fs.String("symbol", "", "symbol of a release whose text prints none, e.g. SC/15432 (one file only)")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return exitError{2}
	}
	if len(paths) == 0 {
		fmt.Fprintln(c.stderr, "stancetrack ingest: name at least one file or folder")
		return exitError{2}
	}
	if *symbol != "" && !pressrelease.ValidSymbol(*symbol) {
		fmt.Fprintf(c.stderr, "stancetrack ingest: --symbol %q is not a press-release symbol such as SC/15432\n", *symbol)
		return exitError{2}
	}
	cb, err := loadCodebook(*cbPath)
	if err != nil {
		return err
	}
	files, err := ingest.Collect(paths)
	if err != nil {
		return err
	}
	if *symbol != "" && len(files) != 1 {
		fmt.Fprintf(c.stderr, "stancetrack ingest: --symbol names one document, and %d were given\n", len(files))
		return exitError{2}
	}
	st, err := c.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	p := &ingest.Pipeline{Store: st, Registry: registry.Default(), Codebook: cb, Symbol: *symbol}

	return c.ingestEach(ctx, "ingest", "files", files, func(f string) ingest.Result { return p.File(ctx, f) })
}

// ingestEach ingests the documents one by one (each its own transaction),
// printing a line for each and drawing the progress bar, and exits 1 if
// any was refused; the others are still stored.
func (c *cli) ingestEach(ctx context.Context, command, noun string, docs []string, one func(string) ingest.Result) error {
	bar := newProgress(c.stderr, len(docs))
	refused := 0
	for i, d := range docs {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		bar.step(i, filepath.Base(d))
		res := one(d)
		bar.clear()
		fmt.Fprintln(c.stdout, res.Line())
		if res.Err != nil {
			refused++
		}
	}
	bar.done()
	if refused > 0 {
		fmt.Fprintf(c.stderr, "stancetrack %s: %d of %d %s refused\n", command, refused, len(docs), noun)
		return exitError{1}
	}
	return nil
}

// progress draws a one-line bar on stderr when it is a terminal and there
// are enough files for it to help; otherwise it draws nothing.
type progress struct {
	w     io.Writer
	total int
	on    bool
}

func newProgress(w io.Writer, total int) *progress {
	on := false
	if f, ok := w.(*os.File); ok && total >= 10 {
		if info, err := f.Stat(); err == nil && info.Mode()&os.ModeCharDevice != 0 {
			on = true
		}
	}
	return &progress{w: w, total: total, on: on}
}

func (p *progress) step(i int, name string) {
	if !p.on {
		return
	}
	const width = 30
	filled := width * i / p.total
	if len(name) > 40 {
		name = name[:37] + "..."
	}
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d %s\x1b[K", strings.Repeat("=", filled), strings.Repeat(" ", width-filled), i, p.total, name)
}

func (p *progress) clear() {
	if p.on {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

func (p *progress) done() { p.clear() }
