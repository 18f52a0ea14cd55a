package registry

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stancetrack/stancetrack/model"
)

func TestDefaultStates(t *testing.T) {
	r := Default()
	iso := regexp.MustCompile(`^[A-Z]{3}$`)
	seenISO := map[string]string{}
	var members, observers int
	regions := map[string]int{}
	for _, e := range r.States() {
		if !iso.MatchString(e.ISO3) {
			t.Errorf("%s: ISO3 %q is not three capital letters", e.Name, e.ISO3)
		}
		if prev, dup := seenISO[e.ISO3]; dup {
			t.Errorf("ISO3 %s used by %s and %s", e.ISO3, prev, e.Name)
		}
		seenISO[e.ISO3] = e.Name
		if e.Until != 0 {
			continue // historical Member
		}
		switch e.Kind {
		case model.KindMemberState:
			members++
			regions[e.Region]++
		case model.KindObserverState:
			observers++
		default:
			t.Errorf("%s: kind %q", e.Name, e.Kind)
		}
	}
	if members != 193 || observers != 2 {
		t.Errorf("current Members = %d, observers = %d; want 193 and 2", members, observers)
	}
	want := map[string]int{"African": 54, "Asia-Pacific": 54, "Eastern European": 23, "GRULAC": 33, "WEOG": 29}
	for reg, n := range want {
		if regions[reg] != n {
			t.Errorf("region %s has %d Members, want %d", reg, regions[reg], n)
		}
	}
}

// Every name of every entity resolves back to that entity: no alias maps to two.
func TestAliasesResolveToTheirEntity(t *testing.T) {
	r := Default()
	for id, e := range r.ents {
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			got, ok := r.Lookup(n)
			if !ok || got.Name != e.Name {
				t.Errorf("Lookup(%q) = %q, %v; want %q (entity %d)", n, got.Name, ok, e.Name, id)
			}
		}
	}
}

func TestStateFacts(t *testing.T) {
	r := Default()
	tests := []struct {
		name, canon, iso3, region string
		until                     int
	}{
		{"United States", "United States", "USA", "WEOG", 0},
		{"Israel", "Israel", "ISR", "WEOG", 0},
		{"Kiribati", "Kiribati", "KIR", "Asia-Pacific", 0},
		{"Turkey", "Türkiye", "TUR", "WEOG", 0},
		{"Zaire", "Democratic Republic of the Congo", "COD", "African", 0},
		{"Yugoslavia", "Yugoslavia", "YUG", "Eastern European", 2003},
		{"Serbia and Montenegro", "Serbia and Montenegro", "SCG", "Eastern European", 2006},
		{"USSR", "Union of Soviet Socialist Republics", "SUN", "Eastern European", 1991},
		{"State of Palestine", "State of Palestine", "PSE", "Asia-Pacific", 0},
		{"Holy See", "Holy See", "VAT", "", 0},
	}
	for _, tt := range tests {
		e, ok := r.Lookup(tt.name)
		if !ok || e.Name != tt.canon || e.ISO3 != tt.iso3 || e.Region != tt.region || e.Until != tt.until {
			t.Errorf("Lookup(%q) = %q %s %q until %d, %v; want %q %s %q until %d",
				tt.name, e.Name, e.ISO3, e.Region, e.Until, ok, tt.canon, tt.iso3, tt.region, tt.until)
		}
	}
	if e, _ := r.Lookup("Spain"); !slices.Contains(e.Groups, "EU") || !slices.Contains(e.Groups, "WEOG") {
		t.Errorf("Spain.Groups = %v, want EU and WEOG", e.Groups)
	}
	if e, _ := r.Lookup("United Kingdom"); slices.Contains(e.Groups, "EU") {
		t.Errorf("United Kingdom.Groups = %v, must not hold EU (left 2020)", e.Groups)
	}
}

