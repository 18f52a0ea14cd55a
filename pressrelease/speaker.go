package pressrelease

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// speakerLine is who a paragraph says is speaking, if anyone.
type speakerLine struct {
	ok                         bool
	speaker, title, delegation string
}

// window bounds how far into a paragraph speaker detection looks, so a huge
// paragraph costs no more than a short one.
const window = 600

var honorifics = []string{"Mr. ", "Ms. ", "Mrs. ", "Miss ", "Dr. ", "Sir ", "Dame ", "Lord ", "Baroness ",
	"H.E. ", "Archbishop ", "Monsignor ", "Msgr. ", "Cardinal ", "Sheikh ", "Sheikha ", "Prince ", "Princess ",
	"Judge ", "Professor ", "Prof. ", "General ", "Ambassador "}

var particles = map[string]bool{"de": true, "van": true, "von": true, "da": true, "bin": true, "binti": true,
	"al": true, "del": true, "la": true, "le": true, "di": true, "dos": true, "das": true, "do": true,
	"der": true, "den": true, "ter": true, "y": true, "e": true, "ben": true, "du": true, "des": true}

// predicateWords start the main clause after a speaker's name and title.
var predicateWords = map[string]bool{"said": true, "spoke": true, "told": true, "took": true, "gave": true,
	"drew": true, "made": true, "held": true, "sought": true, "saw": true, "set": true, "led": true,
	"began": true, "felt": true, "thought": true, "brought": true, "put": true, "went": true,
	"became": true, "read": true, "says": true, "who": true, "also": true, "then": true, "further": true,
	"however": true, "meanwhile": true, "paid": true, "found": true, "heard": true, "met": true, "sent": true,
	"stood": true, "chose": true}

// notPredicates end in -ed or -ing but continue a title.
var notPredicates = map[string]bool{"including": true, "concerning": true, "regarding": true,
	"according": true, "during": true, "following": true, "pending": true, "united": true,
	"red": true, "bed": true, "building": true, "king": true, "peacebuilding": true, "peacekeeping": true,
	"training": true, "financing": true, "trafficking": true, "planning": true, "funding": true,
	"policing": true, "landlocked": true, "least": true, "developed": true, "related": true,
	"based": true, "affected": true, "armed": true, "advanced": true, "assisted": true, "displaced": true,
	"indigenous": true, "elected": true, "appointed": true, "designate": true, "designated": true,
}

// roleWords mark a mixed-case "Name, Title, said" line as a speaker line.
var roleWords = []string{"Minister", "Secretary", "Representative", "Director", "President", "Ambassador",
	"Chair", "Coordinator", "Commissioner", "Observer", "Envoy", "Adviser", "Advisor", "Head", "Chief",
	"Rapporteur", "Founder", "Executive", "Officer", "Deputy", "Administrator", "Prosecutor", "Judge",
	"Governor", "Mayor", "Senator", "Professor", "Spokesperson", "delegation", "Counsellor", "Commander",
	"Expert", "Member", "Registrar", "Chef", "Vice", "Assistant", "Under-Secretary-General", "Activist", "Researcher"}

// titleFirst are titles printed before a name: "Secretary-General António
// Guterres said", "Council President Matthew Rycroft said".
var titleFirst = []string{"Deputy Secretary-General", "Secretary-General", "Security Council President",
	"Council President", "General Assembly President", "Assembly President", "Committee Chair",
	"Commission Chair", "High Commissioner", "Special Envoy", "Special Representative", "Special Rapporteur",
	"President"}

var (
	theRoleOfRE = regexp.MustCompile(`^The (representative|delegate|delegation|speaker|observer|Permanent Observer|Permanent Representative|Ambassador|Foreign Minister|Minister for Foreign Affairs|Deputy Permanent Representative) (?:of|for) `)
	possRoleRE  = regexp.MustCompile(`^(?:representative|delegate|delegation|speaker|observer)\b`)
	quoteStart  = "“\"‘"
	possessives = []string{"’s ", "'s "}
)

