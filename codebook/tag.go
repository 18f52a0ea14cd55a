package codebook

import (
	"strconv"
	"strings"

	"github.com/stancetrack/stancetrack/model"
)

// hit is one pattern match: rule r matched tokens [t0, t1) of sentence sent.
type hit struct {
	r      int32
	sent   int32
	t0, t1 int32
}

// Tag labels one statement. Only st.Text is read. It returns, in order: the
// purview tags (the deciding one first, then one secondary tag per other
// value found, strongest first; none when the statement states nothing, so
// model.Derive yields "unstated"), one tag per frame, one tag per cited
// instrument. Every tag's Evidence is exactly st.Text[Start:End].
func (cb *Codebook) Tag(st model.Statement) []model.Tag {
	tags, _ := cb.Code(st)
	return tags
}

// Code is Tag plus the review flag: needsReview is true when no purview tag
// was written although a sentence matched one of the codebook's review
// rules (the Council or another organ named where a stance could be taken),
// so an analyst should look at it.
//
// Besides the text, Code reads what the resolve step found: a turn that was
// resolved (Kind set) but has no delegation — the presidency running the
// meeting, an unidentified speaker — never gets an objection, since an
// objection is a delegation's position.
func (cb *Codebook) Code(st model.Statement) (tags []model.Tag, needsReview bool) {
	text := st.Text
	if text == "" {
		return nil, false
	}
	s := cb.scanners.Get().(*scanner)
	defer cb.scanners.Put(s)
	s.scan(text, cb.vocab)

	// One pass over the words, sentence by sentence: each word marks the
	// need sets it satisfies, then only the patterns indexed under each word
	// whose need sets are all marked are tried.
	hits := s.hits[:0]
	if cap(s.stack) == 0 {
		s.stack = make([]cont, 0, 64)
	}
	m := matcher{toks: s.toks, keys: s.keys, stack: s.stack[:0]}
	if len(s.sat) != cb.nPatterns {
		s.sat = make([]uint32, cb.nPatterns)
		s.stamp = 0
	}
	s.genPos = s.genPos[:0]
	sat := s.sat
	for sent := range s.sents {
		s.stamp++
		if s.stamp >= 1<<27 { // keep stamp<<4 in range
			clear(sat)
			s.stamp = 1
		}
		mark := s.stamp << 4
		t0, t1 := s.sentT[sent], s.sentT[sent+1]
		for ti := t0; ti < t1; ti++ {
			if id := s.toks[ti].id; id >= 0 {
				w := cb.words[id]
				for _, nr := range cb.needRefs[w.needs0:w.needs1] {
					v := sat[nr.g]
					if v&^15 != mark {
						v = mark
					}
					sat[nr.g] = v | nr.bit
				}
				if cb.genTrigger.has(id) {
					s.genPos = append(s.genPos, ti)
				}
			}
		}
		m.end = t1
		for ti := t0; ti < t1; ti++ {
			id := s.toks[ti].id
			if id < 0 {
				continue
			}
			w := cb.words[id]
			for _, e := range cb.entries[w.index0:w.index1] {
				if e.full != 0 && sat[e.g] != mark|e.full {
					continue
				}
				if end := m.match(cb.rules[e.r].patterns[e.p], ti, nil); end > ti {
					hits = append(hits, hit{r: e.r, sent: int32(sent), t0: int32(ti), t1: int32(end)})
				}
			}
		}
	}
	s.hits = hits

	// Masks: spans (titles of instruments, funds, offices) where frame cues
	// do not count.
	masks := s.masks[:0]
	for _, h := range hits {
		if cb.rules[h.r].kind == kMask {
			masks = append(masks, span{int(s.toks[h.t0].start), int(s.toks[h.t1-1].end)})
		}
	}
	for gi := range cb.generics {
		if g := &cb.generics[gi]; g.kind == genQuoted {
			masks = quotedTitles(g, text, s, masks)
		}
	}

	// Tags are gathered in the scanner's buffer and copied out at their
	// exact number: a statement has few, and a Tag is large.
	tags = s.tags[:0]
	newTag := func(dim, value, ruleID string, start, end int) model.Tag {
		return model.Tag{
			Dimension: dim, Value: value, Evidence: text[start:end], Start: start, End: end,
			Rule: ruleID, Source: model.SourceCodebook, CodebookVersion: cb.version,
		}
	}

	// Purview and frames: the first valid hit of each value decides; its
	// sentence is the evidence.
	var purview [4]pick // by rank: affirms=1, conditional=2, contests=3
	if len(s.frames) != len(cb.frames) {
		s.frames = make([]pick, len(cb.frames))
	}
	frames := s.frames
	clear(frames)
	if s.checked == nil {
		s.checked = map[[2]int32]bool{}
	}
	clear(s.checked)
	checked := s.checked // (rule, sentence) -> valid
	valid := func(h hit) bool {
		k := [2]int32{h.r, h.sent}
		if v, ok := checked[k]; ok {
			return v
		}
		v := cb.sentenceOK(&cb.rules[h.r], s, int(h.sent))
		checked[k] = v
		return v
	}
	// Sentences that carry no stance of the speaker's (procedure,
	// courtesies, reported calls, past Council decisions) decide no purview
	// and raise no review flag.
	noStance := s.noStance[:0]
	for _, h := range hits {
		if cb.rules[h.r].kind == kNoStance && valid(h) {
			noStance = append(noStance, h.sent)
		}
	}
	s.noStance = noStance
	stanceless := func(sent int32) bool {
		for _, n := range noStance {
			if n == sent {
				return true
			}
		}
		return false
	}
	noObjection := st.Kind != "" && st.Delegation == ""
	review := false
	for _, h := range hits {
		r := &cb.rules[h.r]
		switch r.kind {
		case kReview:
			review = review || (!stanceless(h.sent) && valid(h))
		case kPurview:
			rank := purviewRank(r.value)
			if purview[rank].ok || (noObjection && rank >= 2) || stanceless(h.sent) || !valid(h) {
				continue
			}
			purview[rank] = pick{h.r, h.sent, true}
		case kFrame:
			fi := cb.frameRank[r.value]
			if frames[fi].ok {
				continue
			}
			if overlaps(masks, int(s.toks[h.t0].start), int(s.toks[h.t1-1].end)) || !valid(h) {
				continue
			}
			frames[fi] = pick{h.r, h.sent, true}
		}
	}
	for rank := 3; rank >= 1; rank-- {
		if p := purview[rank]; p.ok {
			sp := s.sents[p.sent]
			r := &cb.rules[p.rule]
			t := newTag(model.DimPurview, r.value, r.id, sp.start, sp.end)
			t.Confidence = model.ConfidenceStrong
			if r.weak {
				t.Confidence = model.ConfidenceWeak
			}
			tags = append(tags, t)
		}
	}
	needsReview = review && len(tags) == 0
	for _, p := range frames {
		if p.ok {
			sp := s.sents[p.sent]
			r := &cb.rules[p.rule]
			tags = append(tags, newTag(model.DimFrame, r.value, r.id, sp.start, sp.end))
		}
	}

	// Instruments: the first mention of each, by position; the evidence is
	// the name as written.
	s.insts = s.insts[:0]
	addInst := func(id, ruleID string, start, end int) {
		s.insts = append(s.insts, mention{id, ruleID, start, end})
	}
	for _, h := range hits {
		r := &cb.rules[h.r]
		if r.kind != kInstrument || !valid(h) {
			continue
		}
		addInst(r.value, r.id, int(s.toks[h.t0].start), int(s.toks[h.t1-1].end))
	}
	for gi := range cb.generics {
		cb.runGeneric(&cb.generics[gi], text, s, addInst)
	}
	insts := s.insts
	// Order by position so the tags read like the statement.
	for i := 1; i < len(insts); i++ {
		for j := i; j > 0 && insts[j].start < insts[j-1].start; j-- {
			insts[j], insts[j-1] = insts[j-1], insts[j]
		}
	}
	firstInst := len(tags)
	for k, in := range insts {
		if seenTag(tags[firstInst:], in.id) || containedIn(insts, k) {
			continue
		}
		tags = append(tags, newTag(model.DimInstrument, in.id, in.rule, in.start, in.end))
	}
	out := make([]model.Tag, len(tags))
	copy(out, tags)
	clear(tags) // the pooled buffer must not keep the text alive
	s.tags, s.masks = tags[:0], masks[:0]
	return out, needsReview
}

