package server

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
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
