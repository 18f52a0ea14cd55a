package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/stancetrack/stancetrack/export"
	"github.com/stancetrack/stancetrack/store"
)

func (c *cli) export(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(c.stderr, "stancetrack export: say what to export: statements, chart, network or pack")
		return exitError{2}
	}
	switch args[0] {
	case "statements":
		return c.exportStatements(ctx, args[1:])
	case "chart":
		return c.exportChart(ctx, args[1:])
	case "network":
		return c.exportNetwork(ctx, args[1:])
	case "pack":
		return c.exportPack(ctx, args[1:])
	default:
		fmt.Fprintf(c.stderr, "stancetrack export: unknown export %q (want: statements, chart, network, pack)\n", args[0])
		return exitError{2}
	}
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return fmt.Sprint([]string(*m)) }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func (c *cli) exportStatements(ctx context.Context, args []string) error {
	fs := c.newFlags("export statements")
	db := dbFlag(fs)
	format := fs.String("format", "jsonl", "jsonl or csv")
	out := fs.String("o", "", "output file (default: standard output)")
	var f store.Filter
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
	if _, err := parseInterleaved(fs, args); err != nil {
		return exitError{2}
	}
	if err := f.Validate(); err != nil {
		return err
	}
	f.IncludeDuplicates = true
	if *format == "xlsx" {
		return c.exportStatementsXLSX(ctx, *db, f, *out)
	}
	if *format != "jsonl" && *format != "csv" {
		return fmt.Errorf("export statements: --format must be jsonl, csv or xlsx, got %q", *format)
	}
	st, err := c.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()

	var w io.Writer = c.stdout
	var file *os.File
	if *out != "" {
		file, err = os.Create(*out)
		if err != nil {
			return fmt.Errorf("export statements: %w", err)
		}
		defer file.Close()
		w = file
	}
	bw := bufio.NewWriter(w)
	if err := writeStatements(ctx, st, f, *format, bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export statements: %w", err)
	}
	if file != nil {
		return file.Close()
	}
	return nil
}

func writeStatements(ctx context.Context, st *store.Store, f store.Filter, format string, w io.Writer) error {
	switch format {
	case "csv":
		cw := export.NewCSV(w)
		if err := st.EachStatement(ctx, f, func(r store.StatementRow) error {
			return cw.Write(export.NewRecord(r.Meeting, r.Statement))
		}); err != nil {
			return err
		}
		return cw.Flush()
	default:
		jw := export.NewJSONL(w)
		return st.EachStatement(ctx, f, func(r store.StatementRow) error {
			return jw.Write(export.NewRecord(r.Meeting, r.Statement))
		})
	}
}
