// Package verbatim reads Security Council verbatim records in the layout of
// the UN Security Council Debates corpus (Schönfeld et al. 2019): one folder
// per meeting, UNSC_<year>_SPV.<meeting>/, holding one hard-wrapped text file
// per speech, UNSC_<year>_SPV.<meeting>_spch<nnn>.txt, plus an optional
// speaker metadata table. It produces the same shape as pressrelease so the
// pipeline treats both alike.
//
// Rules the parser follows, because later steps rely on them:
//   - One file is one statement, numbered by its file (spch007 → Seq 7),
//     procedural turns included, as the corpus counts them. When a file holds
//     a second speaker's turn (a corpus slip), it stays one statement and a
//     Note says so.
//   - The speaker line ("Mr. Churkin (Russian Federation) (spoke in
//     Russian): ") is not part of the statement's text; the interpretation
//     note is dropped altogether.
//   - Document.Text is the meeting's speeches unwrapped, paragraphs and
//     speeches separated by a blank line; every Statement.Text is exactly
//     Text[Start:End].
//   - Delegation*, ISO3, Kind, CouncilMember and tags are left empty: the
//     registry and the codebook fill them.
package verbatim

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/stancetrack/stancetrack/model"
	"github.com/stancetrack/stancetrack/textenc"
)

// Limits on untrusted input.
const (
	MaxSpeechSize  = 1 << 20  // one speech file
	MaxSpeeches    = 2000     // files in one meeting
	MaxMeetingSize = 64 << 20 // all speech files of one meeting together
	maxNotes       = 50
)

// Sentinel errors, wrapped with %w; each returned message is one line.
var (
	ErrNoSpeeches    = errors.New("no speech files (UNSC_<year>_SPV.<meeting>_spch<nnn>.txt)")
	ErrFileName      = errors.New("file name not in the corpus pattern UNSC_<year>_SPV.<meeting>_spch<nnn>.txt")
	ErrBinary        = errors.New("not a speech text")
	ErrTooLarge      = errors.New("too large")
	ErrTooMany       = fmt.Errorf("more than %d speeches in one meeting", MaxSpeeches)
	ErrMixedMeetings = errors.New("files of different meetings mixed")
	ErrDuplicate     = errors.New("speech number given twice")
	ErrMeta          = errors.New("bad metadata table")
)

// Document is one parsed meeting.
type Document struct {
	Meeting    model.Meeting
	Statements []model.Statement // ordered by Seq (the file's speech number); Delegation* unresolved
	Text       string            // the normalised meeting; every Statement.Text == Text[Start:End]
	Format     string            // "verbatim"
	Notes      []string          // what the parser noticed, one short sentence each
}

// fileNameRe is the corpus's file name. Resumed meetings carry a suffix in
// the corpus ("SPV.4644Resumption1").
var fileNameRe = regexp.MustCompile(`^UNSC_(\d{4})_SPV\.(\d{1,5})(Resumption\d{1,2})?_spch(\d{1,4})\.txt$`)

type fileName struct {
	name       string // base name
	year       int
	meeting    int
	resumption string // "Resumption1" or ""
	speech     int
}

func (f fileName) basename() string {
	return fmt.Sprintf("UNSC_%04d_SPV.%d%s", f.year, f.meeting, f.resumption)
}

func parseFileName(name string) (fileName, error) {
	m := fileNameRe.FindStringSubmatch(name)
	if m == nil {
		return fileName{}, ErrFileName
	}
	f := fileName{name: name, resumption: m[3]}
	f.year, _ = strconv.Atoi(m[1])
	f.meeting, _ = strconv.Atoi(m[2])
	f.speech, _ = strconv.Atoi(m[4])
	if f.year < 1946 || f.year > 2100 || f.meeting < 1 || f.speech < 1 {
		return fileName{}, ErrFileName
	}
	return f, nil
}

// speechFile is one file before parsing.
type speechFile struct {
	fileName
	data []byte
}

