package verbatim

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Group detection reads first-person verbatim speech. Two kinds of sentence
// matter, and they must not be confused:
//
//	"I have the honour to speak on behalf of the Non-Aligned Movement."   → on behalf of
//	"Malaysia associates itself with the statement to be delivered by the
//	 representative of Iran on behalf of the Movement of Non-Aligned Countries." → aligns with
//
// so an "on behalf of" inside an alignment clause, or after the word
// "statement", never makes the speaker a spokesperson.

// maxGroupText bounds how much of one speech the detector reads: group
// declarations come in the opening paragraphs, and speeches are untrusted.
const maxGroupText = 64 << 10

var (
	behalfRe = regexp.MustCompile(`(?i)\bon\s*(?:the\s+)?behalf\s*of\s+`)
	// alignRe finds the alignment verb; "itselfwith" is an OCR slip the corpus
	// really has. "themselves" is left out on purpose: "The candidate
	// countries ... align themselves with this statement" is about others.
	alignRe = regexp.MustCompile(`(?i)\b(?:align(?:s|ing)?|associat(?:es?|ing)|endors(?:es?|ing)|subscrib(?:es?|ing)\s+to)\b(?:\s+(?:itself|ourselves|myself|himself|herself|fully|also|entirely))*\s*(?:with\b)?`)
	// firstPersonRe: the speaker (or "my delegation") is the one speaking for
	// others.
	firstPersonRe = regexp.MustCompile(`\b(?:I|we|We|my delegation|My delegation|speaking|Speaking)\b`)
	// otherStatementRe: "I thank Iran for the statement made on behalf of
	// the NAM" reports someone else's statement.
	otherStatementRe = regexp.MustCompile(`(?i)\b(?:the|his|her|their|its|that)\s+statements?\b`)
	// alignTargetRes, in order of preference, name the group whose statement
	// is endorsed. "on behalf of" wins: "by the representative of Iran on
	// behalf of the NAM" aligns with the NAM, not with Iran.
	alignTargetRes = []*regexp.Regexp{
		regexp.MustCompile(`(?i)\bon\s*behalf\s*of\s+`),
		regexp.MustCompile(`(?i)\bas\s+(?:the\s+)?(?:Chair|Chairman|Chairperson|President|Coordinator)\s+of\s+`),
		regexp.MustCompile(`(?i)\bby\s+(?:the\s+)?(?:observer|representative|delegation|Permanent\s+Representative|Permanent\s+Observer|Ambassador|Head\s+of\s+Delegation)\s+of\s+`),
		regexp.MustCompile(`(?i)\bstatements?\s+(?:of|by|from)\s+`),
		regexp.MustCompile(`(?i)^\s*(?:the\s+)?`), // "with the European Union statement"
	}
)

// notAGroup: "on behalf of the Government of Angola", "... of my
// delegation", "... of the Department of Political Affairs" name the
// speaker's own side, not others.
var notAGroup = map[string]bool{
	"Government": true, "Governments": true, "Delegation": true, "People": true,
	"Department": true, "Office": true, "Secretary-General": true, "Presidency": true,
	"Mission": true, "Ministry": true, "President": true, "Council": true, "Security": true,
	"United": true, // "United Nations" as such; States named "United ..." come through lists
}

// andNames are names with "and" inside them that a list split must keep
// whole.
var andNames = []string{
	"Group of 77 and China", "Antigua and Barbuda", "Bosnia and Herzegovina",
	"Saint Kitts and Nevis", "Saint Vincent and the Grenadines", "Sao Tome and Principe",
	"São Tomé and Príncipe", "Trinidad and Tobago", "Turks and Caicos Islands",
	"United Kingdom of Great Britain and Northern Ireland", "Serbia and Montenegro",
	"Wallis and Futuna", "Saint Pierre and Miquelon",
}

// groupNouns are lower-case heads that end a group name: "the Nordic
// countries", "the Arab States".
var groupNouns = map[string]bool{"countries": true, "States": true, "states": true, "members": true, "nations": true, "group": true}

// detectGroups returns the raw names the speaker speaks for and the groups
// whose statements the speaker aligns with. own is the speaker's delegation,
// which is never its own "on behalf of".
func detectGroups(text, own string) (onBehalf, aligns []string) {
	if len(text) > maxGroupText {
		text = text[:maxGroupText]
		for len(text) > 0 && !utf8.ValidString(text) {
			text = text[:len(text)-1]
		}
	}
	// Most sentences hold neither cue; an ASCII-lowered copy (same byte
	// offsets) lets them be skipped without running a regexp.
	lower := asciiLower(text)
	for _, span := range sentences(text) {
		s, ls := text[span[0]:span[1]], lower[span[0]:span[1]]
		hasAlign := strings.Contains(ls, "align") || strings.Contains(ls, "associat") ||
			strings.Contains(ls, "endors") || strings.Contains(ls, "subscrib")
		if !hasAlign && !strings.Contains(ls, "behalf") {
			continue
		}
		alignLoc := alignRe.FindStringIndex(s)
		if alignLoc != nil && !strings.Contains(strings.ToLower(s[:alignLoc[0]]), "themselves") {
			clause := s[alignLoc[1]:]
			if !strings.Contains(strings.ToLower(clause), "statement") {
				// "align our policies with the 2030 Agenda" is not a group.
				clause = ""
			}
			for _, re := range alignTargetRes {
				if loc := re.FindStringIndex(clause); loc != nil {
					if names := groupNames(clause[loc[1]:]); len(names) > 0 {
						aligns = appendNew(aligns, names...)
						break
					}
				}
			}
			s = s[:alignLoc[0]]
		}
		for _, loc := range behalfRe.FindAllStringIndex(s, -1) {
			before := s[:loc[0]]
			if !firstPersonRe.MatchString(before) || otherStatementRe.MatchString(before) {
				continue
			}
			for _, n := range groupNames(s[loc[1]:]) {
				if !strings.EqualFold(n, own) {
					onBehalf = appendNew(onBehalf, n)
				}
			}
		}
	}
	return onBehalf, aligns
}

