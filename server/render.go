package server

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/stancetrack/stancetrack/charts"
	"github.com/stancetrack/stancetrack/model"
	"github.com/stancetrack/stancetrack/static"
	"github.com/stancetrack/stancetrack/store"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages holds one template set per page, each with the shared layout.
type pages struct{ t map[string]*template.Template }

func mustParsePages() *pages {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	p := &pages{t: map[string]*template.Template{}}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		// Templates are embedded and fixed at build time; a parse error is
		// a programming error that the tests catch.
		p.t[base] = template.Must(template.New(base).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", n))
	}
	return p
}

// view is what every page template receives.
type view struct {
	Title        string
	Active       string // nav entry to highlight
	Filter       store.Filter
	Query        string // the filter as a query string, for links that keep it
	Charts       []charts.Rendered
	Scripts      []string
	HasEcharts   bool
	NoMeetings   bool                   // the database holds no meeting yet
	MeetingCount int                    // meetings in the database
	Symbols      []store.SourceMeeting  // the latest formMeetings meetings, for the filter form
	Choices      store.FilterChoices    // suggestions for the filter form\'s free fields
	Meetings     []store.MeetingSummary // with counts; only pages that list meetings load them
	Codebook     string
	Path         string
	Data         any
}

// formMeetings bounds the meetings the filter form offers. Up to it, the
// form has a select of every meeting; beyond it (the whole record is
// thousands of meetings, which would weigh hundreds of KB on every page) a
// text box that suggests the latest ones and takes any symbol.
const formMeetings = 200

// fillCommon loads what the layout and filter form need.
func (s *Server) fillCommon(ctx context.Context, v *view) error {
	ms, total, err := s.store.LatestMeetingSymbols(ctx, formMeetings)
	if err != nil {
		return err
	}
	v.Symbols, v.MeetingCount = ms, total
	v.NoMeetings = total == 0
	if v.Choices, err = s.store.Choices(ctx); err != nil {
		return err
	}
	return nil
}

