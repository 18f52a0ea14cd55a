package registry

import (
	"strings"

	"github.com/stancetrack/stancetrack/model"
)

// ResolveStatement is the resolve step of the pipeline. From the parser's
// st.DelegationRaw, st.Title, st.OnBehalfOf and st.AlignsWith it sets
// st.Delegation, st.ISO3, st.Kind, st.CouncilMember and canonicalises
// OnBehalfOf/AlignsWith (deduplicated, order kept). year <= 0 means unknown.
//
// Rules:
//   - DelegationRaw is resolved with Lookup (then Find); when it is empty or
//     unknown, the entity named in Title (Find).
//   - A State found through a title that names a national office rather than
//     the delegation ("Independent Anti-Slavery Commissioner, United
//     Kingdom"; "President, National Council of Women, Argentina") gives
//     national_official with the State's name and ISO3. Ministers, State
//     secretaries, permanent representatives, ambassadors, heads of State or
//     Government speak for their State: member_state.
//   - A title segment naming an unknown organisation (Centre, Network,
//     Foundation, Institute, Coalition, Watch, Association, Society, NGO, ...)
//     gives civil_society with that organisation as Delegation.
//   - Anything else unknown is "other", Delegation the raw name cleaned.
//
// CouncilMember is set for member and observer States when the year is in
// the Council table; it stays nil for national officials, who brief in their
// own right rather than in the State's seat.
func (r *Registry) ResolveStatement(st *model.Statement, year int) {
	if st == nil {
		return
	}
	raw := cleanSpace(st.DelegationRaw)
	title := cleanSpace(st.Title)
	st.Delegation, st.ISO3, st.Kind, st.CouncilMember = "", "", model.KindOther, nil

	e, found := Entity{}, false
	if raw != "" {
		if e, found = r.Lookup(raw); !found {
			e, found = r.Find(raw)
		}
	}
	if !found && title != "" {
		e, found = r.Find(title)
	}

	switch {
	case found && e.IsState():
		st.Delegation, st.ISO3, st.Kind = e.Name, e.ISO3, e.Kind
		if title != "" && r.titleNamesState(title, e.ISO3) && !speaksForState(title, e.ISO3, r) {
			if org := civilSocietyName(title, r); org != "" {
				st.Delegation, st.ISO3, st.Kind = org, "", model.KindCivilSociety
			} else {
				st.Kind = model.KindNationalOfficial
			}
		}
		if st.Kind == model.KindMemberState || st.Kind == model.KindObserverState {
			if member, known := r.councilMemberID(r.byISO[e.ISO3], year); known {
				st.CouncilMember = &member
			}
		}
	case found:
		st.Delegation, st.Kind = e.Name, e.Kind
		if e.Kind == KindGroup {
			st.Kind = model.KindOther
		}
	default:
		switch {
		case civilSocietyName(raw, r) != "":
			st.Delegation, st.Kind = civilSocietyName(raw, r), model.KindCivilSociety
		case raw == "" && civilSocietyName(title, r) != "":
			st.Delegation, st.Kind = civilSocietyName(title, r), model.KindCivilSociety
		case raw == "" && titleOrganisation(title) != "":
			// A briefer whose office the registry does not know: the
			// organisation the title names ("Executive Director of
			// Fondasyon Je Klere"), kind other.
			st.Delegation = titleOrganisation(title)
		default:
			st.Delegation = cleanName(raw)
		}
	}

	st.OnBehalfOf = r.canonicalList(st.OnBehalfOf)
	st.AlignsWith = r.canonicalList(st.AlignsWith)

	// A speaker printed with no delegation or title who speaks on behalf of
	// one organisation (verbatim records: "Mr. Vrailas: I have the honour to
	// speak on behalf of the European Union") speaks as that organisation.
	if raw == "" && title == "" && st.Delegation == "" && len(st.OnBehalfOf) == 1 {
		if e, ok := r.Lookup(st.OnBehalfOf[0]); ok && e.Kind == model.KindIntergovernmental {
			st.Delegation, st.Kind, st.OnBehalfOf = e.Name, e.Kind, []string{}
		}
	}
}

