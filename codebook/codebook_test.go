package codebook

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/model"
)

func tag(text string) []model.Tag { return Default().Tag(model.Statement{Text: text}) }

func purviewOf(tags []model.Tag) string {
	p, _, _ := model.Derive(tags)
	return p
}

// TestPurview holds one or more sentences per kind of cue, with near-misses
// that must not fire, in trafficking, climate, cyber, health and
// working-methods wordings.
func TestPurview(t *testing.T) {
	tests := []purviewCase{
		// (a) outside the Council's purview / mandate / competence
		{"a outside purview", "He pointed out that trafficking fell outside the Security Council’s purview.", "contests"},
		{"a beyond remit climate", "Climate change lies beyond the remit of the Security Council, she said.", "contests"},
		{"a not within mandate", "Pandemic preparedness did not fall within the Council's mandate.", "contests"},
		{"a no competence cyber", "The Council had no competence in matters of information security.", "contests"},
		{"a not a matter for", "“Information security is not a matter for the Council,” he said.", "contests"},
		{"a neither mandate nor membership", "The Security Council, which had neither the mandate nor the universal membership to deal with it, should not take it up.", "contests"},
		{"a lacks legitimacy", "The Council lacked the legitimacy to set norms on data flows.", "contests"},
		{"a nothing confers", "Nothing in the text conferred new responsibilities on the Security Council.", "contests"},
		{"a near-miss peacekeepers outside mandate", "Peacekeepers acting outside their mandate must be held accountable.", "unstated"},
		{"a near-miss mission mandate", "The mission's mandate should include the protection of civilians.", "unstated"},

		// (b) another organ or forum is the right place
		{"b GA most appropriate", "The General Assembly was the most appropriate forum for developing and coordinating efforts.", "contests"},
		{"b left to UNFCCC", "Emission targets should be left to the Framework Convention.", "contests"},
		{"b belongs in HRC", "The issue belongs squarely in the Human Rights Council, she said.", "contests"},
		{"b addressed by WHO assembly", "Health emergencies should be addressed by the World Health Assembly.", "contests"},
		{"b cooperation than collective security", "That topic would be more appropriately addressed as a matter of enhanced international cooperation than of collective security.", "contests"},
		{"b cooperation rather than security", "What was needed was technical cooperation rather than a security response.", "contests"},
		{"b securitization", "He warned against the securitization of climate change.", "contests"},
		{"b development rather than security", "Climate change was first and foremost a development challenge rather than a matter of international security.", "contests"},
		{"b not the correct forum", "He reiterated that the Council was not the correct forum.", "contests"},
		{"b first person not right forum", "My delegation does not believe the Council is the right forum for this discussion.", "contests"},
		{"b not convinced this council", "“My delegation is not convinced that this Council is the right place for a discussion on emissions targets.”", "contests"},
		{"b do not see as venue", "Brazil does not see the Security Council as the appropriate venue to discuss climate.", "contests"},
		{"b ill-equipped", "In her delegation's view the Council was ill-equipped to deal with climate change.", "contests"},
		{"b organ rather than council", "Such norms should be negotiated in the open-ended working group rather than in the Security Council.", "contests"},
		{"b near-miss looked forward to GA review", "Egypt looked forward to the General Assembly’s robust review of the Global Plan of Action in October.", "unstated"},
		{"b near-miss GA mentioned", "Belarus called on all States to discuss the October review of the Global Plan of Action in the General Assembly.", "unstated"},
		{"b near-miss UN best forum", "Stressing that the United Nations was the best forum to combat that crime, he called for action.", "unstated"},
		{"b near-miss every forum", "Climate action must be pursued in every forum, from the Framework Convention to the Peacebuilding Commission.", "unstated"},
		{"b near-miss PBC well placed", "The Peacebuilding Commission was well placed to help countries integrate climate risks.", "unstated"},
		{"b near-miss GA not right forum", "The General Assembly was not the appropriate forum for sanctions, he said.", "unstated"},
		{"b near-miss both organs", "Both the General Assembly and the Security Council were appropriate forums for the question.", "affirms"},

		// (c) duplication and encroachment
		{"c encroachment asserted", "Holding such thematic debates amounted to an encroachment on the prerogatives of the General Assembly.", "contests"},
		{"c must not duplicate", "The Council must not duplicate the work of the General Assembly and the Economic and Social Council.", "conditional"},
		{"c without encroaching", "The Council could discuss the matter without encroaching on the mandate of the World Health Organization.", "conditional"},
		{"c near-miss duplication among agencies", "Agencies should avoid duplication of efforts in the field.", "unstated"},
		{"c near-miss encroaching farmland", "Armed groups were encroaching on farmland, displacing thousands.", "unstated"},

		// (d) only within limits
		{"d only in conjunction", "He urged the Council to consider it only in conjunction with conflict situations and should respect its purview.", "conditional"},
		{"d only where threatened", "The Council should consider climate factors only where they directly threatened peace and security in a specific situation on its agenda.", "conditional"},
		{"d case by case", "References to climate in Council mandates should be decided case by case.", "conditional"},
		{"d country-specific", "Climate-related risks should be considered by the Council on a country-specific basis.", "conditional"},
		{"d provided it respects", "The Council can add value, provided it respects the mandates of the Framework Convention and the General Assembly.", "conditional"},
		{"d within its mandate", "The Security Council should act strictly within its mandate when addressing cyber incidents.", "conditional"},
		{"d limit itself working methods", "The Council should limit itself to situations on its agenda rather than holding thematic debates.", "conditional"},
		{"d near-miss not only", "The Council should not only condemn attacks on hospitals but also act to prevent them.", "affirms"},
		{"d near-miss only without council", "Only sustained investment can address the root causes, she said.", "unstated"},

		// (e) the Council given a role
		{"e duty", "The Council had a duty to end the instability in which modern slavery flourished.", "affirms"},
		{"e particular responsibility", "The Security Council had a particular responsibility to authorize a robust international legal response.", "affirms"},
		{"e urged to take role", "He urged the Council to take a greater role in fighting human trafficking.", "affirms"},
		{"e must address", "The Council must address trafficking in conflict situations.", "affirms"},
		{"e first person this council", "This Council has a responsibility to understand how a warming planet shapes conflicts.", "affirms"},
		{"e cannot ignore", "The Security Council cannot ignore the security consequences of climate change.", "affirms"},
		{"e depended on council", "Trafficking victims depended on the Council to act decisively on such matters.", "affirms"},
		{"e engagement would promote", "The Council’s engagement would further promote such efforts.", "affirms"},
		{"e part to play list", "The Security Council, the Assembly and the development system all had a part to play.", "affirms"},
		{"e health", "The Council should request regular briefings from the World Health Organization on outbreaks in conflict zones.", "affirms"},
		{"e working methods", "Council members should make greater use of Arria-formula meetings, she said.", "affirms"},
		{"e inside and outside", "Human trafficking should be addressed in various forums, inside and outside the Security Council.", "affirms"},
		{"e apposition primary responsibility", "The Council, as the organ with primary responsibility for international peace and security, must integrate climate risk into its work.", "affirms"},
		{"e near-miss states", "He called on all States to ratify the Protocol.", "unstated"},
		{"e near-miss secretary-general", "The Secretary-General must designate a high-level focal point.", "unstated"},
		{"e near-miss international community", "The international community must continue its work in dismantling criminal networks.", "unstated"},
		{"e near-miss peace and security without council", "Human trafficking was not only an issue of human rights, but also of peace and security.", "unstated"},
		{"e near-miss praise resolution", "Security Council resolution 2331 (2016) was significant as an unequivocal affirmation.", "unstated"},
		{"e near-miss implement resolutions", "Combating trafficking required the effective implementation of Security Council resolutions.", "unstated"},
		{"e near-miss council of europe", "Only the Russian Federation, among all Council of Europe member States, had not joined that Convention.", "unstated"},
		{"e near-miss national council", "She was a member of the National Council of Women, which must now act.", "unstated"},
		{"e near-miss human rights council", "The Human Rights Council should hold a special session.", "unstated"},
		{"e near-miss past condemnation", "It was deplorable that the Council had not condemned the recent bombardment.", "unstated"},

		// priority: contests > conditional > affirms within a turn
		{"priority", "The Council must act. But trafficking fell outside the Council's purview.", "contests"},
		{"priority conditional over affirms", "The Council must act, but only where peace and security are directly threatened.", "conditional"},
	}
	checkPurviewCases(t, tests)
}

