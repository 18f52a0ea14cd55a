// Package report turns the dashboard's charts, and the statements behind
// them, into report-ready files: figures (PNG and SVG rendered by the
// browser package, a self-contained HTML page) and data (CSV, JSON, XLSX,
// GraphML), singly or as a zip "figure pack".
//
// The server's chart pages, its /export routes and the CLI's export
// command all take their rows from the Views here, so a downloaded file,
// the chart on screen and its .json/.csv twin always agree.
//
// Provenance travels with every file: figures show the title, the source
// meetings with their dates, the codebook version and the export date.
// Data files carry the same source (CSV as leading "# " comment lines, JSON
// under "source", XLSX on a "source" sheet, GraphML as graph data) but
// never the export date or any other clock reading, so exporting the same
// database with the same filters twice gives identical bytes.
package report

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stancetrack/stancetrack/charts"
	"github.com/stancetrack/stancetrack/model"
	"github.com/stancetrack/stancetrack/store"
)

// Figure is one echarts chart of a view.
type Figure struct {
	ID      string // file stem in exports: "purview", "purview-donut"
	ChartID string // DOM id on the dashboard (charts.ID*)
	Title   string // accessible name on the dashboard
	Height  int    // height on the dashboard, in pixels
	Chart   charts.Chart
}

// View is one dashboard chart: the rows it draws, their table (CSV, header
// first) and the figures that draw them.
type View[T any] struct {
	Name  string
	Title string
	Rows  func(ctx context.Context, st *store.Store, f store.Filter) ([]T, error)
	Table func(rows []T) [][]string
	// Figures draws the rows; the first figure is the view's main one,
	// which `export chart NAME` writes. link and delegationURL give the
	// URLs a click follows; exports pass ones that return "".
	Figures func(rows []T, src charts.Source, link charts.Link, delegationURL func(string) string) []Figure
}

