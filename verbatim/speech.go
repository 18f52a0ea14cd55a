package verbatim

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stancetrack/stancetrack/textenc"
)

// speech is one corpus file read on its own: who speaks, and the body as
// unwrapped paragraphs with the speaker line taken off.
type speech struct {
	Speaker  string   // as printed: "Mr. Churkin", "The President"
	Title    string   // "President" for "The President"; "" for named speakers
	Country  string   // the parenthesised delegation on the speaker line, if any
	Language string   // "Russian" from "(spoke in Russian)"; kept out of Country
	Paras    []string // unwrapped body paragraphs
	// NoColon is set when the speaker line lacked its colon
	// ("Mr. X (Brazil) Let me ..."), a known slip of the corpus.
	NoColon bool
	// Embedded lists later paragraphs that open with another speaker's line:
	// the corpus sometimes leaves two turns in one file.
	Embedded []string
	// Encoding is what the file was read as (textenc's names).
	Encoding string
}

// parseSpeech reads one speech file. It decodes what the corpus holds
// (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252, which
// Encoding reports) and refuses binary data and files over MaxSpeechSize;
// everything else parses, with an empty Speaker when the file does not open
// with a speaker line.
func parseSpeech(data []byte) (speech, error) {
	var sp speech
	if len(data) > MaxSpeechSize {
		return sp, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), MaxSpeechSize)
	}
	data, enc, err := textenc.Decode(data)
	if err != nil {
		return sp, fmt.Errorf("%w: %w", ErrBinary, err)
	}
	sp.Encoding = enc
	if i := bytes.IndexFunc(data, isBinaryControl); i >= 0 {
		return sp, fmt.Errorf("%w: control byte 0x%02x at offset %d", ErrBinary, data[i], i)
	}
	paras := paragraphs(string(data))
	if len(paras) == 0 {
		return sp, nil
	}
	if h, ok := parseSpeakerLine(paras[0], false); ok {
		sp.Speaker, sp.Title, sp.Country, sp.Language, sp.NoColon = h.speaker, h.title, h.country, h.language, h.noColon
		rest := strings.TrimSpace(paras[0][h.end:])
		if rest == "" {
			paras = paras[1:]
		} else {
			paras[0] = rest
		}
	}
	sp.Paras = paras
	for _, p := range paras {
		if h, ok := parseSpeakerLine(p, true); ok && h.speaker != sp.Speaker {
			line := h.speaker
			if h.country != "" {
				line += " (" + h.country + ")"
			}
			sp.Embedded = append(sp.Embedded, line)
		}
	}
	return sp, nil
}

// isBinaryControl reports C0/C1 control characters other than the
// whitespace a text file may hold.
func isBinaryControl(r rune) bool {
	switch r {
	case '\n', '\r', '\t', '\f', '\v':
		return false
	}
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0)
}

