package pressrelease

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"

	"github.com/stancetrack/stancetrack/model"
)

// A release copied from the UN's current press page often lacks the symbol
// and meeting lines: they sit in the page header, outside the article. The
// pipeline then names the document from what the analyst gives (--symbol),
// from its file name ("SC-15432.txt", "GA-SHC-4201.html"), or from its
// content (ProvisionalSymbol).

// ValidSymbol reports whether s is a press-release symbol as the UN prints
// it ("SC/15432", "GA/SHC/4201").
func ValidSymbol(s string) bool {
	m := symbolRE.FindStringSubmatch(s)
	return m != nil && m[1] == s
}

// SymbolFromFileName reads a symbol from a file name in which "-" or "_"
// stands for "/", as files saved from the press site are named
// ("SC-15432.txt" -> "SC/15432"). ok is false when the name holds none.
func SymbolFromFileName(name string) (symbol string, ok bool) {
	base := filepath.Base(name)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	s := strings.ToUpper(strings.NewReplacer("-", "/", "_", "/", " ", "/").Replace(base))
	if !ValidSymbol(s) {
		return "", false
	}
	return s, true
}

// ProvisionalSymbol is the id a release without any symbol is stored under:
// derived from its normalised text, so re-ingesting the same text finds the
// same document, and marked so that nobody takes it for a UN symbol.
func ProvisionalSymbol(text string) string {
	sum := sha256.Sum256([]byte(text))
	return model.ProvisionalPrefix + hex.EncodeToString(sum[:])[:12]
}
