// Package eval compares codebook tags with hand-coded gold files, so that
// the trust an analyst puts in a chart can be measured: per purview value,
// per frame and for instruments, with the confusions spelled out.
package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/stancetrack/stancetrack/model"
)

// Gold is one hand-coded speaker turn.
type Gold struct {
	Meeting     string   `json:"meeting"`
	Seq         int      `json:"seq"`
	Speaker     string   `json:"speaker"`
	Delegation  string   `json:"delegation"`
	Purview     string   `json:"purview"`
	Frames      []string `json:"frames"`
	Instruments []string `json:"instruments"`
	Note        string   `json:"note"`
}

// maxGoldLine bounds one JSONL line; gold lines are short.
const maxGoldLine = 1 << 20

// LoadGold reads a JSONL gold file: one object per line, blank lines and
// lines starting with "#" ignored. Errors name the line.
func LoadGold(r io.Reader) ([]Gold, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxGoldLine)
	var out []Gold
	seen := map[[2]string]int{}
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		var g Gold
		if err := dec.Decode(&g); err != nil {
			return nil, fmt.Errorf("gold line %d: %w", n, err)
		}
		if g.Meeting == "" || g.Seq <= 0 {
			return nil, fmt.Errorf("gold line %d: meeting and a positive seq are required", n)
		}
		if g.Purview == "" {
			g.Purview = model.PurviewUnstated
		}
		if !model.ValidPurview(g.Purview) {
			return nil, fmt.Errorf("gold line %d: unknown purview %q", n, g.Purview)
		}
		k := [2]string{g.Meeting, fmt.Sprint(g.Seq)}
		if prev, dup := seen[k]; dup {
			return nil, fmt.Errorf("gold line %d: %s seq %d already coded on line %d", n, g.Meeting, g.Seq, prev)
		}
		seen[k] = n
		out = append(out, g)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("gold line %d: %w", n+1, err)
	}
	if len(out) == 0 {
		return nil, errors.New("gold: no entries")
	}
	return out, nil
}

// PRF is precision, recall and F1 with the counts behind them. Support is
// the number of gold positives.
type PRF struct {
	Precision, Recall, F1 float64
	TP, FP, FN, Support   int
}

func newPRF(tp, fp, fn int) PRF {
	p := PRF{TP: tp, FP: fp, FN: fn, Support: tp + fn}
	if tp+fp > 0 {
		p.Precision = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		p.Recall = float64(tp) / float64(tp+fn)
	}
	if p.Precision+p.Recall > 0 {
		p.F1 = 2 * p.Precision * p.Recall / (p.Precision + p.Recall)
	}
	return p
}

// PurviewOrder is the row and column order of Report.Confusion.
var PurviewOrder = [4]string{model.PurviewContests, model.PurviewConditional, model.PurviewAffirms, model.PurviewUnstated}

// FrameOrder lists the codebook's frames in report order; frames outside it
// follow alphabetically.
var FrameOrder = []string{"victim_centred", "counter_terrorism", "criminal_justice", "migration", "gender", "root_causes"}

// Miss is one statement where the codebook and the gold disagree on purview.
type Miss struct {
	Meeting    string
	Seq        int
	Delegation string
	Gold, Got  string
}

// Report holds the comparison of codebook output with gold.
type Report struct {
	Gold     int      // gold entries
	Matched  int      // gold entries with a statement
	Missing  []string // gold entries without a statement, "SC/12751 #5"
	Unscored int      // statements of the gold meetings that have no gold entry

	PurviewAccuracy float64
	Purview         map[string]PRF // by value, including unstated
	Confusion       [4][4]int      // [gold][got] in PurviewOrder
	// Objections are contests or conditional: the value analysts chart.
	ObjectionsGold  int // gold objections
	ObjectionsFound int // gold objections tagged as an objection
	FalseObjections int // objections tagged where the gold has none
	PurviewMisses   []Miss

	Frames      map[string]PRF
	FramesMicro PRF
	Instruments PRF // micro-averaged over statements
}