// sentences splits at sentence ends (".", ";", "!" or "?" before a space or
// the end) and returns [start, end) spans; abbreviations may split too
// early, which only shortens a clause.
func sentences(text string) [][2]int {
	var out [][2]int
	start := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '.', ';', '!', '?':
			if i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n' {
				out = append(out, [2]int{start, i + 1})
				start = i + 1
			}
		}
	}
	if start < len(text) {
		out = append(out, [2]int{start, len(text)})
	}
	return out
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// groupNames reads the name at the start of s: capitalised words joined by
// "of", "and", "the", "for" ("Group of 77 and China", "Non-Aligned
// Movement"), optionally a list ("Canada, Australia and New Zealand"), and
// splits lists into names. "(NAM)", a full stop or a lower-case word ends it.
func groupNames(s string) []string {
	words := strings.Fields(s)
	if len(words) > 40 {
		words = words[:40]
	}
	var kept []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		if len(kept) == 0 && (w == "the" || w == "The") {
			continue
		}
		core := strings.TrimRight(w, ",.;:")
		trailing := w[len(core):]
		ok := false
		switch {
		case core == "":
		case startsUpper(core) || startsDigit(core):
			ok = true
		case len(kept) > 0 && connectors[core]:
			// A connector counts only before a capital: "Group of Friends",
			// not "Union on this subject".
			ok = trailing == "" && capitalAt(words, i+1)
		case len(kept) > 0 && groupNouns[core]:
			ok = true
		}
		if !ok {
			break
		}
		kept = append(kept, core)
		if trailing == "" {
			continue
		}
		// A comma continues a list only before a capital ("Canada,
		// Australia"); "Nordic countries, namely" ends here.
		if trailing == "," && i+1 < len(words) && startsUpper(words[i+1]) && words[i+1] != "The" {
			kept[len(kept)-1] += ","
			continue
		}
		break
	}
	if len(kept) == 0 || notAGroup[kept[0]] {
		return nil
	}
	return splitList(strings.TrimSuffix(strings.Join(kept, " "), ","))
}

var connectors = map[string]bool{"of": true, "and": true, "the": true, "for": true, "on": true}

func capitalAt(words []string, j int) bool {
	if j >= len(words) {
		return false
	}
	if words[j] == "the" {
		j++
		if j >= len(words) {
			return false
		}
	}
	return startsUpper(words[j]) || startsDigit(words[j])
}

func startsDigit(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsDigit(r)
}

// splitList turns "Canada, Australia and New Zealand" into three names but
// keeps "Group of 77 and China" whole. A phrase that names a group (it has
// "Group", "Movement", ...) is one name.
func splitList(phrase string) []string {
	const guard = "\x00"
	for _, n := range andNames {
		phrase = strings.ReplaceAll(phrase, n, strings.ReplaceAll(n, " and ", guard))
	}
	var parts []string
	if strings.Contains(phrase, ",") || !isGroupPhrase(phrase) {
		for _, p := range strings.Split(phrase, ",") {
			parts = append(parts, strings.Split(p, " and ")...)
		}
	} else {
		parts = []string{phrase}
	}
	var out []string
	for _, p := range parts {
		p = strings.TrimSpace(strings.ReplaceAll(p, guard, " and "))
		p = strings.TrimPrefix(p, "the ")
		if p != "" && !notAGroup[strings.Fields(p)[0]] {
			out = append(out, p)
		}
	}
	return out
}

var groupWords = []string{"Group", "Movement", "Community", "Union", "Alliance", "Organization", "Organisation", "Friends", "League", "Forum", "Association", "Cooperation", "Council", "Commonwealth", "countries", "States", "Coalition", "Bank", "Commission"}

func isGroupPhrase(p string) bool {
	for _, w := range strings.Fields(p) {
		for _, g := range groupWords {
			if w == g {
				return true
			}
		}
	}
	return false
}

func appendNew(list []string, names ...string) []string {
next:
	for _, n := range names {
		for _, have := range list {
			if have == n {
				continue next
			}
		}
		list = append(list, n)
	}
	return list
}
