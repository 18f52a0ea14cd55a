package codebook

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The pattern language (documented for analysts at the top of default.yaml):
//
//	word        a word, case-insensitive; curly and straight quotes are the same;
//	            apostrophes and punctuation split words ("Council’s" = council s)
//	word*       any word starting with "word" (not as the first element)
//	(a|b c)     one of the alternatives; each may be several words
//	[a b]       optional; [a|b] optional alternatives
//	{name}      any phrase of the class "name" (defined under classes:)
//	...         a gap of 0 to 6 words; ...N a gap of 0 to N words (N <= 40)
//	!word       the next word is not "word" (!(a|b): none of them); it
//	            consumes nothing, and passes at the end of a sentence
//
// A pattern never crosses a sentence (clause) boundary: ". ", "; " or a line break.

const (
	defaultGap = 6
	maxGap     = 40
)

type nodeKind uint8

const (
	nWord    nodeKind = iota // one word, by vocabulary id
	nPrefix                  // one word starting with prefix
	nAlt                     // alternatives (optional groups have an empty alternative)
	nGap                     // 0..max words
	nNotNext                 // zero-width: next word is none of ids
)

type node struct {
	kind   nodeKind
	single bitset   // for nAlt whose alternatives are all one plain word: their ids
	first  []bitset // for other nAlt: per alternative, the words it can start with (nil: any)
	starts bitset   // for other nAlt: the union of first, when no entry is nil
	id     int32
	prefix []byte
	alts   [][]*node
	max    int
	ids    []int32
}

// vocab interns pattern words to small integer ids. Lookups from the
// tagger go through an open-addressing table built by freeze, which is
// faster than a Go map keyed by string(bytes) on this hot path.
type vocab struct {
	ids    map[string]int32
	words  []string
	table  []vslot // power-of-two size; empty slots have id -1
	maxLen int
}

type vslot struct {
	hash uint32
	id   int32
}

func fnv32(b []byte) uint32 {
	h := uint32(fnvOffset)
	for _, c := range b {
		h = (h ^ uint32(c)) * fnvPrime
	}
	return h
}

// freeze builds the lookup table; no word may be interned afterwards.
func (v *vocab) freeze() {
	size := 64
	for size < 4*len(v.words) {
		size *= 2
	}
	v.table = make([]vslot, size)
	for i := range v.table {
		v.table[i].id = -1
	}
	mask := uint32(size - 1)
	for id, w := range v.words {
		v.maxLen = max(v.maxLen, len(w))
		h := fnv32([]byte(w))
		for j := h & mask; ; j = (j + 1) & mask {
			if v.table[j].id < 0 {
				v.table[j] = vslot{h, int32(id)}
				break
			}
		}
	}
}

func (v *vocab) intern(w string) int32 {
	if id, ok := v.ids[w]; ok {
		return id
	}
	id := int32(len(v.words))
	v.ids[w] = id
	v.words = append(v.words, w)
	return id
}

// lookupHash returns the id of key, whose FNV-1a hash is h, or -1.
func (v *vocab) lookupHash(key []byte, h uint32) int32 {
	if len(key) > v.maxLen || v.table == nil {
		return -1
	}
	mask := uint32(len(v.table) - 1)
	for j := h & mask; ; j = (j + 1) & mask {
		sl := v.table[j]
		if sl.id < 0 {
			return -1
		}
		if sl.hash == h && v.words[sl.id] == string(key) {
			return sl.id
		}
	}
}

// lexeme kinds of the pattern syntax.
type lexeme struct {
	kind   byte // 'w' word, '(' ')' '[' ']' '|' '!', 'c' class, 'g' gap
	text   string
	prefix bool
	n      int
}

