package server

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/store"
)

// TestManyMeetings: with more meetings than a page should carry, the
// overview and the audit list them a page at a time, the filter form
// suggests the latest meetings instead of listing all, and the shifts page
// sums shifts up per delegation, each linking to its full list.
func TestManyMeetings(t *testing.T) {
	s, st := newTestServer(t, false)
	n := formMeetings + 30
	generate(t, st, n, 4)

	home := get(t, s, "/").body
	if want := fmt.Sprintf("Meetings 1–%d of %d", meetingsPerPage, n); !strings.Contains(home, want) {
		t.Errorf("overview does not say %q", want)
	}
	rows := regexp.MustCompile(`<tr><td><a href="/meetings/`).FindAllStringIndex(home, -1)
	if len(rows) != meetingsPerPage {
		t.Errorf("overview lists %d meetings, want a page of %d", len(rows), meetingsPerPage)
	}
	if !strings.Contains(home, `href="/?page=2" rel="next"`) {
		t.Errorf("overview has no link to its second page")
	}
	last := get(t, s, fmt.Sprintf("/?page=%d", (n+meetingsPerPage-1)/meetingsPerPage)).body
	if !strings.Contains(last, fmt.Sprintf("of %d", n)) || !strings.Contains(last, fmt.Sprintf("SC/%d", 20000+n-1)) ||
		strings.Contains(last, `rel="next"`) {
		t.Errorf("the overview's last page does not end with the last meeting")
	}
	audit := get(t, s, "/audit?page=2").body
	if !strings.Contains(audit, fmt.Sprintf("Documents %d–%d of %d", meetingsPerPage+1, 2*meetingsPerPage, n)) {
		t.Errorf("audit page 2 does not list documents %d to %d", meetingsPerPage+1, 2*meetingsPerPage)
	}
	if r := get(t, s, "/audit?page=x"); r.code != 400 {
		t.Errorf("/audit?page=x = %d, want 400", r.code)
	}

	// The form: a text box with the latest meetings suggested.
	if strings.Contains(home, `<select name="meeting">`) || !strings.Contains(home, `<input name="meeting"`) {
		t.Errorf("the filter form lists every meeting in a select")
	}
	if got := strings.Count(home, "<option value=\"SC/"); got != formMeetings {
		t.Errorf("the form suggests %d meetings, want the latest %d", got, formMeetings)
	}
	if !strings.Contains(home, fmt.Sprintf(`<option value="SC/%d">`, 20000+n-1)) || strings.Contains(home, `<option value="SC/20000">`) {
		t.Errorf("the form does not suggest the latest meetings")
	}
	// A meeting typed in the box still filters.
	if page := get(t, s, "/statements?meeting=SC/20000").body; !strings.Contains(page, "Statements 1–4 of 4") ||
		!strings.Contains(page, `<input name="meeting" value="SC/20000"`) {
		t.Errorf("the oldest meeting, typed in, does not filter")
	}

	// Shifts: positions are random per meeting, so every delegation shifts
	// far more often than a page can list.
	shifts := get(t, s, "/shifts").body
	if !strings.Contains(shifts, `id="shifts-summary"`) {
		t.Fatalf("shifts are listed one by one (%d bytes)", len(shifts))
	}
	link := regexp.MustCompile(`<a href="(/shifts\?delegation=[^"]+)">([^<]+)</a></td><td class="num">(\d+)</td>`).FindStringSubmatch(shifts)
	if link == nil {
		t.Fatal("the summary has no delegation linking to its shifts")
	}
	one := get(t, s, html.UnescapeString(link[1])).body
	if strings.Contains(one, `id="shifts-summary"`) {
		t.Errorf("%s is summed up again", link[1])
	}
	if got := strings.Count(one, `<td><a href="/delegations/`); fmt.Sprint(got) != link[3] {
		t.Errorf("%s lists %d shifts, the summary said %s", link[2], got, link[3])
	}
}

// TestFewMeetings: a small database keeps the select of every meeting and
// lists every shift.
func TestFewMeetings(t *testing.T) {
	s, st := newTestServer(t, false)
	generate(t, st, 12, 4)
	home := get(t, s, "/").body
	if !strings.Contains(home, `<select name="meeting">`) || strings.Count(home, `<option value="SC/`) != 12 {
		t.Errorf("the filter form does not offer all 12 meetings in a select")
	}
	if strings.Contains(home, `rel="next"`) || strings.Contains(home, "Meetings 1–") {
		t.Errorf("the overview pages 12 meetings")
	}
	if shifts := get(t, s, "/shifts").body; strings.Contains(shifts, `id="shifts-summary"`) {
		t.Errorf("shifts of 12 meetings are summed up")
	}
}

