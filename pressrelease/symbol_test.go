package pressrelease

import (
	"strings"
	"testing"
)

func TestSymbolFromFileName(t *testing.T) {
	tests := []struct{ name, want string }{
		{"SC-15432.txt", "SC/15432"},
		{"/tmp/x/GA-SHC-4201.html", "GA/SHC/4201"},
		{"sc_12751.txt", "SC/12751"},
		{"release.txt", ""},
		{"SC-.txt", ""},
		{"SC-15432-copy.txt", ""},
		{"XX-1234.txt", ""},
	}
	for _, tt := range tests {
		got, ok := SymbolFromFileName(tt.name)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("SymbolFromFileName(%q) = %q, %v; want %q", tt.name, got, ok, tt.want)
		}
	}
}

func TestValidSymbol(t *testing.T) {
	for s, want := range map[string]bool{"SC/15432": true, "GA/SHC/4201": true, "SC/": false, "SC/1 ": false, "S/PV.8699": false, "": false} {
		if got := ValidSymbol(s); got != want {
			t.Errorf("ValidSymbol(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestProvisionalSymbol(t *testing.T) {
	a, b := ProvisionalSymbol("one text"), ProvisionalSymbol("another text")
	if a == b || !strings.HasPrefix(a, "PROVISIONAL/") || len(a) != len("PROVISIONAL/")+12 || a != ProvisionalSymbol("one text") {
		t.Errorf("ProvisionalSymbol = %q, %q", a, b)
	}
}