// lexPattern splits a pattern into lexemes. Words go through the same
// tokenizer as statement text, so a pattern word splits exactly where the
// text would ("Da’esh" = da esh).
func lexPattern(p string) ([]lexeme, error) {
	var out []lexeme
	i := 0
	for i < len(p) {
		c := p[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.IndexByte("()[]|!", c) >= 0:
			out = append(out, lexeme{kind: c})
			i++
		case c == '{':
			j := strings.IndexByte(p[i:], '}')
			if j < 0 {
				return nil, fmt.Errorf("unclosed {")
			}
			name := strings.TrimSpace(p[i+1 : i+j])
			if name == "" {
				return nil, fmt.Errorf("empty class name {}")
			}
			out = append(out, lexeme{kind: 'c', text: name})
			i += j + 1
		case c == '}':
			return nil, fmt.Errorf("unexpected }")
		case strings.HasPrefix(p[i:], "..."):
			j := i + 3
			for j < len(p) && p[j] == '.' {
				j++
			}
			k := j
			for k < len(p) && p[k] >= '0' && p[k] <= '9' {
				k++
			}
			n := defaultGap
			if k > j {
				v, err := strconv.Atoi(p[j:k])
				if err != nil || v > maxGap {
					return nil, fmt.Errorf("gap %q: at most ...%d", p[i:k], maxGap)
				}
				n = v
			}
			out = append(out, lexeme{kind: 'g', n: n})
			i = k
		default:
			j := i
			for j < len(p) && strings.IndexByte(" \t\n\r()[]|!{}", p[j]) < 0 && !strings.HasPrefix(p[j:], "...") {
				j++
			}
			chunk := p[i:j]
			prefix := strings.HasSuffix(chunk, "*")
			chunk = strings.TrimSuffix(chunk, "*")
			if strings.Contains(chunk, "*") {
				return nil, fmt.Errorf("%q: * only at the end of a word", p[i:j])
			}
			toks, keys := tokenize(chunk, nil, nil, nil, nil)
			for k, t := range toks {
				out = append(out, lexeme{kind: 'w', text: string(keys[t.kstart:t.kend]), prefix: prefix && k == len(toks)-1})
			}
			if prefix && len(toks) == 0 {
				return nil, fmt.Errorf("%q: * needs a word", p[i:j])
			}
			i = j
		}
	}
	return out, nil
}

// compiler turns pattern text into node sequences, resolving classes.
type compiler struct {
	vocab    *vocab
	classes  map[string][]string // class name -> phrase sources
	compiled map[string][][]*node
	busy     map[string]bool // classes being compiled, to report cycles
}

type parser struct {
	c   *compiler
	lx  []lexeme
	pos int
}

// compile parses one pattern into a sequence.
func (c *compiler) compile(src string) ([]*node, error) {
	lx, err := lexPattern(src)
	if err != nil {
		return nil, err
	}
	p := &parser{c: c, lx: lx}
	seq, err := p.seq()
	if err != nil {
		return nil, err
	}
	if p.pos < len(lx) {
		return nil, fmt.Errorf("unexpected %q", string(lx[p.pos].kind))
	}
	if len(seq) == 0 {
		return nil, errors.New("empty pattern")
	}
	return seq, nil
}

// seq parses elements up to ")", "]", "|" or the end.
func (p *parser) seq() ([]*node, error) {
	var out []*node
	for p.pos < len(p.lx) {
		l := p.lx[p.pos]
		switch l.kind {
		case ')', ']', '|':
			return out, nil
		case 'w':
			p.pos++
			if l.prefix {
				out = append(out, &node{kind: nPrefix, prefix: []byte(l.text)})
			} else {
				out = append(out, &node{kind: nWord, id: p.c.vocab.intern(l.text)})
			}
		case 'g':
			p.pos++
			out = append(out, &node{kind: nGap, max: l.n})
		case 'c':
			p.pos++
			alts, err := p.c.class(l.text)
			if err != nil {
				return nil, err
			}
			out = append(out, &node{kind: nAlt, alts: alts})
		case '(', '[':
			p.pos++
			closer := byte(')')
			if l.kind == '[' {
				closer = ']'
			}
			var alts [][]*node
			for {
				s, err := p.seq()
				if err != nil {
					return nil, err
				}
				if len(s) == 0 && l.kind == '(' {
					return nil, errors.New("empty alternative in ( )")
				}
				alts = append(alts, s)
				if p.pos >= len(p.lx) {
					return nil, fmt.Errorf("missing %q", string(closer))
				}
				k := p.lx[p.pos].kind
				p.pos++
				if k == '|' {
					continue
				}
				if k != closer {
					return nil, fmt.Errorf("%q closed by %q", string(l.kind), string(k))
				}
				break
			}
			if l.kind == '[' {
				alts = append(alts, nil)
			}
			out = append(out, &node{kind: nAlt, alts: alts})
		case '!':
			p.pos++
			if p.pos >= len(p.lx) {
				return nil, errors.New("! needs a word")
			}
			n := &node{kind: nNotNext}
			switch nx := p.lx[p.pos]; nx.kind {
			case 'w':
				if nx.prefix {
					return nil, errors.New("!word* is not supported")
				}
				n.ids = []int32{p.c.vocab.intern(nx.text)}
				p.pos++
			case '(':
				p.pos++
				for {
					if p.pos >= len(p.lx) || p.lx[p.pos].kind != 'w' || p.lx[p.pos].prefix {
						return nil, errors.New("!( ) takes single words separated by |")
					}
					n.ids = append(n.ids, p.c.vocab.intern(p.lx[p.pos].text))
					p.pos++
					if p.pos >= len(p.lx) {
						return nil, errors.New("missing )")
					}
					k := p.lx[p.pos].kind
					p.pos++
					if k == ')' {
						break
					}
					if k != '|' {
						return nil, errors.New("!( ) takes single words separated by |")
					}
				}
			default:
				return nil, errors.New("! needs a word or (a|b)")
			}
			out = append(out, n)
		default:
			return nil, fmt.Errorf("unexpected %q", string(l.kind))
		}
	}
	return out, nil
}

