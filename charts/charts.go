// Package charts builds the dashboard's echarts views from rows the store
// has already aggregated. It never touches the database or HTTP: rows in,
// go-echarts charts out, so every chart can be tested on its option JSON.
//
// Conventions shared by every chart: a stable ChartID (the DOM id and the
// JSON twin's name), animation off (screenshots and exports see the final
// frame), a subtitle citing the source meetings and codebook version, a
// toolbox (PNG, data view), and data items that carry the URL of the
// statements behind them so a click drills down to the evidence.
package charts

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"

	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/stancetrack/stancetrack/model"
	"github.com/stancetrack/stancetrack/store"
)

// AssetsHost is where the server serves echarts.min.js and maps/world.js.
const AssetsHost = "/static/echarts/"

// Stable chart ids; pages use them as DOM ids, tests and e2e look them up.
const (
	IDPurviewBars        = "purview-bars"
	IDPurviewDonut       = "purview-donut"
	IDPurviewMap         = "purview-map"
	IDFramesHeatmap      = "frames-heatmap"
	IDInstrumentsBar     = "instruments-bar"
	IDInstrumentsNetwork = "instruments-network"
	IDBlocBars           = "bloc-bars"
	IDTimeline           = "timeline"
	IDFramesRadar        = "frames-radar"
)

// PurviewColors are the colours of the purview positions on every chart:
// objections in warm colours, affirmations green, silence grey.
var PurviewColors = map[string]string{
	model.PurviewContests:    "#c0392b",
	model.PurviewConditional: "#e59b23",
	model.PurviewAffirms:     "#2e7d5b",
	model.PurviewUnstated:    "#9aa3ad",
}

// PurviewLabels are the purview values as legends show them.
var PurviewLabels = map[string]string{
	model.PurviewContests:    "contests",
	model.PurviewConditional: "conditional",
	model.PurviewAffirms:     "affirms",
	model.PurviewUnstated:    "unstated",
}

// Frames is the codebook's frame order; frames found in the data but not
// listed here follow in alphabetical order.
var Frames = []string{"victim_centred", "counter_terrorism", "criminal_justice", "migration", "gender", "root_causes"}

// Link returns the URL of the statements behind a data item: the page's
// current filters with the given key/value pairs set on top.
type Link func(pairs ...string) string

// Source says where a chart's numbers come from; it becomes the subtitle.
type Source struct {
	Meetings        []store.SourceMeeting
	CodebookVersion string
}

// Subtitle cites the meetings (all of them when few, else the count and
// date range) and the codebook version.
func (s Source) Subtitle() string {
	var b strings.Builder
	b.WriteString("Source: ")
	switch n := len(s.Meetings); {
	case n == 0:
		b.WriteString("no meetings")
	case n <= 4:
		for i, m := range s.Meetings {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(m.Symbol)
			if w := m.When(); w != "" {
				b.WriteString(" (" + w + ")")
			}
		}
	default:
		first, last := s.Meetings[0].When(), s.Meetings[n-1].When()
		fmt.Fprintf(&b, "%d meetings", n)
		if first != "" && last != "" {
			fmt.Fprintf(&b, ", %s to %s", first, last)
		}
	}
	if s.CodebookVersion != "" {
		b.WriteString(" · codebook " + s.CodebookVersion)
	}
	return b.String()
}

// item is an echarts data item with the extra fields the page's script and
// tooltips read (url, delegation, position, count).
type item struct {
	Name       string          `json:"name,omitempty"`
	Value      any             `json:"value"`
	URL        string          `json:"url,omitempty"`
	Delegation string          `json:"delegation,omitempty"`
	Position   string          `json:"position,omitempty"`
	Count      *int            `json:"count,omitempty"`
	Category   *int            `json:"category,omitempty"`
	SymbolSize float64         `json:"symbolSize,omitempty"`
	ItemStyle  *opts.ItemStyle `json:"itemStyle,omitempty"`
}

// Rendered is a chart ready for a page: its id, the height it needs, its
// option JSON (HTML-safe: <, > and & are escaped) and the echarts scripts
// it loads.
type Rendered struct {
	ID      string
	Title   string
	Height  int
	Option  []byte
	Scripts []string
}

