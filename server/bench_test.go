package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/stancetrack/stancetrack/store"
)

// BenchmarkChartJSON measures the dashboard on a generated database of
// 500 meetings × 40 statements (20,000 statements, ~60,000 tags) and
// reports, per endpoint, the first request after the server starts as
// first-ms and the 95th percentile of uncached requests as p95-ms: every
// request carries Cache-Control: no-cache, so the response cache never
// answers and the figures are the store's (rollups and indexes). The
// target is p95 < 50 ms per endpoint.
//
//	go test ./server -run '^$' -bench ChartJSON -benchtime 200x
//
// STANCETRACK_BENCH_MEETINGS=5000 measures the scale of the whole record.
//
// ANALYZE runs after generation as it would after a bulk import, and the
// database is closed and reopened after generation, as a server starts on
// a checkpointed file rather than on a fresh 20 MB write-ahead log.
func BenchmarkChartJSON(b *testing.B) {
	ctx := context.Background()
	file := filepath.Join(b.TempDir(), "bench.db")
	st, err := store.Open(ctx, file)
	if err != nil {
		b.Fatal(err)
	}
	meetings := 500
	if v, err := strconv.Atoi(os.Getenv("STANCETRACK_BENCH_MEETINGS")); err == nil && v > 0 {
		meetings = v // the whole public record is ~5,000
	}
	start := time.Now()
	generate(b, st, meetings, 40)
	if _, err := st.DB().ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	st.Close()
	b.Logf("generated %d meetings in %v", meetings, time.Since(start).Round(time.Millisecond))
	if st, err = store.Open(ctx, file); err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	srv := New(Config{Store: st, CodebookVersion: "bench", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	endpoints := []string{
		"/charts/purview.json", "/charts/map.json", "/charts/frames.json", "/charts/instruments.json",
		"/charts/blocs.json", "/charts/timeline.json",
		"/charts/purview", "/charts/frames", "/charts/blocs", "/charts/timeline", "/",
		"/statements?q=terrorism", "/statements.json?meeting=SC/20042",
		// A page of the statements that carry one tag value.
		"/statements?frame=gender", "/statements?instrument=UNSCR_2331&purview=contests",
		// Filters: whole years (rollups), cut years (rollups and the
		// meetings of the cut years), a bloc (exact, from statement_blocs).
		"/charts/purview.json?council=non-members&from=2005-01-01&to=2010-12-31",
		"/charts/frames.json?from=2005-03-01&to=2010-06-30",
		"/charts/blocs.json?group=E10",
		"/shifts", "/audit",
	}
	request := func(b *testing.B, ep string) time.Duration {
		req := httptest.NewRequest(http.MethodGet, ep, nil)
		req.Header.Set("Cache-Control", "no-cache")
		t0 := time.Now()
		resp, err := srv.App().Test(req, -1)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		d := time.Since(t0)
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s = %d", ep, resp.StatusCode)
		}
		return d
	}
	first := map[string]time.Duration{}
	for _, ep := range endpoints {
		first[ep] = request(b, ep)
	}
	for _, ep := range endpoints {
		b.Run(ep, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			for i := 0; i < b.N; i++ {
				lat = append(lat, request(b, ep))
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(first[ep].Microseconds())/1000, "first-ms")
		})
	}
}
