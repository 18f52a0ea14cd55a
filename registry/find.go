package registry

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// node is a token trie: every registered name is a path of folded tokens, so
// Find reads a title once, left to right, and only ever matches whole words
// ("Oman" never matches inside "woman", "Niger" never inside "Nigeria").
type node struct {
	next map[string]*node
	id   int  // entity index ending here, or -1
	caps bool // every alias ending here is a short capitals-only acronym
}

func newNode() *node { return &node{id: -1} }

func (n *node) insert(toks []token, id int, acronym bool) {
	cur := n
	for _, t := range toks {
		nx, ok := cur.next[t.norm]
		if !ok {
			if cur.next == nil {
				cur.next = map[string]*node{}
			}
			nx = newNode()
			cur.next[t.norm] = nx
		}
		cur = nx
	}
	if cur.id < 0 {
		cur.caps = acronym
	} else {
		// The same folded name also comes from a non-acronym spelling
		// ("INTERPOL" and "Interpol"): lower case is then fine.
		cur.caps = cur.caps && acronym
	}
	cur.id = id
}

// match is one entity named in a text: tokens [from, to).
type match struct {
	id       int
	from, to int
}

// scan returns the leftmost-longest non-overlapping matches in toks.
func (r *Registry) scan(toks []token) []match {
	var out []match
	for i := 0; i < len(toks); {
		cur, best, bestEnd := r.trie, -1, 0
		for j := i; j < len(toks); j++ {
			nx, ok := cur.next[toks[j].norm]
			if !ok {
				break
			}
			cur = nx
			if cur.id >= 0 && (!cur.caps || allCaps(toks[i:j+1])) {
				best, bestEnd = cur.id, j+1
			}
		}
		if best < 0 {
			i++
			continue
		}
		out = append(out, match{id: best, from: i, to: bestEnd})
		i = bestEnd
	}
	return out
}

func allCaps(toks []token) bool {
	for _, t := range toks {
		if !t.caps {
			return false
		}
	}
	return true
}

// Find returns the entity named inside free text such as a title.
//
// When a text names several, the choice follows how UN titles are written:
//  1. a UN office-holder family ("Special Rapporteur on ...", "Special
//     Representative of the Secretary-General for ...") wins, because such
//     titles name the country of the mandate, not of the speaker; the result
//     is a un_system entity named after the family and its printed mandate,
//     e.g. "UN Special Rapporteur on contemporary forms of slavery";
//  2. otherwise the first State named ("Permanent Representative of Kenya and
//     Chair of the Peacebuilding Commission" → Kenya; "Minister ... of Norway,
//     also speaking for Denmark ..." → Norway);
//  3. otherwise the longest organisation or bloc name, the earliest on ties
//     (UNODC beats "United Nations");
//  4. generic UN wording ("United Nations", "Secretary-General") last.
func (r *Registry) Find(text string) (Entity, bool) {
	toks := tokenize(text)
	ms := r.scan(toks)
	m, ok := r.pick(ms)
	if !ok {
		return Entity{}, false
	}
	if r.family[m.id] {
		return r.familyEntity(m, text, toks), true
	}
	return r.entity(m.id), true
}

func (r *Registry) pick(ms []match) (match, bool) {
	for _, m := range ms {
		if r.family[m.id] {
			return m, true
		}
	}
	for _, m := range ms {
		if r.ents[m.id].IsState() {
			return m, true
		}
	}
	best, found := match{}, false
	for _, m := range ms {
		if r.weak[m.id] {
			continue
		}
		if !found || m.to-m.from > best.to-best.from {
			best, found = m, true
		}
	}
	if found {
		return best, true
	}
	if len(ms) > 0 {
		return ms[0], true
	}
	return match{}, false
}

// mandatePreps open the mandate printed after a family title.
var mandatePreps = map[string]bool{
	"on": true, "for": true, "in": true, "to": true, "of": true, "at": true,
	"concerning": true, "regarding": true,
}

// familyEntity names a family match after its mandate: the text following
// the title phrase up to the next comma, bracket, dash or colon, if it opens
// with a preposition or a capitalised word ("... Mission in South Sudan",
// "... Integrated Transition Assistance Mission").
func (r *Registry) familyEntity(m match, text string, toks []token) Entity {
	e := r.entity(m.id)
	if len(text) > maxInput {
		text = text[:maxInput]
	}
	rest := text[toks[m.to-1].end:]
	if cut := strings.IndexFunc(rest, func(c rune) bool {
		return strings.ContainsRune(",;:()[]—–\n", c)
	}); cut >= 0 {
		rest = rest[:cut]
	}
	words := strings.Fields(cleanSpace(rest))
	if len(words) == 0 {
		return e
	}
	first, _ := utf8.DecodeRuneInString(words[0])
	if !mandatePreps[strings.ToLower(words[0])] && !unicode.IsUpper(first) {
		return e
	}
	if len(words) > 15 {
		words = words[:15]
	}
	mandate := strings.TrimRight(strings.Join(words, " "), ".")
	e.Name = e.Name + " " + mandate
	e.Aliases = nil
	return e
}

// Lookup resolves a delegation name as printed: "Spain", "Spain’s", "the
// Russian Federation’s", "Philippines’", "Türkiye"/"Turkey", "Côte d’Ivoire"
// with any apostrophe, "the European Union delegation", "delegation of
// Japan", "representative of Chile", "Permanent Observer of the Holy See".
// Titles of UN office-holder families ("Special Rapporteur on ...") resolve
// as Find does.
func (r *Registry) Lookup(name string) (Entity, bool) {
	toks := tokenize(name)
	for {
		if id, ok := r.byKey[key(toks)]; ok && len(toks) > 0 {
			return r.entity(id), true
		}
		next := stripWrappers(toks)
		if len(next) == len(toks) {
			break
		}
		toks = next
	}
	if ms := r.scan(toks); len(ms) > 0 && ms[0].from == 0 && r.family[ms[0].id] {
		return r.familyEntity(ms[0], name, toks), true
	}
	return Entity{}, false
}

// Words around a delegation's name that do not change who it is.
var (
	leadingWrappers = [][]string{
		{"the"},
		{"statement", "by"}, {"statement", "of"}, {"statements", "by"},
		{"delegation", "of"}, {"delegations", "of"},
		{"permanent", "representative", "of"}, {"deputy", "permanent", "representative", "of"},
		{"representative", "of"}, {"representatives", "of"},
		{"permanent", "observer", "of"}, {"permanent", "observer", "mission", "of"}, {"observer", "of"},
		{"permanent", "mission", "of"}, {"mission", "of"}, {"government", "of"},
		{"on", "behalf", "of"}, {"behalf", "of"},
	}
	trailingWrappers = [][]string{
		{"delegation"}, {"delegations"}, {"representative"}, {"representatives"},
		{"delegate"}, {"government"}, {"mission"},
	}
)

// stripWrappers removes one layer of wrapping words: a leading phrase, a
// trailing one, or a possessive "’s".
func stripWrappers(toks []token) []token {
	for _, w := range leadingWrappers {
		if len(toks) > len(w) && hasWords(toks[:len(w)], w) {
			return toks[len(w):]
		}
	}
	if n := len(toks); n > 1 && toks[n-1].norm == "s" && toks[n-1].afterApos {
		return toks[:n-1]
	}
	for _, w := range trailingWrappers {
		if n := len(toks); n > len(w) && hasWords(toks[n-len(w):], w) {
			return toks[:n-len(w)]
		}
	}
	return toks
}

func hasWords(toks []token, words []string) bool {
	for i, w := range words {
		if toks[i].norm != w {
			return false
		}
	}
	return true
}