// class compiles (once) the phrases of a class.
func (c *compiler) class(name string) ([][]*node, error) {
	if alts, ok := c.compiled[name]; ok {
		return alts, nil
	}
	phrases, ok := c.classes[name]
	if !ok {
		return nil, fmt.Errorf("unknown class {%s}", name)
	}
	if c.busy[name] {
		return nil, fmt.Errorf("class {%s} refers to itself", name)
	}
	c.busy[name] = true
	defer delete(c.busy, name)
	var alts [][]*node
	for _, ph := range phrases {
		s, err := c.compile(ph)
		if err != nil {
			return nil, fmt.Errorf("class {%s} phrase %q: %w", name, ph, err)
		}
		alts = append(alts, s)
	}
	c.compiled[name] = alts
	return alts, nil
}

// firstIDs returns the word ids a sequence can start with, so that a pattern
// is only tried where its first word occurs. It fails for patterns that can
// start with a gap or a prefix, or match nothing: those would have to be
// tried at every word, which is what the index exists to avoid.
func firstIDs(seq []*node, acc map[int32]bool) error {
	nullable, err := firstSet(seq, acc)
	if err != nil {
		return err
	}
	if nullable {
		return errors.New("a pattern must not be entirely optional")
	}
	return nil
}

// firstSet adds the possible first words of seq to acc and reports whether
// seq can match no word at all.
func firstSet(seq []*node, acc map[int32]bool) (bool, error) {
	for _, n := range seq {
		switch n.kind {
		case nWord:
			acc[n.id] = true
			return false, nil
		case nPrefix:
			return false, errors.New("a pattern must not start with word*")
		case nGap:
			return false, errors.New("a pattern must not start with a gap")
		case nNotNext:
			continue
		case nAlt:
			nullable := false
			for _, a := range n.alts {
				nl, err := firstSet(a, acc)
				if err != nil {
					return false, err
				}
				nullable = nullable || nl
			}
			if !nullable {
				return false, nil
			}
		}
	}
	return true, nil
}

// needSets returns sets of word ids of which at least one word each must
// occur in a sentence for seq to match there. Checking them first lets the
// tagger skip most candidate patterns without running the matcher.
func needSets(seq []*node, weak func(int32) bool) [][]int32 {
	var out [][]int32
	for _, n := range seq {
		switch n.kind {
		case nWord:
			out = append(out, []int32{n.id})
		case nAlt:
			var union []int32
			ok := true
			for _, a := range n.alts {
				sets := needSets(a, weak)
				if len(sets) == 0 {
					ok = false
					break
				}
				union = append(union, rarest(sets, weak)...)
			}
			if ok && len(union) > 0 {
				out = append(out, union)
			}
		}
	}
	return out
}

// matcher runs compiled sequences over the tokens of one sentence.
type matcher struct {
	toks  []token
	keys  []byte
	end   int    // first token index past the sentence
	stack []cont // continuation frames, reused: matching allocates nothing
}

type cont struct {
	seq  []*node
	next *cont
}

