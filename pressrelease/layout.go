package pressrelease

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stancetrack/stancetrack/model"
)

// para is one non-blank line of the normalised text. Press releases are
// never hard-wrapped, so a line is a paragraph whether the copy separates
// paragraphs with one newline (press.un.org) or two (un.org).
//
// Offsets are int32 (documents are at most 8 MiB) and the text is sliced on
// demand, so a file of millions of one-letter lines stays small in memory.
type para struct {
	start, end int32
}

func (p para) text(doc string) string { return doc[p.start:p.end] }

func splitParas(text string) []para {
	ps := make([]para, 0, strings.Count(text, "\n")/2+1)
	for off := 0; off < len(text); {
		nl := strings.IndexByte(text[off:], '\n')
		end := len(text)
		if nl >= 0 {
			end = off + nl
		}
		line := text[off:end]
		s := off + (len(line) - len(strings.TrimLeft(line, " ")))
		e := off + len(strings.TrimRight(line, " "))
		if e > s {
			ps = append(ps, para{start: int32(s), end: int32(e)})
		}
		off = end + 1
	}
	return ps
}

var (
	// "7898th Meeting (AM)", "41st & 42nd Meetings (AM & PM)",
	// "Seventy-second Session, 3rd, 4th & 5th Meetings (Night)".
	meetingRE  = regexp.MustCompile(`(?i)\b((?:\d{1,5}(?:st|nd|rd|th)\b[,\s]*(?:(?:&|and)\s*)?)+)\s*Meetings?\b\s*\*?\s*(?:\(([^)]{1,30})\))?`)
	ordinalRE  = regexp.MustCompile(`(?i)(\d{1,5})(?:st|nd|rd|th)`)
	symbolRE   = regexp.MustCompile(`(?:^|[\s|·•,])((?:SC|GA|ECOSOC|HRC|DC|WOM|L|ENV|DEV|NGO|PAL|SEA|OBV|SG|SAG|PI|HR|IHA|AFR|ORG|POP|SOC|EC|DSG|CS|CD|GA/[A-Z]{1,6})(?:/[A-Z]{1,6})*/\d{1,6})(?:$|[\s|·•,–-])`)
	dateRE     = regexp.MustCompile(`\b(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December),? (\d{4})\b`)
	dateUSRE   = regexp.MustCompile(`\b(January|February|March|April|May|June|July|August|September|October|November|December) (\d{1,2}), (\d{4})\b`)
	labelRE    = regexp.MustCompile(`(?i)^(?:In progress at UNHQ|Meetings Coverage(?: and Press Releases)?|Press Releases?|Security Council|General Assembly|Plenary|Economic and Social Council|Human Rights Council|(?:First|Second|Third|Fourth|Fifth|Sixth) Committee|[a-z]+(?:-[a-z]+)?(?: [a-z]+){0,2} session,?)$`)
	timeRE     = regexp.MustCompile(`(?i)\b(began|opened|started|resumed|resuming|reconvened|ended|ending|adjourned|adjourning|closed|concluded|suspended|suspending|was suspended)\s+at\s+(\d{1,2}(?:[:.]\d{2})?\s?[ap]\.\s?m\.|noon|midnight)`)
	partRE     = regexp.MustCompile(`^Also (?:participating|speaking|addressing|taking part|making statements|delivering statements)\b[^.]{0,120}?\b(?:were|was|are|is)\s+`)
	partLeadRE = regexp.MustCompile(`^(?:(?:the\s+)?(?:speakers|participants|delegates|delegations|representatives?|observers)\s+(?:representing|of|from|for)\s+)`)
	monthNum   = map[string]int{"January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6,
		"July": 7, "August": 8, "September": 9, "October": 10, "November": 11, "December": 12}
)

// labelBodies maps the organ labels the new template prints above the
// headline to a body code, used only when no symbol is printed.
var labelBodies = map[string]string{
	"security council": "SC", "general assembly": "GA", "plenary": "GA",
	"economic and social council": "ECOSOC", "human rights council": "HRC",
}

// meetingLine and symbolLine run their expressions only on lines that can
// match, which keeps the header scan cheap.
func meetingLine(s string) []string {
	if !strings.Contains(s, "eeting") && !strings.Contains(s, "EETING") {
		return nil
	}
	return meetingRE.FindStringSubmatch(s)
}

func symbolLine(s string) []string {
	if strings.IndexByte(s, '/') < 0 {
		return nil
	}
	return symbolRE.FindStringSubmatch(s)
}

func isBanner(s string) bool { return strings.EqualFold(s, "In progress at UNHQ") }

