package main

import (
	"context"
	"fmt"
	"io"

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
	filterFlags(fs, &f)
	if _, err := parseInterleaved(fs, args); err != nil {
		return exitError{2}
	}
	if err := checkFilter(f); err != nil {
		return err
	}
	f.IncludeDuplicates = true
	if *format == "xlsx" {
		return c.exportStatementsXLSX(ctx, *db, f, *out)
	}
	if *format != "jsonl" && *format != "csv" {
		return fmt.Errorf("export statements: --format must be jsonl, csv or xlsx, got %q", *format)
	}
	st, err := c.openExistingStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()

	return c.writeOutput(*out, func(w io.Writer) error {
		return writeStatements(ctx, st, f, *format, w)
	})
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
