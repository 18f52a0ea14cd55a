package registry

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxInput bounds the text Lookup, Find and ResolveStatement look at: names
// and titles are short, and documents are untrusted.
const maxInput = 4096

// token is one word of a name or title after folding: lower case, diacritics
// removed. Apostrophes, hyphens, punctuation and every kind of space separate
// tokens, so "Côte d’Ivoire", "Cote d'Ivoire" and "COTE D IVOIRE" all read
// "cote d ivoire".
type token struct {
	norm       string
	start, end int  // byte offsets in the original text
	caps       bool // printed without lower-case letters ("WHO", "EU")
	afterApos  bool // directly preceded by an apostrophe ("’s")
}

// foldRune maps a lower-case rune to its unaccented spelling. Only Latin
// letters that occur in UN names are listed; others pass through.
var foldRune = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a",
	'ç': "c", 'ć': "c", 'č': "c", 'ĉ': "c",
	'ď': "d", 'đ': "d", 'ð': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ė': "e", 'ę': "e", 'ě': "e",
	'ğ': "g", 'ģ': "g",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i", 'į': "i", 'ı': "i",
	'ķ': "k", 'ĺ': "l", 'ļ': "l", 'ľ': "l", 'ł': "l",
	'ñ': "n", 'ń': "n", 'ň': "n", 'ņ': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ő': "o",
	'ŕ': "r", 'ř': "r",
	'ś': "s", 'š': "s", 'ş': "s", 'ș': "s",
	'ť': "t", 'ţ': "t", 'ț': "t",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ů': "u", 'ű': "u", 'ų': "u",
	'ý': "y", 'ÿ': "y",
	'ź': "z", 'ż': "z", 'ž': "z",
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'þ': "th",
}

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʼ', '`', '´', '′':
		return true
	}
	return false
}

// tokenize splits s into folded word tokens. It never fails; invalid UTF-8
// bytes act as separators. Plain ASCII words, the common case, are sliced
// from s without copying.
func tokenize(s string) []token {
	if len(s) > maxInput {
		s = s[:maxInput]
	}
	toks := make([]token, 0, len(s)/6+1)
	start := -1
	hasLower, hasLetter, ascii, upper := false, false, true, false
	startApos, lastWasApos := false, false
	lowered := "" // s with A-Z lowered, byte offsets unchanged; made on first need
	flush := func(end int) {
		if start >= 0 {
			w := s[start:end]
			var norm string
			switch {
			case ascii && !upper:
				norm = w
			case ascii:
				if lowered == "" {
					lowered = asciiLower(s)
				}
				norm = lowered[start:end]
			default:
				norm = fold(w)
			}
			if norm != "" {
				toks = append(toks, token{norm: norm, start: start, end: end,
					caps: hasLetter && !hasLower, afterApos: startApos})
			}
		}
		start, hasLower, hasLetter, ascii, upper = -1, false, false, true, false
	}
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			flush(i)
			lastWasApos = false
		case isApostrophe(r):
			// Checked before IsLetter: U+02BC "ʼ" is a letter to Unicode.
			flush(i)
			lastWasApos = true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
				startApos = lastWasApos
			}
			if r >= utf8.RuneSelf {
				ascii = false
			} else if 'A' <= r && r <= 'Z' {
				upper = true
			}
			if unicode.IsLetter(r) {
				hasLetter = true
				if unicode.IsLower(r) {
					hasLower = true
				}
			}
			lastWasApos = false
		case unicode.Is(unicode.Mn, r):
			// A combining accent (decomposed "e\u0301") belongs to the letter before it.
			if start >= 0 {
				ascii = false
			}
			lastWasApos = false
		default:
			flush(i)
			lastWasApos = false
		}
	}
	flush(len(s))
	return toks
}

// asciiLower lowers A-Z only, so every byte offset stays valid.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// fold lower-cases a word and strips its diacritics.
func fold(w string) string {
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range w {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		lr := unicode.ToLower(r)
		if f, ok := foldRune[lr]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(lr)
		}
	}
	return b.String()
}

// key joins folded tokens into the lookup key of a name.
func key(toks []token) string {
	switch len(toks) {
	case 0:
		return ""
	case 1:
		return toks[0].norm
	}
	n := len(toks) - 1
	for _, t := range toks {
		n += len(t.norm)
	}
	var b strings.Builder
	b.Grow(n)
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.norm)
	}
	return b.String()
}

// normKey is the lookup key of a whole string.
func normKey(s string) string { return key(tokenize(s)) }

// isAcronym reports whether an alias must be printed in capitals to match
// free text: short all-capital forms such as "WHO", "US" or "EU" are also
// ordinary words or syllables in lower case.
func isAcronym(alias string) bool {
	letters := 0
	for _, r := range alias {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters > 0 && letters <= 5
}

// cleanSpace collapses runs of white space (including NBSP) into one space
// and trims the ends.
func cleanSpace(s string) string {
	if len(s) > maxInput {
		s = s[:maxInput]
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f'
	}), " ")
}
