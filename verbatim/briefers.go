package verbatim

import (
	"regexp"
	"strings"
)

// Briefers speak in verbatim records under their name alone ("Mr.
// Griffiths: ..."): the record prints their office once, when the President
// invites them under rule 39 ("I invite the following briefers to
// participate in this meeting: Mr. Martin Griffiths, Special Envoy of the
// Secretary-General for Yemen, and Mr. Ramesh Rajasingham, Director,
// Coordination Division, United Nations Office for the Coordination of
// Humanitarian Affairs."). invitedTitles reads those lists so that the
// registry can resolve each briefer to the office the text names.

// inviteRe finds the President's invitations; the list follows.
var inviteRe = regexp.MustCompile(`\bI (?:now )?invite (?:the following (?:briefers?|speakers?|participants?)[^:]{0,60}:\s*)?`)

// invitedRe is one invited person: an honorific, a name of capitalised
// words, and the title after the comma, up to the next person, a semicolon,
// "to participate" or the sentence's end.
var invitedRe = regexp.MustCompile(`(?:^|[\s;,])(?:and\s+)?(?:Mr|Ms|Mrs|Miss|Dr|Sir|Dame|Madam|Judge|Archbishop|Cardinal|General|His Excellency|Her Excellency|His Royal Highness|Her Royal Highness)\.?\s+((?:(?:[A-Z][\p{L}'’.-]*|de|da|del|della|di|do|dos|das|du|van|von|der|den|al|el|la|le|bin|ibn|ben)\s+){0,6}[A-Z][\p{L}'’-]+),\s+`)

// styleWords open a speaker line in place of an honorific: "President
// Abbas", "King Philippe".
var styleWords = map[string]bool{"President": true, "King": true, "Queen": true, "Prince": true, "Princess": true,
	"Sheikh": true, "Emir": true, "Archbishop": true, "Cardinal": true, "Judge": true, "General": true, "Dame": true, "Sir": true}

// escortRe is a head of State or Government shown to the table: "Mr.
// Mahmoud Abbas, President of the Observer State of Palestine, was escorted
// to a seat at the Council table."
var escortRe = regexp.MustCompile(`(?:Mr|Ms|Mrs|Dr|His Excellency|Her Excellency|His Majesty|Her Majesty)\.?\s+((?:[A-Z][\p{L}'’.-]*\s+){0,5}[A-Z][\p{L}'’-]+),\s+([^,;]{3,200}),\s+(?:was|were) escorted`)

// maxInvitation bounds how far past "I invite" a list is read.
const maxInvitation = 3000

// invitedTitles maps an invited person's name, as printed in the
// invitation, to the title printed after it.
func invitedTitles(text string) map[string]string {
	out := map[string]string{}
	for _, m := range escortRe.FindAllStringSubmatch(text, -1) {
		out[m[1]] = m[2]
	}
	for _, loc := range inviteRe.FindAllStringIndex(text, -1) {
		rest := text[loc[1]:min(len(text), loc[1]+maxInvitation)]
		ms := invitedRe.FindAllStringSubmatchIndex(rest, -1)
		for i, m := range ms {
			if i == 0 && m[0] > 2 {
				break // the list must start right after "I invite"
			}
			name := rest[m[2]:m[3]]
			end := len(rest)
			if i+1 < len(ms) {
				end = ms[i+1][0]
			}
			title, stop := cutTitle(rest[m[1]:end])
			if title != "" {
				out[name] = title
			}
			if stop {
				break
			}
		}
	}
	return out
}

// cutTitle trims a title at the end of its list item, and reports whether
// the list ended there.
func cutTitle(s string) (string, bool) {
	stop := false
	for _, sep := range []string{", to participate", " to participate", "; and ", ";", ". ", "\n"} {
		if i := strings.Index(s, sep); i >= 0 {
			s = s[:i]
			stop = sep == ", to participate" || sep == " to participate" || sep == ". " || sep == "\n"
		}
	}
	s = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(s), ",."))
	s = strings.TrimSuffix(strings.TrimSuffix(s, " and"), ",")
	if len(s) > 300 {
		return "", true
	}
	return s, stop
}

// titleFor finds the title of speaker ("Mr. Ruiz Massieu") among the
// invited names ("Carlos Ruiz Massieu"): the speaker's name without its
// honorific must end the invited name.
func titleFor(speaker string, invited map[string]string) string {
	name := speaker
	if i := strings.IndexByte(name, ' '); i > 0 && (strings.HasSuffix(name[:i], ".") || styleWords[name[:i]]) {
		name = name[i+1:]
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return ""
	}
	found := ""
	for full, title := range invited {
		// The record may break a hyphenated name at a line end
		// ("Sori- Coulibaly") in one place and not the other.
		full = strings.ReplaceAll(full, "- ", "-")
		if strings.EqualFold(full, name) || (len(full) > len(name) && strings.EqualFold(full[len(full)-len(name)-1:], " "+name)) {
			if found != "" && found != title {
				return "" // two invited people share the name: do not guess
			}
			found = title
		}
	}
	return found
}

// capacityRe is the President speaking for their own country: "I shall now
// make a statement in my capacity as the representative of Viet Nam", "in
// my capacity as Deputy Prime Minister and Minister of Foreign Affairs of
// Viet Nam". The words up to the clause's end are the country; the
// registry resolves them. "In my capacity as Chair of the Committee" or "as
// President of the Security Council" name no country and do not match.
var capacityRe = regexp.MustCompile(`\bin my (?:national )?capacity as (?:the )?((?:[Rr]epresentative|(?:(?:Deputy |Vice[- ])?(?:Prime )?Minister|Ambassador|Permanent Representative|Secretary of State)[^.,;:]{0,80}?) of [^.,;:]{2,80})`)

// presidentCountry returns the country the President speaks for in text, or
// "" when the turn is the presidency's alone. Only the first such phrase
// counts: the President speaks for one country.
func presidentCountry(text string) string {
	m := capacityRe.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	// "representative of Viet Nam" gives the country; a minister's title
	// ("Minister for Family and the Promotion of Women of Angola") is left
	// whole for the registry to find the State in.
	c := m[1]
	if i := strings.Index(c, "epresentative of "); i >= 0 && i <= 1 {
		c = c[i+len("epresentative of "):]
	}
	for _, cut := range []string{" on behalf", " and on behalf", " in ", " I ", " as ", " and in "} {
		if i := strings.Index(c, cut); i > 0 {
			c = c[:i]
		}
	}
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(c), " and"))
}