// match tries seq at token pos, then the continuation; it returns the end
// token index of the shortest-gap match, or -1.
func (m *matcher) match(seq []*node, pos int, next *cont) int {
	for {
		if len(seq) == 0 {
			if next == nil {
				return pos
			}
			seq, next = next.seq, next.next
			continue
		}
		n := seq[0]
		switch n.kind {
		case nWord:
			if pos >= m.end || m.toks[pos].id != n.id {
				return -1
			}
			pos++
			seq = seq[1:]
		case nPrefix:
			if pos >= m.end {
				return -1
			}
			t := m.toks[pos]
			if !bytes.HasPrefix(m.keys[t.kstart:t.kend], n.prefix) {
				return -1
			}
			pos++
			seq = seq[1:]
		case nNotNext:
			if pos < m.end {
				id := m.toks[pos].id
				for _, x := range n.ids {
					if x == id {
						return -1
					}
				}
			}
			seq = seq[1:]
		case nAlt:
			if n.single != nil {
				// All alternatives are one word and share the continuation:
				// a set lookup replaces trying them one by one.
				if pos >= m.end || !n.single.has(m.toks[pos].id) {
					return -1
				}
				pos++
				seq = seq[1:]
				continue
			}
			if n.starts != nil && (pos >= m.end || !n.starts.has(m.toks[pos].id)) {
				return -1 // no alternative can start here
			}
			var c *cont
			sp := len(m.stack)
			if sp < cap(m.stack) {
				// Frames live on a stack that never reallocates (the
				// capacity is fixed), so pointers into it stay valid.
				m.stack = append(m.stack, cont{seq: seq[1:], next: next})
				c = &m.stack[sp]
			} else {
				c = &cont{seq: seq[1:], next: next}
			}
			e := -1
			id := int32(-1)
			if pos < m.end {
				id = m.toks[pos].id
			}
			for i, a := range n.alts {
				if n.first != nil && n.first[i] != nil && !n.first[i].has(id) {
					continue // cannot start here
				}
				if e = m.match(a, pos, c); e >= 0 {
					break
				}
			}
			m.stack = m.stack[:sp]
			return e
		case nGap:
			rest := seq[1:]
			last := min(pos+n.max, m.end)
			if len(rest) > 0 && (rest[0].kind == nWord || rest[0].single != nil || rest[0].starts != nil) {
				// What follows the gap must start with a known word: try
				// only where one stands, not at every word of the gap.
				w := rest[0]
				for p := pos; p <= last && p < m.end; p++ {
					if !w.canStart(m.toks[p].id) {
						continue
					}
					if e := m.match(rest, p, next); e >= 0 {
						return e
					}
				}
				return -1
			}
			for p := pos; p <= last; p++ {
				if e := m.match(rest, p, next); e >= 0 {
					return e
				}
			}
			return -1
		}
	}
}

// canStart reports whether a word, an alternatives node with single, or
// one with starts can match from a word with id.
func (n *node) canStart(id int32) bool {
	switch {
	case n.kind == nWord:
		return id == n.id
	case n.single != nil:
		return n.single.has(id)
	default:
		return n.starts.has(id)
	}
}

// rarest picks, among the need sets of one alternative, the first one with
// no common word in it ("council" rather than "the").
func rarest(sets [][]int32, weak func(int32) bool) []int32 {
	for _, st := range sets {
		ok := true
		for _, id := range st {
			if weak(id) {
				ok = false
				break
			}
		}
		if ok {
			return st
		}
	}
	return sets[0]
}

// optimize fills single for every alternatives node reachable from seq.
func optimize(seq []*node, nv int, seen map[*node]bool) {
	for _, n := range seq {
		if n.kind != nAlt || seen[n] {
			continue
		}
		seen[n] = true
		all := true
		for _, a := range n.alts {
			if len(a) != 1 || a[0].kind != nWord {
				all = false
			}
			optimize(a, nv, seen)
		}
		if all {
			b := make(bitset, (nv+63)/64)
			for _, a := range n.alts {
				id := a[0].id
				b[id>>6] |= 1 << (uint(id) & 63)
			}
			n.single = b
			continue
		}
		n.first = make([]bitset, len(n.alts))
		n.starts = make(bitset, (nv+63)/64)
		for i, a := range n.alts {
			ids := map[int32]bool{}
			if nullable, err := firstSet(a, ids); err != nil || nullable {
				n.starts = nil
				continue // may match nothing or start anywhere: always try
			}
			b := make(bitset, (nv+63)/64)
			for id := range ids {
				b[id>>6] |= 1 << (uint(id) & 63)
			}
			n.first[i] = b
			if n.starts != nil {
				for k := range b {
					n.starts[k] |= b[k]
				}
			}
		}
	}
}