// TestPurviewTags checks the shape of purview tags: primary first,
// secondaries after by rank, no tag for unstated, sentence evidence.
func TestPurviewTags(t *testing.T) {
	text := "The Council must act on this.  Yet the Council should respect its purview, he said.  Trafficking fell outside the Council’s purview."
	tags := tag(text)
	var vals []string
	for _, tg := range tags {
		if tg.Dimension != model.DimPurview {
			continue
		}
		vals = append(vals, tg.Value)
		if tg.Evidence != text[tg.Start:tg.End] {
			t.Errorf("evidence %q is not text[%d:%d]", tg.Evidence, tg.Start, tg.End)
		}
	}
	want := []string{"contests", "conditional", "affirms"}
	if !reflect.DeepEqual(vals, want) {
		t.Errorf("purview tags = %v, want %v", vals, want)
	}
	if tags[0].Evidence != "Trafficking fell outside the Council’s purview." {
		t.Errorf("primary evidence = %q, want the deciding sentence", tags[0].Evidence)
	}
	if got := tag("Trafficking was a scourge."); len(got) != 0 {
		t.Errorf("unstated statement got tags %v, want none", got)
	}
}

func TestFrames(t *testing.T) {
	tests := []frameCase{
		{"victims protection", "Victims must be helped to recover and reintegrate into society.", []string{"victim_centred"}},
		{"victim-centred approach", "Austria advocated for a victim-centred approach.", []string{"victim_centred"}},
		{"trust fund title", "He hoped for more assistance through the United Nations Voluntary Trust Fund for Victims of Trafficking in Persons, Especially Women and Children.", nil},
		{"protocol title", "Ethiopia had ratified the Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children.", nil},
		{"speaker title", "DEMITU HAMBISSA, Minister for Women and Children’s Affairs of Ethiopia, endorsed the statement.", nil},
		{"own words especially women", "People on the move, especially women and children, were at particular risk.", []string{"migration", "gender"}},
		{"terrorist groups", "Terrorist groups such as Boko Haram and Da’esh used trafficking to finance their operations.", []string{"counter_terrorism"}},
		{"denied link", "Emphasizing that the interrelationship between terrorism and transnational organized crime should not be deemed universal in any way, he said terrorism should be addressed by the Council.", nil},
		{"armed groups are not terrorists", "Armed groups used human trafficking as a funding source.", nil},
		{"criminal justice", "Perpetrators must be prosecuted and the culture of impunity ended.", []string{"criminal_justice"}},
		{"social justice title", "LIA OLGUTA VASILESCU, Minister for Labour and Social Justice of Romania, said the reaction must be robust.", nil},
		{"ICJ is not criminal justice", "She welcomed the request for an advisory opinion from the International Court of Justice.", nil},
		{"migration", "Refugees and internally displaced persons were particularly at risk.", []string{"migration"}},
		{"cross-border is not migration", "Trafficking was a cross-border problem requiring a cross-border solution.", nil},
		{"gender", "All actions should have a gender-specific approach.", []string{"gender"}},
		{"women peace and security agenda title", "The Council already addressed cross-cutting issues such as women, peace and security.", nil},
		{"root causes", "The 2030 Agenda for Sustainable Development was crucial to address poverty.", []string{"root_causes"}},
		{"quoted draft title", "Introducing the draft resolution “Protection of persons displaced by sea-level rise”, he thanked delegations.", nil},
	}
	checkFrameCases(t, tests)
}

