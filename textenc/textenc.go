// Package textenc turns the bytes of a document into UTF-8 text. Real UN
// archives hold more than UTF-8: the UNSC Debates corpus ships some speeches
// in Windows-1252 (a ’ stored as byte 0x92), and pages saved by Windows tools
// are UTF-16 with a byte-order mark. Decode recognises what such archives
// hold and refuses only what is really binary.
package textenc

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// Encodings Decode reports.
const (
	UTF8        = "UTF-8"
	UTF8BOM     = "UTF-8 with BOM"
	UTF16LE     = "UTF-16LE"
	UTF16BE     = "UTF-16BE"
	Windows1252 = "Windows-1252"
)

// Refusals. ErrBinary: NUL or control bytes, which no text holds.
// ErrUndecodable: no encoding Decode knows reads the bytes.
var (
	ErrBinary      = errors.New("binary data, not text")
	ErrUndecodable = errors.New("not text in UTF-8, UTF-16 or Windows-1252")
)

// Decode returns raw as UTF-8 and the encoding it was read as. The order is
// the one real archives reward: a byte-order mark decides; else valid UTF-8
// is UTF-8; else, when no byte is one Windows-1252 leaves undefined, it is
// Windows-1252 (a superset of Latin-1 for printable text). NUL bytes, or
// bytes no text encoding would produce, make it binary.
func Decode(raw []byte) ([]byte, string, error) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		out := raw[3:]
		if !utf8.Valid(out) {
			return nil, "", fmt.Errorf("%w: UTF-8 byte-order mark but invalid UTF-8 at offset %d", ErrUndecodable, 3+invalidAt(out))
		}
		return out, UTF8BOM, checkControls(out)
	case len(raw) >= 2 && (raw[0] == 0xFF && raw[1] == 0xFE || raw[0] == 0xFE && raw[1] == 0xFF):
		if len(raw)%2 != 0 {
			return nil, "", fmt.Errorf("%w: UTF-16 byte-order mark but an odd number of bytes", ErrUndecodable)
		}
		le := raw[0] == 0xFF
		u := make([]uint16, 0, len(raw)/2-1)
		for i := 2; i+1 < len(raw); i += 2 {
			if le {
				u = append(u, uint16(raw[i])|uint16(raw[i+1])<<8)
			} else {
				u = append(u, uint16(raw[i])<<8|uint16(raw[i+1]))
			}
		}
		out := []byte(string(utf16.Decode(u)))
		enc := UTF16BE
		if le {
			enc = UTF16LE
		}
		return out, enc, checkControls(out)
	}
	if i := bytes.IndexByte(raw, 0); i >= 0 {
		return nil, "", fmt.Errorf("%w: NUL byte at offset %d", ErrBinary, i)
	}
	if utf8.Valid(raw) {
		return raw, UTF8, checkControls(raw)
	}
	for _, c := range raw {
		if c >= 0x80 && c < 0xA0 && cp1252[c-0x80] == 0 {
			return nil, "", fmt.Errorf("%w: invalid UTF-8 byte 0x%02X at offset %d, and 0x%02X is undefined in Windows-1252",
				ErrUndecodable, raw[invalidAt(raw)], invalidAt(raw), c)
		}
	}
	out := make([]byte, 0, len(raw)+len(raw)/8)
	for _, c := range raw {
		switch {
		case c < 0x80:
			out = append(out, c)
		case c < 0xA0:
			out = utf8.AppendRune(out, cp1252[c-0x80])
		default:
			out = utf8.AppendRune(out, rune(c))
		}
	}
	return out, Windows1252, checkControls(out)
}

// invalidAt is the offset of the first byte that is not valid UTF-8.
func invalidAt(b []byte) int {
	off := 0
	for off < len(b) {
		r, n := utf8.DecodeRune(b[off:])
		if r == utf8.RuneError && n <= 1 {
			return off
		}
		off += n
	}
	return off
}

// checkControls refuses text whose first 8 KiB is more than 1 % control
// characters (other than tab, newline, CR and form feed): the sign of a
// binary file that happens to decode.
func checkControls(b []byte) error {
	const allowed = 1<<'\t' | 1<<'\n' | 1<<'\r' | 1<<'\f'
	sample := b
	if len(sample) > 8<<10 {
		sample = sample[:8<<10]
	}
	ctl := 0
	for _, c := range sample {
		if c < 0x20 && allowed&(1<<c) == 0 || c == 0 {
			ctl++
		}
	}
	if ctl > 8 && ctl*100 > len(sample) {
		return fmt.Errorf("%w: %d control bytes in the first %d", ErrBinary, ctl, len(sample))
	}
	return nil
}

// cp1252 maps bytes 0x80–0x9F of Windows-1252; 0 marks the five bytes it
// leaves undefined. Bytes 0xA0–0xFF are Latin-1, the same code points.
var cp1252 = [32]rune{
	'€', 0, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0, 'Ž', 0,
	0, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0, 'ž', 'Ÿ',
}