// render executes a page into a buffer first, so a template error becomes
// a clean 500 rather than half a page.
func (s *Server) render(c *fiber.Ctx, name string, v *view) error {
	t, ok := s.pages.t[name]
	if !ok {
		return fmt.Errorf("server: no template %q", name)
	}
	v.Codebook = s.codebook
	v.Path = c.Path()
	v.Query = filterValues(v.Filter).Encode()
	v.HasEcharts = static.Has(static.EchartsJS)
	seen := map[string]bool{}
	for _, ch := range v.Charts {
		for _, sc := range ch.Scripts {
			// A chart's script is loaded only if it was embedded; the map
			// also needs maps/world.js.
			rel := strings.TrimPrefix(sc, "/static/")
			if !seen[sc] && static.Has(rel) {
				seen[sc] = true
				v.Scripts = append(v.Scripts, sc)
			}
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("server: render %s: %w", name, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(buf.Bytes())
}

// renderStatus renders the error page; it falls back to plain text if even
// that fails.
func (s *Server) renderStatus(c *fiber.Ctx, code int, msg string) error {
	c.Status(code)
	v := &view{Title: fmt.Sprintf("%d %s", code, statusText(code)), Data: msg}
	if err := s.render(c, "error", v); err != nil {
		s.log.Error("render error page", "err", err)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.SendString(fmt.Sprintf("%d %s\n", code, msg))
	}
	return nil
}

func statusText(code int) string {
	switch code {
	case 400:
		return "Bad request"
	case 404:
		return "Not found"
	case 503:
		return "Unavailable"
	}
	if code >= 500 {
		return "Server error"
	}
	return "Error"
}

var funcs = template.FuncMap{
	// link joins a path and a query string; a whole URL in an attribute
	// is normalised by html/template without re-escaping & and =.
	"link": func(path, query string) string {
		if query == "" {
			return path
		}
		return path + "?" + query
	},
	// linkWith returns the URL of path with the page's filters plus pairs.
	"linkWith": func(path string, f store.Filter, pairs ...string) string { return withPairs(path, f, pairs...) },
	// option inserts a chart's option JSON into <script type="application/json">.
	// It is safe there: json.Marshal escapes <, > and &, so text from a
	// document cannot close the element.
	"option":        func(b []byte) template.JS { return template.JS(b) },
	"delegationURL": delegationURL,
	"meetingURL":    meetingURL,
	"evidence":      evidenceHTML,
	"hits":          hitsHTML,
	"council":       councilText,
	"join":          strings.Join,
	"add":           func(a, b int) int { return a + b },
	"kinds":         func() []string { return model.Kinds },
	"purviews":      func() []string { return store.PurviewValues },
	"purviewColor":  func(p string) string { return charts.PurviewColors[p] },
	"blank":         func(v []string) []string { return append(append([]string{}, v...), "") },
}

func councilText(b *bool) string {
	switch {
	case b == nil:
		return "unknown"
	case *b:
		return "Council member"
	}
	return "not on the Council"
}

// span is a byte range of a statement's text to mark.
type span struct {
	start, end int
	title      string
}

// markSpans escapes text and wraps each valid span in <mark>. Spans out of
// range or not on character boundaries are ignored (offsets come from the
// database, which an analyst can edit); overlapping spans merge.
func markSpans(text string, spans []span) template.HTML {
	valid := spans[:0:0]
	for _, sp := range spans {
		if sp.start < 0 || sp.end > len(text) || sp.start >= sp.end {
			continue
		}
		if !utf8.RuneStart(text[sp.start]) || (sp.end < len(text) && !utf8.RuneStart(text[sp.end])) {
			continue
		}
		valid = append(valid, sp)
	}
	sort.Slice(valid, func(i, j int) bool { return valid[i].start < valid[j].start })
	var merged []span
	for _, sp := range valid {
		if n := len(merged); n > 0 && sp.start <= merged[n-1].end {
			if sp.end > merged[n-1].end {
				merged[n-1].end = sp.end
			}
			if sp.title != "" && !strings.Contains(merged[n-1].title, sp.title) {
				merged[n-1].title += "; " + sp.title
			}
			continue
		}
		merged = append(merged, sp)
	}
	var b strings.Builder
	pos := 0
	for _, sp := range merged {
		b.WriteString(html.EscapeString(text[pos:sp.start]))
		if sp.title != "" {
			b.WriteString(`<mark title="` + html.EscapeString(sp.title) + `">`)
		} else {
			b.WriteString("<mark>")
		}
		b.WriteString(html.EscapeString(text[sp.start:sp.end]))
		b.WriteString("</mark>")
		pos = sp.end
	}
	b.WriteString(html.EscapeString(text[pos:]))
	// Every piece of text was escaped above; the only markup is <mark>.
	return template.HTML(b.String())
}

// evidenceHTML marks each tag's evidence in the statement text.
func evidenceHTML(text string, tags []model.Tag) template.HTML {
	spans := make([]span, 0, len(tags))
	for _, t := range tags {
		spans = append(spans, span{t.Start, t.End, t.Dimension + ": " + t.Value})
	}
	return markSpans(text, spans)
}

// hitsHTML marks the words of a full-text query in the text. Matching is
// case-insensitive; a trailing * matches a prefix, as in the search.
func hitsHTML(text, q string) template.HTML {
	re := queryRegexp(q)
	if re == nil {
		return markSpans(text, nil)
	}
	var spans []span
	for _, m := range re.FindAllStringIndex(text, 200) {
		spans = append(spans, span{start: m[0], end: m[1]})
	}
	return markSpans(text, spans)
}

func queryRegexp(q string) *regexp.Regexp {
	var alts []string
	for _, w := range strings.Fields(q) {
		prefix := strings.HasSuffix(w, "*")
		w = strings.Trim(w, `*"`)
		if w == "" {
			continue
		}
		p := regexp.QuoteMeta(w)
		if prefix {
			p += `[\pL\pN]*`
		}
		alts = append(alts, p)
		if len(alts) == 20 {
			break
		}
	}
	if len(alts) == 0 {
		return nil
	}
	re, err := regexp.Compile(`(?i)` + strings.Join(alts, "|"))
	if err != nil {
		return nil
	}
	return re
}

// pathParam reads a route parameter, percent-decoded.
func pathParam(c *fiber.Ctx, name string) (string, error) {
	v, err := url.PathUnescape(c.Params(name))
	if err != nil || !utf8.ValidString(v) || len(v) > 300 {
		return "", badRequest("the %s in the path is not valid text", name)
	}
	return v, nil
}
