package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/model"
)

func TestNewRecordOffsetsCountCharacters(t *testing.T) {
	text := "Côte d’Ivoire’s delegate said the Palermo Protocol mattered."
	ev := "Palermo Protocol"
	start := strings.Index(text, ev)
	st := model.Statement{Seq: 3, Text: text, Tags: []model.Tag{{Dimension: "instrument", Value: "TIP_PROTOCOL",
		Evidence: ev, Start: start, End: start + len(ev), Rule: "r", Source: "codebook"}}}
	r := NewRecord(model.MeetingRef{Symbol: "SC/1", Number: 7898, Body: "SC", Year: 2017}, st)
	tg := r.Tags[0]
	runes := []rune(text)
	if string(runes[tg.Start:tg.End]) != ev {
		t.Errorf("character offsets [%d:%d] give %q, want %q", tg.Start, tg.End, string(runes[tg.Start:tg.End]), ev)
	}
	if tg.Start == start {
		t.Errorf("start %d is the byte offset; the contract counts characters", tg.Start)
	}
}

func TestNewRecordNullsAndEmptyLists(t *testing.T) {
	r := NewRecord(model.MeetingRef{Symbol: "SC/1", Body: "SC"}, model.Statement{Seq: 1, Text: "x"})
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	for _, k := range []string{"meeting_number", "session", "date", "year", "section", "speaker", "title", "delegation", "iso3", "council_member", "duplicate_of"} {
		if m[k] != nil {
			t.Errorf("%s = %v, want null when unknown", k, m[k])
		}
	}
	for _, k := range []string{"on_behalf_of", "aligns_with", "frames", "instruments", "tags"} {
		if l, ok := m[k].([]any); !ok || len(l) != 0 {
			t.Errorf("%s = %v, want an empty list", k, m[k])
		}
	}
	if m["purview"] != "unstated" || m["kind"] != "other" {
		t.Errorf("purview %v kind %v, want unstated and other", m["purview"], m["kind"])
	}
	if len(m) != len(Columns) {
		t.Errorf("record has %d keys, contract has %d", len(m), len(Columns))
	}
}

func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	w := NewCSV(&buf)
	yes := true
	st := model.Statement{Seq: 2, Speaker: "=HYPERLINK(\"x\")", Delegation: "Australia", CouncilMember: &yes,
		OnBehalfOf: []string{"Canada", "New Zealand"}, Text: "He said \"no\",\nthen left.", Purview: "contests"}
	if err := w.Write(NewRecord(model.MeetingRef{Symbol: "SC/1", Number: 7898}, st)); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || strings.Join(rows[0], ",") != strings.Join(Columns, ",") {
		t.Fatalf("rows = %v", rows)
	}
	row := map[string]string{}
	for i, c := range Columns {
		row[c] = rows[1][i]
	}
	checks := map[string]string{
		"speaker": "'=HYPERLINK(\"x\")", "on_behalf_of": "Canada; New Zealand", "council_member": "true",
		"meeting_number": "7898", "date": "", "text": "He said \"no\",\nthen left.", "tags": "[]", "purview": "contests",
	}
	for k, want := range checks {
		if row[k] != want {
			t.Errorf("%s = %q, want %q", k, row[k], want)
		}
	}
}

func TestCSVHeaderWithoutRows(t *testing.T) {
	var buf bytes.Buffer
	w := NewCSV(&buf)
	w.Flush()
	if got := strings.TrimSpace(buf.String()); got != strings.Join(Columns, ",") {
		t.Errorf("empty export = %q, want the header alone", got)
	}
}