func TestInstruments(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
		evidence   []string // optional: evidence per instrument, in order
	}{
		{"palermo protocol", "Hungary urged States to ratify the Palermo Protocol.", []string{"TIP_PROTOCOL"}, []string{"Palermo Protocol"}},
		{"untoc and its protocol on human trafficking", "He urged States to ratify the United Nations Convention against Transnational Organized Crime and its Protocol on human trafficking.", []string{"UNTOC", "TIP_PROTOCOL"}, nil},
		{"full protocol title", "Djibouti recognized the Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children.", []string{"TIP_PROTOCOL"}, nil},
		{"convention and its protocols is UNTOC only", "Member States should ratify the United Nations Convention against Transnational Organized Crime and its protocols.", []string{"UNTOC"}, nil},
		{"transnational crime without organized", "Djibouti recognized the United Nations Convention against Transnational Crime.", []string{"UNTOC"}, nil},
		{"smuggling protocol", "notably the Smuggling of Migrants Protocol", []string{"SOM_PROTOCOL"}, nil},
		{"firearms", "its Protocol against the Illicit Manufacturing and Trafficking in Firearm.", []string{"FIREARMS_PROTOCOL"}, nil},
		{"single resolution", "Pakistan said that Security Council resolution 2331 (2016) was significant.", []string{"UNSCR_2331"}, []string{"2331 (2016)"}},
		{"resolution pair", "He called on States to implement resolutions 2195 (2014) and 2242 (2015).", []string{"UNSCR_2195", "UNSCR_2242"}, []string{"2195 (2014)", "2242 (2015)"}},
		{"resolution list", "Recalling resolutions 2195 (2014), 2242 (2015) and 2331 (2016), she spoke.", []string{"UNSCR_2195", "UNSCR_2242", "UNSCR_2331"}, nil},
		{"resolution without year", "Resolution 1325 was a milestone.", []string{"UNSCR_1325"}, []string{"1325"}},
		{"GA resolution", "It recalled General Assembly resolution 70/1 and resolution 77/276.", nil, nil},
		{"GA resolution by number", "It recalled General Assembly resolution 1514 (XV).", nil, nil},
		{"GA resolution by Roman session", "in line with resolution 194 (III) and resolution 242 (1967)", []string{"UNSCR_242"}, []string{"242 (1967)"}},
		{"PRST symbol", "as set out in S/PRST/2015/25", []string{"PRST_2015_25"}, []string{"S/PRST/2015/25"}},
		{"PRST year", "building on the Council’s 2015 presidential statement on human trafficking", []string{"PRST_2015"}, []string{"2015 presidential statement"}},
		{"trust fund is not an instrument", "the Voluntary Trust Fund for Victims of Trafficking in Persons", nil, nil},
		{"global plan", "the Global Plan of Action to Combat Trafficking in Persons", []string{"GPA_TIP"}, nil},
		{"council of europe convention", "according to the Council of Europe’s Convention on Action against Trafficking in Human Beings", []string{"COE_TIP_CONVENTION"}, nil},
		{"climate", "commitments under the Paris Agreement and the United Nations Framework Convention on Climate Change", []string{"PARIS_AGREEMENT", "UNFCCC"}, nil},
		{"charter", "He advocated respect for Article IV of the United Nations Charter.", []string{"UN_CHARTER"}, nil},
		{"african charter", "Article 5 of the African Charter on Human and Peoples' Rights", []string{"AFRICAN_CHARTER"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tags := tag(tt.text)
			var ids, ev []string
			for _, tg := range tags {
				if tg.Dimension == model.DimInstrument {
					ids = append(ids, tg.Value)
					ev = append(ev, tg.Evidence)
					if tg.Evidence != tt.text[tg.Start:tg.End] {
						t.Errorf("evidence %q is not text[%d:%d]", tg.Evidence, tg.Start, tg.End)
					}
				}
			}
			if len(ids) == 0 && len(tt.want) == 0 {
				return
			}
			if !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("instruments(%q) = %v, want %v", tt.text, ids, tt.want)
			}
			if tt.evidence != nil && !reflect.DeepEqual(ev, tt.evidence) {
				t.Errorf("evidence(%q) = %q, want %q", tt.text, ev, tt.evidence)
			}
		})
	}
}

