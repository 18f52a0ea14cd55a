package server

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/stancetrack/stancetrack/charts"
	"github.com/stancetrack/stancetrack/static"
	"github.com/stancetrack/stancetrack/store"
)

// requireBrowser returns Chromium's path. Without Chromium (or the echarts
// asset) the browser tests skip on a developer's machine and fail under
// CI=true, where a skip would hide a missing install step.
func requireBrowser(t *testing.T) string {
	t.Helper()
	miss := func(why string) {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set: %s", why)
		}
		t.Skip(why)
	}
	if !static.Has(static.EchartsJS) || !static.Has(static.WorldMapJS) {
		miss("the echarts asset is missing: run make assets")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	miss("Chromium is not installed (apt-get install chromium)")
	return ""
}

// consoleLog collects console errors and uncaught exceptions of a tab.
type consoleLog struct {
	mu   sync.Mutex
	msgs []string
}

func (l *consoleLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := l.msgs
	l.msgs = nil
	return m
}

// chartDrawn is true when the chart's echarts instance holds series with
// data and has drawn a canvas or an SVG; otherwise it says what is missing.
const chartDrawn = `((id) => {
	const el = document.getElementById(id);
	if (!el) return "no element";
	if (typeof echarts === "undefined") return "no echarts";
	const c = echarts.getInstanceByDom(el);
	if (!c) return "no instance";
	const series = c.getOption().series || [];
	let n = 0;
	for (const s of series) n += (s.data || []).length;
	if (series.length === 0 || n === 0) return "no data";
	if (!el.querySelector("canvas, svg")) return "no canvas";
	return "ok";
})`

// startBrowser serves srv on a free local port and starts Chromium, both
// stopped when the test ends. It returns the browser's context, with no
// timeout (cancelling it would close the browser: give each step its own),
// and the server's base URL.
func startBrowser(t *testing.T, chrome string, srv *Server) (context.Context, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.App().Listener(ln)
	shutdownOnCleanup(t, srv)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1280, 900))...)
	ctx, cancel := chromedp.NewContext(actx)
	// Cleanups run last-in first-out: the tab closes before the browser.
	t.Cleanup(cancelA)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx, "http://" + ln.Addr().String()
}

// openChart loads url and waits until chart id has drawn.
func openChart(ctx context.Context, url, id string) error {
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
		return err
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[string](chartDrawn+`("`+id+`") === "ok" && "ok"`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		why, _ := chromedp.Run(ctx, chromedp.Evaluate[string](chartDrawn+`("`+id+`")`))
		return fmt.Errorf("chart %s did not draw: %s (%w)", id, why, err)
	}
	return nil
}

// clickThrough clicks at page coordinates (x, y) and returns the location
// of the statements page the click opened, once it has loaded, or "".
func clickThrough(ctx context.Context, x, y float64) (string, error) {
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(x, y)); err != nil {
		return "", err
	}
	// The click navigates, which destroys the page's JS context while a
	// poll runs in it; ask the browser for the location instead.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if l, err := chromedp.Run(ctx, chromedp.Location()); err == nil && strings.Contains(l, "/statements") {
			return l, chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS("footer")))
		}
	}
	return "", nil
}

// statementCells returns, for each row of the statements table, the first
// line of cell a and cell b joined by "|".
func statementCells(ctx context.Context, a, b int) ([]string, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(
		`[...document.querySelectorAll("table.statements tbody tr")].map(r => r.cells[%d].innerText.split("\n")[0] + "|" + r.cells[%d].innerText)`, a, b)))
}

