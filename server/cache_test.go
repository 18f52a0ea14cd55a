package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stancetrack/stancetrack/model"
	"github.com/stancetrack/stancetrack/store"
)

func cget(t *testing.T, srv *Server, target string, header ...string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

func TestCacheSingleflight(t *testing.T) {
	srv, _ := newTestServer(t, true)
	const n = 32
	var wg sync.WaitGroup
	states := make(chan string, n)
	bodies := make(chan string, n)
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, err := srv.App().Test(httptest.NewRequest(http.MethodGet, "/charts/blocs.json?council=members", nil), -1)
			if err != nil {
				t.Error(err)
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			states <- resp.Header.Get(cacheHeader)
			bodies <- string(b)
		}()
	}
	close(start)
	wg.Wait()
	close(states)
	close(bodies)
	count := map[string]int{}
	for s := range states {
		count[s]++
	}
	if count["miss"] != 1 || count["hit"] != n-1 {
		t.Errorf("%d identical concurrent requests: X-Cache counts %v, want one miss and %d hits", n, count, n-1)
	}
	first := ""
	for b := range bodies {
		if first == "" {
			first = b
		}
		if b != first || !strings.Contains(b, `"bloc"`) {
			t.Fatalf("responses differ or are not bloc rows: %.100s vs %.100s", b, first)
		}
	}
}

func TestCacheFollowsGeneration(t *testing.T) {
	srv, st := newTestServer(t, true)
	ctx := context.Background()
	const target = "/charts/purview.json?meeting=SC/13000"
	steps := []struct{ header, want string }{{"", "miss"}, {"", "hit"}, {"no-cache", "bypass"}, {"", "hit"}}
	var before string
	for i, step := range steps {
		resp, body := cget(t, srv, target, "Cache-Control", step.header)
		if got := resp.Header.Get(cacheHeader); got != step.want || resp.StatusCode != 200 {
			t.Fatalf("request %d (Cache-Control %q): X-Cache %q status %d, want %q", i, step.header, got, resp.StatusCode, step.want)
		}
		if before != "" && body != before {
			t.Errorf("request %d: body changed without a write", i)
		}
		before = body
	}
	// The same filter spelled differently is the same entry.
	if resp, _ := cget(t, srv, "/charts/purview.json?meeting=SC%2F13000&meeting="); resp.Header.Get(cacheHeader) != "hit" {
		t.Errorf("canonical filter: X-Cache %q, want hit", resp.Header.Get(cacheHeader))
	}
	// An analyst tag is a write: the next request computes afresh and sees it.
	rows, _, err := st.Statements(ctx, store.Filter{Meetings: []string{"SC/13000"}, Delegations: []string{"Venezuela"}}, 1, 0)
	if err != nil || len(rows) != 1 {
		t.Fatalf("Statements = %v, %v", rows, err)
	}
	if _, err := st.AddAnalystTag(ctx, rows[0].ID, model.Tag{Dimension: model.DimPurview, Value: model.PurviewAffirms,
		Evidence: "belonged to the General Assembly"}); err != nil {
		t.Fatal(err)
	}
	resp, after := cget(t, srv, target)
	if got := resp.Header.Get(cacheHeader); got != "miss" {
		t.Errorf("after a write: X-Cache %q, want miss", got)
	}
	if after == before || !strings.Contains(after, `"delegation":"Venezuela","iso3":"VEN","kind":"member_state","position":"affirms"`) {
		t.Errorf("after a write the chart still shows the old data: %s", after)
	}
	if n, _ := srv.cache.stats(); n != 1 {
		t.Errorf("entries of the old generation kept: %d entries, want 1", n)
	}
}

