package report

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/browser"
	"github.com/stancetrack/stancetrack/codebook"
	"github.com/stancetrack/stancetrack/ingest"
	"github.com/stancetrack/stancetrack/model"
	"github.com/stancetrack/stancetrack/registry"
	"github.com/stancetrack/stancetrack/static"
	"github.com/stancetrack/stancetrack/store"
)

// turn is one statement of a fixture meeting; tags name their evidence,
// which must occur in text.
type turn struct {
	deleg, iso3, kind string
	member            *bool
	text              string
	purview, pEv      string
	frame, fEv        string
	inst, iEv         string
	dupOf             int
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

// groupName tests escaping in every format: quotes, <, > and &.
const groupName = `Group of "Friends" <&> Co`

// injection is a statement text that a spreadsheet would run as a formula.
const injection = `=HYPERLINK("http://evil.example","click") the Council must act, said the delegate.`

func addMeeting(t testing.TB, st *store.Store, symbol, date string, number int, turns []turn) {
	t.Helper()
	m := model.Meeting{Symbol: symbol, Body: "SC", Numbers: []int{number}, Date: date, Year: 2017, Source: "press_release",
		Headline: "Security Council debates trafficking in persons (" + symbol + ")"}
	doc := store.Document{Filename: strings.ReplaceAll(symbol, "/", "-") + ".txt", Format: "text", Raw: []byte(symbol + date), Meeting: m}
	tag := func(text, dim, value, ev string) model.Tag {
		i := strings.Index(text, ev)
		if i < 0 {
			t.Fatalf("fixture: %q not in %q", ev, text)
		}
		return model.Tag{Dimension: dim, Value: value, Evidence: ev, Start: i, End: i + len(ev), Rule: dim + "." + value,
			Source: model.SourceCodebook, CodebookVersion: "cb-test-7"}
	}
	for i, tu := range turns {
		s := model.Statement{Seq: i + 1, Section: "Statements", Speaker: "SPEAKER", DelegationRaw: tu.deleg, Delegation: tu.deleg,
			ISO3: tu.iso3, Kind: tu.kind, CouncilMember: tu.member, Text: tu.text, DuplicateOf: tu.dupOf}
		if s.Kind == "" {
			s.Kind = model.KindMemberState
		}
		if tu.purview != "" {
			s.Tags = append(s.Tags, tag(tu.text, model.DimPurview, tu.purview, tu.pEv))
		}
		if tu.frame != "" {
			s.Tags = append(s.Tags, tag(tu.text, model.DimFrame, tu.frame, tu.fEv))
		}
		if tu.inst != "" {
			s.Tags = append(s.Tags, tag(tu.text, model.DimInstrument, tu.inst, tu.iEv))
		}
		doc.Statements = append(doc.Statements, s)
		doc.Text += tu.text + "\n\n"
	}
	if _, err := st.AddDocument(context.Background(), doc); err != nil {
		t.Fatalf("fixture %s: %v", symbol, err)
	}
}

// Fixture counts, derived by hand from newFixture below.
const (
	fixtureStatements = 9  // duplicates included, as the statements export
	fixtureTags       = 16 // every tag of those statements
	fixtureDelegs     = 5  // purview rows: delegations with a statement, duplicates excluded
	fixtureStates     = 4  // map rows: those with an ISO3 code
)

// newFixture stores two meetings: objectors and supporters, a turn with
// no delegation, a repeated turn, a group with markup characters in its
// name and a statement that starts like a spreadsheet formula.
func newFixture(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	addMeeting(t, st, "SC/12751", "2017-03-15", 7898, []turn{
		{kind: model.KindUNSystem, text: "Trafficking in conflict is a grave crime."},
		{deleg: "United Kingdom", iso3: "GBR", member: yes(), text: "The Council had a duty to act, and victims deserve protection under the Palermo Protocol.",
			purview: "affirms", pEv: "The Council had a duty to act", frame: "victim_centred", fEv: "victims deserve protection", inst: "TIP_PROTOCOL", iEv: "Palermo Protocol"},
		{deleg: "Russian Federation", iso3: "RUS", member: yes(), text: "Trafficking fell outside the Council's purview; Da'esh profits from it.",
			purview: "contests", pEv: "fell outside the Council's purview", frame: "counter_terrorism", fEv: "Da'esh profits"},
		{deleg: "Egypt", iso3: "EGY", member: yes(), text: "Only in conjunction with situations on its agenda, under resolution 2331 (2016).",
			purview: "conditional", pEv: "Only in conjunction", inst: "UNSCR_2331", iEv: "resolution 2331 (2016)"},
		{deleg: groupName, kind: model.KindIntergovernmental, text: injection, purview: "affirms", pEv: "the Council must act", inst: "UNSCR_2331", iEv: "the Council"},
		{deleg: "Austria", iso3: "AUT", member: no(), text: "The Council had a role to play, as resolution 2331 (2016) recognized.",
			purview: "affirms", pEv: "The Council had a role to play", inst: "UNSCR_2331", iEv: "resolution 2331 (2016)"},
		{deleg: "Austria", iso3: "AUT", member: no(), text: "The Council had a role to play, as resolution 2331 (2016) recognized.",
			purview: "affirms", pEv: "The Council had a role to play", dupOf: 6},
	})
	addMeeting(t, st, "SC/13000", "2017-09-20", 8050, []turn{
		{deleg: "United Kingdom", iso3: "GBR", member: yes(), text: "The Council must lead, as resolution 2331 (2016) asks.",
			purview: "affirms", pEv: "The Council must lead", inst: "UNSCR_2331", iEv: "resolution 2331 (2016)"},
		{deleg: "Egypt", iso3: "EGY", member: no(), text: "The matter belonged to the General Assembly; women and girls suffer most.",
			purview: "contests", pEv: "belonged to the General Assembly", frame: "gender", fEv: "women and girls"},
	})
	return st
}

// seedStore ingests the reference document through the real pipeline.
func seedStore(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "seed.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p := ingest.Pipeline{Store: st, Registry: registry.Default(), Codebook: codebook.Default()}
	if res := p.File(ctx, "../sample/docs/SC-12751.txt"); res.Err != nil {
		t.Fatal(res.Err)
	}
	return st
}

// requireChromium skips without Chromium or the echarts asset, except
// under CI, where a skip would hide a missing install step.
func requireChromium(t testing.TB) {
	t.Helper()
	miss := func(why string) {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set: %s", why)
		}
		t.Skip(why)
	}
	if !static.Has(static.EchartsJS) || !static.Has(static.WorldMapJS) {
		miss("the echarts asset is missing: run make assets")
	}
	if _, err := browser.Find(""); err != nil {
		miss(err.Error())
	}
}