// detectSpeaker decides whether paragraph p starts a speaker turn.
func detectSpeaker(p string) speakerLine {
	// Every form starts with a capital, a quotation mark or an opening
	// clause in capitals; a paragraph starting in lower case continues a turn.
	if r, _ := utf8.DecodeRuneInString(p); !unicode.IsUpper(r) && !strings.ContainsRune(quoteStart, r) {
		return speakerLine{}
	}
	p = head(p, window)
	if sp := upperNameLine(p); sp.ok {
		return sp
	}
	if sp := delegationLine(p); sp.ok {
		return sp
	}
	if sp := titleFirstLine(p); sp.ok {
		return sp
	}
	if sp := mixedNameLine(p); sp.ok {
		return sp
	}
	return clauseLine(p)
}

// upperName reports whether s is a name in the press-release capitals style.
func upperName(s string) bool {
	for _, h := range honorifics {
		s = strings.TrimPrefix(s, h)
	}
	return anyStrong(s)
}

// anyStrong reports whether a space-separated token of s is strongToken.
func anyStrong(s string) bool {
	for s != "" {
		tok, rest, _ := strings.Cut(s, " ")
		if strongToken(tok) {
			return true
		}
		s = rest
	}
	return false
}

func letterCounts(t string) (upper, lower int) {
	for _, r := range t {
		switch {
		case unicode.IsUpper(r):
			upper++
		case unicode.IsLower(r):
			lower++
		case unicode.IsLetter(r), r == '-', r == '’', r == '\'', r == '.':
		default:
			return 0, 99 // digits or symbols: not a name
		}
	}
	return upper, lower
}

// strongToken: "GUTERRES", "TAE-YUL", "McHUGH".
func strongToken(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	if !unicode.IsUpper(r) {
		return false
	}
	u, l := letterCounts(t)
	return u >= 2 && l <= 2 && u > l
}

// initialToken: "T.", "M.", "J.-P."
func initialToken(t string) bool {
	if !strings.HasSuffix(t, ".") || len(t) > 6 {
		return false
	}
	u, l := letterCounts(t)
	return u >= 1 && l == 0
}

// capToken: "Maria", "Mejía", "D’Souza".
func capToken(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	if !unicode.IsUpper(r) {
		return false
	}
	u, l := letterCounts(t)
	return l < 99 && u+l >= 2 && l >= 1
}

// scanName reads name tokens from the start of s. upper selects the
// capitals style ("JAN KICKERT"); otherwise mixed case ("Jan Kickert"). It
// returns the byte length of the name and the number of tokens.
func scanName(s string, upper bool) (n, tokens int) {
	pos := 0
	for pos < len(s) {
		end := pos
		for end < len(s) && s[end] != ' ' && s[end] != ',' && s[end] != '(' {
			end++
		}
		tok := s[pos:end]
		if tok == "" {
			break
		}
		ok := false
		switch {
		case upper && (strongToken(tok) || initialToken(tok)):
			ok = true
		case !upper && (capToken(tok) || initialToken(tok)):
			ok = !predicateWords[strings.ToLower(tok)]
		case particles[tok] && end < len(s) && s[end] == ' ':
			// a particle only counts when a name token follows it
			nxt := s[end+1:]
			j := strings.IndexAny(nxt, " ,(")
			if j < 0 {
				j = len(nxt)
			}
			next := nxt[:j]
			ok = (upper && strongToken(next)) || (!upper && capToken(next))
		}
		if !ok {
			break
		}
		tokens++
		n = end
		if end < len(s) && s[end] == ' ' && end+1 < len(s) && s[end+1] != '(' {
			pos = end + 1
			continue
		}
		break
	}
	return n, tokens
}

// upperNameLine: "JAN KICKERT (Austria) said", "ANTÓNIO GUTERRES,
// Secretary-General of the United Nations, said", "Mr. SCHULZ (Germany), ...".
func upperNameLine(p string) speakerLine {
	hon := 0
	for _, h := range honorifics {
		if strings.HasPrefix(p, h) {
			hon = len(h)
			break
		}
	}
	n, tokens := scanName(p[hon:], true)
	if n == 0 || (tokens < 2 && hon == 0) {
		return speakerLine{}
	}
	if !anyStrong(p[hon : hon+n]) {
		return speakerLine{}
	}
	name := p[:hon+n]
	return afterName(name, p[hon+n:], true)
}