// TestSeedInvariants tags every statement of the reference document and
// checks what every tag must satisfy.
func TestSeedInvariants(t *testing.T) {
	cb := Default()
	sts := seedTurns(t, seedPath)
	if len(sts) != 79 {
		t.Fatalf("seed split into %d turns, want 79", len(sts))
	}
	for _, st := range sts {
		tags := cb.Tag(st)
		lastRank := 4
		for i, tg := range tags {
			if tg.Start < 0 || tg.End > len(st.Text) || tg.Start >= tg.End {
				t.Fatalf("#%d tag %v: bad span", st.Seq, tg)
			}
			if st.Text[tg.Start:tg.End] != tg.Evidence {
				t.Errorf("#%d %s/%s: evidence %q != Text[%d:%d]", st.Seq, tg.Dimension, tg.Value, tg.Evidence, tg.Start, tg.End)
			}
			if tg.Rule == "" || tg.Source != model.SourceCodebook || tg.CodebookVersion != cb.Version() {
				t.Errorf("#%d tag %+v: missing rule, source or version", st.Seq, tg)
			}
			if tg.Dimension == model.DimPurview {
				r := purviewRank(tg.Value)
				if r >= lastRank || r == 0 {
					t.Errorf("#%d purview tags out of order at %d: %v", st.Seq, i, tags)
				}
				lastRank = r
				if i > 0 && tags[i-1].Dimension != model.DimPurview {
					t.Errorf("#%d purview tag after other dimensions", st.Seq)
				}
			}
		}
	}
}