// pick is the hit that decides a purview value or a frame.
type pick struct {
	rule int32
	sent int32
	ok   bool
}

// seenTag reports whether tags already hold value.
func seenTag(tags []model.Tag, value string) bool {
	for i := range tags {
		if tags[i].Value == value {
			return true
		}
	}
	return false
}

func purviewRank(v string) int {
	switch v {
	case model.PurviewContests:
		return 3
	case model.PurviewConditional:
		return 2
	case model.PurviewAffirms:
		return 1
	}
	return 0
}

func overlaps(spans []span, start, end int) bool {
	for _, sp := range spans {
		if start < sp.end && sp.start < end {
			return true
		}
	}
	return false
}

// sentenceOK checks a rule's requires (one must match) and unless (none may
// match) patterns against one sentence.
func (cb *Codebook) sentenceOK(r *rule, s *scanner, sent int) bool {
	if len(r.requires) > 0 && !anyIn(r.requires, r.requiresFirst, s, sent) {
		return false
	}
	return len(r.unless) == 0 || !anyIn(r.unless, r.unlessFirst, s, sent)
}

// anyIn reports whether any pattern matches anywhere in sentence sent.
func anyIn(patterns [][]*node, first []bitset, s *scanner, sent int) bool {
	m := matcher{toks: s.toks, keys: s.keys, end: s.sentT[sent+1], stack: s.stack[:0]}
	for ti := s.sentT[sent]; ti < m.end; ti++ {
		id := s.toks[ti].id
		for pi, p := range patterns {
			if first[pi] != nil && !first[pi].has(id) {
				continue
			}
			if e := m.match(p, ti, nil); e > ti {
				return true
			}
		}
	}
	return false
}