// paragraphs splits text at blank lines and unwraps each paragraph: the
// corpus hard-wraps at about 55 characters, so a line break inside a
// paragraph is a space, except after a hyphen inside a word ("Secretary-\n
// General"), where the hyphen stays and the halves join.
func paragraphs(text string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for len(text) > 0 {
		var line string
		if i := strings.IndexAny(text, "\r\n"); i >= 0 {
			line = text[:i]
			if text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			text = text[i+1:]
		} else {
			line, text = text, ""
		}
		line = collapseSpace(line)
		if line == "" {
			flush()
			continue
		}
		if b.Len() > 0 {
			prev := b.String()
			if !joinsWithoutSpace(prev, line) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(line)
	}
	flush()
	return out
}

// joinsWithoutSpace: "peace-" + "keeping" → "peace-keeping", but a dash
// standing alone ("radicals -" + "the blood") keeps its space.
func joinsWithoutSpace(prev, next string) bool {
	if !strings.HasSuffix(prev, "-") || len(prev) < 2 {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(prev[:len(prev)-1])
	after, _ := utf8.DecodeRuneInString(next)
	return isWordRune(before) && isWordRune(after)
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// collapseSpace trims a line and turns every run of white space (tabs, form
// feeds, NBSP from PDF conversion) into one ASCII space.
func collapseSpace(s string) string {
	if plainLine(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// plainLine reports whether s is ASCII with single spaces and no space at
// either end, the common case that collapseSpace can return untouched.
func plainLine(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return s == ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || c < ' ' || (c == ' ' && s[i+1] == ' ') {
			return false
		}
	}
	return true
}

// header is a parsed speaker line.
type header struct {
	speaker, title, country, language string
	noColon                           bool
	end                               int // byte offset where the speech proper begins
}

// maxSpeakerLine bounds the text a speaker line can take: a 100-byte name
// and three groups of at most 150 bytes with their spaces.
const maxSpeakerLine = 600

// speakerRe matches the opening of a speaker line: a name, up to three
// parenthesised groups (delegation, "spoke in X"), and a colon. The name
// cannot hold "(" or ":", so the match is the first such run; bounds keep it
// from reaching far into the speech.
var speakerRe = regexp.MustCompile(`^([^():;,!?"“”\d]{2,100}?)\s*((?:\(\s*[^()]{1,150}\)\s*){0,3}):`)

// speakerNoColonRe is the slip "Mr. De Aguiar Patriota (Brazil) Let me":
// a delegation in parentheses, no colon, and the speech goes on.
var speakerNoColonRe = regexp.MustCompile(`^([^():;,!?"“”\d]{2,100}?)\s*((?:\(\s*[^()]{1,150}\)\s*){1,3})\s`)

var parenRe = regexp.MustCompile(`\(\s*([^()]*?)\s*\)`)

// languageRe recognises the interpretation note: "spoke in Russian", older
// records' "interpretation from French", "spoke in Spanish; English text
// provided by the delegation".
var languageRe = regexp.MustCompile(`(?i)^(?:spoke\s+in|interpretation\s+from(?:\s+the)?)\s+([\p{L} -]+?)\b(?:[;,].*)?$`)

func isInterpretationNote(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "spoke") || strings.HasPrefix(l, "interpretation") || strings.HasPrefix(l, "in ") && strings.Contains(l, "language")
}

// honorifics open a named speaker's line.
var honorifics = map[string]bool{
	"Mr.": true, "Mrs.": true, "Ms.": true, "Miss": true, "Mr": true, "Mrs": true, "Ms": true,
	"Sir": true, "Dame": true, "Lord": true, "Lady": true, "Baroness": true, "Baron": true,
	"Dr.": true, "Dr": true, "Prof.": true, "Professor": true,
	"Prince": true, "Princess": true, "King": true, "Queen": true, "Emir": true,
	"Sheikh": true, "Sheikha": true, "Shaikh": true, "Sultan": true,
	"Archbishop": true, "Bishop": true, "Cardinal": true, "Monsignor": true, "Msgr.": true,
	"Father": true, "Sister": true, "Rev.": true, "Reverend": true, "Imam": true, "Rabbi": true,
	"Judge": true, "Justice": true, "Ambassador": true, "General": true, "Lieutenant": true,
	"Major": true, "Colonel": true, "Brigadier": true, "Admiral": true, "Marshal": true,
	"Dato'": true, "Datuk": true, "Dato": true, "Tan": true, "Mme.": true, "Mme": true,
	"Senator": true, "Minister": true, "President": true, "Count": true, "Countess": true,
}

// nameParticles may start with a lower-case letter inside a name.
var nameParticles = map[string]bool{
	"de": true, "da": true, "das": true, "do": true, "dos": true, "del": true, "della": true,
	"di": true, "du": true, "van": true, "von": true, "der": true, "den": true, "ter": true,
	"bin": true, "binti": true, "ibn": true, "al": true, "el": true, "la": true, "le": true,
	"y": true, "e": true, "of": true, "the": true, "and": true, "for": true, "on": true,
}

// parseSpeakerLine reads the speaker line at the start of a paragraph. With
// strict set (used for paragraphs after the first) only forms that cannot be
// ordinary prose count: an honorific or "The <Title>" with a colon, or an
// honorific with a parenthesised delegation and no colon.
func parseSpeakerLine(p string, strict bool) (header, bool) {
	var h header
	// A speaker line is at most a name and three parenthesised groups; the
	// regexps need not see the rest of a long paragraph.
	full := p
	if len(p) > maxSpeakerLine {
		p = p[:maxSpeakerLine]
		for !utf8.ValidString(p) {
			p = p[:len(p)-1]
		}
	}
	if !strings.ContainsAny(p, ":(") {
		return h, false
	}
	colon := true
	m := speakerRe.FindStringSubmatchIndex(p)
	if m == nil {
		colon = false
		if m = speakerNoColonRe.FindStringSubmatchIndex(p); m == nil {
			return h, false
		}
	}
	name := strings.TrimSpace(p[m[2]:m[3]])
	parens := p[m[4]:m[5]]
	words := strings.Fields(name)
	if len(words) == 0 || len(words) > 10 {
		return h, false
	}
	for _, g := range parenRe.FindAllStringSubmatch(parens, -1) {
		inner := collapseSpace(g[1])
		if lm := languageRe.FindStringSubmatch(inner); lm != nil {
			h.language = strings.TrimSpace(lm[1])
		} else if isInterpretationNote(inner) {
			// "(spoke in)" with the language lost: still not a delegation.
		} else if h.country == "" && inner != "" {
			h.country = inner
		}
	}
	hasHonorific := honorifics[words[0]]
	isTitle := words[0] == "The" && len(words) >= 2 && len(words) <= 7 && titleWords(words[1:])
	switch {
	case !colon:
		// "Mr. De Aguiar Patriota (Brazil) Let me ...": only with an
		// honorific, a delegation, and a capital after it.
		if !hasHonorific || h.country == "" || len(words) < 2 {
			return h, false
		}
		r, _ := utf8.DecodeRuneInString(full[m[1]:])
		if !unicode.IsUpper(r) {
			return h, false
		}
		h.noColon = true
	case hasHonorific:
		if len(words) < 2 {
			return h, false
		}
	case isTitle:
		h.title = strings.Join(words[1:], " ")
	case strict:
		return h, false
	default:
		// An unknown form of address: accept a short capitalised name
		// ("Archduke Otto:") but not a one-word label ("Against:").
		if len(words) < 2 || len(words) > 6 || !nameWords(words) {
			return h, false
		}
	}
	h.speaker = strings.Join(words, " ")
	h.end = m[1]
	return h, true
}

// titleWords: "President", "Secretary-General", "Acting President", "Chair
// of the Committee".
func titleWords(ws []string) bool {
	if !startsUpper(ws[0]) {
		return false
	}
	for _, w := range ws {
		if !startsUpper(w) && !nameParticles[w] {
			return false
		}
	}
	return true
}

func nameWords(ws []string) bool {
	if !startsUpper(ws[0]) {
		return false
	}
	for _, w := range ws[1:] {
		if !startsUpper(w) && !nameParticles[strings.ToLower(w)] {
			return false
		}
	}
	return true
}

func startsUpper(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}
