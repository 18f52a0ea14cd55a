// Package codebook tags statements with purview stance, frames and cited
// instruments, keeping for every tag the exact evidence substring and the
// id of the rule that fired, so that an analyst can check each one.
//
// The rules live in a YAML file an analyst can read and edit without Go
// (default.yaml, embedded). Cue phrases are written in a small pattern
// language (see pattern.go and the head of default.yaml); they are compiled
// once, indexed by their first word, and matched in one pass over the words
// of a statement, sentence by sentence.
package codebook

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"github.com/stancetrack/stancetrack/model"
)

//go:embed default.yaml
var defaultYAML []byte

// maxFileSize bounds a codebook file: it is edited by people, and a larger
// file is a mistake or an attack.
const maxFileSize = 4 << 20

// Error is one problem in a codebook file, located by line.
type Error struct {
	File string // "codebook.yaml" unless the caller sets it
	Line int    // 1-based; 0 when unknown
	Rule string // rule, class or instrument id, when known
	Err  error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Rule != "" {
		b.WriteString(e.Rule)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// --- file structure -------------------------------------------------------

// pos records the line of a YAML node, so every message can point at it.
type pos struct{ Line int }

// yStr is a string with the line it was written on.
type yStr struct {
	V    string
	Line int
}

func (s *yStr) UnmarshalYAML(n ast.Node) error {
	s.Line = nodeLine(n)
	return yaml.NodeToValue(n, &s.V)
}

func nodeLine(n ast.Node) int {
	if n == nil || n.GetToken() == nil {
		return 0
	}
	return n.GetToken().Position.Line
}

type fileLabel struct {
	pos     `yaml:"-"`
	ID      string `yaml:"id"`
	Name    string `yaml:"name"`
	Comment string `yaml:"comment"`
}

func (l *fileLabel) UnmarshalYAML(n ast.Node) error {
	type plain fileLabel
	l.Line = nodeLine(n)
	return yaml.NodeToValue(n, (*plain)(l), yaml.DisallowUnknownField())
}

type fileClass struct {
	pos     `yaml:"-"`
	Comment string `yaml:"comment"`
	Phrases []yStr `yaml:"phrases"`
}

func (c *fileClass) UnmarshalYAML(n ast.Node) error {
	type plain fileClass
	c.Line = nodeLine(n)
	return yaml.NodeToValue(n, (*plain)(c), yaml.DisallowUnknownField())
}

type fileRule struct {
	pos      `yaml:"-"`
	ID       string `yaml:"id"`
	Value    string `yaml:"value"`
	Comment  string `yaml:"comment"`
	Patterns []yStr `yaml:"patterns"`
	Requires []yStr `yaml:"requires"`
	Unless   []yStr `yaml:"unless"`
	// Confidence of a purview rule: "strong" (the default) when its cue
	// states the stance in so many words, "weak" when it infers it.
	Confidence string `yaml:"confidence"`
}

func (r *fileRule) UnmarshalYAML(n ast.Node) error {
	type plain fileRule
	r.Line = nodeLine(n)
	return yaml.NodeToValue(n, (*plain)(r), yaml.DisallowUnknownField())
}

type fileInstrument struct {
	pos     `yaml:"-"`
	ID      string `yaml:"id"`
	Name    string `yaml:"name"`
	Comment string `yaml:"comment"`
	Aliases []yStr `yaml:"aliases"`
	Unless  []yStr `yaml:"unless"`
}

func (r *fileInstrument) UnmarshalYAML(n ast.Node) error {
	type plain fileInstrument
	r.Line = nodeLine(n)
	return yaml.NodeToValue(n, (*plain)(r), yaml.DisallowUnknownField())
}

type fileGeneric struct {
	pos      `yaml:"-"`
	ID       string `yaml:"id"`
	Kind     string `yaml:"kind"`
	Comment  string `yaml:"comment"`
	Words    []yStr `yaml:"words"`
	NotAfter []yStr `yaml:"not_after"`
}

func (g *fileGeneric) UnmarshalYAML(n ast.Node) error {
	type plain fileGeneric
	g.Line = nodeLine(n)
	return yaml.NodeToValue(n, (*plain)(g), yaml.DisallowUnknownField())
}

type file struct {
	Name    string `yaml:"name"`
	Comment string `yaml:"comment"`
	Labels  struct {
		Purview []fileLabel `yaml:"purview"`
		Frames  []fileLabel `yaml:"frames"`
	} `yaml:"labels"`
	Classes     map[string]*fileClass `yaml:"classes"`
	Purview     []fileRule            `yaml:"purview"`
	Frames      []fileRule            `yaml:"frames"`
	Masks       []fileRule            `yaml:"masks"`
	Review      []fileRule            `yaml:"review"`
	NoStance    []fileRule            `yaml:"no_stance"`
	Instruments []fileInstrument      `yaml:"instruments"`
	Generic     []fileGeneric         `yaml:"generic"`
}

// --- compiled form ----------------------------------------------------------

type ruleKind uint8

const (
	kPurview ruleKind = iota
	kFrame
	kMask
	kInstrument
	kReview
	kNoStance
)

// rule is a compiled purview, frame, mask or instrument rule.
type rule struct {
	kind     ruleKind
	id       string // rule id (for instruments: "instrument.<ID>")
	value    string // purview value, frame id or instrument id
	weak     bool   // purview: the cue infers the stance (model.ConfidenceWeak)
	patterns [][]*node
	needs    [][][]int32 // per pattern: sets of which one word each must be in the sentence
	requires [][]*node
	unless   [][]*node

	requiresFirst, unlessFirst []bitset // nil entry: try at every word
}

// entry is one indexed pattern: rule r, pattern p.
type entry struct {
	r, p int32
	g    int32  // global pattern number, for the per-sentence need marks
	full uint32 // one bit per need set of the pattern; 0: no needs
}

// wordInfo is what the tagger does with one vocabulary word, as ranges of
// Codebook.entries (patterns that can start with the word) and
// Codebook.needRefs (need sets the word satisfies). Offsets rather than
// slices keep the table small enough to stay in cache.
type wordInfo struct {
	index0, index1 uint32
	needs0, needs1 uint32
}

// needRef says that a word satisfies need set bit of global pattern g.
type needRef struct {
	g   int32
	bit uint32
}

const (
	genUNSCR      = "security_council_resolution"
	genPRSTSymbol = "prst_symbol"
	genPRSTYear   = "prst_year"
	genQuoted     = "quoted_title"
)

type generic struct {
	id, kind string
	words    map[int32]bool
	wordBits bitset
	notAfter [][]*node
}

// Codebook is a compiled codebook. It is immutable and safe for concurrent use.
type Codebook struct {
	version                         string
	vocab                           *vocab
	rules                           []rule
	words                           []wordInfo // by vocabulary id
	entries                         []entry    // wordInfo.index ranges point here
	needRefs                        []needRef  // wordInfo.needs ranges point here
	generics                        []generic
	purview                         []string
	frames                          []string
	frameRank                       map[string]int
	instruments                     []string
	instName                        map[string]string
	wordStatement, wordPresidential int32
	nPatterns                       int
	genTrigger                      bitset // words that start a generic rule: scan only there
	scanners                        sync.Pool
}

var (
	defaultOnce sync.Once
	defaultCB   *Codebook
)

// Default returns the embedded default codebook, compiled once.
func Default() *Codebook {
	defaultOnce.Do(func() {
		cb, errs := compileFile(defaultYAML)
		if len(errs) > 0 {
			// The embedded file is covered by tests; failing here means a
			// broken build, not bad input.
			panic(fmt.Sprintf("codebook: embedded default.yaml: %v", errors.Join(errs...)))
		}
		defaultCB = cb
	})
	return defaultCB
}

// DefaultYAML returns a copy of the embedded default codebook file, for
// analysts who want to start their own from it.
func DefaultYAML() []byte { return bytes.Clone(defaultYAML) }

// Load reads and compiles a codebook. The error lists every problem found,
// each with its line number.
func Load(r io.Reader) (*Codebook, error) {
	src, err := readAll(r)
	if err != nil {
		return nil, err
	}
	cb, errs := compileFile(src)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return cb, nil
}

// Check returns every problem found in a codebook file, each with its line
// number; nil means the file is valid.
func Check(r io.Reader) []error {
	src, err := readAll(r)
	if err != nil {
		return []error{err}
	}
	_, errs := compileFile(src)
	return errs
}

func readAll(r io.Reader) ([]byte, error) {
	src, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("codebook: read: %w", err)
	}
	if len(src) > maxFileSize {
		return nil, &Error{File: "codebook.yaml", Err: fmt.Errorf("file larger than %d bytes", maxFileSize)}
	}
	return src, nil
}

// Version is a short hash of the file content, stored with every tag so a
// tag can be traced to the codebook that produced it.
func (cb *Codebook) Version() string { return cb.version }

// Labels returns the purview values, frame ids and registered instrument ids,
// in file order (instruments matched by generic rules, such as UNSCR_2331,
// are open-ended and not listed).
func (cb *Codebook) Labels() (purview, frames, instruments []string) {
	return append([]string(nil), cb.purview...), append([]string(nil), cb.frames...), append([]string(nil), cb.instruments...)
}

var (
	reUNSCR   = regexp.MustCompile(`^UNSCR_(\d+)$`)
	rePRST    = regexp.MustCompile(`^PRST_(\d{4})(?:_(\d+))?$`)
	reInstrID = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
)

// InstrumentName returns a display name for an instrument id, or the id.
func (cb *Codebook) InstrumentName(id string) string {
	if n, ok := cb.instName[id]; ok {
		return n
	}
	if m := reUNSCR.FindStringSubmatch(id); m != nil {
		return "Security Council resolution " + m[1]
	}
	if m := rePRST.FindStringSubmatch(id); m != nil {
		if m[2] != "" {
			return "S/PRST/" + m[1] + "/" + m[2]
		}
		return "Presidential statement (" + m[1] + ")"
	}
	return id
}

// compileFile parses and compiles src, collecting every error.
func compileFile(src []byte) (*Codebook, []error) {
	var errs []error
	add := func(line int, ruleID string, err error) {
		errs = append(errs, &Error{File: "codebook.yaml", Line: line, Rule: ruleID, Err: err})
	}
	var f file
	if err := yaml.UnmarshalWithOptions(src, &f, yaml.DisallowUnknownField()); err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) && ye.GetToken() != nil {
			add(ye.GetToken().Position.Line, "", errors.New(ye.GetMessage()))
		} else {
			add(0, "", err)
		}
		return nil, errs
	}

	sum := sha256.Sum256(src)
	cb := &Codebook{
		version:   "cb-" + hex.EncodeToString(sum[:])[:12],
		vocab:     &vocab{ids: map[string]int32{}},
		frameRank: map[string]int{},
		instName:  map[string]string{},
	}
	comp := &compiler{vocab: cb.vocab, classes: map[string][]string{}, compiled: map[string][][]*node{}, busy: map[string]bool{}}

	// Labels.
	purviewOK := map[string]bool{}
	for _, l := range f.Labels.Purview {
		if !model.ValidPurview(l.ID) {
			add(l.Line, "labels.purview", fmt.Errorf("unknown purview value %q (want contests, conditional, affirms or unstated)", l.ID))
			continue
		}
		purviewOK[l.ID] = true
		cb.purview = append(cb.purview, l.ID)
	}
	for _, l := range f.Labels.Frames {
		if l.ID == "" || strings.ContainsAny(l.ID, " \t") {
			add(l.Line, "labels.frames", fmt.Errorf("frame id %q must be one word", l.ID))
			continue
		}
		if _, dup := cb.frameRank[l.ID]; dup {
			add(l.Line, "labels.frames", fmt.Errorf("frame %q declared twice", l.ID))
			continue
		}
		cb.frameRank[l.ID] = len(cb.frames)
		cb.frames = append(cb.frames, l.ID)
	}

	// Classes: check every phrase where it is written, so an error in a
	// class is reported once, at its own line.
	names := make([]string, 0, len(f.Classes))
	for name, c := range f.Classes {
		if c == nil {
			add(0, "class "+name, errors.New("class has no phrases"))
			continue
		}
		names = append(names, name)
		for _, ph := range c.Phrases {
			comp.classes[name] = append(comp.classes[name], ph.V)
		}
	}
	sort.Strings(names)
	badClass := map[string]bool{}
	for _, name := range names {
		c := f.Classes[name]
		if len(c.Phrases) == 0 {
			add(c.Line, "class "+name, errors.New("class has no phrases"))
		}
		for _, ph := range c.Phrases {
			if _, err := comp.compile(ph.V); err != nil {
				add(ph.Line, "class "+name, fmt.Errorf("phrase %q: %w", ph.V, err))
				badClass[name] = true
			}
		}
	}
	for name := range badClass {
		delete(comp.classes, name) // referring patterns then report "unknown class"
	}

	seen := map[string]int{}
	compileList := func(ruleID string, list []yStr, indexed bool) [][]*node {
		var out [][]*node
		for _, p := range list {
			seq, err := comp.compile(p.V)
			if err == nil && indexed {
				err = firstIDs(seq, map[int32]bool{})
			}
			if err != nil {
				add(p.Line, ruleID, fmt.Errorf("pattern %q: %w", p.V, err))
				continue
			}
			out = append(out, seq)
		}
		return out
	}
	addRules := func(kind ruleKind, section string, list []fileRule) {
		for _, fr := range list {
			id := fr.ID
			if id == "" {
				add(fr.Line, section, errors.New("rule without id"))
				id = fmt.Sprintf("%s@%d", section, fr.Line)
			} else if l, dup := seen[id]; dup {
				add(fr.Line, "rule "+id, fmt.Errorf("id already used at line %d", l))
			}
			seen[id] = fr.Line
			switch kind {
			case kPurview:
				if fr.Value == model.PurviewUnstated || !purviewOK[fr.Value] {
					add(fr.Line, "rule "+id, fmt.Errorf("value %q is not a purview label (contests, conditional or affirms)", fr.Value))
				}
			case kFrame:
				if _, ok := cb.frameRank[fr.Value]; !ok {
					add(fr.Line, "rule "+id, fmt.Errorf("value %q is not a frame declared under labels.frames", fr.Value))
				}
			case kMask, kReview, kNoStance:
				if fr.Value != "" {
					add(fr.Line, "rule "+id, fmt.Errorf("%s rules take no value", section))
				}
			}
			switch fr.Confidence {
			case "", model.ConfidenceStrong:
			case model.ConfidenceWeak:
				if kind != kPurview {
					add(fr.Line, "rule "+id, errors.New("only purview rules take a confidence"))
				}
			default:
				add(fr.Line, "rule "+id, fmt.Errorf("confidence %q: want strong or weak", fr.Confidence))
			}
			if len(fr.Patterns) == 0 {
				add(fr.Line, "rule "+id, errors.New("rule has no patterns"))
			}
			cb.rules = append(cb.rules, rule{
				kind: kind, id: id, value: fr.Value, weak: fr.Confidence == model.ConfidenceWeak,
				patterns: compileList("rule "+id, fr.Patterns, true),
				requires: compileList("rule "+id, fr.Requires, false),
				unless:   compileList("rule "+id, fr.Unless, false),
			})
		}
	}
	addRules(kPurview, "purview", f.Purview)
	addRules(kFrame, "frames", f.Frames)
	addRules(kMask, "masks", f.Masks)
	addRules(kReview, "review", f.Review)
	addRules(kNoStance, "no_stance", f.NoStance)

	for _, in := range f.Instruments {
		if !reInstrID.MatchString(in.ID) {
			add(in.Line, "instrument "+in.ID, errors.New("id must be upper case letters, digits and _ (e.g. TIP_PROTOCOL)"))
		}
		if _, dup := cb.instName[in.ID]; dup {
			add(in.Line, "instrument "+in.ID, errors.New("id declared twice"))
		}
		if in.Name == "" {
			add(in.Line, "instrument "+in.ID, errors.New("instrument needs a name"))
		}
		if len(in.Aliases) == 0 {
			add(in.Line, "instrument "+in.ID, errors.New("instrument needs at least one alias"))
		}
		cb.instName[in.ID] = in.Name
		cb.instruments = append(cb.instruments, in.ID)
		id := "instrument." + in.ID
		cb.rules = append(cb.rules, rule{
			kind: kInstrument, id: id, value: in.ID,
			patterns: compileList(id, in.Aliases, true),
			unless:   compileList(id, in.Unless, false),
		})
	}

	for _, g := range f.Generic {
		switch g.Kind {
		case genUNSCR, genPRSTSymbol, genPRSTYear, genQuoted:
		default:
			add(g.Line, "generic "+g.ID, fmt.Errorf("unknown kind %q (want %s, %s, %s or %s)", g.Kind, genUNSCR, genPRSTSymbol, genPRSTYear, genQuoted))
			continue
		}
		if g.ID == "" {
			add(g.Line, "generic", errors.New("rule without id"))
		}
		gen := generic{id: g.ID, kind: g.Kind, words: map[int32]bool{}}
		for _, w := range g.Words {
			lx, err := lexPattern(w.V)
			if err != nil || len(lx) != 1 || lx[0].kind != 'w' || lx[0].prefix {
				add(w.Line, "generic "+g.ID, fmt.Errorf("word %q must be a single word", w.V))
				continue
			}
			gen.words[cb.vocab.intern(lx[0].text)] = true
		}
		if (g.Kind == genUNSCR || g.Kind == genQuoted) && len(gen.words) == 0 {
			add(g.Line, "generic "+g.ID, errors.New("needs words (e.g. resolution, resolutions)"))
		}
		gen.notAfter = compileList("generic "+g.ID, g.NotAfter, false)
		cb.generics = append(cb.generics, gen)
	}
	cb.wordStatement = cb.vocab.intern("statement")
	cb.wordPresidential = cb.vocab.intern("presidential")

	if len(errs) > 0 {
		return nil, errs
	}

	// Index every pattern by the words it can start with.
	index := make([][]entry, len(cb.vocab.words))
	needIdx := make([][]needRef, len(cb.vocab.words))
	stop := map[int32]bool{}
	for _, w := range stopwords {
		if id, ok := cb.vocab.ids[w]; ok {
			stop[id] = true
		}
	}
	for ri := range cb.rules {
		r := &cb.rules[ri]
		for _, p := range r.patterns {
			sets := needSets(p, func(id int32) bool { return stop[id] })
			// A plain first word is the anchor the index found: its set
			// holds. A first alternatives node ({council}) is kept: the index
			// fires on any of its first words ("the"), but the union of its
			// alternatives' rarest words ("council", "security") is a far
			// stronger test of the sentence.
			if len(sets) > 0 && leadsWithWord(p) {
				sets = sets[1:]
			}
			r.needs = append(r.needs, pickNeeds(sets, stop))
		}
		for pi, p := range r.patterns {
			ids := map[int32]bool{}
			_ = firstIDs(p, ids) // checked above
			keys := make([]int32, 0, len(ids))
			for id := range ids {
				keys = append(keys, id)
			}
			sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
			g := int32(cb.nPatterns)
			full := uint32(1)<<len(r.needs[pi]) - 1
			for _, id := range keys {
				index[id] = append(index[id], entry{int32(ri), int32(pi), g, full})
			}
			// The inverse of the need sets: while reading a sentence, each
			// word marks the sets it satisfies, so a pattern's needs are
			// checked with one comparison.
			for si, st := range r.needs[pi] {
				for _, id := range st {
					needIdx[id] = append(needIdx[id], needRef{g, 1 << si})
				}
			}
			cb.nPatterns++
		}
	}
	cb.words = make([]wordInfo, len(cb.vocab.words))
	for id := range cb.words {
		w := &cb.words[id]
		w.index0 = uint32(len(cb.entries))
		cb.entries = append(cb.entries, index[id]...)
		w.index1 = uint32(len(cb.entries))
		w.needs0 = uint32(len(cb.needRefs))
		cb.needRefs = append(cb.needRefs, needIdx[id]...)
		w.needs1 = uint32(len(cb.needRefs))
	}
	cb.vocab.freeze()
	nv := len(cb.vocab.words)
	seenNodes := map[*node]bool{}
	for ri := range cb.rules {
		r := &cb.rules[ri]
		for _, list := range [][][]*node{r.patterns, r.requires, r.unless} {
			for _, p := range list {
				optimize(p, nv, seenNodes)
			}
		}
	}
	for gi := range cb.generics {
		for _, p := range cb.generics[gi].notAfter {
			optimize(p, nv, seenNodes)
		}
	}
	cb.genTrigger = make(bitset, (len(cb.vocab.words)+63)/64)
	for gi := range cb.generics {
		g := &cb.generics[gi]
		g.wordBits = make(bitset, (len(cb.vocab.words)+63)/64)
		for id := range g.words {
			g.wordBits[id>>6] |= 1 << (uint(id) & 63)
			if g.kind == genUNSCR {
				cb.genTrigger[id>>6] |= 1 << (uint(id) & 63)
			}
		}
	}
	cb.genTrigger[cb.wordPresidential>>6] |= 1 << (uint(cb.wordPresidential) & 63)
	// Patterns checked per sentence (requires, unless, not_after) get a
	// bitset of the words they can start with, to skip hopeless positions.
	for ri := range cb.rules {
		r := &cb.rules[ri]
		r.requiresFirst = firstBits(r.requires, len(cb.vocab.words))
		r.unlessFirst = firstBits(r.unless, len(cb.vocab.words))
	}
	cb.scanners.New = func() any { return new(scanner) }
	return cb, nil
}