func isClosing(s string) bool {
	const media, record = "for information media", "not an official record"
	if len(s) > 200 {
		return false
	}
	if len(s) >= len(media) && strings.EqualFold(s[:len(media)], media) {
		return true
	}
	return strings.Contains(strings.ToLower(s), record)
}

// isSeparator reports decorative lines ("* *** *", "__________").
func isSeparator(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("*_-–—=~•· ", r) {
			return false
		}
	}
	return true
}

func isTimeLine(s string) bool {
	return len(s) < 400 && strings.HasPrefix(s, "The meeting ") && timeRE.MatchString(s)
}

func isParticipants(s string) bool {
	return strings.HasPrefix(s, "Also ") && partRE.MatchString(head(s, 200))
}

// parseTimes reads "The meeting began at 10:05 a.m. and ended at 5:10 p.m."
// (or "... suspended at 1:07 p.m."): the first opening time and the last
// closing time, falling back to a suspension when the meeting never ended.
func parseTimes(s string) (start, end string) {
	var suspended string
	for _, m := range timeRE.FindAllStringSubmatch(s, -1) {
		verb := strings.ToLower(m[1])
		switch {
		case verb == "began" || verb == "opened" || verb == "started":
			if start == "" {
				start = m[2]
			}
		case strings.Contains(verb, "suspend"):
			suspended = m[2]
		case verb == "resumed" || verb == "resuming" || verb == "reconvened":
		default:
			end = m[2]
		}
	}
	if end == "" {
		end = suspended
	}
	return start, end
}

// splitList splits a printed list ("A, B (on behalf of C and D) and the E")
// into items: commas and the last " and " at parenthesis depth 0, keeping
// names that contain "and" whole.
func splitList(s string) []string {
	s = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(s), ".;:"))
	var segs []string
	depth, last := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case ',', ';':
			if depth == 0 {
				segs = append(segs, s[last:i])
				last = i + 1
			}
		}
	}
	segs = append(segs, s[last:])
	var items []string
	for i, seg := range segs {
		seg = strings.TrimSpace(seg)
		if i == len(segs)-1 || i == len(segs)-2 {
			seg = strings.TrimPrefix(seg, "and ")
		}
		if i == len(segs)-1 {
			if a, b, ok := splitLastAnd(seg); ok {
				items = appendItem(items, a)
				seg = b
			}
		}
		items = appendItem(items, seg)
	}
	return items
}

func appendItem(items []string, s string) []string {
	s = strings.TrimSpace(s)
	if s != "" {
		items = append(items, s)
	}
	return items
}

// andNames are names with " and " inside that a list must not split.
var andNames = []string{
	"Group of 77 and China", "Bosnia and Herzegovina", "Trinidad and Tobago", "Antigua and Barbuda",
	"Saint Vincent and the Grenadines", "Sao Tome and Principe", "São Tomé and Príncipe",
	"Saint Kitts and Nevis", "Serbia and Montenegro", "Turks and Caicos", "Wallis and Futuna",
	"Security and Cooperation in Europe", "Heard Island and McDonald Islands",
}

// splitLastAnd splits "X and Y" at the last " and " outside parentheses,
// unless that " and " belongs to a known name.
func splitLastAnd(s string) (string, string, bool) {
	depth := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			depth++
		case '(':
			if depth > 0 {
				depth--
			}
		}
		if depth == 0 && strings.HasPrefix(s[i:], " and ") {
			// "the Group of Friends on Climate and Security", "the European
			// Union and its member States" are one name.
			right := s[i+len(" and "):]
			if r, _ := utf8.DecodeRuneInString(right); !unicode.IsUpper(r) && !strings.HasPrefix(right, "the ") {
				return "", "", false
			}
			if !strings.HasPrefix(right, "the ") && (isGroupLike(s[:i]) || isGroupLike(right)) {
				// "Latin American and Caribbean States" is one group.
				return "", "", false
			}
			for _, n := range andNames {
				j := strings.Index(s, n)
				if j >= 0 && j < i && i < j+len(n) {
					return "", "", false
				}
			}
			return s[:i], s[i+len(" and "):], true
		}
	}
	return "", "", false
}

// isHeading: a short line without final punctuation, in title case or
// starting with a word UN releases use for their section headings.
func isHeading(s string) bool {
	if len(s) > 100 || len(s) < 3 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(r) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	if strings.ContainsRune(".,;:!?”\"’'", last) {
		return false
	}
	words := strings.Fields(s)
	if len(words) > 12 {
		return false
	}
	if headingStarts[strings.ToLower(strings.Trim(words[0], ",:"))] && len(words) <= 10 {
		return true
	}
	for _, w := range words {
		wr, _ := utf8.DecodeRuneInString(w)
		if unicode.IsLower(wr) && !smallWords[w] {
			return false
		}
	}
	return true
}