// afterName reads what follows a name: "(Country)" and/or ", Title,", then
// the predicate. Capitals names are the press-release convention and are
// trusted; mixed-case names also need a delegation that is not an acronym
// ("(ILO)"), a predicate, and for the comma form a title with a role word.
func afterName(name, rest string, upper bool) speakerLine {
	sp := speakerLine{speaker: name}
	if strings.HasPrefix(rest, " (") {
		j := strings.IndexByte(rest, ')')
		if j < 0 || j > 90 {
			return speakerLine{}
		}
		d := strings.TrimSpace(rest[2:j])
		_, l := letterCounts(strings.ReplaceAll(strings.ReplaceAll(d, " ", ""), "’", ""))
		if d == "" || (!upper && (l == 0 || l == 99)) {
			return speakerLine{}
		}
		sp.delegation = d
		rest = rest[j+1:]
		switch {
		case strings.HasPrefix(rest, ", "):
			title, ok := titleBeforePredicate(rest[2:])
			if !ok && !upper {
				return speakerLine{}
			}
			sp.title = title
		case strings.HasPrefix(rest, " "):
			w := firstWord(rest[1:])
			if !upper && !isPredicate(w) {
				return speakerLine{}
			}
		case rest == "" || rest[0] == '.' || rest[0] == ':':
			if !upper {
				return speakerLine{}
			}
		default:
			return speakerLine{}
		}
		sp.ok = true
		return sp
	}
	if !strings.HasPrefix(rest, ", ") {
		return speakerLine{}
	}
	title, ok := titleBeforePredicate(rest[2:])
	if title != "" {
		r, _ := utf8.DecodeRuneInString(title)
		// Titles are usually capitalised ("Minister for ..."), but a name in
		// capitals of two words or more followed by a lower-case role and a
		// reporting verb ("JOANNE LIU, paediatrician and former ..., said")
		// is a speaker too; a single capitalised word such as "UNODC, for
		// its part, ..." is not.
		lowerOK := upper && ok && strings.Contains(strings.TrimSpace(name), " ")
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) && !lowerOK {
			return speakerLine{}
		}
	}
	if !upper {
		if !ok || title == "" || !hasRoleWord(title) {
			return speakerLine{}
		}
	}
	if !ok && title == "" {
		return speakerLine{}
	}
	sp.title, sp.ok = title, true
	return sp
}

