package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/model"
	"github.com/stancetrack/stancetrack/store"
)

// turn is one statement of a fixture meeting. Tags are given by the phrase
// that is their evidence; the phrase must occur in text.
type turn struct {
	deleg, iso3, kind string
	member            *bool
	blocs             []string
	speaker, title    string
	text              string
	purview           string // with purviewEv as evidence
	purviewEv         string
	frames            map[string]string // frame -> evidence
	instruments       map[string]string // instrument -> evidence
	dupOf             int
	analyst           bool // the purview tag is an analyst's
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

func evidenceTag(t testing.TB, text, dim, value, ev, source string) model.Tag {
	t.Helper()
	i := strings.Index(text, ev)
	if i < 0 {
		t.Fatalf("fixture: evidence %q not in %q", ev, text)
	}
	tag := model.Tag{Dimension: dim, Value: value, Evidence: ev, Start: i, End: i + len(ev), Rule: dim + "." + value,
		Source: source, CodebookVersion: "test-cb-1"}
	if source == model.SourceAnalyst {
		tag.CodebookVersion, tag.Rule, tag.Author = "", "analyst", "ana"
	}
	return tag
}

// addMeeting stores a meeting through the store's real ingest path.
func addMeeting(t testing.TB, st *store.Store, symbol, date string, number int, turns []turn) {
	t.Helper()
	m := model.Meeting{Symbol: symbol, Body: "SC", Numbers: []int{number}, Session: "AM", Date: date, Year: 2017,
		Headline: "Security Council debates trafficking in persons in conflict (" + symbol + ")",
		Summary:  "The Council met to discuss trafficking in persons in situations of conflict.", Source: "press_release"}
	if date != "" {
		fmt.Sscanf(date[:4], "%d", &m.Year)
	}
	doc := store.Document{Filename: strings.ReplaceAll(symbol, "/", "-") + ".txt", Format: "text",
		Raw: []byte(symbol + date), Notes: []string{"fixture"}, Meeting: m}
	for i, tu := range turns {
		s := model.Statement{Seq: i + 1, Section: "Statements", Speaker: tu.speaker, Title: tu.title,
			DelegationRaw: tu.deleg, Delegation: tu.deleg, ISO3: tu.iso3, Kind: tu.kind, CouncilMember: tu.member,
			Blocs: tu.blocs, Text: tu.text, DuplicateOf: tu.dupOf}
		if s.Kind == "" {
			s.Kind = model.KindMemberState
		}
		if tu.purview != "" {
			src := model.SourceCodebook
			if tu.analyst {
				src = model.SourceAnalyst
			}
			s.Tags = append(s.Tags, evidenceTag(t, tu.text, model.DimPurview, tu.purview, tu.purviewEv, src))
		}
		for _, k := range sortedKeys(tu.frames) {
			s.Tags = append(s.Tags, evidenceTag(t, tu.text, model.DimFrame, k, tu.frames[k], model.SourceCodebook))
		}
		for _, k := range sortedKeys(tu.instruments) {
			s.Tags = append(s.Tags, evidenceTag(t, tu.text, model.DimInstrument, k, tu.instruments[k], model.SourceCodebook))
		}
		doc.Statements = append(doc.Statements, s)
		doc.Text += tu.text + "\n\n"
	}
	if _, err := st.AddDocument(context.Background(), doc); err != nil {
		t.Fatalf("fixture %s: %v", symbol, err)
	}
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := range ks {
		for j := i + 1; j < len(ks); j++ {
			if ks[j] < ks[i] {
				ks[i], ks[j] = ks[j], ks[i]
			}
		}
	}
	return ks
}

const scriptText = `The General Assembly, not the Council, is the right forum for this <script>alert("xss")</script> question.`

// seed stores three realistic meetings modelled on the SC/12751 debate:
// objectors and supporters, a Secretary-General turn with no delegation, a
// repeated paragraph, a text with a <script> element, an apostrophe in
// "Côte d’Ivoire" and a group speaker with no ISO3.
func seed(t testing.TB, st *store.Store) {
	t.Helper()
	addMeeting(t, st, "SC/12751", "2017-03-15", 7898, []turn{
		{speaker: "ANTÓNIO GUTERRES", title: "Secretary-General", kind: model.KindUNSystem,
			text: "Trafficking in persons in conflict is a grave crime and the Council must keep it on its agenda."},
		{deleg: "United Kingdom", iso3: "GBR", member: yes(), blocs: []string{"P5", "WEOG"}, speaker: "AMBER RUDD",
			text:    "The Council had a duty to act against traffickers, and victims deserve protection under the Palermo Protocol.",
			purview: "affirms", purviewEv: "The Council had a duty to act against traffickers",
			frames:      map[string]string{"victim_centred": "victims deserve protection", "criminal_justice": "act against traffickers"},
			instruments: map[string]string{"TIP_PROTOCOL": "Palermo Protocol"}},
		{deleg: "Russian Federation", iso3: "RUS", member: yes(), blocs: []string{"P5", "EEG"}, speaker: "VLADIMIR SAFRONKOV",
			text:    "Trafficking fell outside the Council's purview and should be addressed by the General Assembly; Da'esh profits from it.",
			purview: "contests", purviewEv: "Trafficking fell outside the Council's purview",
			frames: map[string]string{"counter_terrorism": "Da'esh profits from it"}},
		{deleg: "Egypt", iso3: "EGY", member: yes(), blocs: []string{"E10", "NAM", "African Group"}, speaker: "AMR ABDELLATIF ABOULATTA",
			text:    "The Council should consider the matter only in conjunction with conflict situations on its agenda, under resolution 2331 (2016).",
			purview: "conditional", purviewEv: "only in conjunction with conflict situations on its agenda",
			instruments: map[string]string{"UNSCR_2331": "resolution 2331 (2016)"}},
		{deleg: "Côte d’Ivoire", iso3: "CIV", member: no(), blocs: []string{"NAM", "African Group"}, speaker: "CLAUDE STANISLAS BOUAH-KAMON",
			text:   "Côte d’Ivoire called for the protection of victims, especially women and girls, and for addressing poverty.",
			frames: map[string]string{"victim_centred": "protection of victims", "gender": "women and girls", "root_causes": "poverty"}},
		{deleg: "Brazil", iso3: "BRA", member: no(), blocs: []string{"GRULAC"}, speaker: "MAURO VIEIRA",
			text: scriptText, purview: "contests", purviewEv: "The General Assembly, not the Council, is the right forum"},
		{deleg: "European Union", kind: model.KindIntergovernmental, speaker: "JOANNE ADAMSON",
			text:    "The European Union urged the Council to take a greater role, citing the Palermo Protocol and resolution 2331 (2016).",
			purview: "affirms", purviewEv: "urged the Council to take a greater role",
			instruments: map[string]string{"TIP_PROTOCOL": "Palermo Protocol", "UNSCR_2331": "resolution 2331 (2016)"}},
		{deleg: "Austria", iso3: "AUT", member: no(), blocs: []string{"EU", "WEOG"}, speaker: "JAN KICKERT",
			text:    "The Council had a role to play in ending impunity for trafficking, as resolution 2331 (2016) recognized.",
			purview: "affirms", purviewEv: "The Council had a role to play", frames: map[string]string{"criminal_justice": "ending impunity"},
			instruments: map[string]string{"UNSCR_2331": "resolution 2331 (2016)"}},
		{deleg: "Austria", iso3: "AUT", member: no(), blocs: []string{"EU", "WEOG"}, speaker: "JAN KICKERT",
			text:    "The Council had a role to play in ending impunity for trafficking, as resolution 2331 (2016) recognized.",
			purview: "affirms", purviewEv: "The Council had a role to play", dupOf: 8},
	})
	addMeeting(t, st, "SC/13000", "2017-09-20", 8050, []turn{
		{deleg: "United Kingdom", iso3: "GBR", member: yes(), blocs: []string{"P5", "WEOG"},
			text:    "The Council must lead on modern slavery in conflict and protect victims.",
			purview: "affirms", purviewEv: "The Council must lead", frames: map[string]string{"victim_centred": "protect victims"}},
		{deleg: "Russian Federation", iso3: "RUS", member: yes(), blocs: []string{"P5", "EEG"},
			text:    "The Council may address trafficking where it threatens peace, and only then; the Palermo Protocol is the framework.",
			purview: "conditional", purviewEv: "only then", analyst: true,
			instruments: map[string]string{"TIP_PROTOCOL": "Palermo Protocol"}},
		{deleg: "Côte d’Ivoire", iso3: "CIV", member: yes(), blocs: []string{"E10", "NAM", "African Group"},
			text:    "Côte d’Ivoire, now on the Council, said the Council had a responsibility to protect migrants from traffickers.",
			purview: "affirms", purviewEv: "the Council had a responsibility", frames: map[string]string{"migration": "migrants"}},
		{deleg: "Venezuela", iso3: "VEN", member: no(), blocs: []string{"NAM", "GRULAC"},
			text:    "The matter belonged to the General Assembly and the Economic and Social Council, not to the Council.",
			purview: "contests", purviewEv: "belonged to the General Assembly"},
	})
	addMeeting(t, st, "SC/14000", "2018-06-11", 8280, []turn{
		{deleg: "United Kingdom", iso3: "GBR", member: yes(), blocs: []string{"P5", "WEOG"},
			text:    "The Council had a duty to keep trafficking in conflict under review, with sanctions against traffickers.",
			purview: "affirms", purviewEv: "The Council had a duty", frames: map[string]string{"criminal_justice": "sanctions against traffickers"}},
		{deleg: "Russian Federation", iso3: "RUS", member: yes(), blocs: []string{"P5", "EEG"},
			text:    "Once again, trafficking fell outside the Council's purview.",
			purview: "contests", purviewEv: "trafficking fell outside the Council's purview"},
		{deleg: "Egypt", iso3: "EGY", member: no(), blocs: []string{"NAM", "African Group"},
			text: "Egypt stressed the 2030 Agenda for Sustainable Development.", instruments: map[string]string{"AGENDA_2030": "2030 Agenda for Sustainable Development"},
			frames: map[string]string{"root_causes": "2030 Agenda"}},
	})
}

// newTestStore opens a store in a temp file.
func newTestStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// newTestServer returns a server over a store, seeded or empty. Request
// logs are discarded.
func newTestServer(t testing.TB, seeded bool) (*Server, *store.Store) {
	t.Helper()
	st := newTestStore(t)
	if seeded {
		seed(t, st)
	}
	srv := New(Config{Store: st, CodebookVersion: "test-cb-1", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	return srv, st
}

// Delegations for the generated benchmark database: 80 States with ISO3
// codes, so charts have the width of a real open debate.
var genISO3 = strings.Fields(`AFG ALB DZA AGO ARG ARM AUS AUT AZE BHS BGD BLR BEL BEN BOL BIH BWA BRA BGR BFA
	CAN CHL CHN COL CRI CIV HRV CUB CYP CZE DNK DOM ECU EGY SLV EST ETH FIN FRA DEU GHA GRC GTM HND HUN IND IDN
	IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KWT LBN LBY MYS MEX MAR NLD NZL NGA NOR PAK PER PHL POL PRT QAT
	ROU RUS SAU SEN ZAF ESP SWE`)

var genFrames = []string{"victim_centred", "counter_terrorism", "criminal_justice", "migration", "gender", "root_causes"}
var genInstruments = []string{"UNTOC", "TIP_PROTOCOL", "UNSCR_2331", "UNSCR_2388", "GPA_TIP", "AGENDA_2030", "ROME_STATUTE", "UN_CHARTER"}

// generate stores n meetings of perMeeting statements each, with
// deterministic pseudo-random positions, frames and instruments.
func generate(t testing.TB, st *store.Store, n, perMeeting int) {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	purviews := []string{"affirms", "affirms", "affirms", "conditional", "contests", "unstated", "unstated"}
	for i := 0; i < n; i++ {
		date := fmt.Sprintf("%04d-%02d-%02d", 2000+i/36, 1+(i/3)%12, 1+(i%3)*9)
		var turns []turn
		for j := 0; j < perMeeting; j++ {
			iso := genISO3[r.IntN(len(genISO3))]
			tu := turn{deleg: "State " + iso, iso3: iso, speaker: "SPEAKER " + iso}
			if r.IntN(5) == 0 {
				tu.member, tu.blocs = yes(), []string{"E10"}
			} else {
				tu.member, tu.blocs = no(), []string{"NAM"}
			}
			p := purviews[r.IntN(len(purviews))]
			tu.text = fmt.Sprintf("Statement %d of meeting %d: the Council position is %s, on victims, terrorism and the Palermo Protocol.", j, i, p)
			if p != "unstated" {
				tu.purview, tu.purviewEv = p, "the Council position is "+p
			}
			tu.frames = map[string]string{genFrames[r.IntN(len(genFrames))]: "victims"}
			tu.instruments = map[string]string{genInstruments[r.IntN(len(genInstruments))]: "Palermo Protocol"}
			turns = append(turns, tu)
		}
		addMeeting(t, st, fmt.Sprintf("SC/%d", 20000+i), date, 9000+i, turns)
	}
}
