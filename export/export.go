// Package export writes statements in the export contract's shapes (JSONL,
// CSV). The field names and their order are a contract that tools outside
// the repository rely on: add fields only at the end, never rename.
package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stancetrack/stancetrack/model"
)

// Tag is a tag in the export contract. Start and End count Unicode code
// points (characters) in the statement text, not bytes, so that
// text[start:end] == evidence holds in Python and most other tools.
type Tag struct {
	Dimension string `json:"dimension"`
	Value     string `json:"value"`
	Evidence  string `json:"evidence"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Rule      string `json:"rule"`
	Source    string `json:"source"`
	// Added after the contract's keys: how sure a codebook purview tag is.
	Confidence string `json:"confidence,omitempty"`
}

// Record is one statement in the export contract, keys in contract order.
type Record struct {
	Meeting       string   `json:"meeting"`
	MeetingNumber *int     `json:"meeting_number"`
	Body          string   `json:"body"`
	Session       *string  `json:"session"`
	Date          *string  `json:"date"`
	Year          *int     `json:"year"`
	Seq           int      `json:"seq"`
	Section       *string  `json:"section"`
	Speaker       *string  `json:"speaker"`
	Title         *string  `json:"title"`
	Delegation    *string  `json:"delegation"`
	ISO3          *string  `json:"iso3"`
	Kind          string   `json:"kind"`
	CouncilMember *bool    `json:"council_member"`
	OnBehalfOf    []string `json:"on_behalf_of"`
	AlignsWith    []string `json:"aligns_with"`
	DuplicateOf   *int     `json:"duplicate_of"`
	Purview       string   `json:"purview"`
	Frames        []string `json:"frames"`
	Instruments   []string `json:"instruments"`
	Tags          []Tag    `json:"tags"`
	Text          string   `json:"text"`
	// Added after the contract's keys (never before them).
	NeedsReview bool `json:"needs_review"`
}

// Columns is the CSV header: the JSONL keys in the same order.
var Columns = []string{"meeting", "meeting_number", "body", "session", "date", "year", "seq", "section",
	"speaker", "title", "delegation", "iso3", "kind", "council_member", "on_behalf_of", "aligns_with",
	"duplicate_of", "purview", "frames", "instruments", "tags", "text", "needs_review"}

// NewRecord builds the export record of a statement.
func NewRecord(m model.MeetingRef, st model.Statement) Record {
	r := Record{
		Meeting:       m.Symbol,
		MeetingNumber: optInt(m.Number),
		Body:          m.Body,
		Session:       optString(m.Session),
		Date:          optString(m.Date),
		Year:          optInt(m.Year),
		Seq:           st.Seq,
		Section:       optString(st.Section),
		Speaker:       optString(st.Speaker),
		Title:         optString(st.Title),
		Delegation:    optString(st.Delegation),
		ISO3:          optString(st.ISO3),
		Kind:          st.Kind,
		CouncilMember: st.CouncilMember,
		OnBehalfOf:    nonNil(st.OnBehalfOf),
		AlignsWith:    nonNil(st.AlignsWith),
		DuplicateOf:   optInt(st.DuplicateOf),
		Purview:       st.Purview,
		Frames:        nonNil(st.Frames),
		Instruments:   nonNil(st.Instruments),
		Tags:          []Tag{},
		Text:          st.Text,
		NeedsReview:   st.NeedsReview,
	}
	if r.Purview == "" {
		r.Purview = model.PurviewUnstated
	}
	if r.Kind == "" {
		r.Kind = model.KindOther
	}
	for _, t := range st.Tags {
		r.Tags = append(r.Tags, NewTag(st.Text, t))
	}
	return r
}

// NewTag is t, a tag of a statement whose text is text, in the export
// contract: its byte offsets become character offsets.
func NewTag(text string, t model.Tag) Tag {
	start, end := t.Start, t.End
	if start >= 0 && end <= len(text) && start <= end {
		start = utf8.RuneCountInString(text[:start])
		end = start + utf8.RuneCountInString(text[t.Start:t.End])
	}
	return Tag{Dimension: t.Dimension, Value: t.Value, Evidence: t.Evidence, Start: start, End: end, Rule: t.Rule,
		Source: t.Source, Confidence: t.Confidence}
}

// JSONL writes records as JSON Lines.
type JSONL struct{ enc *json.Encoder }

// NewJSONL returns a JSON Lines writer on w. HTML characters are not
// escaped: the output is data, and consumers compare text exactly.
func NewJSONL(w io.Writer) *JSONL {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &JSONL{enc: enc}
}

// Write writes one record as one line.
func (j *JSONL) Write(r Record) error {
	if err := j.enc.Encode(r); err != nil {
		return fmt.Errorf("export: jsonl: %w", err)
	}
	return nil
}

// CSV writes records as CSV with the contract's header; lists are joined
// with "; " and tags are written as their JSON array.
type CSV struct {
	w      *csv.Writer
	header bool
}

// NewCSV returns a CSV writer on w.
func NewCSV(w io.Writer) *CSV { return &CSV{w: csv.NewWriter(w)} }

// Write writes one record, preceded by the header on first use.
func (c *CSV) Write(r Record) error {
	if !c.header {
		c.header = true
		if err := c.w.Write(Columns); err != nil {
			return fmt.Errorf("export: csv: %w", err)
		}
	}
	if err := c.w.Write(Row(r)); err != nil {
		return fmt.Errorf("export: csv: %w", err)
	}
	return nil
}

// Flush flushes buffered rows, writing the header even when no row came.
func (c *CSV) Flush() error {
	if !c.header {
		c.header = true
		if err := c.w.Write(Columns); err != nil {
			return fmt.Errorf("export: csv: %w", err)
		}
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("export: csv: %w", err)
	}
	return nil
}

// Cells renders a record as text cells in Columns order, unaltered: lists
// joined with "; ", tags as their JSON array. XLSX writes these as strings,
// which a spreadsheet never runs as formulas.
func Cells(r Record) []string {
	tags, _ := json.Marshal(r.Tags)
	return []string{r.Meeting, intCell(r.MeetingNumber), r.Body, strCell(r.Session), strCell(r.Date),
		intCell(r.Year), strconv.Itoa(r.Seq), strCell(r.Section), strCell(r.Speaker), strCell(r.Title),
		strCell(r.Delegation), strCell(r.ISO3), r.Kind, boolCell(r.CouncilMember),
		strings.Join(r.OnBehalfOf, "; "), strings.Join(r.AlignsWith, "; "), intCell(r.DuplicateOf),
		r.Purview, strings.Join(r.Frames, "; "), strings.Join(r.Instruments, "; "), string(tags), r.Text,
		strconv.FormatBool(r.NeedsReview)}
}

// Row renders a record as CSV cells in Columns order. A CSV file carries no
// types, so a spreadsheet opening it would run a cell that starts like a
// formula; since statement text is untrusted, such cells are prefixed with a
// quote (SafeCell). Use the JSONL or XLSX export for exact text.
func Row(r Record) []string {
	cells := Cells(r)
	for i, c := range cells {
		cells[i] = SafeCell(c)
	}
	return cells
}

// SafeCell neutralises spreadsheet formula injection: a cell that starts
// with = + - @ (or a tab/CR) is prefixed with a single quote.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

func optInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func intCell(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

func strCell(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func boolCell(p *bool) string {
	if p == nil {
		return ""
	}
	return strconv.FormatBool(*p)
}