// Chart is what every go-echarts chart type offers.
type Chart interface {
	Validate()
	JSON() map[string]any
	GetAssets() opts.Assets
}

// Render validates c and returns its option JSON and scripts. height is in
// pixels.
func Render(c Chart, id, title string, height int) (Rendered, error) {
	c.Validate()
	opt, err := json.Marshal(c.JSON()) // json.Marshal escapes <, > and &: safe inside <script>
	if err != nil {
		return Rendered{}, fmt.Errorf("charts: %s: %w", id, err)
	}
	a := c.GetAssets()
	return Rendered{ID: id, Title: title, Height: height, Option: opt, Scripts: append([]string{}, a.JSAssets.Values...)}, nil
}

// maxBar keeps a few bars from swelling into blocks.
const maxBar = "28"

// barHeight gives each category row enough room for a readable label.
func barHeight(categories int) int {
	return max(360, 26*categories+140)
}

// global returns the options every chart shares.
func global(id, title string, src Source, height int) []ec.GlobalOpts {
	return []ec.GlobalOpts{
		// One WithInitializationOpts call: a second one would reset AssetsHost to the CDN.
		ec.WithInitializationOpts(opts.Initialization{
			AssetsHost: AssetsHost,
			ChartID:    id,
			Width:      "100%",
			Height:     fmt.Sprintf("%dpx", height),
			PageTitle:  title,
		}),
		ec.WithAnimation(false),
		ec.WithTitleOpts(opts.Title{Title: title, Subtitle: src.Subtitle(), Left: "left"}),
		ec.WithToolboxOpts(opts.Toolbox{Show: opts.Bool(true), Right: "2%", Feature: &opts.ToolBoxFeature{
			SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{Show: opts.Bool(true), Type: "png", Name: id, Title: "Save as PNG"},
			DataView:    &opts.ToolBoxFeatureDataView{Show: opts.Bool(true), Title: "Data", Lang: []string{"Data", "Close", "Refresh"}, BackgroundColor: "#fff"},
			Restore:     &opts.ToolBoxFeatureRestore{Show: opts.Bool(true), Title: "Restore"},
		}}),
	}
}

func intp(n int) *int { return &n }

// PurviewBars draws, per delegation, stacked bars of statements that
// contest, make conditional, affirm or leave unstated the Council's
// purview. Rows come objectors first (store.PurviewByDelegation); the y
// axis is inverted so they read from the top. Clicking the legend toggles
// a position (unstated included).
func PurviewBars(rows []store.DelegationPurview, src Source, link Link) *ec.Bar {
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = r.Delegation
	}
	bar := ec.NewBar()
	bar.SetGlobalOptions(append(global(IDPurviewBars, "Who accepts the Council's purview?", src, barHeight(len(rows))),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		ec.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "50", Left: "left"}),
		ec.WithGridOpts(opts.Grid{Top: "90", Left: "2%", Right: "4%", Bottom: "20", ContainLabel: opts.Bool(true)}),
		ec.WithXAxisOpts(opts.XAxis{Type: "value", Name: "statements", NameLocation: "middle", NameGap: 24, MinInterval: 1, Position: "top"}),
		ec.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}),
	)...)
	bar.SetXAxis(names).XYReversal()
	for _, p := range store.PurviewValues {
		data := make([]item, len(rows))
		for i, r := range rows {
			data[i] = item{Value: r.Get(p), URL: link("delegation", r.Delegation, "purview", p)}
		}
		bar.AddSeries(PurviewLabels[p], nil, ec.WithBarChartOpts(opts.BarChart{Stack: "purview"}),
			ec.WithItemStyleOpts(opts.ItemStyle{Color: PurviewColors[p]}))
		bar.MultiSeries[len(bar.MultiSeries)-1].Data = data
		bar.MultiSeries[len(bar.MultiSeries)-1].BarMaxWidth = maxBar
	}
	return bar
}

// PurviewBarsHeight is the height PurviewBars needs for n delegations.
func PurviewBarsHeight(n int) int { return barHeight(n) }