func hasRoleWord(s string) bool {
	for _, w := range roleWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func isPredicate(w string) bool {
	w = strings.Trim(w, ",.;:")
	if w == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsLower(r) {
		return false
	}
	if predicateWords[w] {
		return true
	}
	if notPredicates[w] {
		return false
	}
	return strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing")
}

// titleBeforePredicate splits "Minister for Health, Social Services and
// Equality of Spain, said ..." into the title and reports whether a
// predicate was found. The title ends at the first ", " followed by a
// predicate word; without one the first comma segment is taken.
func titleBeforePredicate(s string) (string, bool) {
	if isPredicate(firstWord(s)) {
		return "", true
	}
	for off := 0; off < len(s); {
		j := strings.Index(s[off:], ", ")
		if j < 0 {
			break
		}
		at := off + j
		if isPredicate(firstWord(s[at+2:])) {
			return strings.TrimSpace(s[:at]), true
		}
		// A sentence end means the title ran out without a predicate.
		if k := strings.Index(s[off:at], ". "); k >= 0 && !initialBefore(s[:off+k]) {
			break
		}
		off = at + 2
	}
	seg := s
	if j := strings.Index(s, ", "); j >= 0 {
		seg = s[:j]
	}
	if j := strings.Index(seg, ". "); j >= 0 {
		seg = seg[:j]
	}
	return strings.TrimSpace(strings.TrimRight(seg, ".")), false
}

// initialBefore reports whether the text before a full stop ends in an
// initial or an abbreviation, so the stop does not end a sentence.
func initialBefore(s string) bool {
	i := strings.LastIndexByte(s, ' ')
	w := s[i+1:]
	switch w {
	case "Mr", "Ms", "Mrs", "Dr", "St", "No", "Nos", "a.m", "p.m", "U.S", "U.N", "Jr", "Sr", "Prof", "Msgr", "H.E":
		return true
	}
	u, l := letterCounts(w)
	return u == 1 && l == 0 && len(w) <= 2
}

// delegationLine: "The representative of X said", "X’s representative
// said", "Spain’s Minister for Health ... said".
func delegationLine(p string) speakerLine {
	if m := theRoleOfRE.FindStringSubmatchIndex(p); m != nil {
		role := p[m[2]:m[3]]
		d := scanPlace(p[m[1]:])
		if d == "" {
			return speakerLine{}
		}
		sp := speakerLine{ok: true, delegation: d}
		if r, _ := utf8.DecodeRuneInString(role); unicode.IsUpper(r) {
			sp.title = role
		}
		return sp
	}
	// Possessive: the place, then ’s, then a role.
	start := 0
	if strings.HasPrefix(p, "The ") {
		start = 4
	}
	d := scanPlace(p[start:])
	if d == "" {
		return speakerLine{}
	}
	after := p[start+len(d):]
	poss := ""
	for _, ps := range possessives {
		if strings.HasPrefix(after, ps) {
			poss = ps
		}
	}
	if poss == "" {
		return speakerLine{}
	}
	role := after[len(poss):]
	deleg := p[:start+len(d)+len(poss)-1]
	if possRoleRE.MatchString(role) {
		w := firstWord(role)
		rest := strings.TrimPrefix(role, w)
		if rest != "" && rest[0] != ' ' && rest[0] != ',' {
			return speakerLine{}
		}
		return speakerLine{ok: true, delegation: deleg}
	}
	// "Spain’s Minister for Health, Social Services and Equality described"
	title := titleUntilVerb(role)
	if title == "" || !hasRoleWord(title) {
		return speakerLine{}
	}
	return speakerLine{ok: true, delegation: deleg, title: title}
}

// titleUntilVerb returns the words of s up to the first predicate word.
func titleUntilVerb(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(r) {
		return ""
	}
	pos := 0
	for pos < len(s) {
		j := strings.IndexByte(s[pos:], ' ')
		if j < 0 {
			return ""
		}
		w := s[pos+j+1:]
		if isPredicate(firstWord(w)) {
			return strings.TrimRight(s[:pos+j], ",")
		}
		pos += j + 1
		if pos > 200 {
			return ""
		}
	}
	return ""
}

// placeConnectors may appear inside a delegation's printed name.
var placeConnectors = map[string]bool{"of": true, "the": true, "and": true, "for": true, "da": true,
	"de": true, "du": true}

// scanPlace reads a delegation name ("the United Kingdom", "Côte d’Ivoire",
// "the Democratic Republic of the Congo") from the start of s. A possessive
// ends it; the returned name excludes the "’s".
func scanPlace(s string) string {
	pos, end := 0, 0
	for pos < len(s) {
		e := pos
		for e < len(s) && s[e] != ' ' && s[e] != ',' && s[e] != '(' && s[e] != '.' && s[e] != ';' && s[e] != ':' {
			e++
		}
		tok := s[pos:e]
		poss := false
		for _, ps := range possessives {
			if strings.HasSuffix(tok, strings.TrimSuffix(ps, " ")) {
				tok = tok[:len(tok)-len(ps)+1]
				poss = true
			}
		}
		r, _ := utf8.DecodeRuneInString(tok)
		switch {
		case tok == "":
			return strings.TrimRight(s[:end], " ")
		case unicode.IsUpper(r) || strings.HasPrefix(tok, "d’") || strings.HasPrefix(tok, "d'"):
			end = pos + len(tok)
		case placeConnectors[tok]:
		default:
			return trimConnectors(s[:end])
		}
		if poss {
			return trimConnectors(s[:end])
		}
		if e < len(s) && s[e] == ' ' {
			pos = e + 1
			continue
		}
		break
	}
	return trimConnectors(s[:end])
}

func trimConnectors(s string) string {
	s = strings.TrimRight(s, " ")
	for {
		i := strings.LastIndexByte(s, ' ')
		if i < 0 || !placeConnectors[s[i+1:]] {
			return s
		}
		s = strings.TrimRight(s[:i], " ")
	}
}

// titleFirstLine: "Secretary-General António Guterres said".
func titleFirstLine(p string) speakerLine {
	s := strings.TrimPrefix(p, "The ")
	for _, t := range titleFirst {
		if len(s) <= len(t) || s[len(t)] != ' ' || !strings.HasPrefix(s, t) {
			continue
		}
		rest := s[len(t)+1:]
		upper := strongToken(firstWord(rest))
		n, tokens := scanName(rest, upper)
		if tokens < 2 || tokens > 6 {
			return speakerLine{}
		}
		after := rest[n:]
		sp := speakerLine{ok: true, title: t, speaker: rest[:n]}
		switch {
		case strings.HasPrefix(after, " (") || strings.HasPrefix(after, ", "):
			// "Council President Lena Hartmann (Germany) said": the
			// parenthetical is the delegation, as after any name.
			a := afterName(rest[:n], after, true)
			if !a.ok {
				return speakerLine{}
			}
			if _, ok := titleBeforePredicate(strings.TrimPrefix(after, ", ")); strings.HasPrefix(after, ", ") && !ok {
				return speakerLine{}
			}
			sp.delegation = a.delegation
		case strings.HasPrefix(after, " ") && isPredicate(firstWord(after[1:])):
		default:
			return speakerLine{}
		}
		return sp
	}
	return speakerLine{}
}

// mixedNameLine: "Maria Emma Mejía Vélez (Colombia), Chair of ..., said",
// "Maria Emma Mejía Vélez, Permanent Representative of Colombia, said".
func mixedNameLine(p string) speakerLine {
	n, tokens := scanName(p, false)
	if tokens < 2 || tokens > 6 {
		return speakerLine{}
	}
	return afterName(p[:n], p[n:], false)
}

// clauseLine: a speaker named after a quote or a clause, in the first
// sentence: "“...,” said the representative of X." or "Turning to ..., the
// representative of X said".
func clauseLine(p string) speakerLine {
	r, _ := utf8.DecodeRuneInString(p)
	scope := p
	if !strings.ContainsRune(quoteStart, r) {
		scope = firstSentence(p)
	}
	// Every form below names a role word; most paragraphs have none.
	if !strings.Contains(scope, "representative") && !strings.Contains(scope, "delegate") &&
		!strings.Contains(scope, "speaker") && !strings.Contains(scope, "observer") {
		return speakerLine{}
	}
	if at := roleAfterClause(scope); at >= 0 {
		if d := scanPlace(p[at:]); d != "" {
			return speakerLine{ok: true, delegation: d}
		}
	}
	// ", X’s representative said" / "said X’s delegate"
	for _, lead := range []string{", ", ",” ", ",\" ", " said "} {
		for off := 0; off < len(scope); {
			j := strings.Index(scope[off:], lead)
			if j < 0 {
				break
			}
			at := off + j + len(lead)
			rest := p[at:]
			d := scanPlace(strings.TrimPrefix(rest, "the "))
			if d != "" {
				after := strings.TrimPrefix(rest, "the ")[len(d):]
				for _, ps := range possessives {
					if strings.HasPrefix(after, ps) && possRoleRE.MatchString(after[len(ps):]) {
						return speakerLine{ok: true, delegation: p[at : at+len(rest)-len(after)+len(ps)-1]}
					}
				}
			}
			off = at
		}
	}
	return speakerLine{}
}

var clauseRoles = []string{"the representative of ", "the representative for ", "the delegate of ",
	"the delegate for ", "the speaker for ", "the speaker of ", "the observer for ", "the observer of "}

// roleAfterClause finds "..., the representative of X" or "“...,” said the
// representative of X" in scope and returns where X starts, or -1.
func roleAfterClause(scope string) int {
	best := -1
	for _, role := range clauseRoles {
		for off := 0; off < len(scope); {
			i := strings.Index(scope[off:], role)
			if i < 0 {
				break
			}
			at := off + i
			off = at + len(role)
			if clauseBefore(scope[:at]) {
				if best < 0 || off < best {
					best = off
				}
				break
			}
		}
	}
	return best
}

// clauseBefore reports whether pre ends a clause or a quotation that a
// named speaker follows: ", " or ",” " (clause), or "...,” said " (quote).
func clauseBefore(pre string) bool {
	if rest, ok := strings.CutSuffix(pre, " said "); ok {
		for _, end := range []string{",", ",”", ",\"", "?”", "!”", "?\"", "!\"", "”", "\""} {
			if strings.HasSuffix(rest, end) {
				return true
			}
		}
		return false
	}
	for _, end := range []string{", ", ",” ", ",\" "} {
		if strings.HasSuffix(pre, end) {
			return true
		}
	}
	return false
}

// firstSentence returns p up to its first full stop that ends a sentence.
func firstSentence(p string) string {
	for off := 0; off < len(p); {
		j := strings.IndexByte(p[off:], '.')
		if j < 0 {
			return p
		}
		at := off + j
		if at+1 >= len(p) {
			return p
		}
		next := p[at+1]
		if (next == ' ' || next == '"' || p[at+1:] == "”" || strings.HasPrefix(p[at+1:], "” ")) && !initialBefore(p[:at]) {
			return p[:at+1]
		}
		off = at + 1
	}
	return p
}

var (
	stmtRE     = regexp.MustCompile(`^(?:the\s+)?(?:joint\s+)?statements?\s+(?:(?:to be|that would be|that will be|just|later|already)\s+)?(?:(?:delivered|made|given|presented|read out|issued)\s+)?(?:by|of|on behalf of|from)\s+`)
	groupWords = []string{"Union", "Movement", "Group", "Community", "Countries", "countries", "States", "Organization",
		"Alliance", "Bloc", "Forum", "League", "Cooperation", "Association", "Commonwealth", "Nordic", "CARICOM",
		"ASEAN", "SICA", "CELAC", "Friends", "Coalition", "Network", "Caucus"}
)

// groups reads OnBehalfOf and AlignsWith from the first sentence of a turn.
// It scans for its keywords with plain string search: regular expressions
// over every turn's first sentence were most of the parse time.
func groups(p string) (onBehalf, aligns []string) {
	s := firstSentence(p)
	if len(s) > 2*window {
		s = s[:2*window]
		for len(s) > 0 && !utf8.RuneStart(s[len(s)-1]) {
			s = s[:len(s)-1]
		}
	}
	for _, at := range onBehalfAt(s) {
		onBehalf = append(onBehalf, cleanItems(splitList(listText(s[at:])))...)
	}
	for _, a := range alignAt(s) {
		obj := s[a.at:]
		hasStmt := false
		for {
			m := stmtRE.FindString(obj)
			if m == "" {
				break
			}
			hasStmt, obj = true, obj[len(m):]
		}
		obj = listText(obj)
		if k := strings.LastIndex(obj, " on behalf of "); k >= 0 {
			obj = obj[k+len(" on behalf of "):]
		}
		if obj == "" {
			continue
		}
		if (a.verb == "endors" || a.verb == "subscrib") && !hasStmt && !isGroupLike(obj) {
			continue // "endorsing the Secretary-General’s call" is not a group
		}
		for _, part := range splitAnyOf(obj, []string{" and by the ", " and by ", " and the statement by ", " and the ", ", as well as "}) {
			aligns = append(aligns, cleanItems(splitList(part))...)
		}
	}
	return onBehalf, aligns
}

// onBehalfAt returns where each "speaking on behalf of X" / "also speaking
// for X" / ", on behalf of X" list starts in s. "The statement to be
// delivered on behalf of X" is not one: it is an alignment.
func onBehalfAt(s string) []int {
	var out []int
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "behalf of ")
		if i < 0 {
			break
		}
		at := off + i
		pre := s[:at]
		if strings.HasSuffix(pre, "on ") || strings.HasSuffix(pre, "On ") {
			pre = strings.TrimSuffix(strings.TrimSuffix(pre, "on "), "On ")
			t := strings.TrimSuffix(pre, "also ")
			if pre == "" || strings.HasSuffix(pre, ", ") || strings.HasSuffix(t, "peaking ") || strings.HasSuffix(t, "spoke ") {
				out = append(out, at+len("behalf of "))
			}
		}
		off = at + len("behalf of ")
	}
	if !strings.Contains(s, "peaking") && !strings.Contains(s, "spoke") {
		return out
	}
	for _, key := range []string{"peaking for ", "peaking also for ", "spoke for ", "spoke also for "} {
		for off := 0; off < len(s); {
			i := strings.Index(s[off:], key)
			if i < 0 {
				break
			}
			out = append(out, off+i+len(key))
			off += i + len(key)
		}
	}
	slices.Sort(out)
	return out
}