// The dashboard's views, in menu order.
var (
	Purview = View[store.DelegationPurview]{
		Name:  "purview",
		Title: "Who accepts the Council's purview?",
		Rows: func(ctx context.Context, st *store.Store, f store.Filter) ([]store.DelegationPurview, error) {
			return st.PurviewByDelegation(ctx, f)
		},
		Table: delegationPurviewTable,
		Figures: func(rows []store.DelegationPurview, src charts.Source, link charts.Link, _ func(string) string) []Figure {
			return []Figure{
				{"purview", charts.IDPurviewBars, "Purview by delegation", charts.PurviewBarsHeight(len(rows)), charts.PurviewBars(rows, src, link)},
				{"purview-donut", charts.IDPurviewDonut, "Share of delegations' statements by purview position", 380, charts.PurviewDonut(sumPurview(rows), src, link)},
			}
		},
	}
	Map = View[store.DelegationPurview]{
		Name:  "map",
		Title: "Purview positions by State",
		Rows: func(ctx context.Context, st *store.Store, f store.Filter) ([]store.DelegationPurview, error) {
			all, err := st.PurviewByDelegation(ctx, f)
			if err != nil {
				return nil, err
			}
			// The map draws States only: rows with an ISO3 code.
			out := make([]store.DelegationPurview, 0, len(all))
			for _, r := range all {
				if r.ISO3 != "" {
					out = append(out, r)
				}
			}
			return out, nil
		},
		Table: delegationPurviewTable,
		Figures: func(rows []store.DelegationPurview, src charts.Source, link charts.Link, _ func(string) string) []Figure {
			return []Figure{{"map", charts.IDPurviewMap, "Map of purview positions", 560, charts.PurviewMap(rows, src, link)}}
		},
	}
	Frames = View[store.TagCount]{
		Name:  "frames",
		Title: "How delegations frame the issue",
		Rows: func(ctx context.Context, st *store.Store, f store.Filter) ([]store.TagCount, error) {
			return st.FramesByDelegation(ctx, f)
		},
		Table: tagCountTable("frame"),
		Figures: func(rows []store.TagCount, src charts.Source, link charts.Link, _ func(string) string) []Figure {
			return []Figure{{"frames", charts.IDFramesHeatmap, "Frames by delegation", charts.FramesHeatmapHeight(rows), charts.FramesHeatmap(rows, src, link)}}
		},
	}
	Instruments = View[store.TagCount]{
		Name:  "instruments",
		Title: "Instruments by number of delegations citing them",
		Rows: func(ctx context.Context, st *store.Store, f store.Filter) ([]store.TagCount, error) {
			return st.InstrumentsByDelegation(ctx, f)
		},
		Table: tagCountTable("instrument"),
		Figures: func(rows []store.TagCount, src charts.Source, link charts.Link, delegationURL func(string) string) []Figure {
			reach := store.Reach(rows)
			return []Figure{
				{"instruments", charts.IDInstrumentsBar, "Instruments by reach", charts.PurviewBarsHeight(len(reach)), charts.InstrumentsBar(reach, src, link)},
				{"instruments-network", charts.IDInstrumentsNetwork, "Citation network", 640, charts.InstrumentsNetwork(rows, src, link, delegationURL)},
			}
		},
	}
	Blocs = View[store.BlocStance]{
		Name:  "blocs",
		Title: "Purview positions by bloc (% of statements)",
		Rows: func(ctx context.Context, st *store.Store, f store.Filter) ([]store.BlocStance, error) {
			return st.BlocStances(ctx, f)
		},
		Table: func(rows []store.BlocStance) [][]string {
			t := [][]string{purviewHeader("bloc")}
			for _, r := range rows {
				t = append(t, purviewCells(r.PurviewCounts, r.Bloc))
			}
			return t
		},
		Figures: func(rows []store.BlocStance, src charts.Source, link charts.Link, _ func(string) string) []Figure {
			return []Figure{{"blocs", charts.IDBlocBars, "Purview by bloc", charts.PurviewBarsHeight(len(rows)), charts.BlocBars(rows, src, link)}}
		},
	}
	Timeline = View[store.MeetingPurview]{
		Name:  "timeline",
		Title: "Purview positions over meetings",
		Rows: func(ctx context.Context, st *store.Store, f store.Filter) ([]store.MeetingPurview, error) {
			return st.Timeline(ctx, f)
		},
		Table: func(rows []store.MeetingPurview) [][]string {
			t := [][]string{purviewHeader("meeting", "date", "body")}
			for _, r := range rows {
				t = append(t, purviewCells(r.PurviewCounts, r.Meeting, r.Date, r.Body))
			}
			return t
		},
		Figures: func(rows []store.MeetingPurview, src charts.Source, link charts.Link, _ func(string) string) []Figure {
			return []Figure{{"timeline", charts.IDTimeline, "Purview over meetings", 460, charts.Timeline(rows, src, link)}}
		},
	}
)

// Names lists the charts in the dashboard's menu order.
var Names = []string{Purview.Name, Map.Name, Frames.Name, Instruments.Name, Blocs.Name, Timeline.Name}

// chart is a View with its row type erased, so views can be looked up by
// name.
type chart interface {
	load(ctx context.Context, st *store.Store, f store.Filter) (Data, error)
}

var byName = map[string]chart{
	Purview.Name: Purview, Map.Name: Map, Frames.Name: Frames,
	Instruments.Name: Instruments, Blocs.Name: Blocs, Timeline.Name: Timeline,
}

// ErrUnknownChart is returned for a chart name not in Names.
var ErrUnknownChart = errors.New("unknown chart")

// Data is a chart's rows under a filter, with their provenance.
type Data struct {
	Name   string
	Title  string
	Rows   any        // the typed rows, as the chart's .json twin returns them
	Table  [][]string // header first
	Source Provenance
	draw   func(src charts.Source) []Figure
}

// Len is the number of rows.
func (d Data) Len() int { return max(0, len(d.Table)-1) }