// Compare matches statements to gold by (meeting, seq) and scores the
// statements' Purview, Frames and Instruments (as set by model.Derive).
func Compare(gold []Gold, got []model.Statement, meetingOf func(model.Statement) string) Report {
	r := Report{Gold: len(gold), Purview: map[string]PRF{}, Frames: map[string]PRF{}}
	type key struct {
		m string
		s int
	}
	byKey := map[key]model.Statement{}
	meetings := map[string]bool{}
	for _, g := range gold {
		meetings[g.Meeting] = true
	}
	for _, st := range got {
		m := meetingOf(st)
		if !meetings[m] {
			continue
		}
		byKey[key{m, st.Seq}] = st
	}
	goldKeys := map[key]bool{}
	idx := map[string]int{}
	for i, v := range PurviewOrder {
		idx[v] = i
	}
	type counts struct{ tp, fp, fn int }
	frameC := map[string]*counts{}
	fc := func(f string) *counts {
		if frameC[f] == nil {
			frameC[f] = &counts{}
		}
		return frameC[f]
	}
	for _, f := range FrameOrder {
		fc(f)
	}
	var inst counts
	correct := 0
	for _, g := range gold {
		k := key{g.Meeting, g.Seq}
		goldKeys[k] = true
		st, ok := byKey[k]
		if !ok {
			r.Missing = append(r.Missing, fmt.Sprintf("%s #%d", g.Meeting, g.Seq))
			continue
		}
		r.Matched++
		gotP := st.Purview
		if !model.ValidPurview(gotP) {
			gotP = model.PurviewUnstated
		}
		r.Confusion[idx[g.Purview]][idx[gotP]]++
		if gotP == g.Purview {
			correct++
		} else {
			r.PurviewMisses = append(r.PurviewMisses, Miss{g.Meeting, g.Seq, g.Delegation, g.Purview, gotP})
		}
		gObj, sObj := isObjection(g.Purview), isObjection(gotP)
		if gObj {
			r.ObjectionsGold++
			if sObj {
				r.ObjectionsFound++
			}
		} else if sObj {
			r.FalseObjections++
		}

		gf, sf := set(g.Frames), set(st.Frames)
		for f := range gf {
			if sf[f] {
				fc(f).tp++
			} else {
				fc(f).fn++
			}
		}
		for f := range sf {
			if !gf[f] {
				fc(f).fp++
			}
		}
		gi, si := set(g.Instruments), set(st.Instruments)
		for i := range gi {
			if si[i] {
				inst.tp++
			} else {
				inst.fn++
			}
		}
		for i := range si {
			if !gi[i] {
				inst.fp++
			}
		}
	}
	for k := range byKey {
		if !goldKeys[k] {
			r.Unscored++
		}
	}
	if r.Matched > 0 {
		r.PurviewAccuracy = float64(correct) / float64(r.Matched)
	}
	for i, v := range PurviewOrder {
		tp := r.Confusion[i][i]
		fp, fn := 0, 0
		for j := range PurviewOrder {
			if j != i {
				fp += r.Confusion[j][i]
				fn += r.Confusion[i][j]
			}
		}
		r.Purview[v] = newPRF(tp, fp, fn)
	}
	var micro counts
	for f, c := range frameC {
		r.Frames[f] = newPRF(c.tp, c.fp, c.fn)
		micro.tp += c.tp
		micro.fp += c.fp
		micro.fn += c.fn
	}
	r.FramesMicro = newPRF(micro.tp, micro.fp, micro.fn)
	r.Instruments = newPRF(inst.tp, inst.fp, inst.fn)
	sort.Slice(r.PurviewMisses, func(i, j int) bool {
		a, b := r.PurviewMisses[i], r.PurviewMisses[j]
		if a.Meeting != b.Meeting {
			return a.Meeting < b.Meeting
		}
		return a.Seq < b.Seq
	})
	return r
}

func isObjection(p string) bool {
	return p == model.PurviewContests || p == model.PurviewConditional
}