// stopwords are too common to be worth checking before a match.
var stopwords = []string{"the", "a", "an", "of", "to", "in", "on", "and", "for", "by", "with", "as",
	"at", "is", "was", "be", "that", "this", "its", "it", "or", "from", "s", "not", "are", "were", "has", "had", "have"}

// leadsWithWord reports whether the first node that consumes a word is a
// plain word, whose need set is then the first one.
func leadsWithWord(p []*node) bool {
	for _, n := range p {
		if n.kind != nNotNext {
			return n.kind == nWord
		}
	}
	return false
}

// maxNeeds bounds the need sets kept per pattern: the tagger marks them in
// the low 4 bits of a per-pattern word (see scanner.sat).
const maxNeeds = 4

// pickNeeds keeps the small need sets free of stopwords (a large set costs
// more to check than it saves), smallest first, at most four.
func pickNeeds(sets [][]int32, stop map[int32]bool) [][]int32 {
	var out [][]int32
	sort.SliceStable(sets, func(i, j int) bool { return len(sets[i]) < len(sets[j]) })
	for _, st := range sets {
		ok := true
		for _, id := range st {
			if stop[id] {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, st)
		}
		if len(out) == maxNeeds {
			break
		}
	}
	return out
}

// bitset is a set of vocabulary ids.
type bitset []uint64

func (b bitset) has(id int32) bool {
	return id >= 0 && int(id>>6) < len(b) && b[id>>6]&(1<<(uint(id)&63)) != 0
}

// firstBits returns, per pattern, the set of words it can start with, or
// nil when it can start anywhere (a leading gap or prefix).
func firstBits(patterns [][]*node, nv int) []bitset {
	out := make([]bitset, len(patterns))
	for i, p := range patterns {
		ids := map[int32]bool{}
		if nullable, err := firstSet(p, ids); err != nil || nullable {
			continue
		}
		b := make(bitset, (nv+63)/64)
		for id := range ids {
			b[id>>6] |= 1 << (uint(id) & 63)
		}
		out[i] = b
	}
	return out
}