func TestLookup(t *testing.T) {
	r := Default()
	tests := []struct{ in, want, kind string }{
		{"Spain", "Spain", model.KindMemberState},
		{"Spain’s", "Spain", model.KindMemberState},
		{"SPAIN", "Spain", model.KindMemberState},
		{"the Russian Federation’s", "Russian Federation", model.KindMemberState},
		{"Philippines’", "Philippines", model.KindMemberState},
		{"the Czech Republic", "Czech Republic", model.KindMemberState},
		{"Czechia", "Czech Republic", model.KindMemberState},
		{"Türkiye", "Türkiye", model.KindMemberState},
		{"Turkey", "Türkiye", model.KindMemberState},
		{"Republic of Türkiye", "Türkiye", model.KindMemberState},
		{"Côte d’Ivoire", "Côte d’Ivoire", model.KindMemberState},
		{"Côte d'Ivoire", "Côte d’Ivoire", model.KindMemberState},
		{"Cote d‘Ivoire", "Côte d’Ivoire", model.KindMemberState},
		{"Côte dʼIvoire", "Côte d’Ivoire", model.KindMemberState},
		{"Ivory Coast", "Côte d’Ivoire", model.KindMemberState},
		{"United\u00a0Kingdom", "United Kingdom", model.KindMemberState},
		{"United Kingdom of Great Britain and Northern Ireland", "United Kingdom", model.KindMemberState},
		{"United Kingdom Of Great Britain And Northern Ireland", "United Kingdom", model.KindMemberState},
		{"United States of America", "United States", model.KindMemberState},
		{"Islamic Republic of Iran", "Iran", model.KindMemberState},
		{"Syrian Arab Republic", "Syria", model.KindMemberState},
		{"Bolivarian Republic of Venezuela", "Venezuela", model.KindMemberState},
		{"Plurinational State of Bolivia", "Bolivia", model.KindMemberState},
		{"South Korea", "Republic of Korea", model.KindMemberState},
		{"Republic Of Korea", "Republic of Korea", model.KindMemberState},
		{"Democratic People’s Republic of Korea", "Democratic People's Republic of Korea", model.KindMemberState},
		{"Vietnam", "Viet Nam", model.KindMemberState},
		{"Lao People’s Democratic Republic", "Lao People's Democratic Republic", model.KindMemberState},
		{"Micronesia (Federated States of)", "Micronesia", model.KindMemberState},
		{"Tanzania", "United Republic of Tanzania", model.KindMemberState},
		{"Moldova", "Republic of Moldova", model.KindMemberState},
		{"delegation of Japan", "Japan", model.KindMemberState},
		{"representative of Chile", "Chile", model.KindMemberState},
		{"Permanent Observer of the Holy See", "Holy See", model.KindObserverState},
		{"Palestine", "State of Palestine", model.KindObserverState},
		{"the European Union delegation", "European Union", model.KindIntergovernmental},
		{"European Union", "European Union", model.KindIntergovernmental},
		{"Permanent Observer of the African Union", "African Union", model.KindIntergovernmental},
		{"INTERPOL", "International Criminal Police Organization", model.KindIntergovernmental},
		{"OSCE", "Organization for Security and Cooperation in Europe", model.KindIntergovernmental},
		{"UNODC", "United Nations Office on Drugs and Crime", model.KindUNSystem},
		{"UN-Women", "United Nations Entity for Gender Equality and the Empowerment of Women", model.KindUNSystem},
		{"ILO", "International Labour Organization", model.KindUNSystem},
		{"Non-Aligned Movement", "Non-Aligned Movement", KindGroup},
		{"G77", "Group of 77 and China", KindGroup},
		{"Group of 77", "Group of 77 and China", KindGroup},
		{"Alliance of Small Island States", "Alliance of Small Island States", KindGroup},
		{"Special Rapporteur on trafficking in persons", "UN Special Rapporteur on trafficking in persons", model.KindUNSystem},
	}
	for _, tt := range tests {
		e, ok := r.Lookup(tt.in)
		if !ok || e.Name != tt.want || e.Kind != tt.kind {
			t.Errorf("Lookup(%q) = %q (%s), %v; want %q (%s)", tt.in, e.Name, e.Kind, ok, tt.want, tt.kind)
		}
	}
	for _, in := range []string{"", "   ", "Freedonia", "woman", "Korea", "the", "’s", "\xff\xfe"} {
		if e, ok := r.Lookup(in); ok {
			t.Errorf("Lookup(%q) = %q, want no match", in, e.Name)
		}
	}
}

func TestFind(t *testing.T) {
	r := Default()
	tests := []struct{ in, want, kind string }{
		{"Minister for Health, Social Services and Equality of Spain", "Spain", model.KindMemberState},
		{"Executive Director of the United Nations Office on Drugs and Crime (UNODC)", "United Nations Office on Drugs and Crime", model.KindUNSystem},
		{"Special Representative of the International Criminal Police Organization (INTERPOL) to the United Nations", "International Criminal Police Organization", model.KindIntergovernmental},
		{"Independent Anti-Slavery Commissioner, United Kingdom", "United Kingdom", model.KindMemberState},
		{"Permanent Representative of Kenya and Chair of the Peacebuilding Commission", "Kenya", model.KindMemberState},
		{"United Nations Special Rapporteur on contemporary forms of slavery, including its causes and consequences", "UN Special Rapporteur on contemporary forms of slavery", model.KindUNSystem},
		{"Special Rapporteur on the situation of human rights in Myanmar", "UN Special Rapporteur on the situation of human rights in Myanmar", model.KindUNSystem},
		{"Special Representative of the Secretary-General and Head of the United Nations Assistance Mission in Afghanistan", "UN Special Representative of the Secretary-General", model.KindUNSystem},
		{"Head of the United Nations Mission in South Sudan (UNMISS)", "United Nations Mission in South Sudan", model.KindUNSystem},
		{"Secretary-General of the United Nations", "United Nations", model.KindUNSystem},
		{"Deputy Secretary-General of the North Atlantic Treaty Organization", "North Atlantic Treaty Organization", model.KindIntergovernmental},
		{"Special Representative and Coordinator for Combating Trafficking in Human Beings at the Organization for Security and Cooperation in Europe (OSCE)", "Organization for Security and Cooperation in Europe", model.KindIntergovernmental},
		{"President of the International Criminal Tribunal for Rwanda", "International Criminal Tribunal for Rwanda", model.KindUNSystem},
		{"State Secretary and Deputy Minister for Foreign Affairs of Norway, also speaking for Denmark, Finland, Iceland and Sweden", "Norway", model.KindMemberState},
		{"Director-General of the World Health Organization (WHO)", "World Health Organization", model.KindUNSystem},
		{"Executive Director of Security Council Report", "Security Council Report", model.KindCivilSociety},
		{"paediatrician and former International President of Médecins Sans Frontières", "Médecins Sans Frontières", model.KindCivilSociety},
		{"United Nations Resident Coordinator in Haiti", "UN Resident Coordinator in Haiti", model.KindUNSystem},
		{"Special Coordinator for the Middle East Peace Process", "UN Special Coordinator for the Middle East Peace Process", model.KindUNSystem},
		{"Minister for Foreign Affairs of the Democratic Republic of Congo", "Democratic Republic of the Congo", model.KindMemberState},
		{"Executive Director of UN Women", "United Nations Entity for Gender Equality and the Empowerment of Women", model.KindUNSystem},
		{"Head of the Delegation of the European Union to the United Nations", "European Union", model.KindIntergovernmental},
		// Near misses: whole words only, longest names first.
		{"a woman from Nigeria", "Nigeria", model.KindMemberState},
		{"Ambassador of Papua New Guinea", "Papua New Guinea", model.KindMemberState},
		{"Minister of Equatorial Guinea", "Equatorial Guinea", model.KindMemberState},
		{"Guinea-Bissau’s representative", "Guinea-Bissau", model.KindMemberState},
		{"Minister of Guinea", "Guinea", model.KindMemberState},
		{"Dominican Republic", "Dominican Republic", model.KindMemberState},
		{"Prime Minister of Dominica", "Dominica", model.KindMemberState},
		{"Minister of South Sudan", "South Sudan", model.KindMemberState},
		{"Minister of the Sudan", "Sudan", model.KindMemberState},
		{"Democratic Republic of the Congo", "Democratic Republic of the Congo", model.KindMemberState},
		{"Minister of the Niger", "Niger", model.KindMemberState},
		{"Sultanate of Oman", "Oman", model.KindMemberState},
	}
	for _, tt := range tests {
		e, ok := r.Find(tt.in)
		if !ok || e.Name != tt.want || e.Kind != tt.kind {
			t.Errorf("Find(%q) = %q (%s), %v; want %q (%s)", tt.in, e.Name, e.Kind, ok, tt.want, tt.kind)
		}
	}
	for _, in := range []string{
		"a woman spoke", "Nigerian women", "who spoke for us", "the eu-funded project", "Romanian",
		"Elman Peace and Human Rights Centre", "Civil Liberties Watch", "", "\xff",
	} {
		if e, ok := r.Find(in); ok {
			t.Errorf("Find(%q) = %q, want no match", in, e.Name)
		}
	}
}

