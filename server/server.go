// Package server serves the dashboard: HTML pages with echarts views, and
// for every view a .json and .csv twin with exactly the rows it draws. All
// views take the same filters from the query string, so any state is a
// permalink.
//
// Text from documents is untrusted: pages are html/template, chart options
// travel as JSON data blocks read by static/js/app.js (no inline script, so
// the Content-Security-Policy allows scripts from 'self' only), and data
// never becomes an event handler.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/etag"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/stancetrack/stancetrack/ingest"
	"github.com/stancetrack/stancetrack/static"
	"github.com/stancetrack/stancetrack/store"
)

// Config holds the server's dependencies.
type Config struct {
	Store           *store.Store
	CodebookVersion string // shown in chart subtitles and on /audit
	Logger          *slog.Logger
	// RequestTimeout bounds each request's database work; 0 means 30 s.
	RequestTimeout time.Duration
	// MaxConcurrent bounds the GET requests doing work at once (the others
	// wait for a slot); 0 means 2 per CPU, at least 4.
	MaxConcurrent int
	// UploadTimeout bounds storing one document posted to /api/documents
	// (a legal 8 MiB document takes tens of seconds); 0 means 5 minutes.
	UploadTimeout time.Duration
	// SearchTimeout bounds the database work of a request with a full-text
	// query, which then stops SQLite; 0 means 10 s. Searches run in their
	// own slots (one per CPU), so charts answer whatever searches do.
	SearchTimeout time.Duration
	// CacheEntries and CacheBytes bound the response cache; 0 means 512
	// entries and 64 MiB. DisableCache turns it off (every request
	// computes, as with a Cache-Control: no-cache request header).
	CacheEntries int
	CacheBytes   int64
	DisableCache bool
	// Ingest stores documents posted to /api/documents; nil refuses them.
	Ingest *ingest.Pipeline
	// ReadOnly refuses every write through the API with 403, whoever asks:
	// a public mirror of a team's database.
	ReadOnly bool
}

// Server is the dashboard's HTTP server.
type Server struct {
	app      *fiber.App
	store    *store.Store
	log      *slog.Logger
	codebook string
	timeout  time.Duration
	pages    *pages
	cache    *responseCache // nil when disabled
	slots    chan struct{}  // one per request doing work (serveCached)
	ingest   *ingest.Pipeline
	readOnly bool

	// Searches take searchSlots instead of slots, waiting searchWait at
	// most; uploads take the one upload slot. API writes queue for the
	// one write slot (retrying while another process writes, api.go).
	searchSlots   chan struct{}
	searchWait    time.Duration
	searchTimeout time.Duration
	uploads       chan struct{}
	uploadTimeout time.Duration
	writes        chan struct{}
	exporter      *exporter
}

// csp allows scripts from this origin only. Styles allow 'unsafe-inline'
// because echarts positions its tooltips with style attributes.
const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'self'; form-action 'self'"

// New builds the server and its routes.
func New(cfg Config) *Server {
	s := &Server{store: cfg.Store, log: cfg.Logger, codebook: cfg.CodebookVersion, timeout: cfg.RequestTimeout,
		ingest: cfg.Ingest, readOnly: cfg.ReadOnly}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.timeout <= 0 {
		s.timeout = 30 * time.Second
	}
	s.pages = mustParsePages()
	if !cfg.DisableCache {
		entries, bytes := cfg.CacheEntries, cfg.CacheBytes
		if entries <= 0 {
			entries = 512
		}
		if bytes <= 0 {
			bytes = 64 << 20
		}
		s.cache = newResponseCache(entries, bytes)
	}
	slots := cfg.MaxConcurrent
	if slots <= 0 {
		slots = max(4, 2*runtime.GOMAXPROCS(0))
	}
	s.slots = make(chan struct{}, slots)
	s.searchSlots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	s.searchWait = 2 * time.Second
	s.searchTimeout = cfg.SearchTimeout
	if s.searchTimeout <= 0 {
		s.searchTimeout = 10 * time.Second
	}
	s.uploads = make(chan struct{}, 1)
	s.writes = make(chan struct{}, 1)
	s.uploadTimeout = cfg.UploadTimeout
	if s.uploadTimeout <= 0 {
		s.uploadTimeout = 5 * time.Minute
	}
	if cfg.Store != nil {
		// Each pooled SQLite connection keeps its own page cache and temp
		// b-trees; with a slot per working request, more connections than
		// slots (plus a few for writes and /healthz) only cost memory.
		cfg.Store.DB().SetMaxOpenConns(slots + cap(s.searchSlots) + 4)
		cfg.Store.DB().SetMaxIdleConns(slots + cap(s.searchSlots) + 4)
	}
	s.app = fiber.New(fiber.Config{
		// Fiber reuses request buffers after a handler returns; values we
		// keep (filters, params) must be copies.
		Immutable:             true,
		ErrorHandler:          s.handleError,
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		ReadBufferSize:        16 * 1024, // long permalinks with many filters
		// POST /api/documents takes documents up to ingest.MaxFileSize
		// (plus multipart framing); the handler answers 413 above it.
		BodyLimit: ingest.MaxFileSize + 1<<20,
	})
	// logRequests comes first so that it sees the error recover makes of a panic.
	s.app.Use(s.logRequests, recover.New(),
		helmet.New(helmet.Config{ContentSecurityPolicy: csp, ReferrerPolicy: "same-origin"}),
		compress.New(), etag.New())
	s.app.Use("/static", filesystem.New(filesystem.Config{Root: static.HTTP(), MaxAge: 3600}))
	s.app.Use(s.serveCached)
	s.routes()
	return s
}

