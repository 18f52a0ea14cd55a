package pressrelease

import (
	"os"
	"strings"
	"testing"
)

// TestDeeplyNestedHTML: HTML nested deeper than the HTML parser takes (512
// open elements) is refused with what was wrong, not as a page without a
// document symbol (issue 13).
func TestDeeplyNestedHTML(t *testing.T) {
	release, err := os.ReadFile("../sample/docs/SC-12751.txt")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><body>")
	b.WriteString(strings.Repeat("<div>", 600))
	for _, para := range strings.Split(string(release), "\n\n") {
		b.WriteString("<p>" + para + "</p>")
	}
	b.WriteString(strings.Repeat("</div>", 600))
	b.WriteString("</body></html>")
	_, err = Parse(strings.NewReader(b.String()))
	if err == nil {
		t.Fatal("Parse of 600 nested elements succeeded")
	}
	if !strings.Contains(err.Error(), "nested") || !strings.Contains(err.Error(), "512") {
		t.Errorf("Parse = %v; want a refusal saying the HTML is nested more than 512 elements deep", err)
	}
}
