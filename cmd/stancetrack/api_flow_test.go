package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stancetrack/stancetrack/codebook"
	"github.com/stancetrack/stancetrack/ingest"
	"github.com/stancetrack/stancetrack/registry"
	"github.com/stancetrack/stancetrack/server"
	"github.com/stancetrack/stancetrack/store"
)

// apiTagOf is the part of POST /api/tags's answer this test checks.
type apiTagOf struct {
	ID       int64  `json:"id"`
	Evidence string `json:"evidence"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Purview  string `json:"purview"`
}

// postTag posts an analyst tag through the HTTP API of a server on db, the
// way stancetrack serve runs it, and closes the server's store.
func postTag(t *testing.T, db, token string, body map[string]any) apiTagOf {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := &ingest.Pipeline{Store: st, Registry: registry.Default(), Codebook: codebook.Default()}
	srv := server.New(server.Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Ingest: p})
	b, _ := json.Marshal(body)
	req := httptest.NewRequest("POST", "/api/tags", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 201 {
		t.Fatalf("POST /api/tags: %d %s", resp.StatusCode, out)
	}
	var got apiTagOf
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	return got
}

// analystTagsInExport returns the analyst tags of one statement in
// export statements --format jsonl, and the statement's purview.
func analystTagsInExport(t *testing.T, db string, seq int) ([]map[string]any, string, string) {
	t.Helper()
	for _, r := range exportJSONL(t, db) {
		if int(r["seq"].(float64)) != seq {
			continue
		}
		var out []map[string]any
		for _, tg := range r["tags"].([]any) {
			if m := tg.(map[string]any); m["source"] == "analyst" {
				out = append(out, m)
			}
		}
		return out, r["purview"].(string), r["text"].(string)
	}
	t.Fatalf("no statement seq %d in the export", seq)
	return nil, "", ""
}

// TestAPITagThroughRetagAndReingest: a tag posted through the API, on text
// with curly quotes and evidence copied with an NBSP, is in the export
// with source "analyst" and character offsets, and survives stancetrack
// retag and the ingest of a corrected version of its document.
func TestAPITagThroughRetagAndReingest(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "api.db")
	if _, errOut, code := cmdRun(t, nil, "ingest", "--db", db, seed); code != 0 {
		t.Fatal(errOut)
	}
	if _, errOut, code := cmdRun(t, nil, "user", "add", "ana", "--role", "editor", "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	tokOut, _, _ := cmdRun(t, nil, "token", "create", "ana", "--db", db)
	const seq = 29 // Belarus: "...trafficking fell outside the Security Council’s purview, ..."
	const evidence = "trafficking fell outside the Security Council’s purview"
	copied := strings.Replace(evidence, " ", "\u00a0", 1)
	got := postTag(t, db, strings.TrimSpace(tokOut), map[string]any{"meeting": "SC/12751", "seq": seq,
		"dimension": "purview", "value": "conditional", "evidence": copied, "rule": "analyst: reread"})
	if got.Purview != "conditional" || got.Evidence != evidence {
		t.Fatalf("answer %+v", got)
	}

	check := func(stage string) {
		t.Helper()
		tags, purview, text := analystTagsInExport(t, db, seq)
		if len(tags) != 1 || purview != "conditional" {
			t.Fatalf("%s: %d analyst tags, purview %q; want 1, conditional", stage, len(tags), purview)
		}
		tg := tags[0]
		start, end := int(tg["start"].(float64)), int(tg["end"].(float64))
		runes := []rune(text)
		if tg["evidence"] != evidence || tg["value"] != "conditional" || tg["rule"] != "analyst: reread" ||
			start < 0 || end > len(runes) || string(runes[start:end]) != evidence {
			t.Errorf("%s: export tag %v does not point at its evidence", stage, tg)
		}
		if stage == "posted" && (start != got.Start || end != got.End) {
			t.Errorf("export [%d:%d], API answered [%d:%d]", start, end, got.Start, got.End)
		}
	}
	check("posted")

	if out, errOut, code := cmdRun(t, nil, "retag", "--db", db); code != 0 {
		t.Fatalf("retag: %d %s %s", code, out, errOut)
	}
	check("retagged")

	raw, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	fixed := bytes.Replace(raw, []byte("Deputy Foreign Minister of Belarus, pointed out"),
		[]byte("Deputy Foreign Minister of Belarus, firmly pointed out"), 1)
	if bytes.Equal(fixed, raw) {
		t.Fatal("the correction did not apply")
	}
	corrected := filepath.Join(dir, "SC-12751-corrected.txt")
	if err := os.WriteFile(corrected, fixed, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := cmdRun(t, nil, "ingest", "--db", db, corrected)
	if code != 0 || !strings.Contains(out, "replaced") {
		t.Fatalf("ingest of the correction: %d %q %q", code, out, errOut)
	}
	check("replaced")
}