// App returns the Fiber app, for app.Test.
func (s *Server) App() *fiber.App { return s.app }

// Listen serves on addr until Shutdown.
func (s *Server) Listen(addr string) error { return s.app.Listen(addr) }

// Shutdown stops accepting connections and waits for open requests until
// ctx is done.
func (s *Server) Shutdown(ctx context.Context) error {
	return s.app.ShutdownWithContext(ctx)
}

// ctx returns the request's context with its time budget: the server's
// timeout, an upload's own, or a search's. Fiber never cancels UserContext
// itself, so a slow query is bounded here; modernc's driver interrupts
// SQLite when the context ends.
func (s *Server) ctx(c *fiber.Ctx) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.UserContext(), s.budget(c))
}

// Request kinds with their own budgets, kept in c.Locals(kindKey).
const (
	kindKey    = "request_kind"
	kindUpload = "upload"
	kindSearch = "search"
)

func (s *Server) budget(c *fiber.Ctx) time.Duration {
	switch c.Locals(kindKey) {
	case kindUpload:
		return s.uploadTimeout
	case kindSearch:
		return min(s.timeout, s.searchTimeout)
	}
	return s.timeout
}

// retryAfter is what a 503 tells the client to wait, in seconds.
const retryAfter = "5"

// logRequests logs one line per request after the error handler has set
// the final status.
func (s *Server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := s.handleError(c, err); herr != nil {
			c.Status(fiber.StatusInternalServerError)
		}
	}
	s.log.Info("request", "method", c.Method(), "path", c.Path(), "status", c.Response().StatusCode(),
		"duration_ms", float64(time.Since(start).Microseconds())/1000, "bytes", len(c.Response().Body()))
	return nil
}

// handleError is the only place that picks an error's status and logs it.
// Messages of *fiber.Error are written for the user (they say what was
// wrong with the request); anything else is logged and answered with a
// generic text, so no internal detail leaks.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	code := fiber.StatusInternalServerError
	msg := "internal error: the server could not answer this request; the error was logged"
	var fe *fiber.Error
	switch {
	case errors.As(err, &fe):
		code, msg = fe.Code, fe.Message
	case errors.Is(err, store.ErrNotFound):
		code, msg = fiber.StatusNotFound, "not found"
	case errors.Is(err, errWriteBusy), store.IsBusy(err):
		code, msg = fiber.StatusServiceUnavailable, errWriteBusy.Error()
	case errors.Is(err, context.DeadlineExceeded):
		code = fiber.StatusServiceUnavailable
		switch c.Locals(kindKey) {
		case kindUpload:
			msg = fmt.Sprintf("storing the document took longer than %v and was stopped; nothing of it was stored. "+
				"Try again when the server is less busy, or store it with stancetrack ingest", s.uploadTimeout)
		case kindSearch:
			msg = fmt.Sprintf("the search took longer than %v and was stopped; search for longer or rarer words, or add filters",
				s.budget(c))
		default:
			msg = "the query took too long; narrow the filters and try again"
		}
	}
	if code == fiber.StatusServiceUnavailable {
		c.Set(fiber.HeaderRetryAfter, retryAfter)
	}
	if code >= 500 {
		s.log.Error("request failed", "method", c.Method(), "path", c.Path(), "status", code, "err", err)
	}
	c.Status(code)
	path := c.Path()
	switch {
	// Routing is case-insensitive, so /API/TAGS reaches the API too.
	case strings.HasSuffix(path, ".json"), isAPI(path):
		return c.JSON(fiber.Map{"error": msg, "status": code})
	case strings.HasSuffix(path, ".csv"), strings.HasPrefix(path, "/static/"), path == "/healthz":
		c.Type("txt", "utf-8")
		return c.SendString(fmt.Sprintf("%d %s\n", code, msg))
	}
	return s.renderStatus(c, code, msg)
}

// notFound is a helpful 404 for a request that named something missing.
func notFound(format string, a ...any) error {
	return fiber.NewError(fiber.StatusNotFound, fmt.Sprintf(format, a...))
}

// badRequest is a 400 whose message says what to fix.
func badRequest(format string, a ...any) error {
	return fiber.NewError(fiber.StatusBadRequest, fmt.Sprintf(format, a...))
}

// isAPI reports whether path is under /api, in any case.
func isAPI(path string) bool {
	p := strings.ToLower(path)
	return p == "/api" || strings.HasPrefix(p, "/api/")
}
