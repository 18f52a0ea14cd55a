// Package pressrelease parses a UN meetings-coverage press release (plain
// text copied from the page, or the HTML page saved from the UN press site)
// into the meeting it describes and one statement per speaker turn.
//
// Rules the parser follows, because later steps rely on them:
//   - Document.Text is the normalised document (for HTML: the extracted main
//     content), and every Statement.Text is exactly Text[Start:End].
//   - The lead paragraphs before the first section heading are the summary;
//     they are never attributed to a speaker, even when they say
//     "Senegal’s representative said ...".
//   - A turn starts at a paragraph that names its speaker and runs until the
//     next speaker, section heading or procedural line; the "meeting began"
//     line, participant lists and the closing "For information media" line
//     are never part of a turn.
//   - Delegation*, ISO3, Kind, CouncilMember and tags are left empty: the
//     registry and the codebook fill them.
package pressrelease

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/stancetrack/stancetrack/model"
	"github.com/stancetrack/stancetrack/textenc"
)

// MaxSize is the largest document Parse accepts (8 MiB).
const MaxSize = 8 << 20

// Sentinel errors. Parse wraps them with %w, so callers can errors.Is them;
// each returned error message is a single line that says why.
var (
	ErrTooLarge    = errors.New("document too large")
	ErrEmpty       = errors.New("empty document")
	ErrBinary      = errors.New("binary data, not a text or HTML document")
	ErrEncoding    = errors.New("not UTF-8 text")
	ErrNotCoverage = errors.New("not a meetings-coverage press release")
	// ErrInternal reports a parser bug met on some input; Parse recovers
	// from it rather than crash a server that ingests untrusted files.
	ErrInternal = errors.New("internal parser error")
	// ErrNoTurns wraps ErrNotCoverage: a release with a meeting line but
	// nobody speaking is not something stancetrack can store.
	ErrNoTurns = fmt.Errorf("%w: no speaker turns", ErrNotCoverage)
)

// Document is one parsed press release.
type Document struct {
	Meeting    model.Meeting
	Statements []model.Statement // Seq 1..n in document order; Delegation* unresolved
	Text       string            // the normalised document; every Statement.Text == Text[Start:End]
	Format     string            // "text" or "html"
	Notes      []string          // what the parser noticed, one short sentence each
}

// Parse reads one document (at most MaxSize bytes) and detects HTML vs text
// itself.
func Parse(r io.Reader) (doc *Document, err error) {
	defer func() {
		if p := recover(); p != nil {
			doc, err = nil, fmt.Errorf("%w: %v", ErrInternal, p)
		}
	}()
	raw, err := readAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading document: %w", err)
	}
	if len(raw) > MaxSize {
		return nil, fmt.Errorf("%w: more than %d bytes (8 MiB)", ErrTooLarge, MaxSize)
	}
	src, enc, err := decode(raw)
	if err != nil {
		return nil, err
	}
	doc = &Document{Format: "text"}
	if enc != textenc.UTF8 && enc != textenc.UTF8BOM {
		doc.Notes = append(doc.Notes, "read as "+enc)
	}
	if looksLikeHTML(src) {
		doc.Format = "html"
		text, err := extractHTML(string(src))
		if err != nil {
			return nil, err
		}
		src = []byte(text)
	}
	doc.Text = normalize(src)
	if strings.TrimSpace(doc.Text) == "" {
		if doc.Format == "html" {
			return nil, fmt.Errorf("%w: the HTML page has no text content", ErrNotCoverage)
		}
		return nil, fmt.Errorf("%w: only whitespace", ErrEmpty)
	}
	if err := parseText(doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// readAll reads at most MaxSize+1 bytes, sizing the buffer up front when the
// reader knows its length (files, bytes and strings readers), so a large
// document is not copied again and again as the buffer grows.
func readAll(r io.Reader) ([]byte, error) {
	size := 0
	switch v := r.(type) {
	case interface{ Len() int }:
		size = v.Len()
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			size = int(min(fi.Size(), MaxSize+1))
		}
	}
	size = min(max(size, 0), MaxSize+1)
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	_, err := buf.ReadFrom(io.LimitReader(r, MaxSize+1))
	return buf.Bytes(), err
}

// decode checks the bytes are text and returns them as UTF-8 with the
// encoding they were read as (textenc: UTF-8, UTF-16 with BOM, else
// Windows-1252).
func decode(raw []byte) ([]byte, string, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		if len(raw) == 0 {
			return nil, "", fmt.Errorf("%w: no bytes", ErrEmpty)
		}
		return nil, "", fmt.Errorf("%w: only whitespace", ErrEmpty)
	}
	src, enc, err := textenc.Decode(raw)
	switch {
	case errors.Is(err, textenc.ErrUndecodable):
		return nil, "", fmt.Errorf("%w: %w", ErrEncoding, err)
	case err != nil:
		return nil, "", fmt.Errorf("%w: %w", ErrBinary, err)
	}
	return src, enc, nil
}

// looksLikeHTML reports whether src is an HTML page rather than plain text.
func looksLikeHTML(src []byte) bool {
	s := bytes.TrimLeft(bytes.TrimPrefix(src, []byte("\uFEFF")), " \t\r\n")
	if len(s) == 0 || s[0] != '<' {
		return false
	}
	if len(s) > 4096 {
		s = s[:4096]
	}
	head := strings.ToLower(string(s))
	for _, m := range []string{"<!doctype html", "<html", "<head", "<body", "<div", "<p>", "<p ", "<h1", "<meta", "<title"} {
		if strings.Contains(head, m) {
			return true
		}
	}
	return false
}

// normalSpecial marks the bytes normalize must look at; everything else is
// copied in runs.
var normalSpecial = func() (t [256]bool) {
	for _, c := range []byte{'\r', '\n', '\t', 0xC2, 0xE1, 0xE2, 0xE3} {
		t[c] = true
	}
	return t
}()

// normalize makes the text that offsets point into: no BOM, LF line ends,
// Unicode spaces as plain spaces (runs kept), no trailing spaces on lines.
// One pass; runs of ordinary bytes are copied whole.
func normalize(s []byte) string {
	s = bytes.TrimPrefix(s, []byte("\uFEFF"))
	out := make([]byte, 0, len(s))
	trimRight := func() {
		for len(out) > 0 && out[len(out)-1] == ' ' {
			out = out[:len(out)-1]
		}
	}
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && !normalSpecial[s[j]] {
			j++
		}
		out = append(out, s[i:j]...)
		if j == len(s) {
			break
		}
		i = j
		switch c := s[i]; c {
		case '\r':
			trimRight()
			out = append(out, '\n')
			i++
			if i < len(s) && s[i] == '\n' {
				i++
			}
		case '\n':
			trimRight()
			out = append(out, '\n')
			i++
		case '\t':
			out = append(out, ' ')
			i++
		default:
			r, n := utf8.DecodeRune(s[i:])
			switch {
			case r == '\u2028' || r == '\u2029':
				trimRight()
				out = append(out, '\n')
			case isUnicodeSpace(r):
				out = append(out, ' ')
			default:
				out = append(out, s[i:i+n]...)
			}
			i += n
		}
	}
	trimRight()
	// out is never written again, so it can back the string directly (what
	// strings.Builder does) instead of being copied: documents reach 8 MiB.
	return unsafe.String(unsafe.SliceData(out), len(out))
}

func isUnicodeSpace(r rune) bool {
	switch r {
	case '\u00A0', '\u1680', '\u202F', '\u205F', '\u3000':
		return true
	}
	return r >= '\u2000' && r <= '\u200A'
}