func set(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// frameNames returns the frames of the report in FrameOrder, then the rest.
func (r Report) frameNames() []string {
	var out []string
	known := map[string]bool{}
	for _, f := range FrameOrder {
		known[f] = true
		if _, ok := r.Frames[f]; ok {
			out = append(out, f)
		}
	}
	var rest []string
	for f := range r.Frames {
		if !known[f] {
			rest = append(rest, f)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// Write prints the report as markdown tables.
func (r Report) Write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Statements: %d gold, %d matched, %d missing, %d unscored\n\n", r.Gold, r.Matched, len(r.Missing), r.Unscored)
	fmt.Fprintf(&b, "Purview accuracy: %.3f (%d/%d)\n", r.PurviewAccuracy, int(r.PurviewAccuracy*float64(r.Matched)+0.5), r.Matched)
	fmt.Fprintf(&b, "Objections (contests+conditional): %d/%d found, %d false\n", r.ObjectionsFound, r.ObjectionsGold, r.FalseObjections)
	correct := int(r.PurviewAccuracy*float64(r.Matched) + 0.5)
	lo, hi := Wilson(correct, r.Matched)
	fmt.Fprintf(&b, "95%% Wilson intervals: purview accuracy [%.3f, %.3f]", lo, hi)
	if r.ObjectionsGold > 0 {
		lo, hi = Wilson(r.ObjectionsFound, r.ObjectionsGold)
		fmt.Fprintf(&b, "; objection recall %.3f [%.3f, %.3f]", float64(r.ObjectionsFound)/float64(r.ObjectionsGold), lo, hi)
	}
	if tagged := r.ObjectionsFound + r.FalseObjections; tagged > 0 {
		lo, hi = Wilson(r.ObjectionsFound, tagged)
		fmt.Fprintf(&b, "; objection precision %.3f [%.3f, %.3f]", float64(r.ObjectionsFound)/float64(tagged), lo, hi)
	}
	b.WriteString("\n\n")

	b.WriteString("| purview | precision | recall | F1 | support |\n|---|---:|---:|---:|---:|\n")
	for _, v := range PurviewOrder {
		p := r.Purview[v]
		fmt.Fprintf(&b, "| %s | %.3f | %.3f | %.3f | %d |\n", v, p.Precision, p.Recall, p.F1, p.Support)
	}
	b.WriteString("\n| gold \\ tagged | contests | conditional | affirms | unstated |\n|---|---:|---:|---:|---:|\n")
	for i, v := range PurviewOrder {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d |\n", v, r.Confusion[i][0], r.Confusion[i][1], r.Confusion[i][2], r.Confusion[i][3])
	}
	b.WriteString("\n| frame | precision | recall | F1 | support | FP | FN |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, f := range r.frameNames() {
		p := r.Frames[f]
		fmt.Fprintf(&b, "| %s | %.3f | %.3f | %.3f | %d | %d | %d |\n", f, p.Precision, p.Recall, p.F1, p.Support, p.FP, p.FN)
	}
	p := r.FramesMicro
	fmt.Fprintf(&b, "| (micro) | %.3f | %.3f | %.3f | %d | %d | %d |\n", p.Precision, p.Recall, p.F1, p.Support, p.FP, p.FN)
	p = r.Instruments
	fmt.Fprintf(&b, "\nInstruments (micro): precision %.3f, recall %.3f, F1 %.3f (TP %d, FP %d, FN %d)\n", p.Precision, p.Recall, p.F1, p.TP, p.FP, p.FN)
	if len(r.PurviewMisses) > 0 {
		b.WriteString("\nPurview disagreements:\n")
		for _, m := range r.PurviewMisses {
			fmt.Fprintf(&b, "- %s #%d %s: gold %s, tagged %s\n", m.Meeting, m.Seq, m.Delegation, m.Gold, m.Got)
		}
	}
	if len(r.Missing) > 0 {
		fmt.Fprintf(&b, "\nMissing statements: %s\n", strings.Join(r.Missing, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Wilson is the 95 % Wilson score interval of k successes in n trials: the
// interval to quote with a proportion measured on a few hundred statements
// (it stays inside [0, 1] and is honest at 0 and n, unlike the normal
// approximation). n == 0 gives [0, 1].
func Wilson(k, n int) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	const z = 1.959963984540054
	p := float64(k) / float64(n)
	nn := float64(n)
	den := 1 + z*z/nn
	mid := (p + z*z/(2*nn)) / den
	half := z * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn)) / den
	return max(0, mid-half), min(1, mid+half)
}