func boolp(b bool) *bool { return &b }

// speakerCase is one speaker line of SC/12751 (7898th meeting, March 2017)
// as the parser hands it over, and what resolution must make of it.
type speakerCase struct {
	speaker, title, raw string
	onBehalf, aligns    []string
	delegation, iso3    string
	kind                string
	council             *bool
	wantOnBehalf        []string
	wantAligns          []string
}

func TestResolveStatementSC12751(t *testing.T) {
	yes, no := boolp(true), boolp(false)
	ms := model.KindMemberState
	state := func(speaker, raw, name, iso string, c *bool) speakerCase {
		return speakerCase{speaker: speaker, raw: raw, delegation: name, iso3: iso, kind: ms, council: c}
	}
	titled := func(speaker, title, name, iso string, c *bool) speakerCase {
		return speakerCase{speaker: speaker, title: title, delegation: name, iso3: iso, kind: ms, council: c}
	}
	cases := []speakerCase{
		{speaker: "ANTÓNIO GUTERRES", title: "Secretary-General of the United Nations", delegation: "United Nations", kind: model.KindUNSystem},
		{speaker: "YURY FEDOTOV", title: "Executive Director of the United Nations Office on Drugs and Crime (UNODC)", delegation: "United Nations Office on Drugs and Crime", kind: model.KindUNSystem},
		{speaker: "ILWAD ELMAN", title: "Elman Peace and Human Rights Centre", delegation: "Elman Peace and Human Rights Centre", kind: model.KindCivilSociety},
		{speaker: "KEVIN HYLAND", title: "Independent Anti-Slavery Commissioner, United Kingdom", delegation: "United Kingdom", iso3: "GBR", kind: model.KindNationalOfficial},
		{speaker: "LAURENCE ROSSIGNOL", title: "Minister for Families, Children’s and Women’s Rights of France", delegation: "France", iso3: "FRA", kind: ms, council: yes,
			aligns: []string{"the European Union delegation"}, wantAligns: []string{"European Union"}},
		{speaker: "DEMITU HAMBISSA", title: "Minister for Women and Children’s Affairs of Ethiopia", delegation: "Ethiopia", iso3: "ETH", kind: ms, council: yes,
			aligns: []string{"the statement to be delivered on behalf of the Non-Aligned Movement"}, wantAligns: []string{"Non-Aligned Movement"}},
		{speaker: "ÅSA REGNÉR", title: "Minister for Children, the Elderly and Gender Equality of Sweden", delegation: "Sweden", iso3: "SWE", kind: ms, council: yes,
			aligns: []string{"the European Union"}, wantAligns: []string{"European Union"}},
		state("JAN KICKERT", "Austria", "Austria", "AUT", no),
		state("NIKKI HALEY", "United States", "United States", "USA", yes),
		titled("SERGIY KYSLYTSYA", "Deputy Minister for Foreign Affairs of Ukraine", "Ukraine", "UKR", yes),
		titled("MADINA ABYLKASSYMOVA", "Vice-Minister for National Economy of Kazakhstan", "Kazakhstan", "KAZ", yes),
		state("GORGUI CISS", "Senegal", "Senegal", "SEN", yes),
		state("LIU JIEYI", "China", "China", "CHN", yes),
		state("SACHA SERGIO LLORENTTY SOLÍZ", "Bolivia", "Bolivia", "BOL", yes),
		state("KORO BESSHO", "Japan", "Japan", "JPN", yes),
		{speaker: "SEBASTIANO CARDI", raw: "Italy", delegation: "Italy", iso3: "ITA", kind: ms, council: yes,
			aligns: []string{"European Union"}, wantAligns: []string{"European Union"}},
		state("EVGENY T. ZAGAYNOV", "Russian Federation", "Russian Federation", "RUS", yes),
		state("AMR ABDELLATIF ABOULATTA", "Egypt", "Egypt", "EGY", yes),
		state("ELBIO ROSSELLI", "Uruguay", "Uruguay", "URY", yes),
		{speaker: "MATTHEW RYCROFT", raw: "United Kingdom", title: "Council President for March", delegation: "United Kingdom", iso3: "GBR", kind: ms, council: yes},
		{speaker: "FABIANA TUÑEZ", title: "President, National Council of Women, Argentina", delegation: "Argentina", iso3: "ARG", kind: model.KindNationalOfficial},
		{speaker: "MICHAELIA CASH", title: "Minister for Women, Employment and Public Service of Australia", delegation: "Australia", iso3: "AUS", kind: ms, council: no,
			onBehalf: []string{"Canada and New Zealand"}, wantOnBehalf: []string{"Canada", "New Zealand"}},
		titled("LYDIA MUTSCH", "Minister for Equal Opportunities of Luxembourg", "Luxembourg", "LUX", no),
		titled("DOLORS MONTSERRAT", "Minister for Health, Social Services and Equality of Spain", "Spain", "ESP", no),
		titled("YOHANA SUSANA YEMBISE", "Minister for Women Empowerment and Child Protection of Indonesia", "Indonesia", "IDN", no),
		titled("LIA OLGUTA VASILESCU", "Minister for Labour and Social Justice of Romania", "Romania", "ROU", no),
		titled("JAN CHVOJKA", "Minister for Human Rights, Equal Opportunities and Legislation of the Czech Republic", "Czech Republic", "CZE", no),
		titled("FATMA BETUL SAYAN KAYA", "Minister for Family and Social Policies of Turkey", "Türkiye", "TUR", no),
		titled("VALENTIN RYBAKOV", "Deputy Foreign Minister of Belarus", "Belarus", "BLR", no),
		{speaker: "LAILA BOKHARI", title: "State Secretary and Deputy Minister for Foreign Affairs of Norway", delegation: "Norway", iso3: "NOR", kind: ms, council: no,
			onBehalf: []string{"Denmark, Finland, Iceland and Sweden"}, wantOnBehalf: []string{"Denmark", "Finland", "Iceland", "Sweden"}},
		state("MARIA EMMA MEJÍA VÉLEZ", "Colombia", "Colombia", "COL", no),
		titled("CATARINA MARCELINO", "Secretary of State for Citizenship and Equality of Portugal", "Portugal", "PRT", no),
		state("CARLOS SERGIO SOBRAL DUARTE", "Brazil", "Brazil", "BRA", no),
		{speaker: "TÉTÉ ANTONIO", title: "Permanent Observer of the African Union", delegation: "African Union", kind: model.KindIntergovernmental},
		{speaker: "URMILA BHOOLA", title: "United Nations Special Rapporteur on contemporary forms of slavery, including its causes and consequences", delegation: "UN Special Rapporteur on contemporary forms of slavery", kind: model.KindUNSystem},
		{speaker: "MADINA JARBUSSYNOVA", title: "Special Representative and Coordinator for Combating Trafficking in Human Beings at the Organization for Security and Cooperation in Europe (OSCE)", delegation: "Organization for Security and Cooperation in Europe", kind: model.KindIntergovernmental},
		{speaker: "JOANNE ADAMSON", title: "European Union delegation", delegation: "European Union", kind: model.KindIntergovernmental},
		state("CHRISTIAN WENAWESER", "Liechtenstein", "Liechtenstein", "LIE", no),
		{speaker: "GHOLAMALI KHOSHROO", raw: "Iran", delegation: "Iran", iso3: "IRN", kind: ms, council: no,
			aligns: []string{"the statement by the Non-Aligned Movement"}, wantAligns: []string{"Non-Aligned Movement"}},
		{speaker: "SVEN JÜRGENSON", raw: "Estonia", delegation: "Estonia", iso3: "EST", kind: ms, council: no,
			aligns: []string{"the statement by the European Union"}, wantAligns: []string{"European Union"}},
		state("KATALIN ANNAMÁRIA BOGYAY", "Hungary", "Hungary", "HUN", no),
		state("MALEEHA LODHI", "Pakistan", "Pakistan", "PAK", no),
		{speaker: "BERNARDITO CLEOPAS AUZA", title: "Permanent Observer of the Holy See", delegation: "Holy See", iso3: "VAT", kind: model.KindObserverState, council: no},
		{speaker: "Mr. SCHULZ", raw: "Germany", delegation: "Germany", iso3: "DEU", kind: ms, council: no,
			aligns: []string{"the European Union"}, wantAligns: []string{"European Union"}},
		state("JAN KICKERT", "Austria", "Austria", "AUT", no), // the paragraph printed twice
		state("GUSTAVO MEZA-CUADRA", "Peru", "Peru", "PER", no),
		state("MASUD BIN MOMEN", "Bangladesh", "Bangladesh", "BGD", no),
		state("BOGUSŁAW WINID", "Poland", "Poland", "POL", no),
		{speaker: "EMMANNUEL ROUX", title: "Special Representative of the International Criminal Police Organization (INTERPOL) to the United Nations", delegation: "International Criminal Police Organization", kind: model.KindIntergovernmental},
		{speaker: "MARC PECSTEEN DE BUYTSWERVE", raw: "Belgium", delegation: "Belgium", iso3: "BEL", kind: ms, council: no,
			aligns: []string{"the European Union"}, wantAligns: []string{"European Union"}},
		state("RY TUY", "Cambodia", "Cambodia", "KHM", no),
		state("JERRY MATTHEWS MATJILA", "South Africa", "South Africa", "ZAF", no),
		state("BESIANA KADARE", "Albania", "Albania", "ALB", no),
		state("NEVILLE MELVIN GERTZE", "Namibia", "Namibia", "NAM", no),
		state("GEORGI VELIKOV PANAYOTOV", "Bulgaria", "Bulgaria", "BGR", no),
		{speaker: "MARIAM JASHI", raw: "Georgia", delegation: "Georgia", iso3: "GEO", kind: ms, council: no,
			aligns: []string{"the statement by the European Union"}, wantAligns: []string{"European Union"}},
		state("OMAR HILALE", "Morocco", "Morocco", "MAR", no),
		state("RAFAEL DARÍO RAMÍREZ CARREÑO", "Venezuela", "Venezuela", "VEN", no),
		state("RICHARD GALBAVÝ", "Slovakia", "Slovakia", "SVK", no),
		state("Ms. LEOTEAU", "Panama", "Panama", "PAN", no),
		state("RAZAQ SALMAN MASHKOOR", "Iraq", "Iraq", "IRQ", no),
		state("MOUNZER MOUNZER", "Syria", "Syria", "SYR", no),
		state("ALYA AHMED SAIF AL-THANI", "Qatar", "Qatar", "QAT", no),
		state("AHMED ABDELRAHMAN AHMED ALMAHMOUD", "United Arab Emirates", "United Arab Emirates", "ARE", no),
		{speaker: "JOE MCHUGH", title: "Minister of State for the Diaspora and Overseas Development Aid of Ireland", delegation: "Ireland", iso3: "IRL", kind: ms, council: no,
			aligns: []string{"the statement by the European Union"}, wantAligns: []string{"European Union"}},
		state("CHO TAE-YUL", "Republic of Korea", "Republic of Korea", "KOR", no),
		state("CHULAMANEE CHARTSUWAN", "Thailand", "Thailand", "THA", no),
		{speaker: "MOHAMED SIAD DOUALEH", raw: "Djibouti", delegation: "Djibouti", iso3: "DJI", kind: ms, council: no,
			aligns: []string{"the Non-Aligned Movement"}, wantAligns: []string{"Non-Aligned Movement"}},
		state("IRENE SUSAN BARREIRO NATIVIDAD", "Philippines", "Philippines", "PHL", no),
		state("CATHERINE BOURA", "Greece", "Greece", "GRC", no),
		state("HAU DO SUAN", "Myanmar", "Myanmar", "MMR", no),
		state("DAVID YITSHAK ROET", "Israel", "Israel", "ISR", no),
		state("M. SHAHRUL IKRAM YAAKOB", "Malaysia", "Malaysia", "MYS", no),
		state("ANTHONY BOSAH", "Nigeria", "Nigeria", "NGA", no),
		state("FEH MOUSSA GONE", "Côte d’Ivoire", "Côte d’Ivoire", "CIV", no),
		state("TOFIG MUSAYEV", "Azerbaijan", "Azerbaijan", "AZE", no),
		state("RICHARD NDUHUURA", "Uganda", "Uganda", "UGA", no),
		state("KAREL JAN GUSTAAF VAN OOSTEROM", "Netherlands", "Netherlands", "NLD", no),
		{speaker: "Mr. HOMAYOUNPOUR", title: "International Labour Organization", delegation: "International Labour Organization", kind: model.KindUNSystem},
	}
	runResolve(t, cases, 2017)
}

