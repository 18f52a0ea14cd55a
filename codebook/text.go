package codebook

import (
	"unicode"
	"unicode/utf8"

	"github.com/stancetrack/stancetrack/model"
)

// token is one word of a statement. Offsets are bytes in the original text,
// so evidence stays an exact substring whatever folding the key went through.
type token struct {
	start, end int32 // byte span in the statement text
	kstart     int32 // span of the folded key in scanner.keys
	kend       int32
	id         int32 // vocabulary id of the key, or -1 for words no pattern uses
	sent       int32 // index of the sentence (clause) holding the token
}

// span is a half-open byte range.
type span struct{ start, end int }

// scanner splits one text into sentences and words. It is reused across
// statements (one per Tag call) so that the hot path does not allocate per word.
type scanner struct {
	toks  []token
	sents []span // sentence byte ranges, trimmed
	sentT []int  // first token index of each sentence; len(sents)+1 entries
	keys  []byte // folded keys of all tokens, back to back

	// Reused per statement by Tag.
	sat     []uint32 // per pattern: stamp<<4 | the need sets marked in the current sentence
	stamp   uint32
	genPos  []int // tokens where a generic rule may start
	hits    []hit
	checked map[[2]int32]bool
	stack   []cont
	masks   []span
	frames  []pick
	insts   []mention
	tags    []model.Tag
}

// wordByte reports whether an ASCII byte is part of a word.
func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isHyphen reports runes that join two words into one token ("counter-terrorism",
// "border–control" with an en dash as printed in one release).
func isHyphen(r rune) bool {
	return r == '-' || r == '\u2010' || r == '\u2011' || r == '\u2013'
}

// wordRune reports whether r (decoded from a multi-byte sequence) is a word
// character. Curly quotes, dashes and NBSP are not, so "Council’s" splits
// into "council" and "s" exactly as "Council's" does.
func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// runeAt decodes the rune at i and reports whether it is a word character.
func runeAt(text string, i int) (r rune, size int, word bool) {
	c := text[i]
	if c < utf8.RuneSelf {
		return rune(c), 1, wordByte(c)
	}
	r, size = utf8.DecodeRuneInString(text[i:])
	return r, size, wordRune(r)
}

// appendFolded appends the lower-case form of r to b.
func appendFolded(b []byte, r rune) []byte {
	if r < utf8.RuneSelf {
		c := byte(r)
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		return append(b, c)
	}
	if isHyphen(r) {
		return append(b, '-')
	}
	return utf8.AppendRune(b, unicode.ToLower(r))
}

// foldTab maps an ASCII word byte (letter or digit) to its lower-case
// form, and every other ASCII byte to 0.
var foldTab = func() (t [128]byte) {
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c)
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = byte(c)
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = byte(c) + 'a' - 'A'
	}
	return t
}()

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

// tokenize splits text into words, appending to toks and keys, and looks
// each folded key up in v (nil: every id is -1). Words are runs of letters
// and digits; a hyphen between two word characters joins them. ASCII, nearly
// all of a release, takes a fast path that folds and hashes in one go; other
// runes are decoded and folded.
func tokenize(text string, toks []token, keys []byte, v *vocab) ([]token, []byte) {
	i := 0
	n := len(text)
	for i < n {
		c := text[i]
		if c < utf8.RuneSelf {
			if foldTab[c] == 0 {
				i++
				continue
			}
		} else if _, size, word := runeAt(text, i); !word {
			i += size
			continue
		}
		start := i
		kstart := len(keys)
		h := uint32(fnvOffset)
		for i < n {
			c := text[i]
			if c < utf8.RuneSelf {
				if f := foldTab[c]; f != 0 {
					keys = append(keys, f)
					h = (h ^ uint32(f)) * fnvPrime
					i++
					continue
				}
				if c == '-' && i+1 < n && len(keys) > kstart && wordStart(text, i+1) {
					keys = append(keys, '-')
					h = (h ^ '-') * fnvPrime
					i++
					continue
				}
				break
			}
			r, size, word := runeAt(text, i)
			if !word && !(isHyphen(r) && i+size < n && wordStart(text, i+size)) {
				break
			}
			k := len(keys)
			if word {
				keys = utf8.AppendRune(keys, unicode.ToLower(r))
			} else {
				keys = append(keys, '-')
			}
			for _, b := range keys[k:] {
				h = (h ^ uint32(b)) * fnvPrime
			}
			i += size
		}
		id := int32(-1)
		if v != nil {
			id = v.lookupHash(keys[kstart:], h)
		}
		toks = append(toks, token{
			start: int32(start), end: int32(i),
			kstart: int32(kstart), kend: int32(len(keys)),
			id: id,
		})
	}
	return toks, keys
}

// wordStart reports whether a word character starts at i.
func wordStart(text string, i int) bool {
	c := text[i]
	if c < utf8.RuneSelf {
		return foldTab[c] != 0
	}
	_, _, word := runeAt(text, i)
	return word
}