type alignment struct {
	verb string // "associat", "align", "endors" or "subscrib"
	at   int    // where the object starts
}

var alignVerbs = map[string]string{
	"associating": "associat", "associated": "associat", "associates": "associat",
	"aligning": "align", "aligned": "align", "aligns": "align",
	"endorsing": "endors", "endorsed": "endors", "endorses": "endors",
	"subscribing": "subscrib", "subscribed": "subscrib", "subscribes": "subscrib",
}

var reflexives = []string{"himself ", "herself ", "itself ", "themselves ", "his delegation ", "her delegation ",
	"its delegation ", "their delegation ", "his country ", "her country ", "his Government ", "her Government ",
	"its Government ", "fully "}

// alignAt finds "associating himself with", "aligned itself with", "endorsed
// the statement by", ... and returns where each object starts.
func alignAt(s string) []alignment {
	var out []alignment
	for _, stem := range []string{"ssociat", "lign", "ndors", "ubscrib"} {
		for off := 0; off < len(s); {
			i := strings.Index(s[off:], stem)
			if i < 0 {
				break
			}
			best := off + i
			ws := strings.LastIndexByte(s[:best], ' ') + 1
			we := best
			for we < len(s) && s[we] != ' ' && s[we] != ',' && s[we] != '.' {
				we++
			}
			off = we
			word := s[ws:we]
			var low [16]byte
			if len(word) > len(low) {
				continue
			}
			for k := 0; k < len(word); k++ {
				c := word[k]
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				low[k] = c
			}
			verb, ok := alignVerbs[string(low[:len(word)])]
			if !ok || we >= len(s) || s[we] != ' ' {
				continue
			}
			rest := s[we+1:]
			for _, r := range reflexives {
				rest = strings.TrimPrefix(rest, r)
			}
			rest = strings.TrimPrefix(strings.TrimPrefix(rest, "with "), "to ")
			out = append(out, alignment{verb: verb, at: len(s) - len(rest)})
		}
	}
	slices.SortFunc(out, func(a, b alignment) int { return a.at - b.at })
	return out
}

