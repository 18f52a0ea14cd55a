package charts

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/store"
)

func testLink(pairs ...string) string { return "/statements?" + strings.Join(pairs, "&") }

// optionOf validates a chart and returns its option as plain JSON values.
func optionOf(t *testing.T, c Chart) map[string]any {
	t.Helper()
	c.Validate()
	b, err := json.Marshal(c.JSON())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func seriesOf(opt map[string]any) []map[string]any {
	var out []map[string]any
	for _, s := range opt["series"].([]any) {
		out = append(out, s.(map[string]any))
	}
	return out
}

var purviewRows = []store.DelegationPurview{
	{Delegation: "Russian Federation", ISO3: "RUS", Position: "contests", PurviewCounts: store.PurviewCounts{Contests: 2, Affirms: 1, Total: 3}},
	{Delegation: "Egypt", ISO3: "EGY", Position: "conditional", PurviewCounts: store.PurviewCounts{Conditional: 1, Total: 1}},
	{Delegation: "European Union", Position: "affirms", PurviewCounts: store.PurviewCounts{Affirms: 1, Total: 1}},
	{Delegation: "Côte d’Ivoire", ISO3: "CIV", Position: "unstated", PurviewCounts: store.PurviewCounts{Unstated: 2, Total: 2}},
}

var src = Source{Meetings: []store.SourceMeeting{{Symbol: "SC/12751", Date: "2017-03-15"}}, CodebookVersion: "cb1"}

func TestPurviewBars(t *testing.T) {
	bar := PurviewBars(purviewRows, src, testLink)
	opt := optionOf(t, bar)
	series := seriesOf(opt)
	var names []string
	for _, s := range series {
		names = append(names, s["name"].(string))
		if s["stack"] != "purview" || s["type"] != "bar" {
			t.Errorf("series %v: stack %v type %v, want stacked bars", s["name"], s["stack"], s["type"])
		}
	}
	if want := []string{"contests", "conditional", "affirms", "unstated"}; !reflect.DeepEqual(names, want) {
		t.Errorf("series = %v, want %v", names, want)
	}
	y := opt["yAxis"].([]any)[0].(map[string]any)
	if cats := y["data"].([]any); !reflect.DeepEqual(cats, []any{"Russian Federation", "Egypt", "European Union", "Côte d’Ivoire"}) {
		t.Errorf("categories = %v, want the rows' order (objectors first)", cats)
	}
	if y["inverse"] != true {
		t.Errorf("y axis not inverted: objectors would be at the bottom")
	}
	first := series[0]["data"].([]any)[0].(map[string]any)
	if first["value"] != 2.0 || first["url"] != "/statements?delegation&Russian Federation&purview&contests" {
		t.Errorf("first item = %v", first)
	}
	if opt["animation"] != false {
		t.Errorf("animation = %v", opt["animation"])
	}
	title := opt["title"].(map[string]any)
	if title["subtext"] != "Source: SC/12751 (2017-03-15) · codebook cb1" {
		t.Errorf("subtitle = %q", title["subtext"])
	}
	feat := opt["toolbox"].(map[string]any)["feature"].(map[string]any)
	if _, ok := feat["saveAsImage"]; !ok {
		t.Errorf("no save-as-image in the toolbox")
	}
	if _, ok := feat["dataView"]; !ok {
		t.Errorf("no data view in the toolbox")
	}
	if bar.ChartID != IDPurviewBars {
		t.Errorf("ChartID = %q, want %q", bar.ChartID, IDPurviewBars)
	}
	if got := bar.JSAssets.Values; !reflect.DeepEqual(got, []string{"/static/echarts/echarts.min.js"}) {
		t.Errorf("assets = %v, want local echarts only", got)
	}
}

func TestRenderStableAndSafe(t *testing.T) {
	rows := append([]store.DelegationPurview{{Delegation: "</script><script>x()</script>", PurviewCounts: store.PurviewCounts{Contests: 1, Total: 1}}}, purviewRows...)
	a, err := Render(PurviewBars(rows, src, testLink), IDPurviewBars, "t", 400)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Render(PurviewBars(rows, src, testLink), IDPurviewBars, "t", 400)
	if string(a.Option) != string(b.Option) || a.ID != IDPurviewBars {
		t.Errorf("rendering the same rows twice differs")
	}
	if strings.Contains(string(a.Option), "</script>") || !strings.Contains(string(a.Option), `\u003c/script\u003e`) {
		t.Errorf("option JSON is not safe inside <script>")
	}
}

func TestPurviewMapAndDonut(t *testing.T) {
	m := PurviewMap(purviewRows, src, testLink)
	opt := optionOf(t, m)
	s := seriesOf(opt)[0]
	if s["map"] != "world" || s["type"] != "map" {
		t.Errorf("series = %v", s)
	}
	data := s["data"].([]any)
	if len(data) != 3 { // the EU has no ISO3
		t.Fatalf("map items = %d, want 3", len(data))
	}
	civ := data[2].(map[string]any)
	if civ["name"] != "CIV" || civ["delegation"] != "Côte d’Ivoire" || civ["position"] != "unstated" {
		t.Errorf("map item = %v", civ)
	}
	if !reflect.DeepEqual(m.JSAssets.Values, []string{"/static/echarts/echarts.min.js", "/static/echarts/maps/world.js"}) {
		t.Errorf("map assets = %v", m.JSAssets.Values)
	}

	pie := optionOf(t, PurviewDonut(store.PurviewCounts{Contests: 2, Conditional: 1, Affirms: 2, Unstated: 2, Total: 7}, src, testLink))
	var got []string
	for _, d := range seriesOf(pie)[0]["data"].([]any) {
		it := d.(map[string]any)
		got = append(got, it["name"].(string)+"="+strings.TrimSuffix(strings.TrimSuffix(jsonNum(it["value"]), ".0"), ""))
	}
	if want := []string{"contests=2", "conditional=1", "affirms=2", "unstated=2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("donut = %v, want %v", got, want)
	}
}

func jsonNum(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestFramesHeatmap(t *testing.T) {
	rows := []store.TagCount{
		{Delegation: "Brazil", Value: "gender", Statements: 1},
		{Delegation: "Egypt", Value: "zeta_frame", Statements: 1},
		{Delegation: "Egypt", Value: "victim_centred", Statements: 3},
	}
	opt := optionOf(t, FramesHeatmap(rows, src, testLink))
	x := opt["xAxis"].([]any)[0].(map[string]any)
	if !reflect.DeepEqual(x["data"], []any{"victim_centred", "gender", "zeta_frame"}) || x["type"] != "category" {
		t.Errorf("x axis = %v, want codebook frames then others", x)
	}
	y := opt["yAxis"].([]any)[0].(map[string]any)
	if !reflect.DeepEqual(y["data"], []any{"Egypt", "Brazil"}) {
		t.Errorf("y axis = %v, want most framed first", y["data"])
	}
	cell := seriesOf(opt)[0]["data"].([]any)[2].(map[string]any)
	if jsonNum(cell["value"]) != "[0,0,3]" || cell["url"] != "/statements?delegation&Egypt&frame&victim_centred" {
		t.Errorf("cell = %v", cell)
	}
	if vm := opt["visualMap"].([]any)[0].(map[string]any); vm["max"] != 3.0 {
		t.Errorf("visualMap max = %v", vm["max"])
	}
}

func TestInstrumentsAndNetwork(t *testing.T) {
	rows := []store.TagCount{
		{Delegation: "Austria", Value: "UNSCR_2331", Statements: 1},
		{Delegation: "Egypt", Value: "UNSCR_2331", Statements: 2},
		{Delegation: "Egypt", Value: "UNTOC", Statements: 1},
	}
	reach := store.Reach(rows)
	if !reflect.DeepEqual(reach, []store.InstrumentReach{{Instrument: "UNSCR_2331", Delegations: 2, Statements: 3}, {Instrument: "UNTOC", Delegations: 1, Statements: 1}}) {
		t.Errorf("Reach = %v", reach)
	}
	bar := optionOf(t, InstrumentsBar(reach, src, testLink))
	if cats := bar["yAxis"].([]any)[0].(map[string]any)["data"]; !reflect.DeepEqual(cats, []any{"UNSCR_2331", "UNTOC"}) {
		t.Errorf("instrument order = %v", cats)
	}
	g := optionOf(t, InstrumentsNetwork(rows, src, testLink, func(d string) string { return "/delegations/" + d }))
	s := seriesOf(g)[0]
	nodes := s["data"].([]any)
	if len(nodes) != 4 || len(s["links"].([]any)) != 3 {
		t.Fatalf("network: %d nodes, %d links", len(nodes), len(s["links"].([]any)))
	}
	egypt := nodes[1].(map[string]any)
	if egypt["name"] != "Egypt" || egypt["url"] != "/delegations/Egypt" || egypt["value"] != 2.0 {
		t.Errorf("node = %v", egypt)
	}
	if inst := nodes[2].(map[string]any); inst["name"] != "◆ UNSCR_2331" || inst["category"] != 1.0 {
		t.Errorf("instrument node = %v", inst)
	}
}

func TestBlocBarsPercent(t *testing.T) {
	rows := []store.BlocStance{
		{Bloc: "P5", FilterKey: "group", FilterValue: "P5", PurviewCounts: store.PurviewCounts{Contests: 1, Affirms: 2, Total: 3}},
		{Bloc: "Non-members", FilterKey: "council", FilterValue: "non-members", PurviewCounts: store.PurviewCounts{Unstated: 1, Total: 1}},
	}
	opt := optionOf(t, BlocBars(rows, src, testLink))
	series := seriesOf(opt)
	p5contests := series[0]["data"].([]any)[0].(map[string]any)
	if p5contests["value"] != 33.3 || p5contests["count"] != 1.0 || p5contests["url"] != "/statements?group&P5&purview&contests" {
		t.Errorf("P5 contests = %v", p5contests)
	}
	nm := series[3]["data"].([]any)[1].(map[string]any)
	if nm["value"] != 100.0 || nm["url"] != "/statements?council&non-members&purview&unstated" {
		t.Errorf("non-members unstated = %v", nm)
	}
	if cats := opt["yAxis"].([]any)[0].(map[string]any)["data"]; !reflect.DeepEqual(cats, []any{"P5 (3)", "Non-members (1)"}) {
		t.Errorf("categories = %v", cats)
	}
}

func TestTimelineAndRadar(t *testing.T) {
	var rows []store.MeetingPurview
	for i := 0; i < 13; i++ {
		rows = append(rows, store.MeetingPurview{Meeting: "SC/" + string(rune('A'+i)), Date: "2017-01-01", PurviewCounts: store.PurviewCounts{Affirms: i, Total: i}})
	}
	opt := optionOf(t, Timeline(rows, src, testLink))
	if len(seriesOf(opt)) != 4 || opt["dataZoom"] == nil {
		t.Errorf("timeline: %d series, dataZoom %v", len(seriesOf(opt)), opt["dataZoom"])
	}
	if x := opt["xAxis"].([]any)[0].(map[string]any)["data"].([]any); x[0] != "SC/A 2017-01-01" {
		t.Errorf("timeline x = %v", x[0])
	}
	// testLink does not escape values, so no template can be made of it:
	// every point keeps its own URL.
	if p := seriesOf(opt)[2]["data"].([]any)[1].(map[string]any); p["url"] != "/statements?meeting&SC/B&purview&affirms" || opt["links"] != nil {
		t.Errorf("timeline point = %v, links %v", p, opt["links"])
	}
	r := optionOf(t, FramesRadar([]store.DelegationInfo{
		{Name: "Egypt", Frames: []store.TagCount{{Delegation: "Egypt", Value: "gender", Statements: 2}}},
		{Name: "Brazil"},
	}, src))
	ind := r["radar"].(map[string]any)["indicator"].([]any)
	var axes []string
	for _, i := range ind {
		axes = append(axes, i.(map[string]any)["name"].(string))
	}
	// Every codebook frame is an axis, in codebook order, used or not.
	if strings.Join(axes, ",") != strings.Join(Frames, ",") {
		t.Errorf("radar axes = %v, want every codebook frame %v", axes, Frames)
	}
	if s := seriesOf(r); len(s) != 2 || s[0]["name"] != "Egypt" {
		t.Errorf("radar series = %v", s)
	}
}

func TestSubtitle(t *testing.T) {
	four := Source{Meetings: []store.SourceMeeting{{Symbol: "SC/1", Date: "2001-01-01"}, {Symbol: "SC/2", Year: 2001}, {Symbol: "SC/3", Date: "2002-01-01"}, {Symbol: "SC/4", Date: "2003-05-05"}}}
	many := Source{Meetings: append([]store.SourceMeeting{{Symbol: "SC/0", Year: 2000}}, four.Meetings...)}
	tests := []struct {
		src  Source
		want string
	}{
		{Source{}, "Source: no meetings"},
		{Source{Meetings: []store.SourceMeeting{{Symbol: "SC/1", Date: ""}}, CodebookVersion: "v"}, "Source: SC/1 · codebook v"},
		{four, "Source: SC/1 (2001-01-01); SC/2 (2001); SC/3 (2002-01-01); SC/4 (2003-05-05)"},
		{many, "Source: 5 meetings, 2000 to 2003-05-05"},
	}
	for _, tt := range tests {
		if got := tt.src.Subtitle(); got != tt.want {
			t.Errorf("Subtitle() = %q, want %q", got, tt.want)
		}
	}
}

// TestTimelineLinkTemplates: with a link that escapes its values, as the
// server's does, the points are bare numbers and the option's link
// templates, filled as app.js fills them, give the URL of each point.
func TestTimelineLinkTemplates(t *testing.T) {
	escaping := func(pairs ...string) string {
		v := url.Values{"q": {"a b&c"}}
		for i := 0; i+1 < len(pairs); i += 2 {
			v.Set(pairs[i], pairs[i+1])
		}
		return "/statements?" + v.Encode()
	}
	rows := []store.MeetingPurview{
		{Meeting: "SC/12751", Date: "2017-03-15", PurviewCounts: store.PurviewCounts{Affirms: 3, Contests: 1, Total: 4}},
		{Meeting: "A/C.3/72/SR.1", PurviewCounts: store.PurviewCounts{Unstated: 2, Total: 2}},
	}
	opt := optionOf(t, Timeline(rows, src, escaping))
	b, _ := json.Marshal(opt["links"])
	var links seriesLinks
	if err := json.Unmarshal(b, &links); err != nil || len(links.Templates) != len(store.PurviewValues) {
		t.Fatalf("links = %s (%v)", b, err)
	}
	for k, p := range store.PurviewValues {
		data := seriesOf(opt)[k]["data"].([]any)
		for i, r := range rows {
			if data[i] != float64(r.Get(p)) {
				t.Errorf("series %s point %d = %v, want the bare count %d", p, i, data[i], r.Get(p))
			}
			got := strings.ReplaceAll(links.Templates[k], links.Slot, url.QueryEscape(links.Values[i]))
			if want := escaping("meeting", r.Meeting, "purview", p); got != want {
				t.Errorf("link of %s/%s = %s, want %s", r.Meeting, p, got, want)
			}
		}
	}
}