// abbreviations that end with a full stop without ending a sentence.
var abbreviations = map[string]bool{
	"mr": true, "ms": true, "mrs": true, "dr": true, "st": true, "no": true, "nos": true,
	"art": true, "para": true, "paras": true, "vol": true, "e.g": true, "i.e": true, "etc": true,
	"prof": true, "gen": true, "sr": true, "jr": true, "op": true, "cf": true, "vs": true,
}

// splitSentences returns the trimmed sentence (clause) ranges of text. A
// sentence ends at ".", "!" or "?" followed by white space (after optional
// closing quotes or brackets), at ";" and at a blank line. Abbreviations and
// single-letter initials ("EVGENY T. ZAGAYNOV") do not end a sentence.
func splitSentences(text string, out []span) []span {
	start := 0
	emit := func(end int) {
		s, e := start, end
		for s < e && isSpaceAt(text, s) {
			s += spaceLen(text, s)
		}
		for e > s && isSpaceBefore(text, e) {
			e -= spaceLenBefore(text, e)
		}
		if e > s {
			out = append(out, span{s, e})
		}
	}
	n := len(text)
	for i := 0; i < n; i++ {
		for i < n && !stopByte[text[i]] {
			i++
		}
		if i >= n {
			break
		}
		switch c := text[i]; c {
		case '\n':
			// A blank line ends a paragraph; a single line break is only
			// wrapping (verbatim records are hard-wrapped mid-sentence).
			j := i + 1
			for j < n && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
				j++
			}
			if j < n && text[j] == '\n' {
				emit(i)
				start = i + 1
			}
		case ';':
			emit(i + 1)
			start = i + 1
		case '.', '!', '?':
			j := i + 1
			for j < n {
				if text[j] == '"' || text[j] == '\'' || text[j] == ')' {
					j++
					continue
				}
				if hasCloseQuote(text, j) {
					j += 3
					continue
				}
				break
			}
			if j < n && !isSpaceAt(text, j) {
				continue
			}
			if c == '.' && isAbbreviation(text, i) {
				continue
			}
			emit(j)
			start = j
			i = j - 1
		}
	}
	emit(n)
	return out
}

// stopByte marks the bytes splitSentences must look at.
var stopByte = func() (t [256]bool) {
	for _, c := range []byte("\n;.!?") {
		t[c] = true
	}
	return t
}()

// hasCloseQuote reports a closing curly quote (” or ’) at i.
func hasCloseQuote(text string, i int) bool {
	return i+2 < len(text) && text[i] == 0xE2 && text[i+1] == 0x80 && (text[i+2] == 0x9D || text[i+2] == 0x99)
}

// isAbbreviation reports whether the word ending just before the full stop at
// i is an abbreviation or a single-letter initial.
func isAbbreviation(text string, i int) bool {
	j := i
	for j > 0 && (wordByte(text[j-1]) || text[j-1] == '.') {
		j--
	}
	w := text[j:i]
	if len(w) == 1 {
		return w[0] >= 'A' && w[0] <= 'Z'
	}
	if len(w) == 0 || len(w) > 5 {
		return false
	}
	var b [5]byte
	for k := 0; k < len(w); k++ {
		c := w[k]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[k] = c
	}
	return abbreviations[string(b[:len(w)])]
}

func isSpaceAt(text string, i int) bool { return spaceLen(text, i) > 0 }

// spaceLen returns the byte length of the white space (ASCII or NBSP) at i, or 0.
func spaceLen(text string, i int) int {
	switch c := text[i]; {
	case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
		return 1
	case c == 0xC2 && i+1 < len(text) && text[i+1] == 0xA0:
		return 2
	}
	return 0
}

func isSpaceBefore(text string, e int) bool { return spaceLenBefore(text, e) > 0 }

func spaceLenBefore(text string, e int) int {
	c := text[e-1]
	if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' {
		return 1
	}
	if c == 0xA0 && e >= 2 && text[e-2] == 0xC2 {
		return 2
	}
	return 0
}

// scan fills s for text: sentences, then tokens with their sentence index.
// sentT[k] is the index of the first token of sentence k (len(sents)+1 entries).
func (s *scanner) scan(text string, v *vocab) {
	s.sents = splitSentences(text, s.sents[:0])
	s.toks, s.keys = tokenize(text, s.toks[:0], s.keys[:0], v)
	s.sentT = s.sentT[:0]
	si := 0
	for ti := range s.toks {
		st := int(s.toks[ti].start)
		for si < len(s.sents)-1 && st >= s.sents[si].end {
			si++
		}
		s.toks[ti].sent = int32(si)
	}
	ti := 0
	for k := 0; k <= len(s.sents); k++ {
		for ti < len(s.toks) && int(s.toks[ti].sent) < k {
			ti++
		}
		s.sentT = append(s.sentT, ti)
	}
}