// titleNamesState reports whether the State iso3 is the one Find picks in title.
func (r *Registry) titleNamesState(title, iso3 string) bool {
	e, ok := r.Find(title)
	return ok && e.ISO3 == iso3
}

// Title words of people who speak for their State.
var (
	stateWords = map[string]bool{
		"minister": true, "ministers": true, "ministry": true, "ambassador": true,
		"chancellor": true, "king": true, "queen": true, "emir": true, "sultan": true,
		"envoy": true, "delegate": true, "taoiseach": true,
	}
	statePhrases = [][]string{
		{"secretary", "of", "state"}, {"state", "secretary"}, {"permanent", "representative"},
		{"charge", "d", "affaires"}, {"head", "of", "state"}, {"head", "of", "government"},
		{"head", "of", "delegation"}, {"head", "of", "the", "delegation"}, {"foreign", "secretary"},
		{"representative", "of"}, {"permanent", "mission"}, {"crown", "prince"},
		{"deputy", "permanent"}, {"permanent", "observer"}, {"observer", "of"},
	}
	// Words that may stand between "President of" and the State's name.
	presidentFiller = map[string]bool{"the": true, "republic": true, "of": true}
)

// speaksForState reports whether title is that of someone speaking for the
// State iso3 (a minister, a permanent representative, its President ...).
func speaksForState(title, iso3 string, r *Registry) bool {
	toks := tokenize(title)
	for i, t := range toks {
		if stateWords[t.norm] {
			return true
		}
		for _, p := range statePhrases {
			if i+len(p) <= len(toks) && hasWords(toks[i:i+len(p)], p) {
				return true
			}
		}
	}
	// "President of Argentina", "Vice-President of the Republic of X" - but
	// not "President, National Council of Women, Argentina".
	for _, m := range r.scan(toks) {
		if r.ents[m.id].ISO3 != iso3 {
			continue
		}
		j := m.from - 1
		for j >= 0 && presidentFiller[toks[j].norm] {
			j--
		}
		if j >= 0 && j < m.from-1 && toks[j].norm == "president" && toks[j+1].norm == "of" {
			return true
		}
	}
	return false
}

// Words marking an organisation that the registry does not know: civil
// society in UN meetings.
var (
	civilWords = map[string]bool{
		"centre": true, "center": true, "network": true, "foundation": true, "institute": true,
		"coalition": true, "watch": true, "association": true, "society": true, "ngo": true,
		"ngos": true, "alliance": true, "campaign": true, "initiative": true, "trust": true,
		"federation": true, "committee": true, "university": true, "organization": true,
		"organisation": true, "fund": true, "forum": true, "movement": true, "league": true,
		"caucus": true, "collective": true,
	}
	civilPhrases = [][]string{{"crisis", "group"}, {"civil", "society"}}
)

// civilSocietyName returns the comma-separated segment of text that names an
// unknown organisation ("Elman Peace and Human Rights Centre"), or "".
func civilSocietyName(text string, r *Registry) string {
	segs := strings.Split(text, ",")
	for i := len(segs) - 1; i >= 0; i-- {
		seg := strings.TrimSpace(segs[i])
		toks := tokenize(seg)
		if len(toks) == 0 {
			continue
		}
		// A segment that is a known name ("International Labour Organization",
		// "Spain") is not an unknown organisation.
		if _, ok := r.Find(seg); ok {
			continue
		}
		civil := false
		for k, t := range toks {
			if civilWords[t.norm] {
				civil = true
			}
			for _, p := range civilPhrases {
				if k+len(p) <= len(toks) && hasWords(toks[k:k+len(p)], p) {
					civil = true
				}
			}
		}
		if toks[len(toks)-1].norm == "international" && len(toks) > 1 {
			civil = true // Amnesty International, Oxfam International
		}
		if civil {
			return cleanName(seg)
		}
	}
	return ""
}

