package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/stancetrack/stancetrack/codebook"
	"github.com/stancetrack/stancetrack/model"
)

func (c *cli) retag(ctx context.Context, args []string) error {
	fs := c.newFlags("retag")
	db := dbFlag(fs)
	cbPath := fs.String("codebook", "", "codebook file (default: the embedded codebook)")
	if _, err := parseInterleaved(fs, args); err != nil {
		return exitError{2}
	}
	cb, err := loadCodebook(*cbPath)
	if err != nil {
		return err
	}
	st, err := c.openExistingStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	version := cb.Version()
	rep, err := st.Retag(ctx, func(s model.Statement) ([]model.Tag, bool) {
		tags, needsReview := cb.Code(s)
		for i := range tags {
			tags[i].CodebookVersion = version
		}
		return tags, needsReview
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "retagged %d statements with codebook %s (analyst tags kept)\n", rep.Statements, version)
	fmt.Fprintf(c.stdout, "%-40s %8s %8s %8s\n", "tag", "before", "after", "change")
	for _, k := range rep.Keys() {
		b, a := rep.Before[k], rep.After[k]
		fmt.Fprintf(c.stdout, "%-40s %8d %8d %+8d\n", k, b, a, a-b)
	}
	if len(rep.Changed) == 0 {
		fmt.Fprintln(c.stdout, "no statement changed purview")
		return nil
	}
	fmt.Fprintf(c.stdout, "%d statements changed purview:\n", len(rep.Changed))
	for _, ch := range rep.Changed {
		fmt.Fprintf(c.stdout, "  %s seq %d %s: %s -> %s\n", ch.Meeting, ch.Seq, ch.Delegation, ch.From, ch.To)
	}
	return nil
}

func (c *cli) codebook(ctx context.Context, args []string) error {
	if len(args) != 2 || args[0] != "check" {
		fmt.Fprintln(c.stderr, "usage: stancetrack codebook check FILE")
		return exitError{2}
	}
	f, err := os.Open(args[1])
	if err != nil {
		return fmt.Errorf("codebook check: %w", err)
	}
	defer f.Close()
	errs := codebook.Check(f)
	if len(errs) == 0 {
		fmt.Fprintf(c.stdout, "%s: ok\n", args[1])
		return nil
	}
	for _, e := range errs {
		// Name the file the analyst passed, so editors can jump to the line.
		var ce *codebook.Error
		if errors.As(e, &ce) {
			ce.File = args[1]
		}
		fmt.Fprintln(c.stdout, e)
	}
	fmt.Fprintf(c.stderr, "%s: %d problems\n", args[1], len(errs))
	return exitError{1}
}