func isGroupLike(s string) bool {
	for _, w := range groupWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func splitAnyOf(s string, seps []string) []string {
	parts := []string{s}
	found := false
	for _, sep := range seps {
		found = found || strings.Contains(s, sep)
	}
	if !found {
		return parts
	}
	for _, sep := range seps {
		var next []string
		for _, p := range parts {
			next = append(next, strings.Split(p, sep)...)
		}
		parts = next
	}
	return parts
}

// listText cuts a list of names out of the text that follows it: the list
// ends at the first comma segment that does not start with a capital or
// "the", or inside a segment at the first lower-case word that is not a
// connector ("Canada and New Zealand said ...").
func listText(s string) string {
	end := 0
	for pos := 0; pos < len(s); {
		seg := s[pos:]
		if j := strings.Index(seg, ", "); j >= 0 {
			seg = seg[:j]
		}
		// a full stop ends the list
		if j := strings.IndexAny(seg, ".;:"); j >= 0 && !initialBefore(seg[:j]) {
			seg = seg[:j]
		}
		if strings.TrimSpace(seg) == "" {
			break
		}
		cut := -1
		named := false // the segment has a capitalised word before the cut
		for idx := 0; idx < len(seg); {
			if seg[idx] == ' ' {
				idx++
				continue
			}
			e := strings.IndexByte(seg[idx:], ' ')
			if e < 0 {
				e = len(seg) - idx
			}
			w := seg[idx : idx+e]
			wstart := idx
			idx += e
			r, _ := utf8.DecodeRuneInString(w)
			if unicode.IsUpper(r) || unicode.IsDigit(r) || r == '(' || strings.HasSuffix(w, ")") {
				named = true
				continue
			}
			if listConnectors[w] {
				continue
			}
			cut = wstart
			break
		}
		if cut >= 0 || !named {
			if !named {
				return cleanListEnd(s[:end])
			}
			return cleanListEnd(s[:pos+cut])
		}
		end = pos + len(seg)
		if pos+len(seg) >= len(s) || s[pos+len(seg)] != ',' {
			break
		}
		pos += len(seg) + 2
	}
	return cleanListEnd(s[:end])
}

func cleanListEnd(s string) string {
	return trimConnectors(strings.TrimRight(strings.TrimSpace(s), ",;: "))
}

var listConnectors = map[string]bool{"of": true, "the": true, "and": true, "for": true, "d’Ivoire": true,
	"d'Ivoire": true, "de": true, "in": true, "on": true, "by": true}

// cleanItems strips "the", "delegation" and trailing punctuation from group
// names.
func cleanItems(items []string) []string {
	var out []string
	for _, it := range items {
		it = strings.TrimSpace(strings.Trim(it, " .,;:"))
		it = strings.TrimPrefix(it, "the ")
		it = strings.TrimPrefix(it, "The ")
		for _, suf := range []string{" delegations", " delegation", "’s", "'s"} {
			it = strings.TrimSuffix(it, suf)
		}
		if it != "" {
			out = append(out, it)
		}
	}
	return out
}