// cleanName trims wrapping words ("the", "delegation", "’s") from a name as
// printed and returns the rest with its original spelling.
func cleanName(s string) string {
	s = cleanSpace(s)
	toks := tokenize(s)
	for {
		next := stripWrappers(toks)
		if len(next) == len(toks) {
			break
		}
		toks = next
	}
	if len(toks) == 0 {
		return ""
	}
	return strings.TrimSpace(s[toks[0].start:toks[len(toks)-1].end])
}

// listNoise are the words around names in speak-for and align-with phrases
// ("the statement to be delivered on behalf of the Non-Aligned Movement").
var listNoise = map[string]bool{
	"the": true, "statement": true, "statements": true, "by": true, "of": true, "on": true,
	"behalf": true, "delivered": true, "to": true, "be": true, "delegation": true,
	"delegations": true, "also": true, "speaking": true, "for": true, "with": true, "its": true,
	"member": true, "members": true, "states": true, "s": true, "associated": true,
	"aligned": true, "align": true, "aligns": true, "itself": true, "herself": true,
	"himself": true, "themselves": true, "as": true, "well": true, "a": true, "an": true,
	"in": true, "capacity": true, "endorsed": true, "endorsing": true, "associating": true,
	"associates": true, "made": true, "was": true, "will": true, "would": true, "who": true,
	"which": true, "that": true, "and": true, "other": true, "countries": true,
}

// canonicalList resolves speak-for/align-with items to canonical names,
// splitting unsplit lists ("Denmark, Finland, Iceland and Sweden") without
// breaking names that contain "and" ("Antigua and Barbuda", "Group of 77
// and China"). Unknown names are kept, cleaned.
func (r *Registry) canonicalList(items []string) []string {
	if len(items) == 0 {
		return items
	}
	seen := map[string]bool{}
	out := []string{}
	for _, it := range items {
		for _, n := range r.expandItem(it) {
			if n != "" && !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

func (r *Registry) expandItem(item string) []string {
	text := cleanSpace(item)
	if e, ok := r.Lookup(text); ok {
		return []string{e.Name}
	}
	toks := tokenize(text)
	var out []string
	gap := func(from, to int) {
		start := from
		for k := from; k <= to; k++ {
			split := k == to || toks[k].norm == "and" ||
				(k > start && strings.ContainsAny(text[toks[k-1].end:toks[k].start], ",;"))
			if !split {
				continue
			}
			if k > start {
				if name := pieceName(text, toks[start:k]); name != "" {
					out = append(out, name)
				}
			}
			start = k
			if k < to && toks[k].norm == "and" {
				start = k + 1
			}
		}
	}
	pos := 0
	for _, m := range r.scan(toks) {
		gap(pos, m.from)
		if r.family[m.id] {
			out = append(out, r.familyEntity(m, text, toks).Name)
		} else {
			out = append(out, r.ents[m.id].Name)
		}
		pos = m.to
	}
	gap(pos, len(toks))
	return out
}

// pieceName is the cleaned text of an unmatched list piece, or "" when it
// holds only connecting words.
func pieceName(text string, toks []token) string {
	first, last := -1, -1
	for i, t := range toks {
		if !listNoise[t.norm] {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return ""
	}
	return cleanName(text[toks[first].start:toks[last].end])
}

// titleOrganisation is the organisation a briefer's title names after its
// last office word ("Executive Director of Fondasyon Je Klere" -> "Fondasyon
// Je Klere"), or "" when the title names none in capitals.
func titleOrganisation(title string) string {
	i := strings.LastIndex(title, ", ")
	j := strings.Index(title, " of ")
	var org string
	switch {
	case j > 0 && (i < 0 || j < i):
		org = title[j+len(" of "):]
	case i > 0:
		org = title[i+2:]
	default:
		return ""
	}
	org = strings.TrimPrefix(strings.TrimSpace(org), "the ")
	if org == "" || !(org[0] >= 'A' && org[0] <= 'Z' || org[0] >= '0' && org[0] <= '9') || len(org) > 120 {
		return ""
	}
	return org
}
