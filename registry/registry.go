// Package registry resolves who spoke in UN meetings: States (193 Members,
// two observer States and the historical Members printed in 1990–2006
// records), organisations, UN bodies and blocs, with ISO3 codes, regional
// groups, bloc membership and Security Council membership by year.
//
// The data lives in readable tab-separated files under data/ (each explains
// its columns in a header comment), embedded in the binary and parsed once by
// Default. Load parses the same layout from any fs.FS, so analysts can test
// corrections without rebuilding.
//
// Matching ignores case, diacritics, apostrophe style ('’‘ʼ), NBSP and
// punctuation; short all-capital aliases (WHO, EU, US) only match free text
// when printed in capitals.
package registry

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/stancetrack/stancetrack/model"
)

// KindGroup is the Kind of a bloc that is not itself an organisation
// (Non-Aligned Movement, African Group, ...). It never reaches a Statement:
// a bloc speaking as a delegation is recorded as model.KindOther.
const KindGroup = "group"

// Regional groups as recorded in Entity.Region.
const (
	RegionAfrican      = "African"
	RegionAsiaPacific  = "Asia-Pacific"
	RegionEastEuropean = "Eastern European"
	RegionGRULAC       = "GRULAC"
	RegionWEOG         = "WEOG"
)

// Entity is one State, organisation, UN body or bloc.
type Entity struct {
	Name        string   // canonical short name
	ISO3        string   // States only
	Kind        string   // model.Kind* constants, plus KindGroup for blocs
	Region      string   // "African", "Asia-Pacific", "Eastern European", "GRULAC", "WEOG" or ""
	Groups      []string // bloc keys it belongs to with open-ended membership (NAM, G77, African Group, ...)
	Aliases     []string
	From, Until int // years of existence/membership, 0 = open

	Short     string // acronym or short form of an organisation ("UNODC"), or ""
	Successor string // ISO3 of the State continuing its Council seat (USSR → RUS), or ""
	Note      string // the data file's note, for tooltips and audits
}

// IsState reports whether e is a Member or observer State (current or historical).
func (e Entity) IsState() bool {
	return e.Kind == model.KindMemberState || e.Kind == model.KindObserverState
}

// Registry answers questions about delegations. It is read-only after Load
// and safe for concurrent use.
type Registry struct {
	ents   []Entity
	byKey  map[string]int // folded alias → entity index
	trie   *node
	byISO  map[string]int
	family map[int]bool // entity indexes flagged "family"
	weak   map[int]bool // entity indexes flagged "weak"

	blocs     []bloc
	blocByKey map[string]int // folded bloc key, alias or region name → bloc index
	entBloc   map[int]int    // entity index → bloc index (EU entity → EU bloc)

	permanent []string         // ISO3 of the P5
	elected   map[int][]string // year → ISO3 of the ten elected members
	firstYear int
	lastYear  int

	starts map[string]*yearTable // "sc_meeting", "sc_release", "ga_release"
}

type span struct{ from, until int }

func (s span) has(year int) bool {
	return year <= 0 || ((s.from == 0 || year >= s.from) && (s.until == 0 || year <= s.until))
}

type bloc struct {
	key     string
	entity  int
	source  string // "list", "region:NAME", "council:permanent", "council:elected", "none"
	members map[string][]span
}

//go:embed data/*.tsv
var embedded embed.FS

var (
	defaultOnce sync.Once
	defaultReg  *Registry
)

// Default returns the registry built from the embedded data, parsed once.
// It panics only if the embedded data is broken, which TestDefault guards.
func Default() *Registry {
	defaultOnce.Do(func() {
		sub, err := fs.Sub(embedded, "data")
		if err != nil {
			panic(fmt.Sprintf("registry: embedded data: %v", err))
		}
		r, err := Load(sub)
		if err != nil {
			panic(fmt.Sprintf("registry: embedded data: %v", err))
		}
		defaultReg = r
	})
	return defaultReg
}

// Data file names, at the root of the fs.FS given to Load.
const (
	fileStates        = "states.tsv"
	fileOrganisations = "organisations.tsv"
	fileGroups        = "groups.tsv"
	fileMembers       = "members.tsv"
	fileCouncil       = "council.tsv"
	fileMeetings      = "meetings.tsv"
)