// TestFilterSuggestions: the form's free fields suggest the values the
// data holds, so an analyst need not know the codebook's ids.
func TestFilterSuggestions(t *testing.T) {
	s, _ := newTestServer(t, true)
	page := get(t, s, "/charts/frames").body
	for list, want := range map[string][]string{
		"choice-bodies":      {"SC"},
		"choice-groups":      {"African Group", "E10", "NAM", "P5", "WEOG"},
		"choice-frames":      {"counter_terrorism", "gender", "victim_centred"},
		"choice-instruments": {"TIP_PROTOCOL", "UNSCR_2331"},
	} {
		m := regexp.MustCompile(`<datalist id="` + list + `">(.*?)</datalist>`).FindStringSubmatch(page)
		if m == nil {
			t.Errorf("no datalist %s", list)
			continue
		}
		if !strings.Contains(page, `list="`+list+`"`) {
			t.Errorf("no input uses %s", list)
		}
		for _, w := range want {
			if !strings.Contains(m[1], `<option value="`+w+`">`) {
				t.Errorf("%s does not offer %q: %s", list, w, m[1])
			}
		}
	}
}

// weirdSymbols are meeting symbols with characters that url.QueryEscape and
// JavaScript's encodeURIComponent escape differently (space, ' ( ) * ! ~),
// that a query string gives meaning to (+ & = # ; %), and non-ASCII.
var weirdSymbols = []string{"A/HRC/37/L.1 (Rev 2)", "SC/1+2", "S/PV.8000 'Résumé'*", "X&Y=Z#1;2", "50%01 ~!", "a%20b"}

// addWeirdMeetings stores a meeting for each of weirdSymbols, the i-th
// with i+1 affirming statements and one contesting.
func addWeirdMeetings(t testing.TB, st *store.Store) {
	t.Helper()
	for i, sym := range weirdSymbols {
		var turns []turn
		for j := 0; j <= i+1; j++ {
			p := "affirms"
			if j == 0 {
				p = "contests"
			}
			text := fmt.Sprintf("Turn %d: the Council position is %s.", j, p)
			turns = append(turns, turn{deleg: "France", iso3: "FRA", speaker: "SPEAKER", text: text, member: yes(),
				blocs: []string{"P5"}, purview: p, purviewEv: "the Council position is " + p})
		}
		addMeeting(t, st, sym, fmt.Sprintf("2017-0%d-15", i+1), 9100+i, turns)
	}
}