// Figures draws the data for export: data items carry no URL, because a
// click in a file leads nowhere.
func (d Data) Figures() []Figure {
	ms := make([]store.SourceMeeting, len(d.Source.Meetings))
	for i, m := range d.Source.Meetings {
		ms[i] = store.SourceMeeting{Symbol: m.Symbol, Date: m.Date}
	}
	return d.draw(charts.Source{Meetings: ms, CodebookVersion: d.Source.CodebookVersion})
}

func noLink(...string) string { return "" }
func noURL(string) string     { return "" }

func (v View[T]) load(ctx context.Context, st *store.Store, f store.Filter) (Data, error) {
	rows, err := v.Rows(ctx, st, f)
	if err != nil {
		return Data{}, err
	}
	return Data{Name: v.Name, Title: v.Title, Rows: rows, Table: v.Table(rows),
		draw: func(src charts.Source) []Figure { return v.Figures(rows, src, noLink, noURL) }}, nil
}

// ChartData loads the rows of the named chart under f and their
// provenance. codebookVersion is what the provenance cites (see
// CodebookVersion).
func ChartData(ctx context.Context, st *store.Store, name string, f store.Filter, codebookVersion string) (Data, error) {
	v, ok := byName[name]
	if !ok {
		return Data{}, fmt.Errorf("%w %q: want one of %s", ErrUnknownChart, name, strings.Join(Names, ", "))
	}
	d, err := v.load(ctx, st, f)
	if err != nil {
		return Data{}, err
	}
	if d.Source, err = Source(ctx, st, f, codebookVersion); err != nil {
		return Data{}, err
	}
	return d, nil
}

// Provenance says where exported numbers come from.
type Provenance struct {
	Meetings        []Meeting // in time order
	CodebookVersion string
	Filter          store.Filter
	// Updated is when the newest of the meetings was ingested. It stands
	// in for "now" wherever a file format wants a time (XLSX properties,
	// zip entries), so files do not change with the clock.
	Updated time.Time
}

// Meeting is a source meeting.
type Meeting struct {
	Symbol string `json:"symbol"`
	Date   string `json:"date"`           // YYYY-MM-DD; "" when the document prints none
	Year   int    `json:"year,omitempty"` // printed or inferred; 0 when unknown
}

// String is the symbol with the date, or the year when no date was
// printed: "SC/12751 (2017-03-15)", "SC/12751 (2017, undated)".
func (m Meeting) String() string {
	switch {
	case m.Date != "":
		return m.Symbol + " (" + m.Date + ")"
	case m.Year > 0:
		return fmt.Sprintf("%s (%d, undated)", m.Symbol, m.Year)
	}
	return m.Symbol + " (undated)"
}

// epoch stands in for Updated when no meeting is selected.
var epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Source loads the provenance of the statements f selects.
func Source(ctx context.Context, st *store.Store, f store.Filter, codebookVersion string) (Provenance, error) {
	ms, err := st.Sources(ctx, f)
	if err != nil {
		return Provenance{}, err
	}
	p := Provenance{Meetings: make([]Meeting, len(ms)), CodebookVersion: codebookVersion, Filter: f, Updated: epoch}
	if len(ms) == 0 {
		return p, nil
	}
	all, err := st.Meetings(ctx)
	if err != nil {
		return Provenance{}, err
	}
	idx := make(map[string]int, len(ms))
	for i, m := range ms {
		idx[m.Symbol] = i
		p.Meetings[i] = Meeting{Symbol: m.Symbol, Date: m.Date}
	}
	for _, m := range all {
		i, ok := idx[m.Symbol]
		if !ok {
			continue
		}
		p.Meetings[i].Year = m.Year
		if t, err := time.Parse(time.RFC3339, m.IngestedAt); err == nil && t.After(p.Updated) {
			p.Updated = t.UTC()
		}
	}
	return p, nil
}