// PurviewDonut draws the shares by purview position of the statements the
// per-delegation chart counts: turns with a known delegation. Turns of an
// unidentified speaker (a Council President with no metadata) are left out
// of both, so the two charts agree; the statements list behind a slice
// shows them too, which the title says.
func PurviewDonut(t store.PurviewCounts, src Source, link Link) *ec.Pie {
	pie := ec.NewPie()
	pie.SetGlobalOptions(append(global(IDPurviewDonut, "Share of delegations' statements by purview position", src, 380),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item", Formatter: "{b}: {c} ({d}%)"}),
		ec.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
	)...)
	data := make([]item, 0, len(store.PurviewValues))
	for _, p := range store.PurviewValues {
		data = append(data, item{Name: PurviewLabels[p], Value: t.Get(p), URL: link("purview", p),
			ItemStyle: &opts.ItemStyle{Color: PurviewColors[p]}})
	}
	pie.AddSeries("purview", nil, ec.WithPieChartOpts(opts.PieChart{Radius: []string{"40%", "65%"}, Center: []string{"50%", "55%"}}),
		ec.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b}: {c}"}))
	pie.MultiSeries[0].Data = data
	return pie
}

// positionValue orders positions on the map's colour scale.
var positionValue = map[string]int{
	model.PurviewUnstated:    0,
	model.PurviewAffirms:     1,
	model.PurviewConditional: 2,
	model.PurviewContests:    3,
}

// PurviewMap colours each State by the strongest purview position it took.
// Regions are named by ISO3 (static/echarts/maps/world.js is built that
// way); delegations without an ISO3 (groups, UN bodies) are left out.
func PurviewMap(rows []store.DelegationPurview, src Source, link Link) *ec.Map {
	m := ec.NewMap()
	m.RegisterMapType("world")
	m.SetGlobalOptions(append(global(IDPurviewMap, "Purview positions by State", src, 560),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		ec.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)...)
	data := []item{}
	for _, r := range rows {
		if r.ISO3 == "" {
			continue
		}
		data = append(data, item{Name: r.ISO3, Value: positionValue[r.Position], URL: link("delegation", r.Delegation),
			Delegation: r.Delegation, Position: r.Position,
			ItemStyle: &opts.ItemStyle{AreaColor: PurviewColors[r.Position], BorderColor: "#fff"}})
	}
	m.AddSeries("purview", nil, ec.WithItemStyleOpts(opts.ItemStyle{AreaColor: "#eef0f3", BorderColor: "#c9ced6"}))
	m.MultiSeries[0].Data = data
	m.MultiSeries[0].Roam = opts.Bool(true)
	return m
}

// frameOrder returns the codebook frames followed by any others found.
func frameOrder(rows []store.TagCount) []string {
	seen := map[string]bool{}
	for _, r := range rows {
		seen[r.Value] = true
	}
	out := []string{}
	for _, f := range Frames {
		if seen[f] {
			out = append(out, f)
			delete(seen, f)
		}
	}
	var extra []string
	for f := range seen {
		extra = append(extra, f)
	}
	slices.Sort(extra)
	return append(out, extra...)
}