// encodeURIComponent is JavaScript's: every UTF-8 byte escaped but
// letters, digits and - _ . ! ~ * ' ( ).
func encodeURIComponent(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// TestTimelineLinksSelectThePoint: a timeline point's URL, built as app.js
// builds it from its series' template, selects the same statements as the
// URL the server would have given the point, and as many as the point
// counts, for symbols that the two escapings treat differently.
func TestTimelineLinksSelectThePoint(t *testing.T) {
	s, st := newTestServer(t, false)
	addWeirdMeetings(t, st)
	optRe := regexp.MustCompile(`<script type="application/json" id="timeline-option">(.*?)</script>`)
	for _, query := range []string{"", "?kind=member_state&q=Council+position", "?group=P5&council=members&from=2017-01-01"} {
		page := get(t, s, "/charts/timeline"+query)
		m := optRe.FindStringSubmatch(page.body)
		if page.code != 200 || m == nil {
			t.Fatalf("/charts/timeline%s: %d, no option", query, page.code)
		}
		var opt struct {
			Series []struct {
				Data []int `json:"data"`
			} `json:"series"`
			Links struct {
				Templates []string `json:"templates"`
				Slot      string   `json:"slot"`
				Values    []string `json:"values"`
			} `json:"links"`
		}
		if err := json.Unmarshal([]byte(m[1]), &opt); err != nil {
			t.Fatal(err)
		}
		if len(opt.Links.Values) != len(weirdSymbols) || len(opt.Links.Templates) != len(opt.Series) {
			t.Fatalf("%s: links %+v for %d series", query, opt.Links, len(opt.Series))
		}
		f, err := filterFromValues(mustQuery(t, strings.TrimPrefix(query, "?")))
		if err != nil {
			t.Fatal(err)
		}
		for k, series := range opt.Series {
			for i, sym := range opt.Links.Values {
				js := strings.ReplaceAll(opt.Links.Templates[k], opt.Links.Slot, encodeURIComponent(sym))
				server := statementsLink(f)("meeting", sym, "purview", store.PurviewValues[k])
				got := get(t, s, strings.Replace(js, "/statements?", "/statements.json?", 1))
				want := get(t, s, strings.Replace(server, "/statements?", "/statements.json?", 1))
				var recs, wantRecs []map[string]any
				if err := json.Unmarshal([]byte(got.body), &recs); got.code != 200 || err != nil {
					t.Errorf("%s: %d %v %.200s", js, got.code, err, got.body)
					continue
				}
				json.Unmarshal([]byte(want.body), &wantRecs)
				if got.body != want.body || len(recs) != series.Data[i] {
					t.Errorf("point %s/%s: the browser's %s selects %d statements, the server's %s %d, the point counts %d",
						sym, store.PurviewValues[k], js, len(recs), server, len(wantRecs), series.Data[i])
				}
			}
		}
	}
}

func mustQuery(t *testing.T, q string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestPagePastTheEnd: a page number past the last page (an old link after
// meetings were removed, a typed URL) says so and links back to the last
// page, on the overview, the audit and the statements, instead of "0–0".
func TestPagePastTheEnd(t *testing.T) {
	s, st := newTestServer(t, false)
	generate(t, st, meetingsPerPage+30, 2)
	small, smallSt := newTestServer(t, false)
	generate(t, smallSt, 12, 2)
	tests := []struct {
		srv        *Server
		path, prev string
	}{
		{s, "/?page=3", "/?page=2"},
		{s, "/?page=999&body=SC", "/?body=SC&amp;page=2"},
		{s, "/audit?page=7", "/audit?page=2"},
		{s, "/statements?page=9999&kind=member_state", "/statements?kind=member_state&amp;page=6"},
		{small, "/?page=2", "/?page=1"},
		{small, "/audit?page=5", "/audit?page=1"},
	}
	for _, tt := range tests {
		body := get(t, tt.srv, tt.path).body
		if strings.Contains(body, "0–0") || !strings.Contains(body, "past the last page") {
			t.Errorf("%s does not say it is past the last page", tt.path)
		}
		if !strings.Contains(body, `href="`+tt.prev+`" rel="prev"`) {
			t.Errorf("%s does not link back to %s", tt.path, tt.prev)
		}
	}
}

// TestMeetingFormSwitch: the filter form offers a select of every meeting
// up to formMeetings meetings, and a text box past it.
func TestMeetingFormSwitch(t *testing.T) {
	s, st := newTestServer(t, false)
	generate(t, st, formMeetings, 1)
	home := get(t, s, "/").body
	if !strings.Contains(home, `<select name="meeting">`) || strings.Count(home, `<option value="SC/`) != formMeetings ||
		strings.Contains(home, `list="meeting-symbols"`) {
		t.Errorf("%d meetings are not all offered in a select", formMeetings)
	}
	addMeeting(t, st, "SC/1", "1999-01-01", 1, []turn{{deleg: "France", iso3: "FRA", text: "A turn."}})
	home = get(t, s, "/").body
	if strings.Contains(home, `<select name="meeting">`) || !strings.Contains(home, `list="meeting-symbols"`) ||
		strings.Count(home, `<option value="SC/`) != formMeetings || strings.Contains(home, `<option value="SC/1">`) {
		t.Errorf("%d meetings are not offered as a text box suggesting the latest %d", formMeetings+1, formMeetings)
	}
}

// TestFilterSuggestionsEscaped: values from the data in the form's
// suggestions and the shifts summary are escaped as HTML.
func TestFilterSuggestionsEscaped(t *testing.T) {
	s, st := newTestServer(t, false)
	const bloc, frame, deleg = `<b>"G&7`, `x"><script>alert(1)</script>`, `<i>"State"`
	for i := 0; i < 2*maxShiftRows+4; i++ {
		p := []string{"affirms", "contests"}[i%2]
		text := "The Council position is " + p + "."
		// Two delegations shifting at every meeting: too many to list.
		turns := []turn{{deleg: deleg, text: text, blocs: []string{bloc}, purview: p, purviewEv: text,
			frames: map[string]string{frame: "Council"}}, {deleg: "France", iso3: "FRA", text: text, purview: p, purviewEv: text}}
		addMeeting(t, st, fmt.Sprintf("SC/%d", 30000+i), fmt.Sprintf("%d-%02d-01", 2000+i/12, 1+i%12), 30000+i, turns)
	}
	for _, path := range []string{"/statements", "/shifts"} {
		page := get(t, s, path).body
		for _, raw := range []string{bloc, frame, deleg, "<script>"} {
			if strings.Contains(page, raw) {
				t.Errorf("%s holds %q unescaped", path, raw)
			}
		}
		for _, v := range []string{bloc, frame} {
			if !strings.Contains(page, `<option value="`+html.EscapeString(v)) && !strings.Contains(html.UnescapeString(page), `<option value="`+v+`">`) {
				t.Errorf("%s does not suggest %q", path, v)
			}
		}
	}
	if page := get(t, s, "/shifts").body; !strings.Contains(page, `id="shifts-summary"`) || !strings.Contains(html.UnescapeString(page), ">"+deleg+"</a>") {
		t.Errorf("the shifts summary does not list %q", deleg)
	}
}
