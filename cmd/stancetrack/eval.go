package main

import (
	"context"
	"fmt"
	"os"

	"github.com/stancetrack/stancetrack/eval"
	"github.com/stancetrack/stancetrack/model"
)

func (c *cli) eval(ctx context.Context, args []string) error {
	fs := c.newFlags("eval")
	db := dbFlag(fs)
	goldPath := fs.String("gold", "", "gold file (JSONL, one line per statement)")
	if _, err := parseInterleaved(fs, args); err != nil {
		return exitError{2}
	}
	if *goldPath == "" {
		fmt.Fprintln(c.stderr, "stancetrack eval: --gold FILE is required")
		return exitError{2}
	}
	f, err := os.Open(*goldPath)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	defer f.Close()
	gold, err := eval.LoadGold(f)
	if err != nil {
		return fmt.Errorf("eval: %s: %w", *goldPath, err)
	}
	st, err := c.openExistingStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()

	meetings := map[string]bool{}
	for _, g := range gold {
		meetings[g.Meeting] = true
	}
	var got []model.Statement
	symbolOf := map[int64]string{}
	for m := range meetings {
		rows, err := st.MeetingStatements(ctx, m)
		if err != nil {
			return err
		}
		for _, r := range rows {
			symbolOf[r.ID] = r.Meeting.Symbol
			// Score the codebook alone: analyst corrections decide the
			// stored purview, and counting them would flatter the tagger.
			var cb []model.Tag
			for _, t := range r.Tags {
				if t.Source == model.SourceCodebook {
					cb = append(cb, t)
				}
			}
			st := r.Statement
			st.Purview, st.Frames, st.Instruments = model.Derive(cb)
			got = append(got, st)
		}
	}
	rep := eval.Compare(gold, got, func(s model.Statement) string { return symbolOf[s.ID] })
	return rep.Write(c.stdout)
}