// CodebookVersion names the codebook version(s) whose tags are stored,
// most used first, or fallback when the database holds no codebook tag.
// Exports cite what actually coded the data, which after an upgrade
// without retag is not the running codebook.
func CodebookVersion(ctx context.Context, st *store.Store, fallback string) (string, error) {
	vs, err := st.CodebookVersions(ctx)
	if err != nil {
		return "", err
	}
	var out []string
	for _, v := range vs {
		if v.Source == model.SourceCodebook && v.CodebookVersion != "" && !contains(out, v.CodebookVersion) {
			out = append(out, v.CodebookVersion)
		}
	}
	if len(out) == 0 {
		return fallback, nil
	}
	return strings.Join(out, ", "), nil
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// FilterPairs returns the filter as query-string pairs in a fixed order,
// unescaped, for provenance lines.
func FilterPairs(f store.Filter) [][2]string {
	var out [][2]string
	for _, m := range f.Meetings {
		out = append(out, [2]string{"meeting", m})
	}
	for _, d := range f.Delegations {
		out = append(out, [2]string{"delegation", d})
	}
	for _, kv := range [][2]string{{"body", f.Body}, {"from", f.From}, {"to", f.To}, {"kind", f.Kind},
		{"council", f.Council}, {"group", f.Group}, {"purview", f.Purview}, {"frame", f.Frame},
		{"instrument", f.Instrument}, {"q", f.Q}} {
		if kv[1] != "" {
			out = append(out, kv)
		}
	}
	return out
}

// FilterText is the filter for people: "meeting=SC/12751 group=E10", or
// "none".
func (p Provenance) FilterText() string {
	pairs := FilterPairs(p.Filter)
	if len(pairs) == 0 {
		return "none"
	}
	parts := make([]string, len(pairs))
	for i, kv := range pairs {
		parts[i] = kv[0] + "=" + kv[1]
	}
	return oneLine(strings.Join(parts, " "))
}

// MeetingsText lists the meetings with their dates. With more than max
// meetings (max > 0) it names the first and last and the count.
func (p Provenance) MeetingsText(max int) string {
	ms := p.Meetings
	if len(ms) == 0 {
		return "no meeting"
	}
	one := Meeting.String
	if max > 0 && len(ms) > max {
		return oneLine(fmt.Sprintf("%d meetings, %s to %s", len(ms), one(ms[0]), one(ms[len(ms)-1])))
	}
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = one(m)
	}
	return oneLine(strings.Join(parts, "; "))
}

// Codebook is the codebook clause of provenance lines.
func (p Provenance) Codebook() string {
	if p.CodebookVersion == "" {
		return "coded with codebook (unknown version)"
	}
	return oneLine("coded with codebook " + p.CodebookVersion)
}

// oneLine keeps text from documents or query strings from breaking a
// comment line or a figure's footer.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, s)
}

func itoa(n int) string { return fmt.Sprint(n) }

func purviewHeader(first ...string) []string {
	return append(first, "contests", "conditional", "affirms", "unstated", "total")
}

func purviewCells(p store.PurviewCounts, first ...string) []string {
	return append(first, itoa(p.Contests), itoa(p.Conditional), itoa(p.Affirms), itoa(p.Unstated), itoa(p.Total))
}

func delegationPurviewTable(rows []store.DelegationPurview) [][]string {
	t := [][]string{purviewHeader("delegation", "iso3", "kind", "position")}
	for _, r := range rows {
		t = append(t, purviewCells(r.PurviewCounts, r.Delegation, r.ISO3, r.Kind, r.Position))
	}
	return t
}

func tagCountTable(dim string) func([]store.TagCount) [][]string {
	return func(rows []store.TagCount) [][]string {
		t := [][]string{{"delegation", dim, "statements"}}
		for _, r := range rows {
			t = append(t, []string{r.Delegation, r.Value, itoa(r.Statements)})
		}
		return t
	}
}

func sumPurview(rows []store.DelegationPurview) store.PurviewCounts {
	var t store.PurviewCounts
	for _, r := range rows {
		t.Affirms += r.Affirms
		t.Conditional += r.Conditional
		t.Contests += r.Contests
		t.Unstated += r.Unstated
		t.Total += r.Total
	}
	return t
}
