// Package ingest is the one way through the pipeline: parse → resolve → tag
// → store. The parsers, the registry and the codebook know nothing of the
// store; this package ties them together for the CLI and the server.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/stancetrack/stancetrack/codebook"
	"github.com/stancetrack/stancetrack/model"
	"github.com/stancetrack/stancetrack/pressrelease"
	"github.com/stancetrack/stancetrack/registry"
	"github.com/stancetrack/stancetrack/store"
)

// MaxFileSize bounds what one document may weigh; larger files are refused
// before they are read whole.
const MaxFileSize = 8 << 20

// Pipeline holds the pipeline's dependencies.
type Pipeline struct {
	Store    *store.Store
	Registry *registry.Registry
	Codebook *codebook.Codebook
	// Symbol names a release whose text prints none (ingest --symbol); it
	// is never used for one that prints its own.
	Symbol string
}

// Result is what happened to one file.
type Result struct {
	Path       string
	Symbol     string
	Meeting    string // "7898th meeting (AM)"
	Statements int
	Status     string // store.Added, store.Unchanged, store.Replaced, or "refused"
	Notes      []string
	Err        error // why the file was refused; nothing of it was stored
}

// Refused is the status of a file that was not stored.
const Refused = "refused"

// Extensions are the file types ingest picks from folders.
var Extensions = map[string]bool{".txt": true, ".html": true, ".htm": true}

// Collect expands files and folders into the list of documents to ingest,
// recursing into folders and keeping only Extensions there. Files named
// explicitly are always taken, whatever their extension.
func Collect(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() && Extensions[strings.ToLower(filepath.Ext(path))] {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// File reads and ingests one file.
func (p *Pipeline) File(ctx context.Context, path string) Result {
	raw, err := readBounded(path)
	if err != nil {
		return Result{Path: path, Status: Refused, Err: err}
	}
	return p.Bytes(ctx, path, raw)
}

func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > MaxFileSize {
		return nil, fmt.Errorf("file is larger than %d MiB", MaxFileSize>>20)
	}
	return raw, nil
}

// Bytes ingests one document given as bytes: parse, resolve delegations,
// tag, and store it in one transaction. A document that cannot be parsed is
// refused with a one-line reason and nothing of it is stored.
func (p *Pipeline) Bytes(ctx context.Context, name string, raw []byte) Result {
	res := Result{Path: name, Status: Refused}
	doc, err := pressrelease.Parse(strings.NewReader(string(raw)))
	if err != nil {
		res.Err = err
		return res
	}
	if doc.Meeting.Symbol == "" {
		p.nameRelease(doc, name)
	}
	return p.store(ctx, name, raw, Parsed(*doc))
}

// nameRelease gives a symbol to a release whose text prints none (a page
// copied from the UN press site leaves the symbol in the page header): the
// --symbol the analyst gave, else one read from the file name
// ("SC-15432.txt"), else a provisional id derived from the content. The
// note says which, so the meeting page and the ingest line tell the analyst.
func (p *Pipeline) nameRelease(doc *pressrelease.Document, name string) {
	m := &doc.Meeting
	switch s, ok := pressrelease.SymbolFromFileName(name); {
	case p.Symbol != "":
		m.Symbol = p.Symbol
		doc.Notes = append(doc.Notes, "the text prints no symbol; "+p.Symbol+" given with --symbol")
	case ok:
		m.Symbol = s
		doc.Notes = append(doc.Notes, "the text prints no symbol; "+s+" taken from the file name")
	default:
		m.Symbol = pressrelease.ProvisionalSymbol(doc.Text)
		doc.Notes = append(doc.Notes, "the text prints no symbol and the file name holds none; stored under the provisional id "+
			m.Symbol+" (derived from the content): ingest it again with --symbol to name it")
		return
	}
	if m.Body == "" {
		m.Body = m.Symbol[:strings.LastIndexByte(m.Symbol, '/')]
	}
}

// store runs resolve, tag and store on a parsed document.
func (p *Pipeline) store(ctx context.Context, name string, raw []byte, doc Parsed) Result {
	res := Result{Path: name, Status: Refused}
	sd, notes := p.Prepare(doc)
	sd.Filename = filepath.Base(name)
	sd.Raw = raw
	res.Symbol = sd.Meeting.Symbol
	res.Meeting = describeMeeting(sd.Meeting)
	res.Notes = notes
	res.Statements = len(sd.Statements)
	added, err := p.Store.AddDocument(ctx, sd)
	if err != nil {
		res.Err = err
		return res
	}
	res.Status = added.Status
	if added.AnalystKept > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d analyst tags carried over to the new version", added.AnalystKept))
	}
	if added.AnalystOrphans > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d analyst tags fit no statement of the new version; kept as orphans", added.AnalystOrphans))
	}
	return res
}