func TestCacheOnlyKeepsSuccesses(t *testing.T) {
	srv, _ := newTestServer(t, true)
	for i := 0; i < 2; i++ {
		if resp, _ := cget(t, srv, "/charts/purview.json?from=yesterday"); resp.StatusCode != 400 || resp.Header.Get(cacheHeader) != "" {
			t.Errorf("bad filter: status %d X-Cache %q, want 400 and no cache", resp.StatusCode, resp.Header.Get(cacheHeader))
		}
	}
	// Pages are keyed by their page number too.
	for _, tt := range []struct{ target, want string }{
		{"/statements?q=trafficking", "miss"}, {"/statements?q=trafficking&page=2", "miss"},
		{"/statements?page=1&q=trafficking", "miss"}, {"/statements?q=trafficking&delegation=&page=1", "hit"}, {"/statements?q=trafficking", "hit"},
		{"/healthz", ""},
	} {
		if resp, _ := cget(t, srv, tt.target); resp.Header.Get(cacheHeader) != tt.want {
			t.Errorf("%s: X-Cache %q, want %q", tt.target, resp.Header.Get(cacheHeader), tt.want)
		}
	}
	// CSV twins keep their headers on a hit.
	cget(t, srv, "/charts/frames.csv")
	resp, body := cget(t, srv, "/charts/frames.csv")
	if resp.Header.Get(cacheHeader) != "hit" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "frames.csv") || !strings.HasPrefix(body, "delegation,frame,statements") {
		t.Errorf("cached CSV: X-Cache %q type %q disposition %q body %.40q", resp.Header.Get(cacheHeader),
			resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"), body)
	}
}

func TestResponseCacheBounds(t *testing.T) {
	rc := newResponseCache(3, 8000)
	put := func(gen int64, key string, size int) {
		_, fl, leader := rc.lookup(gen, key)
		if !leader {
			t.Fatalf("lookup(%s) found a flight or entry", key)
		}
		rc.finish(gen, key, fl, &cachedResponse{status: 200, body: make([]byte, size)})
	}
	for i := 0; i < 5; i++ {
		put(1, fmt.Sprint("k", i), 100)
	}
	if n, _ := rc.stats(); n != 3 {
		t.Errorf("entries = %d, want 3 (the bound)", n)
	}
	if resp, _, _ := rc.lookup(1, "k4"); resp == nil {
		t.Errorf("most recent entry evicted")
	}
	if resp, _, leader := rc.lookup(1, "k0"); resp != nil || !leader {
		t.Errorf("oldest entry kept")
	}
	put(1, "big", 2000) // over maxBytes/8: computed but not kept
	if resp, _, _ := rc.lookup(1, "big"); resp != nil {
		t.Errorf("an entry over the size bound was kept")
	}
	for i := 0; i < 3; i++ {
		put(1, fmt.Sprint("m", i), 900)
	}
	if _, b := rc.stats(); b > 8000 {
		t.Errorf("bytes = %d, over the bound 8000", b)
	}
	// A newer generation empties the cache; an older one is not stored.
	rc.lookup(2, "x")
	if n, _ := rc.stats(); n != 0 {
		t.Errorf("entries after a new generation = %d, want 0", n)
	}
	rc.store(1, "old", &cachedResponse{status: 200})
	if n, _ := rc.stats(); n != 0 {
		t.Errorf("a response of an old generation was stored")
	}
}

func TestSlotsBoundWork(t *testing.T) {
	st := newTestStore(t)
	seed(t, st)
	srv := New(Config{Store: st, MaxConcurrent: 1, RequestTimeout: 50 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv.slots <- struct{}{} // another request holds the only slot
	if resp, _ := cget(t, srv, "/statements"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("no free slot: status %d, want 503", resp.StatusCode)
	}
	for _, path := range []string{"/healthz", "/static/css/app.css"} {
		if resp, _ := cget(t, srv, path); resp.StatusCode == http.StatusServiceUnavailable {
			t.Errorf("%s waits for a slot", path)
		}
	}
	<-srv.slots
	if resp, _ := cget(t, srv, "/statements"); resp.StatusCode != 200 {
		t.Errorf("free slot: status %d, want 200", resp.StatusCode)
	}
}
