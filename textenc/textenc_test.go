package textenc

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf8"
)

func TestDecode(t *testing.T) {
	le := []byte{0xFF, 0xFE, 'M', 0, 'r', 0, 0x19, 0x20}
	be := []byte{0xFE, 0xFF, 0, 'M', 0, 'r', 0x20, 0x19}
	tests := []struct {
		name, in, want, enc string
		err                 error
	}{
		{"utf-8", "Caf\u00e9 \u2019", "Caf\u00e9 \u2019", UTF8, nil},
		{"utf-8 bom", "\xef\xbb\xbfCaf\u00e9", "Caf\u00e9", UTF8BOM, nil},
		{"utf-16le", string(le), "Mr\u2019", UTF16LE, nil},
		{"utf-16be", string(be), "Mr\u2019", UTF16BE, nil},
		{"windows-1252", "It\x92s \x93fine\x94 \x96 caf\xe9 \x80", "It\u2019s \u201cfine\u201d \u2013 caf\u00e9 \u20ac", Windows1252, nil},
		{"undefined 1252 byte", "caf\xe9 \x81", "", "", ErrUndecodable},
		{"odd utf-16", "\xff\xfeM", "", "", ErrUndecodable},
		{"bom then invalid", "\xef\xbb\xbfcaf\xe9", "", "", ErrUndecodable},
		{"nul", "PK\x03\x04\x00\x00", "", "", ErrBinary},
		{"control bytes", string(bytes.Repeat([]byte{1, 2, 3, 'a'}, 10)), "", "", ErrBinary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, enc, err := Decode([]byte(tt.in))
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("Decode(%q) error %v, want %v", tt.in, err, tt.err)
				}
				return
			}
			if err != nil || string(got) != tt.want || enc != tt.enc {
				t.Errorf("Decode(%q) = %q, %s, %v; want %q, %s", tt.in, got, enc, err, tt.want, tt.enc)
			}
		})
	}
}

// Whatever the bytes, Decode either refuses them or returns valid UTF-8.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{"plain", "caf\xe9", "\xff\xfeM\x00", "\xfe\xff\x00M", "\xef\xbb\xbfx", "\x00", "\x92\x93\x94"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		out, enc, err := Decode(b)
		if err != nil {
			if !errors.Is(err, ErrBinary) && !errors.Is(err, ErrUndecodable) {
				t.Fatalf("error %v wraps neither sentinel", err)
			}
			return
		}
		if !utf8.Valid(out) || enc == "" {
			t.Fatalf("Decode(%q) = %q (%s): not valid UTF-8", b, out, enc)
		}
	})
}