var smallWords = map[string]bool{
	"of": true, "on": true, "and": true, "the": true, "in": true, "for": true, "to": true,
	"a": true, "an": true, "at": true, "by": true, "with": true, "from": true, "or": true,
	"into": true, "upon": true, "under": true, "over": true, "per": true, "de": true, "as": true,
	"vs": true, "its": true, "their": true, "after": true, "before": true,
}

var headingStarts = map[string]bool{
	"explanation": true, "explanations": true, "action": true, "statements": true, "statement": true,
	"briefing": true, "briefings": true, "opening": true, "closing": true, "introduction": true,
	"introductory": true, "adoption": true, "debate": true, "remarks": true, "interactive": true,
	"election": true, "elections": true, "presentation": true, "decision": true, "decisions": true,
	"right": true, "rights": true, "vote": true, "voting": true, "consideration": true,
	"concluding": true, "general": true, "dialogue": true, "question": true, "questions": true,
}

// proceduralRE matches record lines ("The Council then unanimously adopted
// resolution ...", "By a recorded vote of ...") that belong to no speaker.
var proceduralRE = regexp.MustCompile(`^(?:(?:The|By|Acting|Also|At the outset|Before|After|Following|Without)\b[^.]{0,80}?\b(?:adopted|approved|elected|took note|decided|observed a minute|recorded vote|without a vote|by consensus|rejected|deferred|postponed)\b|The (?:Council|Assembly|General Assembly|Security Council|Committee|Commission|Board)(?: then| also)? (?:adopted|approved|elected|took note|decided|observed|rejected|voted|heard|began|concluded|suspended|turned|will)\b|(?:The )?[Dd]raft (?:resolution|decision) .{0,120}\b(?:was|were) (?:adopted|approved|rejected)\b)`)

// head returns at most the first n bytes of s, cut on a rune boundary.
// Line classifiers only look at a paragraph's start, so they never scan a
// whole long paragraph.
func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isProcedural(s string) bool { return proceduralRE.MatchString(head(s, 300)) }

// maxNotes bounds Document.Notes.
const maxNotes = 100