func TestResolveStatementRules(t *testing.T) {
	yes := boolp(true)
	cases := []speakerCase{
		// Raw names as printed in summaries.
		{speaker: "raw possessive", raw: "Spain’s", delegation: "Spain", iso3: "ESP", kind: model.KindMemberState, council: boolp(false)},
		{speaker: "raw member", raw: "Sweden’s", delegation: "Sweden", iso3: "SWE", kind: model.KindMemberState, council: yes},
		{speaker: "raw the", raw: "the Czech Republic", delegation: "Czech Republic", iso3: "CZE", kind: model.KindMemberState, council: boolp(false)},
		// Civil society with a country in the title keeps the organisation.
		{speaker: "ngo", title: "Director, Centre for Peace Studies, Kenya", delegation: "Centre for Peace Studies", kind: model.KindCivilSociety},
		{speaker: "ngo2", title: "Executive Director, Human Rights Watch", delegation: "Human Rights Watch", kind: model.KindCivilSociety},
		// Heads of State speak for their State.
		{speaker: "head", title: "President of Argentina", delegation: "Argentina", iso3: "ARG", kind: model.KindMemberState, council: boolp(false)},
		{speaker: "head2", title: "Vice-President of the Republic of Colombia", delegation: "Colombia", iso3: "COL", kind: model.KindMemberState, council: boolp(false)},
		// Unknown names stay as printed, cleaned.
		{speaker: "unknown", raw: "the Freedonia delegation", delegation: "Freedonia", kind: model.KindOther},
		{speaker: "nothing", kind: model.KindOther},
		{speaker: "group speaking", raw: "Non-Aligned Movement", delegation: "Non-Aligned Movement", kind: model.KindOther},
		// No delegation printed, speaking on behalf of one organisation: that organisation.
		{speaker: "Mr. Vrailas", onBehalf: []string{"the European Union"}, wantOnBehalf: []string{}, delegation: "European Union", kind: model.KindIntergovernmental},
		// ... but not when it names a group of States.
		{speaker: "Mr. X", onBehalf: []string{"the Non-Aligned Movement"}, wantOnBehalf: []string{"Non-Aligned Movement"}, kind: model.KindOther},
		// Lists: names with "and" survive splitting; dedupe keeps order; unknowns kept.
		{speaker: "lists", raw: "Guyana", delegation: "Guyana", iso3: "GUY", kind: model.KindMemberState, council: boolp(false),
			onBehalf:     []string{"the Group of 77 and China", "Antigua and Barbuda, Trinidad and Tobago and Freedonia", "G77"},
			wantOnBehalf: []string{"Group of 77 and China", "Antigua and Barbuda", "Trinidad and Tobago", "Freedonia"},
			aligns:       []string{"EU", "the European Union delegation"}, wantAligns: []string{"European Union"}},
		{speaker: "blocs", raw: "Mexico", delegation: "Mexico", iso3: "MEX", kind: model.KindMemberState, council: boolp(false),
			onBehalf:     []string{"the Community of Latin American and Caribbean States (CELAC)"},
			wantOnBehalf: []string{"Community of Latin American and Caribbean States"},
			aligns:       []string{"the member States of the European Union", "Arab States", "least developed countries"},
			wantAligns:   []string{"European Union", "Arab Group", "Least Developed Countries"}},
	}
	runResolve(t, cases, 2017)

	// Without a year Council membership cannot be known.
	st := model.Statement{DelegationRaw: "France"}
	Default().ResolveStatement(&st, 0)
	if st.CouncilMember != nil {
		t.Errorf("ResolveStatement(France, year 0).CouncilMember = %v, want nil", *st.CouncilMember)
	}
	Default().ResolveStatement(nil, 2017) // must not panic
}