// FramesHeatmap draws delegations × frames: how many of a delegation's
// statements use each frame. Delegations with most framed statements come
// first.
func FramesHeatmap(rows []store.TagCount, src Source, link Link) *ec.HeatMap {
	frames := frameOrder(rows)
	fi := map[string]int{}
	for i, f := range frames {
		fi[f] = i
	}
	totals := map[string]int{}
	for _, r := range rows {
		totals[r.Delegation] += r.Statements
	}
	delegs := make([]string, 0, len(totals))
	for d := range totals {
		delegs = append(delegs, d)
	}
	sort.SliceStable(delegs, func(i, j int) bool {
		a, b := delegs[i], delegs[j]
		if totals[a] != totals[b] {
			return totals[a] > totals[b]
		}
		return a < b
	})
	di := map[string]int{}
	for i, d := range delegs {
		di[d] = i
	}
	maxV := 1
	data := make([]item, 0, len(rows))
	for _, r := range rows {
		maxV = max(maxV, r.Statements)
		data = append(data, item{Value: []int{fi[r.Value], di[r.Delegation], r.Statements},
			URL: link("delegation", r.Delegation, "frame", r.Value)})
	}
	h := ec.NewHeatMap()
	h.SetGlobalOptions(append(global(IDFramesHeatmap, "How delegations frame the issue", src, barHeight(len(delegs))),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		ec.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		ec.WithGridOpts(opts.Grid{Top: "90", Left: "2%", Right: "4%", Bottom: "70", ContainLabel: opts.Bool(true)}),
		ec.WithXAxisOpts(opts.XAxis{Type: "category", Data: frames, Position: "top", AxisLabel: &opts.AxisLabel{Interval: "0"},
			SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		ec.WithYAxisOpts(opts.YAxis{Type: "category", Data: delegs, Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"},
			SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		ec.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Min: 0, Max: float32(maxV), Orient: "horizontal",
			Left: "center", Bottom: "0", InRange: &opts.VisualMapInRange{Color: []string{"#eef4fb", "#1f5fa8"}}}),
	)...)
	h.AddSeries("statements", nil, ec.WithLabelOpts(opts.Label{Show: opts.Bool(true)}))
	h.MultiSeries[0].Data = data
	return h
}

// FramesHeatmapHeight is the height FramesHeatmap needs for its rows.
func FramesHeatmapHeight(rows []store.TagCount) int {
	d := map[string]bool{}
	for _, r := range rows {
		d[r.Delegation] = true
	}
	return barHeight(len(d))
}

// InstrumentsBar ranks instruments by the number of delegations citing
// them.
func InstrumentsBar(rows []store.InstrumentReach, src Source, link Link) *ec.Bar {
	names := make([]string, len(rows))
	data := make([]item, len(rows))
	for i, r := range rows {
		names[i] = r.Instrument
		data[i] = item{Value: r.Delegations, Count: intp(r.Statements), URL: link("instrument", r.Instrument)}
	}
	bar := ec.NewBar()
	bar.SetGlobalOptions(append(global(IDInstrumentsBar, "Instruments by number of delegations citing them", src, barHeight(len(rows))),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		ec.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		ec.WithGridOpts(opts.Grid{Top: "80", Left: "2%", Right: "4%", Bottom: "20", ContainLabel: opts.Bool(true)}),
		ec.WithXAxisOpts(opts.XAxis{Type: "value", Name: "delegations citing", NameLocation: "middle", NameGap: 24, MinInterval: 1, Position: "top"}),
		ec.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}),
	)...)
	bar.SetXAxis(names).XYReversal()
	bar.AddSeries("delegations", nil, ec.WithItemStyleOpts(opts.ItemStyle{Color: "#1f5fa8"}),
		ec.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}))
	bar.MultiSeries[0].Data = data
	bar.MultiSeries[0].BarMaxWidth = maxBar
	return bar
}

// InstrumentsNetwork links delegations to the instruments they cite; an
// edge's value is the number of statements. Node size grows with degree.
func InstrumentsNetwork(rows []store.TagCount, src Source, link Link, delegationURL func(string) string) *ec.Graph {
	degree := map[string]int{}
	var delegs, insts []string
	for _, r := range rows {
		if degree["d:"+r.Delegation] == 0 {
			delegs = append(delegs, r.Delegation)
		}
		if degree["i:"+r.Value] == 0 {
			insts = append(insts, r.Value)
		}
		degree["d:"+r.Delegation]++
		degree["i:"+r.Value]++
	}
	slices.Sort(delegs)
	slices.Sort(insts)
	size := func(d int) float64 { return float64(min(40, 8+4*d)) }
	nodes := make([]item, 0, len(delegs)+len(insts))
	for _, d := range delegs {
		nodes = append(nodes, item{Name: d, Value: degree["d:"+d], Category: intp(0), SymbolSize: size(degree["d:"+d]),
			URL: delegationURL(d)})
	}
	// Instrument ids are prefixed so that a delegation and an instrument
	// can never share a node name.
	for _, in := range insts {
		nodes = append(nodes, item{Name: "◆ " + in, Value: degree["i:"+in], Category: intp(1), SymbolSize: size(degree["i:"+in]),
			URL: link("instrument", in)})
	}
	links := make([]opts.GraphLink, 0, len(rows))
	for _, r := range rows {
		links = append(links, opts.GraphLink{Source: r.Delegation, Target: "◆ " + r.Value, Value: float32(r.Statements)})
	}
	g := ec.NewGraph()
	g.SetGlobalOptions(append(global(IDInstrumentsNetwork, "Who cites what: delegations and instruments", src, 640),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		ec.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "50", Left: "left"}),
	)...)
	g.AddSeries("citations", nil, links, ec.WithGraphChartOpts(opts.GraphChart{
		// A circular layout places nodes by their order alone. The force
		// layout starts from random positions, so the same data drew a
		// different figure each time and exported packs could not be diffed.
		Layout: "circular", Roam: opts.Bool(true),
		Categories: []*opts.GraphCategory{{Name: "delegation"}, {Name: "instrument"}},
	}), ec.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}))
	g.MultiSeries[0].Data = nodes
	return g
}

