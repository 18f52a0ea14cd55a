package codebook

import (
	"slices"
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
	sat      []uint32 // per pattern: stamp<<4 | the need sets marked in the current sentence
	stamp    uint32   // numbers the sentences read with this scanner
	genPos   []int    // tokens where a generic rule may start
	hits     []hit
	checked  map[[2]int32]bool
	stack    []cont
	masks    []span
	noStance []int32 // sentences a no_stance rule matched
	frames   []pick
	insts    []mention
	tags     []model.Tag
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
// form, and every other byte to 0.
var foldTab = func() (t [256]byte) {
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

// Byte classes for tokenize: bytes it skips, ASCII word bytes, the bytes
// that may end a sentence, and the lead and continuation bytes of other runes.
const (
	cSkip = iota
	cWord
	cStop
	cHigh
)

var byteClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case c >= utf8.RuneSelf:
			t[c] = cHigh
		case foldTab[c] != 0:
			t[c] = cWord
		case stopByte[c]:
			t[c] = cStop
		}
	}
	return t
}()

// tokenize splits text into words, appending to toks and keys, and looks
// each folded key up in v (nil: every id is -1). Words are runs of letters
// and digits; a hyphen between two word characters joins them. ASCII, nearly
// all of a release, takes a fast path that folds and hashes in one go; other
// runes are decoded and folded. When sp is not nil, tokenize also hands it
// every byte that may end a sentence, which saves a second pass over the
// text, and numbers each token with its sentence.
func tokenize(text string, toks []token, keys []byte, v *vocab, sp *splitter) ([]token, []byte) {
	n := len(text)
	// The fast path (foldASCII) writes into spare capacity rather than
	// appending: with no call to grow the slice in the per-byte loop, the
	// compiler spills fewer of its variables. ASCII words need no more room
	// than the text; foldRest appends whatever does not fit.
	keys = slices.Grow(keys, n)
	i := 0
	for i < n {
		for i < n && byteClass[text[i]] == cSkip {
			i++
		}
		if i == n {
			break
		}
		switch byteClass[text[i]] {
		case cStop:
			if sp != nil {
				sp.stop(i, len(toks))
			}
			i++
			continue
		case cHigh:
			if _, size, word := runeAt(text, i); !word {
				i += size
				continue
			}
		}
		start := i
		kstart := len(keys)
		var h uint32
		var k int
		k, i, h = foldASCII(keys[:cap(keys)], kstart, text, i)
		keys = keys[:k]
		if i < n && (foldTab[text[i]] != 0 || text[i] == '-' || text[i] >= utf8.RuneSelf) {
			keys, h, i = foldRest(text, i, keys, kstart, h)
		}
		id := int32(-1)
		if v != nil {
			id = v.lookupHash(keys[kstart:], h)
		}
		sent := int32(0)
		if sp != nil {
			sent = int32(len(sp.sents))
		}
		toks = append(toks, token{
			start: int32(start), end: int32(i),
			kstart: int32(kstart), kend: int32(len(keys)),
			id: id, sent: sent,
		})
	}
	return toks, keys
}

// foldASCII writes the folded ASCII letters and digits of text from i into
// kb from k, as far as kb has room, and returns the new k and i with the
// FNV-1a hash of what it wrote.
func foldASCII(kb []byte, k int, text string, i int) (int, int, uint32) {
	h := uint32(fnvOffset)
	for i < len(text) && k < len(kb) {
		f := foldTab[text[i]]
		if f == 0 {
			break
		}
		kb[k] = f
		h = (h ^ uint32(f)) * fnvPrime
		k++
		i++
	}
	return k, i, h
}

// foldRest goes on with the word whose key so far is keys[kstart:], hashed
// to h, from i: through hyphens, non-ASCII letters, and any ASCII the fast
// path of tokenize left. It returns the keys, the hash and the end of the word.
func foldRest(text string, i int, keys []byte, kstart int, h uint32) ([]byte, uint32, int) {
	n := len(text)
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
			// A word hyphenated across a line end of the printed record
			// comes out of PDF text as "counter- terrorism": the word goes on
			// after the space. A suspended compound ("troop- and
			// police-contributing") does not.
			if c == '-' && len(keys) > kstart && lineEndHyphen(text, i) {
				keys = append(keys, '-')
				h = (h ^ '-') * fnvPrime
				i += 2
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
	return keys, h, i
}

// lineEndHyphen reports whether the hyphen at i is followed by one space and
// a lower-case word that is not a conjunction or "to" (which mark a
// suspended compound: "troop- and police-contributing", "pre- to
// post-conflict").
func lineEndHyphen(text string, i int) bool {
	if i+2 >= len(text) || text[i+1] != ' ' {
		return false
	}
	j := i + 2
	if c := text[j]; c < 'a' || c > 'z' {
		return false
	}
	e := j
	for e < len(text) && text[e] >= 'a' && text[e] <= 'z' {
		e++
	}
	switch text[j:e] {
	case "and", "or", "to", "nor", "as", "but":
		return false
	}
	return true
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
// (Tag does not call it: tokenize drives the same splitter.)
func splitSentences(text string, out []span) []span {
	sp := splitter{text: text, sents: out}
	for i := 0; i < len(text); i++ {
		if stopByte[text[i]] {
			sp.stop(i, 0)
		}
	}
	sp.finish(0)
	return sp.sents
}

// splitter finds the sentences of text, fed its stop bytes in order (see
// splitSentences for the rules).
type splitter struct {
	text  string
	start int    // where the current sentence began
	sents []span // trimmed; empty ones are dropped
	// sentT[k] is the index of the first token of sentence k, by the
	// caller's count: each sentence ends with one more entry. Tag needs it;
	// splitSentences passes no count and leaves it nil.
	sentT []int
}

// emit ends the current sentence at end; ntok tokens have been read.
func (sp *splitter) emit(end, ntok int) {
	text := sp.text
	s, e := sp.start, end
	for s < e && isSpaceAt(text, s) {
		s += spaceLen(text, s)
	}
	for e > s && isSpaceBefore(text, e) {
		e -= spaceLenBefore(text, e)
	}
	if e > s {
		sp.sents = append(sp.sents, span{s, e})
		if sp.sentT != nil {
			sp.sentT = append(sp.sentT, ntok)
		}
	}
}

// stop handles the stop byte at i, when ntok tokens have been read.
func (sp *splitter) stop(i, ntok int) {
	text := sp.text
	n := len(text)
	switch c := text[i]; c {
	case '\n':
		// A blank line ends a paragraph; a single line break is only
		// wrapping (verbatim records are hard-wrapped mid-sentence).
		j := i + 1
		for j < n && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
			j++
		}
		if j < n && text[j] == '\n' {
			sp.emit(i, ntok)
			sp.start = i + 1
		}
	case ';':
		sp.emit(i+1, ntok)
		sp.start = i + 1
	case '.', '!', '?':
		// The bytes skipped to j (closing quotes and brackets) hold no
		// stop byte, so the caller may go on at i+1.
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
			return
		}
		if c == '.' && isAbbreviation(text, i) {
			return
		}
		sp.emit(j, ntok)
		sp.start = j
	}
}

// finish ends the last sentence, when ntok tokens have been read in all.
func (sp *splitter) finish(ntok int) {
	sp.emit(len(sp.text), ntok)
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
	sp := splitter{text: text, sents: s.sents[:0], sentT: append(s.sentT[:0], 0)}
	s.toks, s.keys = tokenize(text, s.toks[:0], s.keys[:0], v, &sp)
	sp.finish(len(s.toks))
	s.sents, s.sentT = sp.sents, sp.sentT
}