// parseText fills doc from doc.Text.
func parseText(doc *Document) error {
	ps := splitParas(doc.Text)
	m := &doc.Meeting
	m.Source = "press_release"
	// Notes are capped: a junk file could otherwise yield one per line.
	suppressed := 0
	note := func(format string, args ...any) {
		if len(doc.Notes) >= maxNotes {
			suppressed++
			return
		}
		doc.Notes = append(doc.Notes, fmt.Sprintf(format, args...))
	}
	defer func() {
		if suppressed > 0 {
			doc.Notes = append(doc.Notes, fmt.Sprintf("%d further notes suppressed", suppressed))
		}
	}()

	// Header: banner, organ labels, meeting line, symbol and date in any
	// order, then the headline and sub-headlines (lines without final
	// punctuation) until the first sentence, heading or speaker.
	i, headers := 0, 0
	meetingFound, labelBody := false, ""
	var subs []string
	for ; i < len(ps) && i < 20; i++ {
		p := ps[i].text(doc.Text)
		header := false
		if len(p) <= 160 {
			if mm := meetingLine(p); mm != nil && !meetingFound && len(p) <= 120 {
				meetingFound, header = true, true
				for _, o := range ordinalRE.FindAllStringSubmatch(mm[1], -1) {
					if n, err := strconv.Atoi(o[1]); err == nil {
						m.Numbers = append(m.Numbers, n)
					}
				}
				m.Session = normalizeSession(mm[2])
			}
			if sm := symbolLine(p); sm != nil && m.Symbol == "" && len(p) <= 120 {
				m.Symbol, header = sm[1], true
				m.Body = sm[1][:strings.LastIndexByte(sm[1], '/')]
			}
			if d, ok := findDate(p); ok && m.Date == "" && len(p) <= 60 {
				m.Date, header = d, true
			}
			if isBanner(p) || labelRE.MatchString(p) {
				if b, ok := labelBodies[strings.ToLower(p)]; ok && labelBody == "" {
					labelBody = b
				}
				header = true
			}
		}
		if header {
			continue
		}
		// A headline may end in "?" or a closing quote; a sentence ends in a
		// full stop.
		if (headers > 0 && endsSentence(p)) || (headers == 0 && (len(p) > 300 || strings.HasSuffix(p, ".") || strings.HasSuffix(p, ":"))) ||
			(headers > 0 && isHeading(p) && headingStarts[strings.ToLower(firstWord(p))]) ||
			detectSpeaker(p).ok || isTimeLine(p) || isParticipants(p) || isClosing(p) || headers >= 3 {
			break
		}
		if headers == 0 {
			m.Headline = p
		} else {
			subs = append(subs, p)
		}
		headers++
	}
	m.SubHeadline = strings.Join(subs, "\n")
	if m.Body == "" && labelBody != "" {
		m.Body = labelBody
		note("no document symbol; body %s taken from the organ label", labelBody)
	}
	// Without a date Year stays 0; the ingest step infers it from the
	// registry's meeting-number table and notes that it did.
	if m.Date != "" {
		m.Year, _ = strconv.Atoi(m.Date[:4])
	}
	if m.Headline == "" {
		note("no headline found")
	}
	body := ps[i:]
	// Speaker detection is the costliest test; run it once per paragraph.
	// isTurn marks speaker paragraphs; found holds their speakers in order.
	isTurn := make([]bool, len(body))
	var found []speakerLine
	for k := range body {
		if sp := detectSpeaker(body[k].text(doc.Text)); sp.ok {
			isTurn[k] = true
			found = append(found, sp)
		}
	}
	doc.Statements = make([]model.Statement, 0, len(found))

	// The summary runs to the first section heading, or to the first turn
	// that names its speaker in capitals (summaries never do); a block of
	// time and participants lines followed by a turn ends it earlier. With
	// none of these it runs to the first speaker turn. The lead paragraph is
	// summary unless it is a heading or a capitals turn.
	capsTurn := func(k int, nth int) bool { return isTurn[k] && upperName(found[nth].speaker) }
	start := 1
	if len(body) > 0 && ((!isTurn[0] && isHeading(body[0].text(doc.Text))) || capsTurn(0, 0)) {
		start = 0
	}
	limit, heading, firstTurn := len(body), false, -1
	for k, nth := 0, 0; k < len(body); k++ {
		if isTurn[k] {
			if k >= start && firstTurn < 0 {
				firstTurn = k
			}
			if k >= start && capsTurn(k, nth) {
				limit = k
				break
			}
			nth++
			continue
		}
		if k >= start && isHeading(body[k].text(doc.Text)) && k+1 < len(body) && !isClosing(body[k+1].text(doc.Text)) {
			limit, heading = k, true
			break
		}
	}
	turnsFrom := -1
	metaEnd := -1 // last paragraph of the first block of time/participants lines
	for k := start; k < limit; k++ {
		p := body[k].text(doc.Text)
		if isTimeLine(p) || isParticipants(p) {
			metaEnd = k
			continue
		}
		if metaEnd >= 0 {
			break
		}
	}
	if metaEnd >= 0 && hasTurnBetween(isTurn, metaEnd+1, limit) {
		turnsFrom = metaEnd + 1
	}
	if turnsFrom < 0 {
		switch {
		case limit < len(body):
			turnsFrom = limit
		case firstTurn >= 0:
			turnsFrom = firstTurn
		default:
			turnsFrom = len(body)
		}
	}
	if !heading {
		note("no section heading before the first turn; summary taken as the lead paragraphs before it")
	}
	if turnsFrom < 0 {
		turnsFrom = len(body)
	}
	var summary []string
	for _, p := range body[:turnsFrom] {
		switch {
		case isTimeLine(p.text(doc.Text)):
			m.StartTime, m.EndTime = parseTimes(p.text(doc.Text))
		case isParticipants(p.text(doc.Text)):
			m.Participants = append(m.Participants, participants(p.text(doc.Text))...)
		case isBanner(p.text(doc.Text)) || isClosing(p.text(doc.Text)) || isSeparator(p.text(doc.Text)):
		default:
			summary = append(summary, p.text(doc.Text))
		}
	}
	m.Summary = strings.Join(summary, "\n\n")

	// Turns.
	section := ""
	cur := -1 // index into doc.Statements of the open turn
	end := func() { cur = -1 }
	nextFound := 0
	for k := 0; k < turnsFrom; k++ {
		if isTurn[k] {
			nextFound++ // a summary paragraph that names a speaker
		}
	}
	for k := turnsFrom; k < len(body); k++ {
		p := body[k]
		if isTurn[k] {
			sp := found[nextFound]
			nextFound++
			doc.Statements = append(doc.Statements, model.Statement{
				Seq:           len(doc.Statements) + 1,
				Section:       section,
				Speaker:       sp.speaker,
				Title:         sp.title,
				DelegationRaw: sp.delegation,
				Start:         int(p.start),
				End:           int(p.end),
			})
			cur = len(doc.Statements) - 1
			st := &doc.Statements[cur]
			st.OnBehalfOf, st.AlignsWith = groups(p.text(doc.Text))
			continue
		}
		switch {
		case isBanner(p.text(doc.Text)) || isSeparator(p.text(doc.Text)):
			continue
		case isClosing(p.text(doc.Text)):
			end()
			continue
		case isTimeLine(p.text(doc.Text)):
			m.StartTime, m.EndTime = parseTimes(p.text(doc.Text))
			end()
			continue
		case isParticipants(p.text(doc.Text)):
			m.Participants = append(m.Participants, participants(p.text(doc.Text))...)
			end()
			continue
		case isHeading(p.text(doc.Text)) && k+1 < len(body) && !isClosing(body[k+1].text(doc.Text)):
			section = p.text(doc.Text)
			end()
			continue
		case isProcedural(p.text(doc.Text)):
			note("paragraph at byte %d (%q) is a procedural record; not attributed", p.start, clip(p.text(doc.Text), 60))
			end()
			continue
		}
		if cur >= 0 {
			doc.Statements[cur].End = int(p.end)
			continue
		}
		note("paragraph at byte %d (%q) names no speaker and follows no turn; not attributed", p.start, clip(p.text(doc.Text), 60))
	}

	seen := make(map[string]int, len(doc.Statements))
	for k := range doc.Statements {
		st := &doc.Statements[k]
		st.Text = doc.Text[st.Start:st.End]
		// Text is normalised already, so identical turns are identical
		// strings; comparing them costs no allocation.
		key := st.Text
		if prev, ok := seen[key]; ok {
			st.DuplicateOf = prev
			note("seq %d repeats seq %d (%s) word for word; kept, flagged duplicate_of", st.Seq, prev, who(*st))
			continue
		}
		seen[key] = st.Seq
	}

	if m.Symbol == "" && !meetingFound {
		strong := 0
		for _, st := range doc.Statements {
			if st.Speaker != "" && upperName(st.Speaker) {
				strong++
			}
		}
		if strong < 2 {
			return fmt.Errorf("%w: no document symbol (SC/…, GA/…) or meeting line found", ErrNotCoverage)
		}
		note("no document symbol or meeting line found; accepted because %d turns name their speaker in capitals", strong)
	}
	if len(doc.Statements) == 0 {
		what := m.Symbol
		if what == "" {
			what = "the release"
		}
		return fmt.Errorf("%w: %s has a meeting line but no paragraph names a speaker", ErrNoTurns, what)
	}
	return nil
}