// BlocBars draws purview positions by bloc as 100 % stacked bars; each
// item keeps the statement count for the tooltip and the data view.
func BlocBars(rows []store.BlocStance, src Source, link Link) *ec.Bar {
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = fmt.Sprintf("%s (%d)", r.Bloc, r.Total)
	}
	bar := ec.NewBar()
	bar.SetGlobalOptions(append(global(IDBlocBars, "Purview positions by bloc (% of statements)", src, barHeight(len(rows))),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		ec.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "50", Left: "left"}),
		ec.WithGridOpts(opts.Grid{Top: "90", Left: "2%", Right: "4%", Bottom: "20", ContainLabel: opts.Bool(true)}),
		ec.WithXAxisOpts(opts.XAxis{Type: "value", Name: "% of statements", NameLocation: "middle", NameGap: 24, Max: 100, Position: "top"}),
		ec.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}),
	)...)
	bar.SetXAxis(names).XYReversal()
	for _, p := range store.PurviewValues {
		data := make([]item, len(rows))
		for i, r := range rows {
			data[i] = item{Value: percent(r.Get(p), r.Total), Count: intp(r.Get(p)),
				URL: link(r.FilterKey, r.FilterValue, "purview", p)}
		}
		bar.AddSeries(PurviewLabels[p], nil, ec.WithBarChartOpts(opts.BarChart{Stack: "purview"}),
			ec.WithItemStyleOpts(opts.ItemStyle{Color: PurviewColors[p]}))
		bar.MultiSeries[len(bar.MultiSeries)-1].Data = data
		bar.MultiSeries[len(bar.MultiSeries)-1].BarMaxWidth = maxBar
	}
	return bar
}

// percent rounds n/total to one decimal place.
func percent(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return float64(int(float64(n)*1000/float64(total)+0.5)) / 10
}