// Parsed is what every parser yields: pressrelease.Document and
// verbatim.Document have this shape and convert to it directly.
type Parsed struct {
	Meeting    model.Meeting
	Statements []model.Statement
	Text       string
	Format     string
	Notes      []string
}

// Prepare runs the resolve and tag steps on a parsed document and returns
// what the store takes, with the notes gathered on the way.
func (p *Pipeline) Prepare(doc Parsed) (store.Document, []string) {
	m := doc.Meeting
	notes := append([]string{}, doc.Notes...)
	if m.Year == 0 {
		release := releaseNumber(m.Symbol)
		if y, ok := p.Registry.InferYear(m.Body, m.MeetingNumber(), release); ok {
			m.Year, m.YearInferred = y, true
			notes = append(notes, fmt.Sprintf("no date printed; year %d inferred from the meeting and release numbers", y))
		} else {
			notes = append(notes, "no date printed and the year could not be inferred")
		}
	}
	version := p.Codebook.Version()
	sts := make([]model.Statement, len(doc.Statements))
	for i, st := range doc.Statements {
		p.Registry.ResolveStatement(&st, m.Year)
		if m.Year != 0 && st.Delegation != "" {
			st.Blocs = p.Registry.Blocs(st.Delegation, m.Year)
		}
		st.Tags, st.NeedsReview = p.Codebook.Code(st)
		for j := range st.Tags {
			st.Tags[j].Source = model.SourceCodebook
			st.Tags[j].CodebookVersion = version
		}
		st.Purview, st.Frames, st.Instruments = model.Derive(st.Tags)
		sts[i] = st
	}
	return store.Document{
		Format:     doc.Format,
		Text:       doc.Text,
		Notes:      notes,
		Meeting:    m,
		Statements: sts,
	}, notes
}

// releaseNumber is the number in a press-release symbol ("SC/12751" → 12751).
func releaseNumber(symbol string) int {
	i := strings.LastIndexByte(symbol, '/')
	if i < 0 {
		return 0
	}
	n, err := strconv.Atoi(symbol[i+1:])
	if err != nil {
		return 0
	}
	return n
}

func describeMeeting(m model.Meeting) string {
	if len(m.Numbers) == 0 {
		return "meeting number not printed"
	}
	var parts []string
	for _, n := range m.Numbers {
		parts = append(parts, ordinal(n))
	}
	s := strings.Join(parts, " & ") + " meeting"
	if len(m.Numbers) > 1 {
		s += "s"
	}
	if m.Session != "" {
		s += " (" + m.Session + ")"
	}
	return s
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// Line is the one-line summary ingest prints for a result.
func (r Result) Line() string {
	if r.Err != nil {
		return fmt.Sprintf("%s: refused: %s", r.Path, oneLine(r.Err))
	}
	s := fmt.Sprintf("%s  %s  %d statements  %s", r.Symbol, r.Meeting, r.Statements, r.Status)
	if len(r.Notes) > 0 {
		s += "  — " + strings.Join(r.Notes, "; ")
	}
	return s
}

func oneLine(err error) string {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return msg
}

// ErrRefused marks a run in which at least one file was refused.
var ErrRefused = errors.New("one or more files were refused")