func runResolve(t *testing.T, cases []speakerCase, year int) {
	t.Helper()
	r := Default()
	for _, c := range cases {
		st := model.Statement{Speaker: c.speaker, Title: c.title, DelegationRaw: c.raw, OnBehalfOf: c.onBehalf, AlignsWith: c.aligns}
		r.ResolveStatement(&st, year)
		if st.Delegation != c.delegation || st.ISO3 != c.iso3 || st.Kind != c.kind {
			t.Errorf("%s (%q, %q): got %q %q %s; want %q %q %s", c.speaker, c.title, c.raw,
				st.Delegation, st.ISO3, st.Kind, c.delegation, c.iso3, c.kind)
		}
		switch {
		case c.council == nil && st.CouncilMember != nil:
			t.Errorf("%s: CouncilMember = %v, want nil", c.speaker, *st.CouncilMember)
		case c.council != nil && (st.CouncilMember == nil || *st.CouncilMember != *c.council):
			t.Errorf("%s: CouncilMember = %v, want %v", c.speaker, st.CouncilMember, *c.council)
		}
		if !slices.Equal(st.OnBehalfOf, c.wantOnBehalf) && !(len(st.OnBehalfOf) == 0 && len(c.wantOnBehalf) == 0) {
			t.Errorf("%s: OnBehalfOf = %q, want %q", c.speaker, st.OnBehalfOf, c.wantOnBehalf)
		}
		if !slices.Equal(st.AlignsWith, c.wantAligns) && !(len(st.AlignsWith) == 0 && len(c.wantAligns) == 0) {
			t.Errorf("%s: AlignsWith = %q, want %q", c.speaker, st.AlignsWith, c.wantAligns)
		}
	}
}