func TestLabels(t *testing.T) {
	p, f, i := Default().Labels()
	if !reflect.DeepEqual(p, []string{"contests", "conditional", "affirms", "unstated"}) {
		t.Errorf("purview labels = %v", p)
	}
	if !reflect.DeepEqual(f, []string{"victim_centred", "counter_terrorism", "criminal_justice", "migration", "gender", "root_causes"}) {
		t.Errorf("frame labels = %v", f)
	}
	for _, id := range []string{"UNTOC", "TIP_PROTOCOL", "GPA_TIP", "ARMS_TRADE_TREATY", "NPT", "GENEVA_CONVENTIONS", "PARIS_AGREEMENT", "UNFCCC"} {
		found := false
		for _, x := range i {
			found = found || x == id
		}
		if !found {
			t.Errorf("instrument %s missing from Labels", id)
		}
	}
	cb := Default()
	names := map[string]string{
		"TIP_PROTOCOL": "Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children",
		"UNSCR_2331":   "Security Council resolution 2331",
		"PRST_2015_25": "S/PRST/2015/25",
		"PRST_2015":    "Presidential statement (2015)",
		"NOPE":         "NOPE",
	}
	for id, want := range names {
		if got := cb.InstrumentName(id); got != want {
			t.Errorf("InstrumentName(%q) = %q, want %q", id, got, want)
		}
	}
}