// --- generic instrument rules ------------------------------------------------

func isDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func (s *scanner) key(ti int) []byte { t := s.toks[ti]; return s.keys[t.kstart:t.kend] }

// isYear reports a plausible four-digit year token.
func isYear(k []byte) bool {
	return len(k) == 4 && isDigits(k) && (k[0] == '1' && k[1] == '9' || k[0] == '2' && k[1] == '0')
}

func (cb *Codebook) runGeneric(g *generic, text string, s *scanner, add func(id, rule string, start, end int)) {
	switch g.kind {
	case genUNSCR:
		cb.unscr(g, text, s, add)
	case genQuoted:
		// masks only; see quotedTitles
	case genPRSTSymbol:
		prstSymbols(g, text, add)
	case genPRSTYear:
		for _, tp := range s.genPos {
			ti := tp - 1
			if ti < 0 || ti+2 >= len(s.toks) {
				continue
			}
			if s.toks[ti+1].id == cb.wordPresidential && s.toks[ti+2].id == cb.wordStatement &&
				s.toks[ti].sent == s.toks[ti+2].sent && isYear(s.key(ti)) {
				add("PRST_"+string(s.key(ti)), g.id, int(s.toks[ti].start), int(s.toks[ti+2].end))
			}
		}
	}
}

// unscr finds "resolution 2331 (2016)", "resolutions 2195 (2014) and 2242
// (2015)" and longer lists. A number followed by "/" is a General Assembly or
// Human Rights Council symbol ("resolution 70/1") and is skipped, as are
// resolutions introduced by a not_after phrase ("General Assembly resolution").
func (cb *Codebook) unscr(g *generic, text string, s *scanner, add func(id, rule string, start, end int)) {
	for _, ti := range s.genPos {
		if !g.wordBits.has(s.toks[ti].id) {
			continue
		}
		if len(g.notAfter) > 0 && notAfter(g.notAfter, s, ti) {
			continue
		}
		sent := s.toks[ti].sent
		j := ti + 1
		for j < len(s.toks) && s.toks[j].sent == sent {
			k := s.key(j)
			if !isDigits(k) || len(k) > 4 {
				break
			}
			numEnd := int(s.toks[j].end)
			if numEnd < len(text) && text[numEnd] == '/' {
				break
			}
			// "resolution 194 (III)": a General Assembly resolution, whose
			// session the UN prints in Roman numerals.
			if romanSession(text[numEnd:]) {
				break
			}
			start, end := int(s.toks[j].start), numEnd
			next := j + 1
			// optional " (YYYY)"
			if next < len(s.toks) && isYear(s.key(next)) && strings.TrimSpace(text[numEnd:s.toks[next].start]) == "(" {
				ye := int(s.toks[next].end)
				if ye < len(text) && text[ye] == ')' {
					end = ye + 1
					next++
				}
			}
			n, err := strconv.Atoi(string(k))
			if err == nil && n > 0 {
				add("UNSCR_"+strconv.Itoa(n), g.id, start, end)
			}
			// continue through ", " / " and " / ", and " to the next number
			if next >= len(s.toks) || s.toks[next].sent != sent {
				break
			}
			gap := strings.TrimSpace(text[end:s.toks[next].start])
			if gap == "," {
				j = next
				continue
			}
			if string(s.key(next)) == "and" {
				gap = strings.TrimSpace(gap)
				if (gap == "" || gap == ",") && next+1 < len(s.toks) && isDigits(s.key(next+1)) {
					j = next + 1
					continue
				}
			}
			break
		}
	}
}