func TestCouncil(t *testing.T) {
	r := Default()
	first, last := r.CouncilYears()
	if first != 1990 || last != 2026 {
		t.Fatalf("CouncilYears() = %d, %d; want 1990, 2026", first, last)
	}
	for y := 1990; y <= 2026; y++ {
		p, e := r.CouncilMembers(y)
		if len(p) != 5 || len(e) != 10 {
			t.Errorf("CouncilMembers(%d) = %d permanent, %d elected; want 5 and 10", y, len(p), len(e))
		}
		for _, n := range append(p, e...) {
			if m, known := r.CouncilMember(n, y); !m || !known {
				t.Errorf("CouncilMember(%q, %d) = %v, %v; want true, true", n, y, m, known)
			}
		}
	}
	wantElected := map[int][]string{
		2017: {"Bolivia", "Egypt", "Ethiopia", "Italy", "Japan", "Kazakhstan", "Senegal", "Sweden", "Ukraine", "Uruguay"},
		2016: {"Angola", "Egypt", "Japan", "Malaysia", "New Zealand", "Senegal", "Spain", "Ukraine", "Uruguay", "Venezuela"},
		2014: {"Argentina", "Australia", "Chad", "Chile", "Jordan", "Lithuania", "Luxembourg", "Nigeria", "Republic of Korea", "Rwanda"},
		2002: {"Bulgaria", "Cameroon", "Colombia", "Guinea", "Ireland", "Mauritius", "Mexico", "Norway", "Singapore", "Syria"},
	}
	for y, want := range wantElected {
		if _, got := r.CouncilMembers(y); !slices.Equal(got, want) {
			t.Errorf("CouncilMembers(%d) elected = %q, want %q", y, got, want)
		}
	}
	if p, _ := r.CouncilMembers(2017); !slices.Equal(p, []string{"China", "France", "Russian Federation", "United Kingdom", "United States"}) {
		t.Errorf("CouncilMembers(2017) permanent = %q", p)
	}
	tests := []struct {
		name          string
		year          int
		member, known bool
	}{
		{"Belarus", 2017, false, true},
		{"Holy See", 2017, false, true},
		{"Italy", 2017, true, true},
		{"Italy", 2018, false, true},
		{"Netherlands", 2017, false, true},
		{"Netherlands", 2018, true, true},
		{"Turkey", 2009, true, true},
		{"USSR", 1990, true, true},
		{"Union of Soviet Socialist Republics", 1991, true, true},
		{"Russian Federation", 1990, true, true},
		{"Zaire", 1991, true, true},
		{"Democratic Yemen", 1990, true, true},
		{"Germany", 2017, false, true},
		{"France", 1989, false, false},
		{"France", 2027, false, false},
		{"European Union", 2017, false, false},
		{"Freedonia", 2017, false, false},
	}
	for _, tt := range tests {
		m, k := r.CouncilMember(tt.name, tt.year)
		if m != tt.member || k != tt.known {
			t.Errorf("CouncilMember(%q, %d) = %v, %v; want %v, %v", tt.name, tt.year, m, k, tt.member, tt.known)
		}
	}
}