func TestVersion(t *testing.T) {
	src := DefaultYAML()
	a, err := Load(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Load(bytes.NewReader(src))
	if a.Version() != b.Version() || a.Version() != Default().Version() {
		t.Errorf("Version not stable: %s %s %s", a.Version(), b.Version(), Default().Version())
	}
	if !strings.HasPrefix(a.Version(), "cb-") || len(a.Version()) != 15 {
		t.Errorf("Version() = %q, want cb- and 12 hex digits", a.Version())
	}
	changed := append(bytes.Clone(src), []byte("\n# an analyst's note\n")...)
	c, err := Load(bytes.NewReader(changed))
	if err != nil {
		t.Fatal(err)
	}
	if c.Version() == a.Version() {
		t.Errorf("Version did not change with the content")
	}
}

// TestCheck breaks the default file in several ways and expects each
// problem reported with its line number.
func TestCheck(t *testing.T) {
	if errs := Check(bytes.NewReader(DefaultYAML())); len(errs) != 0 {
		t.Fatalf("default codebook has problems: %v", errs)
	}
	src := string(DefaultYAML())
	lineOf := func(s, sub string) int {
		i := strings.LastIndex(s, sub)
		if i < 0 {
			t.Fatalf("%q not in file", sub)
		}
		return strings.Count(s[:i], "\n") + 1
	}
	tests := []struct {
		name, old, new, want string
	}{
		{"unknown class", `"(outside|beyond) [of] ...3 {council_cover}"`, `"(outside|beyond) [of] ...3 {counsil}"`, "rule purview.contests.outside: pattern \"(outside|beyond) [of] ...3 {counsil}\": unknown class {counsil}"},
		{"unclosed paren", `"(case-by-case|case by case)"`, `"(case-by-case|case by case"`, "missing \")\""},
		{"unknown purview value", "value: conditional\n    comment: >\n      (d) The Council may", "value: conditionnal\n    comment: >\n      (d) The Council may", "value \"conditionnal\" is not a purview label"},
		{"unknown frame", "value: gender", "value: gendre", "value \"gendre\" is not a frame"},
		{"leading gap", `"rome statute"`, `"... rome statute"`, "must not start with a gap"},
		{"bad gap", `"{council} ...14 (only`, `"{council} ...99 (only`, "at most ...40"},
		{"duplicate rule id", "id: purview.contests.wrong_forum", "id: purview.contests.outside", "id already used at line"},
		{"bad instrument id", "id: ROME_STATUTE", "id: rome statute", "id must be upper case"},
		{"unknown field", "    unless:\n      - \"not only\"", "    unles:\n      - \"not only\"", "unknown field \"unles\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(src, tt.old) {
				t.Fatalf("%q not in default.yaml", tt.old)
			}
			broken := strings.Replace(src, tt.old, tt.new, 1)
			wantLine := lineOf(broken, tt.new)
			errs := Check(strings.NewReader(broken))
			if len(errs) == 0 {
				t.Fatalf("Check found nothing, want %q", tt.want)
			}
			var hit *Error
			for _, err := range errs {
				var e *Error
				if errors.As(err, &e) && strings.Contains(err.Error(), tt.want) {
					hit = e
				}
			}
			if hit == nil {
				t.Fatalf("Check = %v, want an error containing %q", errs, tt.want)
			}
			// The line is the pattern's (or rule's) own line, within the
			// replaced text's span.
			if hit.Line < wantLine-3 || hit.Line > wantLine+strings.Count(tt.new, "\n") {
				t.Errorf("error %q at line %d, want near line %d", hit, hit.Line, wantLine)
			}
			if !strings.HasPrefix(hit.Error(), "codebook.yaml:") {
				t.Errorf("error %q does not start with codebook.yaml:LINE", hit)
			}
			if _, err := Load(strings.NewReader(broken)); err == nil {
				t.Errorf("Load accepted a broken file")
			}
		})
	}
	t.Run("several problems at once", func(t *testing.T) {
		broken := strings.Replace(src, "{council_cover}\"", "{counsil}\"", 1)
		broken = strings.Replace(broken, "value: gender", "value: gendre", 1)
		if errs := Check(strings.NewReader(broken)); len(errs) < 2 {
			t.Errorf("Check = %v, want both problems", errs)
		}
	})
	t.Run("yaml syntax", func(t *testing.T) {
		errs := Check(strings.NewReader("name: x\nlabels:\n  purview: [contests\n"))
		if len(errs) == 0 || !strings.HasPrefix(errs[0].Error(), "codebook.yaml:") {
			t.Errorf("Check(syntax error) = %v, want codebook.yaml:LINE", errs)
		}
	})
}

// TestTagOddInput: documents are untrusted; tagging never panics and still
// keeps evidence exact.
func TestTagOddInput(t *testing.T) {
	inputs := []string{
		"", " ", ".", "’’’", "\u00a0\u00a0", "the the the", "S/PRST/", "S/PRST/2015/", "resolution", "resolution 2331 (",
		"resolutions 12, and", "“unterminated quote after resolution “", strings.Repeat("Council ", 2000),
		"The Council\xff\xfe must act.", "Ｔｈｅ Ｃｏｕｎｃｉｌ must act", "-", "--a--", "a-", "é-",
	}
	for _, in := range inputs {
		for _, tg := range tag(in) {
			if in[tg.Start:tg.End] != tg.Evidence {
				t.Errorf("Tag(%q): evidence mismatch", in)
			}
		}
	}
}