// notAfter reports whether one of the patterns ends right at token ti.
func notAfter(patterns [][]*node, s *scanner, ti int) bool {
	sent := int(s.toks[ti].sent)
	m := matcher{toks: s.toks, keys: s.keys, end: ti, stack: s.stack[:0]}
	for st := s.sentT[sent]; st < ti; st++ {
		if ti-st > 6 {
			continue
		}
		for _, p := range patterns {
			if m.match(p, st, nil) == ti {
				return true
			}
		}
	}
	return false
}

// prstSymbols finds "S/PRST/2015/25" symbols in the raw text.
func prstSymbols(g *generic, text string, add func(id, rule string, start, end int)) {
	const sym = "S/PRST/"
	off := 0
	for {
		i := strings.Index(text[off:], sym)
		if i < 0 {
			return
		}
		i += off
		j := i + len(sym)
		y := j
		for j < len(text) && text[j] >= '0' && text[j] <= '9' {
			j++
		}
		year := text[y:j]
		if len(year) == 4 && j < len(text) && text[j] == '/' {
			k := j + 1
			for k < len(text) && text[k] >= '0' && text[k] <= '9' {
				k++
			}
			if num := text[j+1 : k]; num != "" && len(num) <= 4 {
				n, _ := strconv.Atoi(num)
				add("PRST_"+year+"_"+strconv.Itoa(n), g.id, i, k)
			}
		}
		off = i + len(sym)
	}
}

// maxTitle bounds a quoted title; a longer quotation is speech, not a title.
const maxTitle = 300

// quotedTitles masks “...” quotations that directly follow one of g's words
// ("the draft resolution “Protection of persons displaced ...”").
func quotedTitles(g *generic, text string, s *scanner, masks []span) []span {
	const open, closeQ = "\u201c", "\u201d"
	off := 0
	for {
		i := strings.Index(text[off:], open)
		if i < 0 {
			return masks
		}
		i += off
		off = i + len(open)
		// the last token ending before the quote, with only spaces between
		lo, hi := 0, len(s.toks)
		for lo < hi {
			mid := (lo + hi) / 2
			if int(s.toks[mid].end) <= i {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		if lo == 0 {
			continue
		}
		t := s.toks[lo-1]
		if strings.TrimSpace(strings.ReplaceAll(text[t.end:i], "\u00a0", " ")) != "" || !g.wordBits.has(t.id) {
			continue
		}
		limit := min(len(text), off+maxTitle)
		j := strings.Index(text[off:limit], closeQ)
		if j < 0 {
			continue
		}
		masks = append(masks, span{i, off + j + len(closeQ)})
	}
}

// mention is one instrument found in a statement.
type mention struct {
	id, rule   string
	start, end int
}

// containedIn reports whether mention k lies inside a longer mention of
// another instrument: "Protocol to the African Charter on ... Rights of Women"
// names the Protocol, not the Charter.
func containedIn(insts []mention, k int) bool {
	m := insts[k]
	for j, o := range insts {
		if j != k && o.id != m.id && o.start <= m.start && m.end <= o.end && o.end-o.start > m.end-m.start {
			return true
		}
	}
	return false
}

// romanSession reports whether rest opens with " (III)" or "(XV)": the
// Roman-numeral session of an early General Assembly resolution.
func romanSession(rest string) bool {
	rest = strings.TrimLeft(rest, " \u00a0")
	if !strings.HasPrefix(rest, "(") {
		return false
	}
	i := 1
	for i < len(rest) && i < 8 && strings.IndexByte("IVXLC", rest[i]) >= 0 {
		i++
	}
	return i > 1 && i < len(rest) && rest[i] == ')'
}