func TestInGroupAndBlocs(t *testing.T) {
	r := Default()
	tests := []struct {
		name, group string
		year        int
		want        bool
	}{
		{"United Kingdom", "EU", 2019, true},
		{"United Kingdom", "European Union", 2020, true},
		{"United Kingdom", "EU", 2021, false},
		{"Croatia", "EU", 2012, false},
		{"Croatia", "EU", 2013, true},
		{"France", "P5", 2017, true},
		{"Belarus", "P5", 2017, false},
		{"Sweden", "E10", 2017, true},
		{"Sweden", "E10", 2019, false},
		{"United States", "WEOG", 2017, true},
		{"Israel", "WEOG", 2017, true},
		{"Kiribati", "Asia-Pacific", 2017, true},
		{"Kenya", "African Group", 2017, true},
		{"Kenya", "African", 2017, true},
		{"Brazil", "GRULAC", 2017, true},
		{"Poland", "Eastern European Group", 2017, true},
		{"Iran", "NAM", 2017, true},
		{"Iran", "Non-Aligned Movement", 2017, true},
		{"Brazil", "NAM", 2017, false},
		{"China", "G77", 2017, true},
		{"Mexico", "G77", 2017, false},
		{"Egypt", "Arab Group", 2017, true},
		{"Syria", "League of Arab States", 2015, false},
		{"Syria", "League of Arab States", 2024, true},
		{"Jamaica", "AOSIS", 2017, true},
		{"Norway", "Nordic countries", 2017, true},
		{"Vanuatu", "LDCs", 2019, true},
		{"Vanuatu", "LDCs", 2021, false},
		{"Morocco", "African Union", 2016, false},
		{"Morocco", "African Union", 2017, true},
		{"Spain", "Freedonia Group", 2017, false},
		{"USSR", "P5", 1990, true},
		{"USSR", "Eastern European Group", 1990, true},
		{"European Union", "EU", 2017, false},
	}
	for _, tt := range tests {
		if got := r.InGroup(tt.name, tt.group, tt.year); got != tt.want {
			t.Errorf("InGroup(%q, %q, %d) = %v, want %v", tt.name, tt.group, tt.year, got, tt.want)
		}
	}
	if got, want := r.Blocs("Italy", 2017), []string{"E10", "WEOG", "EU", "Uniting for Consensus"}; !slices.Equal(got, want) {
		t.Errorf("Blocs(Italy, 2017) = %q, want %q", got, want)
	}
	if got := r.Blocs("Freedonia", 2017); got != nil {
		t.Errorf("Blocs(Freedonia) = %q, want nil", got)
	}
	names := r.BlocNames()
	if len(names) < 20 || names[0] != "P5" || names[1] != "E10" {
		t.Errorf("BlocNames() = %q", names)
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Errorf("BlocNames() repeats %q", n)
		}
		seen[n] = true
	}
	if got := r.BlocMembers("EU", 2017); len(got) != 28 {
		t.Errorf("BlocMembers(EU, 2017) has %d members, want 28", len(got))
	}
	if got := r.BlocMembers("EU", 2021); len(got) != 27 {
		t.Errorf("BlocMembers(EU, 2021) has %d members, want 27", len(got))
	}
	if got := r.BlocMembers("Arab Group", 2017); len(got) != 22 {
		t.Errorf("BlocMembers(Arab Group, 2017) has %d members, want 22", len(got))
	}
	if got := r.BlocMembers("OIC", 2010); len(got) != 57 {
		t.Errorf("BlocMembers(OIC, 2010) has %d members, want 57", len(got))
	}
	if got := r.BlocMembers("LLDCs", 2020); len(got) != 32 {
		t.Errorf("BlocMembers(LLDCs, 2020) has %d members, want 32", len(got))
	}
	if got := r.BlocMembers("LDCs", 2025); len(got) != 44 {
		t.Errorf("BlocMembers(LDCs, 2025) has %d members, want 44", len(got))
	}
	if got := r.BlocMembers("NAM", 2019); len(got) != 120 {
		t.Errorf("BlocMembers(NAM, 2019) has %d members, want 120", len(got))
	}
}