func FuzzTag(f *testing.F) {
	f.Add("The Council must not duplicate the work of the General Assembly; resolutions 2195 (2014) and 2242 (2015).")
	f.Add("fell outside the Security Council’s purview")
	f.Fuzz(func(t *testing.T, s string) {
		for _, tg := range Default().Tag(model.Statement{Text: s}) {
			if tg.Start < 0 || tg.End > len(s) || s[tg.Start:tg.End] != tg.Evidence {
				t.Fatalf("bad evidence span %d:%d", tg.Start, tg.End)
			}
		}
	})
}

func FuzzLoad(f *testing.F) {
	f.Add(string(DefaultYAML()[:2000]))
	f.Add("purview:\n  - id: x\n    value: contests\n    patterns: [\"(a|b\"]\n")
	f.Fuzz(func(t *testing.T, s string) {
		_ = Check(strings.NewReader(s)) // must not panic
	})
}

func TestMain(m *testing.M) {
	Default() // compile once; a broken embedded file panics here, loudly
	os.Exit(m.Run())
}

func TestSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"EVGENY T. ZAGAYNOV (Russian Federation) said it.  Mr. SCHULZ spoke.", []string{"EVGENY T. ZAGAYNOV (Russian Federation) said it.", "Mr. SCHULZ spoke."}},
		{"It rose by 1.7 million.\u00a0Next one; and a clause.", []string{"It rose by 1.7 million.", "Next one;", "and a clause."}},
		{"“We have not done enough.” He said so.", []string{"“We have not done enough.”", "He said so."}},
		{"a hard-wrapped\nsentence goes on.\n\nNew paragraph", []string{"a hard-wrapped\nsentence goes on.", "New paragraph"}},
	}
	for _, tt := range tests {
		var got []string
		for _, sp := range splitSentences(tt.in, nil) {
			got = append(got, tt.in[sp.start:sp.end])
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitSentences(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHardWrappedVerbatim(t *testing.T) {
	text := "My delegation does not believe that the\nCouncil is the right forum for this discussion."
	if got := purviewOf(tag(text)); got != "contests" {
		t.Errorf("purview(hard-wrapped) = %s, want contests", got)
	}
}

// TestConcurrentTag: Tag is called from many goroutines on one Codebook.
func TestConcurrentTag(t *testing.T) {
	sts := seedTurns(t, seedPath)
	cb := Default()
	want := make([]int, len(sts))
	for i, st := range sts {
		want[i] = len(cb.Tag(st))
	}
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			for i, st := range sts {
				if n := len(cb.Tag(st)); n != want[i] {
					t.Errorf("#%d: %d tags concurrently, %d alone", st.Seq, n, want[i])
				}
			}
			done <- true
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}

// purviewCase is a sentence and the purview the codebook must give it.
type purviewCase struct{ name, text, want string }

func checkPurviewCases(t *testing.T, tests []purviewCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tags := tag(tt.text)
			if got := purviewOf(tags); got != tt.want {
				var ev []string
				for _, tg := range tags {
					if tg.Dimension == model.DimPurview {
						ev = append(ev, tg.Value+" "+tg.Rule)
					}
				}
				t.Errorf("purview(%q) = %s %v, want %s", tt.text, got, ev, tt.want)
			}
		})
	}
}

// frameCase is a sentence and the frames (in any order) it must get.
type frameCase struct {
	name, text string
	want       []string
}

func checkFrameCases(t *testing.T, tests []frameCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, frames, _ := model.Derive(tag(tt.text))
			sort.Strings(frames)
			want := append([]string{}, tt.want...)
			sort.Strings(want)
			if len(frames) == 0 && len(want) == 0 {
				return
			}
			if !reflect.DeepEqual(frames, want) {
				t.Errorf("frames(%q) = %v, want %v", tt.text, frames, want)
			}
		})
	}
}