func hasTurnBetween(isTurn []bool, from, to int) bool {
	for k := from; k < to; k++ {
		if isTurn[k] {
			return true
		}
	}
	return false
}

func who(st model.Statement) string {
	var parts []string
	for _, s := range []string{st.Speaker, st.DelegationRaw} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 && st.Title != "" {
		parts = append(parts, st.Title)
	}
	return strings.Join(parts, ", ")
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}

// endsSentence reports whether a paragraph ends like prose.
func endsSentence(s string) bool {
	last, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?:;”\"", last)
}

func normalizeSession(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	switch u := strings.ToUpper(s); {
	case u == "":
		return ""
	case u == "AM" || u == "PM" || u == "AM & PM":
		return u
	case u == "AM AND PM":
		return "AM & PM"
	case u == "NIGHT":
		return "Night"
	}
	return s
}

func findDate(s string) (string, bool) {
	if !strings.ContainsAny(s, "0123456789") {
		return "", false
	}
	var day, month, year string
	if m := dateRE.FindStringSubmatch(s); m != nil {
		day, month, year = m[1], m[2], m[3]
	} else if m := dateUSRE.FindStringSubmatch(s); m != nil {
		day, month, year = m[2], m[1], m[3]
	} else {
		return "", false
	}
	d, _ := strconv.Atoi(day)
	y, _ := strconv.Atoi(year)
	// Reject impossible dates ("31 February") rather than store them.
	t := time.Date(y, time.Month(monthNum[month]), d, 12, 0, 0, 0, time.UTC)
	if t.Day() != d || y < 1945 {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

// participants splits an "Also participating ... were ..." line into its items.
func participants(s string) []string {
	loc := partRE.FindStringIndex(s)
	if loc == nil {
		return nil
	}
	rest := s[loc[1]:]
	if l := partLeadRE.FindStringIndex(rest); l != nil {
		rest = rest[l[1]:]
	}
	return splitList(rest)
}