// Load parses the data files at the root of fsys. Errors name the file and line.
func Load(fsys fs.FS) (*Registry, error) {
	r := &Registry{
		byKey:     map[string]int{},
		trie:      newNode(),
		byISO:     map[string]int{},
		family:    map[int]bool{},
		weak:      map[int]bool{},
		blocByKey: map[string]int{},
		entBloc:   map[int]int{},
		elected:   map[int][]string{},
		starts:    map[string]*yearTable{},
	}
	steps := []struct {
		file  string
		parse func(line []string) error
		cols  int
	}{
		{fileStates, r.parseState, 6},
		{fileOrganisations, r.parseOrganisation, 4},
		{fileGroups, r.parseGroup, 4},
		{fileMembers, r.parseMembers, 2},
		{fileCouncil, r.parseCouncil, 2},
		{fileMeetings, r.parseMeetings, 4},
	}
	for _, s := range steps {
		if err := readTSV(fsys, s.file, s.cols, s.parse); err != nil {
			return nil, err
		}
	}
	if err := r.finish(); err != nil {
		return nil, err
	}
	return r, nil
}

// readTSV calls parse for every non-comment line, padded to at least 8 columns.
func readTSV(fsys fs.FS, name string, minCols int, parse func([]string) error) error {
	f, err := fsys.Open(name)
	if err != nil {
		return fmt.Errorf("registry: %s: %w", name, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < minCols {
			return fmt.Errorf("registry: %s:%d: %d columns, want at least %d", name, n, len(cols), minCols)
		}
		for len(cols) < 8 {
			cols = append(cols, "")
		}
		for i := range cols {
			cols[i] = strings.TrimSpace(cols[i])
		}
		if err := parse(cols); err != nil {
			return fmt.Errorf("registry: %s:%d: %w", name, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("registry: %s: %w", name, err)
	}
	return nil
}

var iso3RE = regexp.MustCompile(`^[A-Z]{3}$`)

var validRegions = map[string]bool{
	RegionAfrican: true, RegionAsiaPacific: true, RegionEastEuropean: true, RegionGRULAC: true, RegionWEOG: true,
}

func dash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

func parseYear(s string) (int, error) {
	s = dash(s)
	if s == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 1900 || y > 2100 {
		return 0, fmt.Errorf("bad year %q", s)
	}
	return y, nil
}

func splitList(s string) []string {
	var out []string
	for _, a := range strings.Split(dash(s), ";") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// add registers an entity and its names; an alias that already names another
// entity is an error, so no name can ever resolve two ways.
func (r *Registry) add(e Entity) (int, error) {
	if e.Name == "" {
		return 0, errors.New("empty name")
	}
	id := len(r.ents)
	r.ents = append(r.ents, e)
	for _, n := range append([]string{e.Name}, e.Aliases...) {
		if err := r.addName(id, n); err != nil {
			return 0, err
		}
	}
	return id, nil
}

func (r *Registry) addName(id int, name string) error {
	toks := tokenize(name)
	k := key(toks)
	if k == "" {
		return fmt.Errorf("name %q has no letters", name)
	}
	if prev, ok := r.byKey[k]; ok && prev != id {
		return fmt.Errorf("name %q of %q already names %q", name, r.ents[id].Name, r.ents[prev].Name)
	}
	r.byKey[k] = id
	r.trie.insert(toks, id, isAcronym(name))
	return nil
}

func (r *Registry) parseState(c []string) error {
	name, iso, kind, region := c[0], c[1], c[2], dash(c[3])
	if !iso3RE.MatchString(iso) {
		return fmt.Errorf("ISO3 %q is not three capital letters", iso)
	}
	if _, dup := r.byISO[iso]; dup {
		return fmt.Errorf("duplicate ISO3 %s", iso)
	}
	if kind != model.KindMemberState && kind != model.KindObserverState {
		return fmt.Errorf("kind %q: want member_state or observer_state", kind)
	}
	if region != "" && !validRegions[region] {
		return fmt.Errorf("unknown region %q", region)
	}
	from, err := parseYear(c[4])
	if err != nil {
		return err
	}
	until, err := parseYear(c[5])
	if err != nil {
		return err
	}
	id, err := r.add(Entity{
		Name: name, ISO3: iso, Kind: kind, Region: region,
		Aliases: splitList(c[6]), From: from, Until: until, Note: c[7],
	})
	if err != nil {
		return err
	}
	r.byISO[iso] = id
	return nil
}

func (r *Registry) parseOrganisation(c []string) error {
	name, short, kind, flags := c[0], dash(c[1]), c[2], dash(c[3])
	if kind != model.KindIntergovernmental && kind != model.KindUNSystem && kind != model.KindCivilSociety {
		return fmt.Errorf("kind %q: want intergovernmental, un_system or civil_society", kind)
	}
	e := Entity{Name: name, Kind: kind, Short: short, Aliases: splitList(c[4]), Note: c[5]}
	id, err := r.add(e)
	if err != nil {
		return err
	}
	for _, f := range strings.Split(flags, ",") {
		switch strings.TrimSpace(f) {
		case "":
		case "weak":
			r.weak[id] = true
		case "family":
			r.family[id] = true
		default:
			return fmt.Errorf("unknown flag %q", f)
		}
	}
	return nil
}

func (r *Registry) parseGroup(c []string) error {
	k, name, source := c[0], c[1], c[3]
	if k == "" || name == "" {
		return errors.New("empty key or name")
	}
	switch {
	case source == "list", source == "none", source == "council:permanent", source == "council:elected":
	case strings.HasPrefix(source, "region:"):
		if !validRegions[strings.TrimPrefix(source, "region:")] {
			return fmt.Errorf("unknown region in %q", source)
		}
	default:
		return fmt.Errorf("unknown members source %q", source)
	}
	aliases := splitList(c[2])
	id, exists := r.byKey[normKey(name)]
	if exists {
		// The bloc is an organisation already listed (European Union, African Union, ...).
		for _, a := range append([]string{k}, aliases...) {
			if err := r.addName(id, a); err != nil {
				return err
			}
			r.ents[id].Aliases = appendNew(r.ents[id].Aliases, a)
		}
	} else {
		var err error
		id, err = r.add(Entity{Name: name, Kind: KindGroup, Aliases: appendNew(aliases, k), Note: c[4]})
		if err != nil {
			return err
		}
	}
	if _, dup := r.entBloc[id]; dup {
		return fmt.Errorf("entity %q is already a bloc", name)
	}
	bi := len(r.blocs)
	r.blocs = append(r.blocs, bloc{key: k, entity: id, source: source, members: map[string][]span{}})
	r.entBloc[id] = bi
	if reg, ok := strings.CutPrefix(source, "region:"); ok {
		// The regional group's own name ("African") names the first bloc
		// built on it; CELAC shares GRULAC's States but not its name.
		if _, taken := r.blocByKey[normKey(reg)]; !taken {
			r.blocByKey[normKey(reg)] = bi
		}
	}
	for _, n := range append([]string{k, name}, aliases...) {
		nk := normKey(n)
		if prev, ok := r.blocByKey[nk]; ok && prev != bi {
			return fmt.Errorf("bloc name %q already names bloc %q", n, r.blocs[prev].key)
		}
		r.blocByKey[nk] = bi
	}
	return nil
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// parseMember reads "ISO", "ISO:1995", "ISO:-2020" or "ISO:1973-2020".
func parseMember(tok string) (string, span, error) {
	code, years, has := strings.Cut(tok, ":")
	if !iso3RE.MatchString(code) {
		return "", span{}, fmt.Errorf("member %q: ISO3 is not three capital letters", tok)
	}
	if !has {
		return code, span{}, nil
	}
	a, b, hasDash := strings.Cut(years, "-")
	from, err := parseYear(a)
	if err != nil {
		return "", span{}, fmt.Errorf("member %q: %w", tok, err)
	}
	var until int
	if hasDash {
		if until, err = parseYear(b); err != nil {
			return "", span{}, fmt.Errorf("member %q: %w", tok, err)
		}
	}
	if from != 0 && until != 0 && until < from {
		return "", span{}, fmt.Errorf("member %q: years reversed", tok)
	}
	return code, span{from, until}, nil
}

func (r *Registry) parseMembers(c []string) error {
	bi, ok := r.blocByKey[normKey(c[0])]
	if !ok || r.blocs[bi].key != c[0] {
		return fmt.Errorf("unknown bloc key %q", c[0])
	}
	b := &r.blocs[bi]
	if b.source != "list" {
		return fmt.Errorf("bloc %q takes its members from %q, not from a list", c[0], b.source)
	}
	for _, tok := range strings.Fields(c[1]) {
		code, sp, err := parseMember(tok)
		if err != nil {
			return err
		}
		if _, known := r.byISO[code]; !known {
			return fmt.Errorf("member %q: no State with ISO3 %s", tok, code)
		}
		b.members[code] = append(b.members[code], sp)
	}
	return nil
}

func (r *Registry) parseCouncil(c []string) error {
	codes := strings.Fields(c[1])
	seen := map[string]bool{}
	for _, code := range codes {
		id, ok := r.byISO[code]
		if !ok {
			return fmt.Errorf("no State with ISO3 %q", code)
		}
		if !r.ents[id].IsState() {
			return fmt.Errorf("%s is not a State", code)
		}
		if seen[code] {
			return fmt.Errorf("%s listed twice", code)
		}
		seen[code] = true
	}
	if c[0] == "P5" {
		if len(codes) != 5 {
			return fmt.Errorf("P5 has %d members, want 5", len(codes))
		}
		r.permanent = codes
		return nil
	}
	y, err := parseYear(c[0])
	if err != nil || y == 0 {
		return fmt.Errorf("bad year %q", c[0])
	}
	if len(codes) != 10 {
		return fmt.Errorf("%d has %d elected members, want 10", y, len(codes))
	}
	if _, dup := r.elected[y]; dup {
		return fmt.Errorf("year %d listed twice", y)
	}
	for _, p := range r.permanent {
		if seen[p] {
			return fmt.Errorf("%d: permanent member %s listed as elected", y, p)
		}
	}
	r.elected[y] = codes
	if r.firstYear == 0 || y < r.firstYear {
		r.firstYear = y
	}
	if y > r.lastYear {
		r.lastYear = y
	}
	return nil
}

func (r *Registry) finish() error {
	if len(r.permanent) != 5 {
		return fmt.Errorf("registry: %s: no P5 line", fileCouncil)
	}
	for y := r.firstYear; y <= r.lastYear && y > 0; y++ {
		if _, ok := r.elected[y]; !ok {
			return fmt.Errorf("registry: %s: year %d missing", fileCouncil, y)
		}
	}
	// The USSR answers for the permanent seat the Russian Federation continues.
	if id, ok := r.byISO["SUN"]; ok {
		r.ents[id].Successor = "RUS"
	}
	if id, ok := r.byISO["YMD"]; ok {
		r.ents[id].Successor = "YEM"
	}
	if id, ok := r.byISO["SCG"]; ok {
		r.ents[id].Successor = "SRB"
	}
	// Groups: every bloc with open-ended membership, in bloc order.
	for id := range r.ents {
		e := &r.ents[id]
		if !e.IsState() {
			continue
		}
		for _, b := range r.blocs {
			if strings.HasPrefix(b.source, "council:") {
				continue
			}
			if r.openMember(id, b) {
				e.Groups = append(e.Groups, b.key)
			}
		}
	}
	return nil
}

// openMember reports whether State id belongs to b with no end year.
func (r *Registry) openMember(id int, b bloc) bool {
	e := r.ents[id]
	if reg, ok := strings.CutPrefix(b.source, "region:"); ok {
		return e.Region == reg
	}
	for _, sp := range b.members[e.ISO3] {
		if sp.until == 0 {
			return true
		}
	}
	return false
}

// entity returns a copy whose slices the caller may change freely.
func (r *Registry) entity(id int) Entity {
	e := r.ents[id]
	e.Groups = slices.Clone(e.Groups)
	e.Aliases = slices.Clone(e.Aliases)
	return e
}

// States returns every State, current and historical (Until > 0), sorted by name.
func (r *Registry) States() []Entity {
	var out []Entity
	for id, e := range r.ents {
		if e.IsState() {
			out = append(out, r.entity(id))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ByISO3 returns the State with that ISO 3166-1 alpha-3 code.
func (r *Registry) ByISO3(code string) (Entity, bool) {
	id, ok := r.byISO[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return Entity{}, false
	}
	return r.entity(id), true
}
