package codebook

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/model"
)

var update = flag.Bool("update", false, "rewrite testdata/tags.golden from the current tagger")

const tagsGolden = "testdata/tags.golden"

// identityCorpus returns labelled statements from every text file of the gold
// and sample corpora: each whole document and each speaker turn as seedTurns
// cuts them (docs), and each non-blank line (lines). Labels name the file and
// the piece.
func identityCorpus(t *testing.T) (labels, docs, lines []string) {
	t.Helper()
	var files []string
	for _, root := range []string{"../gold", "../sample"} {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && p == "../gold/real" {
				return filepath.SkipDir // evaluation reports, not documents
			}
			if !d.IsDir() && strings.HasSuffix(p, ".txt") {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("walk %s: %v", root, err)
		}
	}
	if len(files) == 0 {
		t.Fatal("no corpus files found")
	}
	add := func(label, text string) {
		labels = append(labels, label)
		docs = append(docs, text)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(filepath.ToSlash(p), "../")
		add(name+"#doc", string(b))
		for _, line := range strings.Split(string(b), "\n") {
			if strings.TrimSpace(line) != "" {
				lines = append(lines, line)
			}
		}
		for _, st := range seedTurns(t, p) {
			add(fmt.Sprintf("%s#turn%d", name, st.Seq), st.Text)
		}
	}
	return labels, docs, lines
}

// mutate returns n deterministic variants of texts: excerpts with inserted,
// deleted and overwritten bytes, and the punctuation, quotes, white space and
// cue words the tokenizer, sentence splitter and generic rules care about.
func mutate(texts []string, n int) []string {
	rng := rand.New(rand.NewSource(1))
	bits := []string{" ", ".", ";", "!", "?", "\n", "\n\n", "\n \n", "-", "–", "‐", "’", "”", "“", "\"", "'", ")", "(",
		"\u00a0", "/", "A", "é", "É", "İ", "Ⱥ", "K", "1", "2016", "(2015)", "Mr.", "e.g.", "T.", "the", "Council",
		"Security Council", "resolution", "resolutions 2195 (2014) and", "S/PRST/2015/", "presidential", "statement",
		",", "and", "\xff", "\xe2\x80", "counter-terrorism", "purview", "must not"}
	out := make([]string, 0, n)
	for len(out) < n {
		s := texts[rng.Intn(len(texts))]
		if len(s) > 2000 {
			i := rng.Intn(len(s))
			s = s[i:min(len(s), i+rng.Intn(2000))]
		}
		b := []byte(s)
		for m := rng.Intn(6); m >= 0; m-- {
			i := rng.Intn(len(b) + 1)
			switch rng.Intn(4) {
			case 0, 1:
				b = append(b[:i:i], append([]byte(bits[rng.Intn(len(bits))]), b[i:]...)...)
			case 2:
				b = append(b[:i:i], b[min(len(b), i+rng.Intn(10)):]...)
			case 3:
				if i < len(b) {
					b[i] = byte(rng.Intn(256))
				}
			}
		}
		out = append(out, string(b))
	}
	return out
}

// writeTags appends one line per tag of a statement. Labels are unique, so
// a tag gained, lost or moved to another statement changes the lines.
func writeTags(w *bytes.Buffer, label string, tags []model.Tag) {
	for _, tg := range tags {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%s\n", label, tg.Dimension, tg.Value, tg.Start, tg.End, tg.Rule)
	}
}

// TestTagsGolden pins the tags (dimension, value, span, rule) of the gold
// and sample corpora to the output of the tagger before it was tuned for
// speed: a faster tagger must tag exactly as the old one did. Documents and
// turns are listed tag by tag; the lines of every file and 20,000 mutated
// texts are pinned by a digest of the same listing. Run with -update only
// after a deliberate change to the codebook or the tagging rules.
func TestTagsGolden(t *testing.T) {
	cb := Default()
	tagAll := func(w *bytes.Buffer, labels, texts []string) {
		for i, text := range texts {
			tags := cb.Tag(model.Statement{Text: text})
			for _, tg := range tags {
				if text[tg.Start:tg.End] != tg.Evidence {
					t.Fatalf("%s: evidence %q is not text[%d:%d]", labels[i], tg.Evidence, tg.Start, tg.End)
				}
			}
			writeTags(w, labels[i], tags)
		}
	}
	numbered := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprint(i)
		}
		return out
	}
	digest := func(name string, texts []string) string {
		var w bytes.Buffer
		tagAll(&w, numbered(len(texts)), texts)
		sum := sha256.Sum256(w.Bytes())
		return fmt.Sprintf("%s\t%d texts\t%d tags\tsha256 %s\n", name, len(texts), bytes.Count(w.Bytes(), []byte("\n")), hex.EncodeToString(sum[:]))
	}
	labels, docs, lines := identityCorpus(t)
	var buf bytes.Buffer
	tagAll(&buf, labels, docs)
	buf.WriteString(digest("lines", lines))
	buf.WriteString(digest("mutated", mutate(append(docs, lines...), 20000)))

	if *update {
		if err := os.WriteFile(tagsGolden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(tagsGolden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	got := buf.Bytes()
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(gl), len(wl)); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s line %d:\ngot  %q\nwant %q", tagsGolden, i+1, g, w)
		}
	}
}

// TestScanSentences checks that the sentences tokenize finds on its way, and
// the sentence of every token, are those of splitSentences and of the rule
// it states: a token is in the first sentence ending after its start.
func TestScanSentences(t *testing.T) {
	_, docs, lines := identityCorpus(t)
	texts := append(docs, mutate(append(docs, lines...), 5000)...)
	s := new(scanner)
	for _, text := range texts {
		s.scan(text, Default().vocab)
		want := splitSentences(text, nil)
		if fmt.Sprint(s.sents) != fmt.Sprint(want) {
			t.Fatalf("scan(%.60q) sentences = %v, want %v", text, s.sents, want)
		}
		if len(s.sentT) != len(s.sents)+1 || s.sentT[len(s.sents)] != len(s.toks) {
			t.Fatalf("scan(%.60q): sentT = %v for %d sentences, %d tokens", text, s.sentT, len(s.sents), len(s.toks))
		}
		for ti, tok := range s.toks {
			k := int(tok.sent)
			if k >= len(want) || int(tok.start) >= want[k].end || k > 0 && int(tok.start) < want[k-1].end {
				t.Fatalf("scan(%.60q): token %d at %d in sentence %d of %v", text, ti, tok.start, k, want)
			}
			if ti < s.sentT[k] || ti >= s.sentT[k+1] {
				t.Fatalf("scan(%.60q): token %d outside sentT[%d:%d] = %v", text, ti, k, k+2, s.sentT)
			}
		}
	}
}