// ParseFiles parses one meeting given as file name → content (names may carry
// a folder; only the base name counts). For tests and uploads.
func ParseFiles(files map[string][]byte, meta *Meta) (*Document, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("verbatim: %w", ErrNoSpeeches)
	}
	if len(files) > MaxSpeeches {
		return nil, fmt.Errorf("verbatim: %d files: %w", len(files), ErrTooMany)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var list []speechFile
	total := 0
	for _, n := range names {
		base := n
		if i := strings.LastIndexAny(base, `/\`); i >= 0 {
			base = base[i+1:]
		}
		fn, err := parseFileName(base)
		if err != nil {
			return nil, fmt.Errorf("verbatim: %q: %w", n, err)
		}
		data := files[n]
		if len(data) > MaxSpeechSize {
			return nil, fmt.Errorf("verbatim: %s: %w: %d bytes, limit %d", base, ErrTooLarge, len(data), MaxSpeechSize)
		}
		if total += len(data); total > MaxMeetingSize {
			return nil, fmt.Errorf("verbatim: %w: meeting over %d bytes", ErrTooLarge, MaxMeetingSize)
		}
		list = append(list, speechFile{fn, data})
	}
	return assemble(list, meta)
}

// ParseDir parses the meeting folder dir of fsys. Files whose names do not
// end in .txt (a README, the metadata table) and hidden files are passed
// over; a .txt file outside the corpus pattern is refused, since it means
// the folder is not what it claims.
func ParseDir(fsys fs.FS, dir string, meta *Meta) (*Document, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("verbatim: %w", err)
	}
	var picked []fs.DirEntry
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, ".") || !strings.EqualFold(path.Ext(n), ".txt") {
			continue
		}
		if _, err := parseFileName(n); err != nil {
			return nil, fmt.Errorf("verbatim: %s: %q: %w", dir, n, err)
		}
		if !e.Type().IsRegular() {
			return nil, fmt.Errorf("verbatim: %s: %s: not a regular file", dir, n)
		}
		picked = append(picked, e)
	}
	if len(picked) == 0 {
		return nil, fmt.Errorf("verbatim: %s: %w", dir, ErrNoSpeeches)
	}
	if len(picked) > MaxSpeeches {
		return nil, fmt.Errorf("verbatim: %s: %d files: %w", dir, len(picked), ErrTooMany)
	}
	var list []speechFile
	total := 0
	for _, e := range picked {
		fn, _ := parseFileName(e.Name())
		if info, err := e.Info(); err == nil && info.Size() > MaxSpeechSize {
			return nil, fmt.Errorf("verbatim: %s: %w: %d bytes, limit %d", e.Name(), ErrTooLarge, info.Size(), MaxSpeechSize)
		}
		data, err := readLimited(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("verbatim: %s: %w", e.Name(), err)
		}
		if total += len(data); total > MaxMeetingSize {
			return nil, fmt.Errorf("verbatim: %s: %w: meeting over %d bytes", dir, ErrTooLarge, MaxMeetingSize)
		}
		list = append(list, speechFile{fn, data})
	}
	return assemble(list, meta)
}

// readLimited reads at most MaxSpeechSize+1 bytes, so a file that grew after
// its size was checked still cannot exhaust memory.
func readLimited(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSpeechSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxSpeechSize {
		return nil, fmt.Errorf("%w: over %d bytes", ErrTooLarge, MaxSpeechSize)
	}
	return data, nil
}

// FindMeetings lists the folders under root (root included) that directly
// hold corpus speech files, sorted. Hidden folders are not entered.
func FindMeetings(fsys fs.FS, root string) ([]string, error) {
	seen := map[string]bool{}
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if _, err := parseFileName(d.Name()); err == nil {
			seen[path.Dir(p)] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("verbatim: %w", err)
	}
	out := make([]string, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	sort.Strings(out)
	return out, nil
}

// proceduralRe marks turns that only run the meeting; they stay statements
// but are not searched for group declarations.
var proceduralRe = regexp.MustCompile(`(?i)\b(?:give the floor|meeting rose|meeting (?:was|is) (?:suspended|adjourned)|no more names inscribed|put the draft resolution to the vote|vote was taken|remind all speakers)\b`)

// assemble checks the set of files and builds the document.
func assemble(list []speechFile, meta *Meta) (*Document, error) {
	sort.Slice(list, func(i, j int) bool { return list[i].speech < list[j].speech })
	first := list[0].fileName
	base := first.basename()
	for i, f := range list {
		if b := f.basename(); b != base {
			return nil, fmt.Errorf("verbatim: %w: %s and %s", ErrMixedMeetings, base, b)
		}
		if i > 0 && list[i-1].speech == f.speech {
			return nil, fmt.Errorf("verbatim: %w: %s and %s", ErrDuplicate, list[i-1].name, f.name)
		}
	}

	doc := &Document{Format: "verbatim"}
	note := func(format string, args ...any) {
		if len(doc.Notes) < maxNotes {
			doc.Notes = append(doc.Notes, fmt.Sprintf(format, args...))
		} else if len(doc.Notes) == maxNotes {
			doc.Notes = append(doc.Notes, "further notes left out")
		}
	}
	symbol := fmt.Sprintf("S/PV.%d", first.meeting)
	if first.resumption != "" {
		symbol += " (Resumption " + strings.TrimPrefix(first.resumption, "Resumption") + ")"
	}
	doc.Meeting = model.Meeting{
		Symbol:  symbol,
		Body:    "SC",
		Numbers: []int{first.meeting},
		Year:    first.year,
		Source:  "verbatim",
	}

	if missing := gaps(list); missing != "" {
		note("speech numbers missing: %s", missing)
	}

	var b strings.Builder
	decoded := map[string][]string{} // encoding -> speech files read as it
	metaRows := 0
	var date, dateRaw string
	for _, f := range list {
		sp, err := parseSpeech(f.data)
		if err != nil {
			return nil, fmt.Errorf("verbatim: %s: %w", f.name, err)
		}
		row, hasRow := meta.Lookup(base, f.speech)
		tag := fmt.Sprintf("spch%03d", f.speech)
		st := model.Statement{
			Seq:           f.speech,
			Speaker:       sp.Speaker,
			Title:         sp.Title,
			DelegationRaw: sp.Country,
		}
		if hasRow {
			metaRows++
			if st.DelegationRaw == "" {
				st.DelegationRaw = row.Country
			}
			if st.Speaker == "" && row.Speaker != "" {
				st.Speaker = row.Speaker
				note("%s: no speaker line; speaker %q taken from the metadata", tag, row.Speaker)
			}
			if doc.Meeting.Topic == "" {
				doc.Meeting.Topic = row.Topic
			}
			if row.Date != "" {
				d, ok := isoDate(row.Date)
				switch {
				case !ok:
					note("%s: metadata date %q not understood", tag, row.Date)
				case date == "":
					date, dateRaw = d, row.Date
				case d != date:
					note("%s: metadata date %q differs from %q; kept the first", tag, row.Date, dateRaw)
				}
			}
		}
		if sp.Speaker == "" && st.Speaker == "" {
			note("%s: no speaker line", tag)
		}
		if sp.Encoding != textenc.UTF8 && sp.Encoding != textenc.UTF8BOM {
			decoded[sp.Encoding] = append(decoded[sp.Encoding], tag)
		}
		if sp.NoColon {
			note("%s: speaker line without a colon", tag)
		}
		for _, e := range sp.Embedded {
			note("%s: holds a second turn by %s; kept as one statement, as the corpus counts it", tag, e)
		}

		if len(sp.Paras) > 0 && b.Len() > 0 {
			b.WriteString("\n\n")
		}
		st.Start = b.Len()
		for i, p := range sp.Paras {
			if i > 0 {
				b.WriteString("\n\n")
			}
			b.WriteString(p)
		}
		st.End = b.Len()
		doc.Statements = append(doc.Statements, st)
	}
	for _, enc := range []string{textenc.Windows1252, textenc.UTF16LE, textenc.UTF16BE} {
		if files := decoded[enc]; len(files) > 0 {
			note("%d speech %s read as %s (%s)", len(files), plural(len(files), "file", "files"), enc, listSome(files, 5))
		}
	}
	doc.Text = b.String()
	invited := map[string]string{}
	for i := range doc.Statements {
		st := &doc.Statements[i]
		st.Text = doc.Text[st.Start:st.End]
		if st.Title == "President" {
			for name, title := range invitedTitles(st.Text) {
				invited[name] = title
			}
		}
	}
	for i := range doc.Statements {
		st := &doc.Statements[i]
		switch {
		case st.DelegationRaw != "":
		case st.Title == "President":
			// The President's own national statement speaks for the
			// country whose seat holds the presidency.
			if c := presidentCountry(st.Text); c != "" {
				st.DelegationRaw = c
			}
		case st.Title == "" && st.Speaker != "":
			// A briefer printed by name alone: the office the President's
			// invitation gave them.
			st.Title = titleFor(st.Speaker, invited)
		}
		// Procedural turns are short; a long speech is never one, and
		// skipping the regexp for it keeps big meetings fast.
		if len(st.Text) > 2000 || !proceduralRe.MatchString(st.Text) {
			st.OnBehalfOf, st.AlignsWith = detectGroups(st.Text, st.DelegationRaw)
		}
	}

	if meta != nil && metaRows == 0 {
		note("the metadata table has no rows for %s", base)
	}
	if date != "" {
		doc.Meeting.Date = date
		if y, _ := strconv.Atoi(date[:4]); y != first.year {
			note("metadata date %s is not in %d, the year of the file names", date, first.year)
		}
	}
	doc.Meeting.Headline = doc.Meeting.Topic
	if doc.Meeting.Headline == "" {
		doc.Meeting.Headline = fmt.Sprintf("Security Council, %s meeting", ordinal(first.meeting))
	}
	return doc, nil
}

// gaps names the speech numbers missing between 1 and the last file, at most
// ten of them.
func gaps(list []speechFile) string {
	var miss []string
	next := 1
	for _, f := range list {
		for ; next < f.speech; next++ {
			if len(miss) == 10 {
				return strings.Join(miss, ", ") + ", ..."
			}
			miss = append(miss, fmt.Sprintf("%03d", next))
		}
		next = f.speech + 1
	}
	return strings.Join(miss, ", ")
}

func ordinal(n int) string {
	suffix := "th"
	switch n % 100 {
	case 11, 12, 13:
	default:
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// listSome joins the first n items, saying how many more there are.
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:n], ", ") + fmt.Sprintf(" and %d more", len(items)-n)
}
