package verbatim

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxMetaLine bounds one line of the metadata table; the corpus's longest
// (agenda titles) are a few hundred bytes.
const MaxMetaLine = 1 << 20

// MetaRow is one speech's row of the corpus's speaker metadata table, with
// the columns stancetrack uses. Missing columns leave fields empty.
type MetaRow struct {
	Basename        string // "UNSC_2014_SPV.7138"
	Speech          int    // 2 for spch002
	Country         string // as the table spells it ("United States Of America")
	Speaker         string
	ParticipantType string // "Mentioned", "The President", "Guest"
	RoleInUN        string
	Topic           string
	Date            string // as printed: "15 March 2014"
	Year            int
	Line            int // line of the table the row came from
}

// Meta is the metadata table keyed by meeting and speech number.
type Meta struct {
	rows map[metaKey]MetaRow
}

type metaKey struct {
	basename string
	speech   int
}

// Len is the number of speeches the table describes.
func (m *Meta) Len() int {
	if m == nil {
		return 0
	}
	return len(m.rows)
}

// Lookup finds the row of one speech ("UNSC_2014_SPV.7138", 2).
func (m *Meta) Lookup(basename string, speech int) (MetaRow, bool) {
	if m == nil {
		return MetaRow{}, false
	}
	r, ok := m.rows[metaKey{basename, speech}]
	return r, ok
}

// LoadMeta reads the tab-separated speaker metadata table. The header names
// the columns; any may be missing, as long as each row can be tied to a
// speech through `filename`, `fileid`, or `basename` with `speech`. The
// first row for a speech wins. Errors name the line.
func LoadMeta(r io.Reader) (*Meta, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxMetaLine)
	m := &Meta{rows: map[metaKey]MetaRow{}}
	col := map[string]int{}
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if !utf8.ValidString(text) {
			return nil, fmt.Errorf("verbatim: metadata line %d: %w: invalid UTF-8", line, ErrMeta)
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		fields := splitTSV(text)
		if len(col) == 0 {
			for i, f := range fields {
				name := strings.ToLower(strings.TrimSpace(f))
				if _, dup := col[name]; !dup && name != "" {
					col[name] = i
				}
			}
			_, hasFile := col["filename"]
			_, hasID := col["fileid"]
			_, hasBase := col["basename"]
			_, hasSpeech := col["speech"]
			if !hasFile && !hasID && !(hasBase && hasSpeech) {
				return nil, fmt.Errorf("verbatim: metadata line %d: %w: header needs a filename, fileid, or basename and speech column", line, ErrMeta)
			}
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(fields) {
				v := strings.TrimSpace(fields[i])
				if v == "NA" || v == "NaN" || v == "NULL" {
					return "" // how R and pandas write a missing value
				}
				return v
			}
			return ""
		}
		row := MetaRow{
			Country:         get("country"),
			Speaker:         get("speaker"),
			ParticipantType: get("participanttype"),
			RoleInUN:        get("role_in_un"),
			Topic:           get("topic"),
			Date:            get("date"),
			Line:            line,
		}
		row.Year, _ = strconv.Atoi(get("year"))
		key, err := rowKey(get("filename"), get("fileid"), get("basename"), get("speech"))
		if err != nil {
			return nil, fmt.Errorf("verbatim: metadata line %d: %w: %w", line, ErrMeta, err)
		}
		row.Basename, row.Speech = key.basename, key.speech
		if _, seen := m.rows[key]; !seen {
			m.rows[key] = row
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("verbatim: metadata line %d: %w: line longer than %d bytes", line+1, ErrMeta, MaxMetaLine)
		}
		return nil, fmt.Errorf("verbatim: metadata line %d: %w", line+1, err)
	}
	if len(col) == 0 {
		return nil, fmt.Errorf("verbatim: metadata: %w: no header line", ErrMeta)
	}
	return m, nil
}

// rowKey ties a row to a speech. The file name decides when present: the
// corpus's filepath_raw column is known to point at other meetings, so only
// filename/fileid and basename+speech are trusted.
func rowKey(filename, fileid, basename, speechCol string) (metaKey, error) {
	for _, n := range []string{filename, fileid} {
		if n == "" {
			continue
		}
		if !strings.HasSuffix(n, ".txt") {
			n += ".txt"
		}
		if fn, err := parseFileName(n); err == nil {
			return metaKey{fn.basename(), fn.speech}, nil
		}
	}
	if basename == "" || speechCol == "" {
		return metaKey{}, errors.New("no usable filename, fileid, or basename and speech")
	}
	n, err := strconv.Atoi(speechCol)
	if err != nil || n < 1 {
		return metaKey{}, fmt.Errorf("speech %q is not a positive number", speechCol)
	}
	return metaKey{basename, n}, nil
}

// splitTSV splits one line at tabs and undoes the quoting some writers
// (R, pandas) put around fields: "a ""b""" → a "b".
func splitTSV(line string) []string {
	fields := strings.Split(line, "\t")
	for i, f := range fields {
		if len(f) >= 2 && f[0] == '"' && f[len(f)-1] == '"' {
			fields[i] = strings.ReplaceAll(f[1:len(f)-1], `""`, `"`)
		}
	}
	return fields
}

// isoDate turns the table's "15 March 2014" (or an ISO date) into
// "2014-03-15"; ok is false for anything else.
func isoDate(s string) (string, bool) {
	s = strings.Join(strings.Fields(s), " ")
	for _, layout := range []string{"2 January 2006", "January 2, 2006", "2006-01-02", "2 Jan 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02"), true
		}
	}
	return "", false
}
