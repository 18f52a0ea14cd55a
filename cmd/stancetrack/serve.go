package main

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"time"

	"github.com/stancetrack/stancetrack/ingest"
	"github.com/stancetrack/stancetrack/registry"
	"github.com/stancetrack/stancetrack/sample"
	"github.com/stancetrack/stancetrack/server"
	"github.com/stancetrack/stancetrack/store"
	"github.com/stancetrack/stancetrack/verbatim"
)

func (c *cli) serve(ctx context.Context, args []string) error {
	fs := c.newFlags("serve")
	db := dbFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	cbPath := fs.String("codebook", "", "codebook file (default: the embedded codebook)")
	withSample := fs.Bool("sample", false, "ingest the bundled sample documents if the database is empty")
	readOnly := fs.Bool("read-only", false, "refuse every write through the API (403), whatever the token")
	if _, err := parseInterleaved(fs, args); err != nil {
		return exitError{2}
	}
	cb, err := loadCodebook(*cbPath)
	if err != nil {
		return err
	}
	if *readOnly && *withSample {
		fmt.Fprintln(c.stderr, "stancetrack serve: --sample writes to the database; it cannot go with --read-only")
		return exitError{2}
	}
	var st *store.Store
	if *readOnly {
		// Read-only opens the file read-only: no WAL switch, no migration,
		// no token use recorded, so an immutable file or volume serves.
		st, err = store.OpenReadOnly(ctx, c.dbPath(*db))
	} else {
		st, err = c.openStore(ctx, *db)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	log := slog.New(slog.NewTextHandler(c.stderr, nil))
	reg := registry.Default()

	p := &ingest.Pipeline{Store: st, Registry: reg, Codebook: cb}
	if *withSample {
		if err := ingestSample(ctx, st, p, log); err != nil {
			return err
		}
	}

	srv := server.New(server.Config{Store: st, CodebookVersion: cb.Version(), Logger: log, Ingest: p,
		ReadOnly: *readOnly})
	errc := make(chan error, 1)
	go func() { errc <- srv.Listen(*addr) }()
	log.Info("serving", "addr", "http://"+*addr, "db", c.dbPath(*db), "codebook", cb.Version())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	return nil
}

// ingestSample ingests the bundled documents when the database holds no
// meeting yet; an existing database is never touched.
func ingestSample(ctx context.Context, st *store.Store, p *ingest.Pipeline, log *slog.Logger) error {
	n, err := st.CountMeetings(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	names, err := fs.Glob(sample.Docs, "docs/*.txt")
	if err != nil {
		return fmt.Errorf("sample: %w", err)
	}
	for _, name := range names {
		raw, err := sample.Docs.ReadFile(name)
		if err != nil {
			return fmt.Errorf("sample: %w", err)
		}
		res := p.Bytes(ctx, path.Base(name), raw)
		if res.Err != nil {
			return fmt.Errorf("sample %s: %w", name, res.Err)
		}
		log.Info("ingested sample", "symbol", res.Symbol, "statements", res.Statements)
	}
	f, err := sample.Debates.Open(sample.DebatesMeta)
	if err != nil {
		return fmt.Errorf("sample: %w", err)
	}
	meta, err := verbatim.LoadMeta(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("sample: %w", err)
	}
	dirs, err := verbatim.FindMeetings(sample.Debates, "unsc-debates")
	if err != nil {
		return fmt.Errorf("sample: %w", err)
	}
	for _, d := range dirs {
		res := p.Verbatim(ctx, sample.Debates, d, meta)
		if res.Err != nil {
			return fmt.Errorf("sample %s: %w", d, res.Err)
		}
		log.Info("ingested sample", "symbol", res.Symbol, "statements", res.Statements)
	}
	return nil
}

// healthcheck asks a running server's /healthz; the container image has no
// curl, so the binary checks itself.
func (c *cli) healthcheck(ctx context.Context, args []string) error {
	fs := c.newFlags("healthcheck")
	addr := fs.String("addr", "127.0.0.1:8080", "address of the server")
	if _, err := parseInterleaved(fs, args); err != nil {
		return exitError{2}
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+*addr+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: /healthz answered %s", resp.Status)
	}
	fmt.Fprintln(c.stdout, "ok")
	return nil
}