func TestBrowserEndToEnd(t *testing.T) {
	chrome := requireBrowser(t)
	srv, _ := newTestServer(t, true)
	ctx, base := startBrowser(t, chrome, srv)

	shots := os.Getenv("E2E_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	var console consoleLog
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				console.mu.Lock()
				console.msgs = append(console.msgs, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line))
				console.mu.Unlock()
			}
		}
	}()

	views := []struct {
		name, path string
		charts     []string
	}{
		{"overview", "/", []string{charts.IDPurviewBars}},
		{"purview", "/charts/purview", []string{charts.IDPurviewBars, charts.IDPurviewDonut}},
		{"map", "/charts/map", []string{charts.IDPurviewMap}},
		{"frames", "/charts/frames", []string{charts.IDFramesHeatmap}},
		{"instruments", "/charts/instruments", []string{charts.IDInstrumentsBar, charts.IDInstrumentsNetwork}},
		{"blocs", "/charts/blocs", []string{charts.IDBlocBars}},
		{"timeline", "/charts/timeline", []string{charts.IDTimeline}},
		{"delegation", "/delegations/C%C3%B4te%20d%E2%80%99Ivoire", []string{charts.IDFramesRadar}},
		{"compare", "/compare?delegation=Russian+Federation&delegation=United+Kingdom&delegation=Egypt", []string{charts.IDPurviewBars, charts.IDFramesRadar}},
		{"statements", "/statements?q=traffick*", nil},
		{"meeting", "/meetings/SC/12751", nil},
		{"shifts", "/shifts", nil},
		{"audit", "/audit", nil},
		{"not-found", "/delegations/Atlantis", nil},
	}
	for _, v := range views {
		t.Run(v.name, func(t *testing.T) {
			tctx, tcancel := context.WithTimeout(ctx, 30*time.Second)
			defer tcancel()
			if err := chromedp.Do(tctx, chromedp.Navigate(base+v.path), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
				t.Fatalf("load %s: %v", v.path, err)
			}
			for _, id := range v.charts {
				_, err := chromedp.Run(tctx, chromedp.Poll[string](chartDrawn+`("`+id+`") === "ok" && "ok"`,
					chromedp.WithPollingTimeout(10*time.Second)))
				if err != nil {
					why, _ := chromedp.Run(tctx, chromedp.Evaluate[string](chartDrawn+`("`+id+`")`))
					t.Errorf("%s: chart %s did not draw: %s (%v)", v.path, id, why, err)
				}
			}
			for _, id := range v.charts {
				svg, err := chromedp.Run(tctx, chromedp.Evaluate[string](`window.stancetrack.svg("`+id+`")`))
				if err != nil || !strings.HasPrefix(svg, "<svg") {
					t.Errorf("%s: SVG export of %s = %.60q, %v", v.path, id, svg, err)
				}
				tool, err := chromedp.Run(tctx, chromedp.Evaluate[bool](
					`!!echarts.getInstanceByDom(document.getElementById("`+id+`")).getOption().toolbox[0].feature.mySaveSVG`))
				if err != nil || !tool {
					t.Errorf("%s: chart %s has no Save as SVG tool (%v)", v.path, id, err)
				}
			}
			// Animation is off; two frames let the last paint land.
			if _, err := chromedp.Run(tctx, chromedp.Evaluate[bool](
				`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, chromedp.EvalAwaitPromise)); err != nil {
				t.Fatal(err)
			}
			png, err := chromedp.Run(tctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot %s: %v", v.path, err)
			}
			if err := os.WriteFile(filepath.Join(shots, v.name+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, m := range console.take() {
				// The 404 page's own status is logged as a failed load.
				if v.name == "not-found" && strings.Contains(m, "status of 404") {
					continue
				}
				t.Errorf("%s: console: %s", v.path, m)
			}
		})
	}

	t.Run("escaped script never runs", func(t *testing.T) {
		tctx, tcancel := context.WithTimeout(ctx, 30*time.Second)
		defer tcancel()
		if err := chromedp.Do(tctx, chromedp.Navigate(base+"/statements?delegation=Brazil"), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
			t.Fatal(err)
		}
		text, err := chromedp.Run(tctx, chromedp.Evaluate[string](`document.querySelector("td.text").textContent`))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, `<script>alert("xss")</script>`) {
			t.Errorf("the statement's <script> is not shown as text: %q", text)
		}
		for _, m := range console.take() {
			t.Errorf("console: %s", m)
		}
	})

	t.Run("click a bar to its statements", func(t *testing.T) {
		tctx, tcancel := context.WithTimeout(ctx, 30*time.Second)
		defer tcancel()
		if err := openChart(tctx, base+"/charts/purview", "purview-bars"); err != nil {
			t.Fatal(err)
		}
		// The middle of the first delegation's "contests" bar, in page
		// coordinates: the objector at the top of the chart.
		type point struct {
			X, Y  float64
			Value float64
			Name  string
		}
		p, err := chromedp.Run(tctx, chromedp.Evaluate[point](`(() => {
			const el = document.getElementById("purview-bars");
			const c = echarts.getInstanceByDom(el);
			const o = c.getOption();
			const v = o.series[0].data[0].value;
			const [x, y] = c.convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [v / 2, 0]);
			const r = el.getBoundingClientRect();
			return {X: r.left + x, Y: r.top + y, Value: v, Name: o.yAxis[0].data[0]};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if p.Name != "Russian Federation" || p.Value != 2 {
			t.Fatalf("top bar is %s with %v contests, want Russian Federation with 2", p.Name, p.Value)
		}
		loc, err := clickThrough(tctx, p.X, p.Y)
		if err != nil || loc == "" {
			t.Fatalf("clicking the bar did not open the statements (%v)", err)
		}
		if !strings.HasSuffix(loc, "/statements?delegation=Russian+Federation&purview=contests") {
			t.Errorf("landed on %s", loc)
		}
		rows, err := statementCells(tctx, 2, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 {
			t.Errorf("statements behind the bar: %v, want Russia's 2 contests", rows)
		}
		for _, r := range rows {
			if r != "Russian Federation|contests" {
				t.Errorf("statement row %q is not behind the bar", r)
			}
		}
		png, err := chromedp.Run(tctx, chromedp.FullScreenshot(100))
		if err == nil {
			os.WriteFile(filepath.Join(shots, "drilldown.png"), png, 0o644)
		}
		for _, m := range console.take() {
			t.Errorf("console: %s", m)
		}
	})

	t.Logf("screenshots in %s", shots)
}

// TestBrowserTimelineLinks clicks timeline points of meetings whose
// symbols url.QueryEscape and encodeURIComponent escape differently (see
// weirdSymbols): each click lands on exactly the statements the point
// counts, of its meeting and position, with the page's filters kept.
func TestBrowserTimelineLinks(t *testing.T) {
	chrome := requireBrowser(t)
	srv, st := newTestServer(t, false)
	addWeirdMeetings(t, st)
	ctx, base := startBrowser(t, chrome, srv)

	const filters = "?council=members&q=Council+position"
	// Points no other series covers: at meeting i, affirms (series 2)
	// holds i+1, contests (series 0) 1, the other series 0.
	clicks := []struct{ series, index int }{{2, 1}, {2, 2}, {2, 3}, {2, 4}, {2, 5}, {0, 2}}
	for _, ck := range clicks {
		sym := weirdSymbols[ck.index]
		purview := store.PurviewValues[ck.series]
		tctx, tcancel := context.WithTimeout(ctx, 30*time.Second)
		if err := openChart(tctx, base+"/charts/timeline"+filters, "timeline"); err != nil {
			t.Fatal(err)
		}
		type point struct {
			X, Y    float64
			Meeting string
			Value   float64
		}
		p, err := chromedp.Run(tctx, chromedp.Evaluate[point](fmt.Sprintf(`(() => {
			const el = document.getElementById("timeline");
			const c = echarts.getInstanceByDom(el);
			const o = c.getOption();
			const v = o.series[%[1]d].data[%[2]d];
			const [x, y] = c.convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [%[2]d, v]);
			const r = el.getBoundingClientRect();
			return {X: r.left + x, Y: r.top + y, Meeting: o.links.values[%[2]d], Value: v};
		})()`, ck.series, ck.index)))
		if err != nil {
			t.Fatal(err)
		}
		if p.Meeting != sym || p.Value < 1 {
			t.Fatalf("point %d of series %s is %+v, want %q with statements", ck.index, purview, p, sym)
		}
		loc, err := clickThrough(tctx, p.X, p.Y)
		if err != nil || loc == "" {
			t.Fatalf("clicking %s/%s went nowhere (%v)", sym, purview, err)
		}
		rows, err := statementCells(tctx, 0, 3)
		if err != nil {
			t.Fatal(err)
		}
		if float64(len(rows)) != p.Value {
			t.Errorf("%s/%s: %s lists %d statements, the point counts %v: %v", sym, purview, loc, len(rows), p.Value, rows)
		}
		for _, r := range rows {
			if r != sym+"|"+purview {
				t.Errorf("%s/%s: %s lists %q", sym, purview, loc, r)
			}
		}
		u, err := url.Parse(loc)
		if err != nil || u.Query().Get("council") != "members" || u.Query().Get("q") != "Council position" {
			t.Errorf("%s/%s: %s lost the page's filters", sym, purview, loc)
		}
		tcancel()
	}
}