// Timeline draws purview positions per meeting over time. With many
// meetings a slider lets the analyst zoom into a period.
//
// A point's link is the statements of its meeting and position. The
// option carries one link template per series and the meetings, which
// app.js fills in on a click, instead of a URL in every point: over the
// whole record (thousands of meetings) per-point URLs were 90 % of a
// 1.9 MB page. A link that does not escape query values gets per-point
// URLs, as the other charts have.
func Timeline(rows []store.MeetingPurview, src Source, link Link) Chart {
	cats := make([]string, len(rows))
	symbols := make([]string, len(rows))
	for i, r := range rows {
		cats[i] = r.Meeting
		if r.Date != "" {
			cats[i] += " " + r.Date
		}
		symbols[i] = r.Meeting
	}
	line := ec.NewLine()
	gopts := append(global(IDTimeline, "Purview positions over meetings", src, 460),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		ec.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "50", Left: "left"}),
		ec.WithGridOpts(opts.Grid{Top: "90", Left: "2%", Right: "4%", Bottom: "70", ContainLabel: opts.Bool(true)}),
		ec.WithXAxisOpts(opts.XAxis{Type: "category", AxisLabel: &opts.AxisLabel{Rotate: 30}}),
		ec.WithYAxisOpts(opts.YAxis{Type: "value", Name: "statements", MinInterval: 1}),
	)
	if len(rows) > 12 {
		gopts = append(gopts, ec.WithDataZoomOpts(opts.DataZoom{Type: "slider", Start: 0, End: 100, XAxisIndex: []int{0}}))
	}
	line.SetGlobalOptions(gopts...)
	line.SetXAxis(cats)
	lk := seriesLinks{Slot: url.QueryEscape(linkSlot), Values: symbols}
	for _, p := range store.PurviewValues {
		tmpl := link("meeting", linkSlot, "purview", p)
		if !strings.Contains(tmpl, lk.Slot) {
			lk.Templates = nil
			break
		}
		lk.Templates = append(lk.Templates, tmpl)
	}
	for _, p := range store.PurviewValues {
		var data any
		if lk.Templates != nil {
			values := make([]int, len(rows))
			for i, r := range rows {
				values[i] = r.Get(p)
			}
			data = values
		} else {
			items := make([]item, len(rows))
			for i, r := range rows {
				items[i] = item{Value: r.Get(p), URL: link("meeting", r.Meeting, "purview", p)}
			}
			data = items
		}
		line.AddSeries(PurviewLabels[p], nil, ec.WithItemStyleOpts(opts.ItemStyle{Color: PurviewColors[p]}),
			ec.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(true)}))
		line.MultiSeries[len(line.MultiSeries)-1].Data = data
	}
	if lk.Templates == nil {
		return line
	}
	return linked{Chart: line, links: lk}
}

// linkSlot stands for the varying value in a link template. Filter values
// cannot hold control characters (store.Filter.Validate), so no filter
// of the page can contain it.
const linkSlot = "\x01"

// seriesLinks are the links of a chart's points as templates: the point
// at data index i of series k links to Templates[k] with Slot replaced by
// Values[i], query-escaped (app.js does this on a click).
type seriesLinks struct {
	Templates []string `json:"templates"`
	Slot      string   `json:"slot"`
	Values    []string `json:"values"`
}

// linked is a chart whose option carries its points' links as
// seriesLinks under "links", a key echarts ignores.
type linked struct {
	Chart
	links seriesLinks
}

func (l linked) JSON() map[string]any {
	m := l.Chart.JSON()
	m["links"] = l.links
	return m
}

// FramesRadar draws each delegation's frames as one polygon: the number of
// its statements using each frame. It serves one delegation's profile and
// the comparison of two to four.
func FramesRadar(profiles []store.DelegationInfo, src Source) *ec.Radar {
	var all []store.TagCount
	for _, p := range profiles {
		all = append(all, p.Frames...)
	}
	// Every codebook frame is an axis, used or not, so that the shapes of
	// two delegations compare axis for axis; frames of a custom codebook
	// that the default does not know are added after them.
	frames := append([]string{}, Frames...)
	for _, f := range frameOrder(all) {
		if !slices.Contains(frames, f) {
			frames = append(frames, f)
		}
	}
	maxV := 1
	for _, r := range all {
		maxV = max(maxV, r.Statements)
	}
	ind := make([]*opts.Indicator, len(frames))
	for i, f := range frames {
		ind[i] = &opts.Indicator{Name: f, Max: float32(maxV), Min: 0}
	}
	r := ec.NewRadar()
	r.SetGlobalOptions(append(global(IDFramesRadar, "Frames used (statements)", src, 460),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		ec.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "50", Left: "left"}),
		ec.WithRadarComponentOpts(opts.RadarComponent{Indicator: ind, Center: []string{"50%", "58%"}}),
	)...)
	for _, p := range profiles {
		counts := map[string]int{}
		for _, f := range p.Frames {
			counts[f.Value] = f.Statements
		}
		vals := make([]int, len(frames))
		for i, f := range frames {
			vals[i] = counts[f]
		}
		r.AddSeries(p.Name, []opts.RadarData{{Name: p.Name, Value: vals}})
	}
	return r
}
