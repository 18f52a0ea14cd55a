// Package model holds the plain data that flows through stancetrack's
// pipeline: parse → resolve → tag → store → chart → serve. It imports nothing
// of ours and does no I/O.
package model

// Statement kinds: who a speaker speaks for.
const (
	KindMemberState       = "member_state"
	KindObserverState     = "observer_state"
	KindIntergovernmental = "intergovernmental"
	KindUNSystem          = "un_system"
	KindCivilSociety      = "civil_society"
	KindNationalOfficial  = "national_official"
	KindOther             = "other"
)

// Kinds lists every statement kind, in the order a delegation's kind is
// chosen when its turns differ (a member State over its national officials).
var Kinds = []string{KindMemberState, KindObserverState, KindIntergovernmental, KindUNSystem,
	KindCivilSociety, KindNationalOfficial, KindOther}

// Purview values, from CODEBOOK.md. Objections (contests, conditional) rank
// above affirmations because objections are what analysts chart.
const (
	PurviewContests    = "contests"
	PurviewConditional = "conditional"
	PurviewAffirms     = "affirms"
	PurviewUnstated    = "unstated"
)

// Tag dimensions and sources.
const (
	DimPurview    = "purview"
	DimFrame      = "frame"
	DimInstrument = "instrument"

	SourceCodebook = "codebook"
	SourceAnalyst  = "analyst"
)

// ProvisionalPrefix starts the id of a release stored without a symbol (its
// text prints none and none was given): "PROVISIONAL/1a2b3c4d5e6f", derived
// from the content. Ingesting the same text with a symbol renames it.
const ProvisionalPrefix = "PROVISIONAL/"

// Meeting is one UN meeting as described by one document (a press release or
// a set of verbatim speech files).
type Meeting struct {
	Symbol       string   // document symbol: "SC/12751", "GA/12345", or "S/PV.7898" for verbatim records
	Body         string   // "SC", "GA", "GA/SHC", "ECOSOC", "HRC", ...
	Numbers      []int    // meeting numbers as printed: [7898], or [41, 42] for "41st & 42nd Meetings"
	Session      string   // "AM", "PM", "AM & PM", or "" when not printed
	Date         string   // YYYY-MM-DD, or "" when not printed
	Year         int      // from Date, or inferred (see YearInferred); 0 when unknown
	YearInferred bool     // true when Year was inferred from the meeting or release number
	Headline     string   // the release's headline
	SubHeadline  string   // the line under the headline, if any
	StartTime    string   // "10:05 a.m." as printed
	EndTime      string   // "5:10 p.m." as printed
	Summary      string   // lead paragraphs before the first section heading; never attributed to a speaker
	Participants []string // "Also participating/Also speaking" lists, as printed
	Topic        string   // agenda item, where the document names it
	Source       string   // "press_release" or "verbatim"
}

// MeetingNumber is the first meeting number, or 0.
func (m Meeting) MeetingNumber() int {
	if len(m.Numbers) == 0 {
		return 0
	}
	return m.Numbers[0]
}

// MeetingRef is the part of a meeting that travels with each statement read
// back from the store and into exports.
type MeetingRef struct {
	ID           int64
	Symbol       string
	Body         string
	Number       int // first meeting number, 0 when unknown
	Session      string
	Date         string // YYYY-MM-DD or ""
	Year         int
	YearInferred bool
}

// Statement is one speaker turn: all the paragraphs from the one that names
// the speaker up to the next speaker or section heading.
type Statement struct {
	ID            int64
	Seq           int    // 1-based position in the document
	Section       string // "Opening Remarks", "Briefings", "Statements", ...
	Speaker       string // name as printed ("ANTÓNIO GUTERRES", "Mr. SCHULZ"), may be ""
	Title         string // role as printed ("Secretary-General of the United Nations")
	DelegationRaw string // delegation as printed before resolution ("Spain’s", "the Czech Republic")

	// Filled by the registry (resolve step).
	Delegation    string // canonical short name ("Spain"), or the raw name when unknown
	ISO3          string // ISO 3166-1 alpha-3 for States
	Kind          string // one of the Kind* constants
	CouncilMember *bool  // nil when it cannot be known (no year, not a State)

	OnBehalfOf []string // canonical names of States or groups the speaker also speaks for
	AlignsWith []string // canonical names of groups whose statement the speaker aligns with
	Blocs      []string // blocs the delegation belonged to at the meeting's date: "P5", "E10", "EU", "NAM", ...

	Text  string // exactly Document[Start:End] of the normalised document
	Start int    // byte offset in the normalised document
	End   int    // byte offset in the normalised document

	DuplicateOf int // Seq of the earlier identical turn, or 0

	// Filled by the codebook (tag step), or derived from stored tags.
	Purview     string
	Frames      []string
	Instruments []string
	Tags        []Tag

	// NeedsReview is set by the codebook when a stance-bearing sentence
	// names the Council or another organ but no purview tag was written:
	// the review queue reads it.
	NeedsReview bool
}

// Tag is one codebook label on a statement with the evidence that decided it.
type Tag struct {
	ID              int64
	Dimension       string // DimPurview, DimFrame or DimInstrument
	Value           string // "contests", "victim_centred", "UNSCR_2331", ...
	Evidence        string // exactly Statement.Text[Start:End]
	Start           int    // byte offset in Statement.Text
	End             int    // byte offset in Statement.Text
	Rule            string // id of the codebook rule that fired, or "analyst"
	Source          string // SourceCodebook or SourceAnalyst
	CodebookVersion string // hash of the codebook that produced the tag ("" for analyst tags)
	Author          string // analyst's user name, "" for codebook tags
	Confidence      string // purview tags: ConfidenceStrong or ConfidenceWeak; "" otherwise
}

// Confidence of a codebook purview tag: a strong cue states the stance in
// so many words; a weak one infers it (a modal task, an implied limit).
const (
	ConfidenceStrong = "strong"
	ConfidenceWeak   = "weak"
)

// purviewRank orders purview values: an objection decides over an affirmation.
var purviewRank = map[string]int{
	PurviewContests:    3,
	PurviewConditional: 2,
	PurviewAffirms:     1,
	PurviewUnstated:    0,
}

// ValidPurview reports whether v is one of the four purview values.
func ValidPurview(v string) bool {
	_, ok := purviewRank[v]
	return ok
}

// Derive computes a statement's purview, frames and instruments from its tags.
// Analyst purview tags decide over codebook ones, so a correction always
// shows; otherwise the strongest objection wins (contests > conditional >
// affirms). Frames and instruments are the distinct values in tag order.
func Derive(tags []Tag) (purview string, frames, instruments []string) {
	purview = PurviewUnstated
	bestRank, bestAnalyst := -1, false
	seenF, seenI := map[string]bool{}, map[string]bool{}
	frames, instruments = []string{}, []string{}
	for _, t := range tags {
		switch t.Dimension {
		case DimPurview:
			analyst := t.Source == SourceAnalyst
			r, ok := purviewRank[t.Value]
			if !ok {
				continue
			}
			if (analyst && !bestAnalyst) || (analyst == bestAnalyst && r > bestRank) {
				purview, bestRank, bestAnalyst = t.Value, r, analyst
			}
		case DimFrame:
			if !seenF[t.Value] {
				seenF[t.Value] = true
				frames = append(frames, t.Value)
			}
		case DimInstrument:
			if !seenI[t.Value] {
				seenI[t.Value] = true
				instruments = append(instruments, t.Value)
			}
		}
	}
	return purview, frames, instruments
}