func TestInferYear(t *testing.T) {
	r := Default()
	tests := []struct {
		body             string
		meeting, release int
		year             int
		ok               bool
	}{
		{"SC", 7898, 0, 2017, true},  // SC/12751, March 2017
		{"SC", 7138, 0, 2014, true},  // 15 March 2014
		{"SC", 7658, 0, 2016, true},  // 28 March 2016
		{"SC", 4644, 0, 2002, true},  // 8 November 2002
		{"SC", 8473, 0, 2019, true},  // 27 February 2019
		{"SC", 8979, 0, 2022, true},  // 25 February 2022
		{"sc", 2932, 0, 1990, true},  // resolution 660, 2 August 1990
		{"SC", 0, 12751, 2017, true}, // March 2017
		{"SC", 0, 14073, 2020, true}, // 10 January 2020
		{"SC", 0, 15295, 2023, true}, // 2023
		{"SC", 100, 0, 0, false},
		{"SC", 99999, 0, 0, false},
		{"SC", 0, 5000, 0, false}, // before the release table
		{"GA", 0, 12000, 0, false},
		{"ECOSOC", 10, 0, 0, false},
		{"SC", 0, 0, 0, false},
	}
	for _, tt := range tests {
		y, ok := r.InferYear(tt.body, tt.meeting, tt.release)
		if y != tt.year || ok != tt.ok {
			t.Errorf("InferYear(%q, %d, %d) = %d, %v; want %d, %v", tt.body, tt.meeting, tt.release, y, ok, tt.year, tt.ok)
		}
	}
	if _, approx, ok := r.InferYearDetail("SC", 7898, 0); !ok || !approx {
		t.Errorf("InferYearDetail(SC, 7898) approximate = %v, %v; want true, true", approx, ok)
	}
}

func TestLoadErrors(t *testing.T) {
	base := map[string]string{
		fileStates:        "# c\nFrance\tFRA\tmember_state\tWEOG\t-\t-\tFrench Republic\nChina\tCHN\tmember_state\tAsia-Pacific\t-\t-\nRussian Federation\tRUS\tmember_state\tEastern European\t-\t-\nUnited Kingdom\tGBR\tmember_state\tWEOG\t-\t-\nUnited States\tUSA\tmember_state\tWEOG\t-\t-\n",
		fileOrganisations: "United Nations\tUN\tun_system\tweak\tUN\n",
		fileGroups:        "P5\tPermanent members\t\tcouncil:permanent\n",
		fileMembers:       "",
		fileCouncil:       "P5\tCHN FRA RUS GBR USA\n",
		fileMeetings:      "2000\t~4084\t-\t-\n",
	}
	build := func(over map[string]string) fstest.MapFS {
		fsys := fstest.MapFS{}
		for k, v := range base {
			fsys[k] = &fstest.MapFile{Data: []byte(v)}
		}
		for k, v := range over {
			fsys[k] = &fstest.MapFile{Data: []byte(v)}
		}
		return fsys
	}
	if _, err := Load(build(nil)); err != nil {
		t.Fatalf("Load(minimal) = %v", err)
	}
	tests := []struct {
		name, file, data, want string
	}{
		{"bad iso3", fileStates, "France\tFR\tmember_state\tWEOG\t-\t-\n", "states.tsv:1"},
		{"dup iso3", fileStates, base[fileStates] + "Freedonia\tFRA\tmember_state\tWEOG\t-\t-\n", "states.tsv:7"},
		{"alias clash", fileStates, base[fileStates] + "Freedonia\tFDN\tmember_state\tWEOG\t-\t-\tFrench Republic\n", "already names"},
		{"bad region", fileStates, "France\tFRA\tmember_state\tEurope\t-\t-\n", "unknown region"},
		{"short line", fileOrganisations, "United Nations\tUN\n", "organisations.tsv:1"},
		{"nine elected", fileCouncil, base[fileCouncil] + "2000\tCHN\n", "council.tsv:2"},
		{"unknown member", fileCouncil, "P5\tCHN FRA RUS GBR XXX\n", "XXX"},
		{"unknown bloc", fileMembers, "NAM\tFRA\n", "members.tsv:1"},
		{"meetings not increasing", fileMeetings, "2000\t~4084\t-\t-\n2001\t4000\t-\t-\n", "meetings.tsv:2"},
		{"missing file", fileMeetings, "", ""},
	}
	for _, tt := range tests {
		fsys := build(map[string]string{tt.file: tt.data})
		if tt.name == "missing file" {
			delete(fsys, fileMeetings)
			tt.want = "meetings.tsv"
		}
		_, err := Load(fsys)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Load error = %v, want it to mention %q", tt.name, err, tt.want)
		}
	}
}

// Documents are untrusted: nothing may panic on odd input.
func TestOddInput(t *testing.T) {
	r := Default()
	inputs := []string{"", "\xff\xfe\xfd", strings.Repeat("Spain ", 5000), strings.Repeat("’", 3000),
		"Special Rapporteur", "Special Rapporteur on " + strings.Repeat("x ", 3000), "e\u0301", "(((", "United"}
	for _, in := range inputs {
		r.Lookup(in)
		r.Find(in)
		st := model.Statement{DelegationRaw: in, Title: in, OnBehalfOf: []string{in}, AlignsWith: []string{in}}
		r.ResolveStatement(&st, 2017)
	}
}

const longTitle = "Special Representative and Coordinator for Combating Trafficking in Human Beings at the " +
	"Organization for Security and Cooperation in Europe (OSCE), speaking also on behalf of the " +
	"Minister for Health, Social Services and Equality of Spain and the Deputy Minister for Foreign Affairs of Ukraine"

func BenchmarkFind(b *testing.B) {
	r := Default()
	for b.Loop() {
		if _, ok := r.Find(longTitle); !ok {
			b.Fatal("no match")
		}
	}
}
