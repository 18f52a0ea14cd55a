package codebook

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/model"
)

const seedPath = "../sample/docs/SC-12751.txt"

// speakerLine matches the first paragraph of a turn: "NAME (Country) said",
// "NAME, Title, said", "Mr. NAME (Country)".
var speakerLine = regexp.MustCompile(`^(?:Mr\.|Ms\.|Mrs\.)?\s*[A-ZÀ-ÝĀ-Ž][A-ZÀ-ÝĀ-Ž.'’\- ]+[A-ZÀ-ÝĀ-Ž.](?: \(|,)`)

// seedTurns splits a press release into speaker turns by paragraph: a turn
// starts at a paragraph whose first words are an upper-case name, and runs
// until the next one or a section heading. This is a test helper only; the
// end-to-end test in package eval uses pressrelease.Parse.
func seedTurns(t testing.TB, path string) []model.Statement {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("seed not available: %v", err)
	}
	text := string(b)
	paras := strings.Split(text, "\n")
	var out []model.Statement
	started := false
	for _, p := range paras {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if p == "Opening Remarks" || p == "Statements" || p == "Briefings" {
			started = true
			continue
		}
		if !started || strings.HasPrefix(p, "For information media") {
			continue
		}
		if speakerLine.MatchString(p) {
			out = append(out, model.Statement{Seq: len(out) + 1, Text: p})
			continue
		}
		if len(out) > 0 {
			out[len(out)-1].Text += "\n\n" + p
		}
	}
	return out
}
