package main

import (
	"context"
	"fmt"
	"os"

	"github.com/stancetrack/stancetrack/ingest"
	"github.com/stancetrack/stancetrack/registry"
	"github.com/stancetrack/stancetrack/verbatim"
)

func (c *cli) importCmd(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "unsc-debates" {
		fmt.Fprintln(c.stderr, "usage: stancetrack import unsc-debates DIR [--meta FILE] [--db FILE] [--codebook FILE]")
		return exitError{2}
	}
	fs := c.newFlags("import unsc-debates")
	db := dbFlag(fs)
	cbPath := fs.String("codebook", "", "codebook file (default: the embedded codebook)")
	metaPath := fs.String("meta", "", "the corpus's speaker metadata table (TSV)")
	dirs, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return exitError{2}
	}
	if len(dirs) != 1 {
		fmt.Fprintln(c.stderr, "stancetrack import unsc-debates: name one folder (a meeting folder or the corpus root)")
		return exitError{2}
	}
	var meta *verbatim.Meta
	if *metaPath != "" {
		f, err := os.Open(*metaPath)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		meta, err = verbatim.LoadMeta(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("import: %s: %w", *metaPath, err)
		}
	}
	cb, err := loadCodebook(*cbPath)
	if err != nil {
		return err
	}
	root := os.DirFS(dirs[0])
	meetings, err := verbatim.FindMeetings(root, ".")
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if len(meetings) == 0 {
		return fmt.Errorf("import: no UNSC_<year>_SPV.<meeting>_spch<nnn>.txt files under %s", dirs[0])
	}
	st, err := c.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	p := &ingest.Pipeline{Store: st, Registry: registry.Default(), Codebook: cb}
	return c.ingestEach(ctx, "import", "meetings", meetings, func(m string) ingest.Result {
		return p.Verbatim(ctx, root, m, meta)
	})
}
