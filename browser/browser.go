// Package browser renders echarts figures to PNG and SVG in headless
// Chromium, with the same echarts build and the same page script
// (static/js/app.js) that draw the dashboard, so an exported figure looks
// like the chart on screen.
//
// The browser never loads anything from the internet: each batch of
// figures is a page served by an in-process listener on 127.0.0.1 that
// also serves the embedded static files. One Renderer keeps one Chromium
// for its whole life (started on the first Render, stopped by Close),
// bounds how many renders run at once and times out a stuck render.
package browser

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"image"
	_ "image/png" // DecodeConfig checks the size of a rendered PNG
	"io/fs"
	"net"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/stancetrack/stancetrack/static"
)

// ErrNoChromium means no Chromium binary was found. Its text says how to
// install one.
var ErrNoChromium = errors.New("PNG and SVG export needs Chromium, which is not installed: " +
	"install it with `apt-get install chromium` (Debian/Ubuntu) and try again; CSV, JSON, XLSX, GraphML and HTML exports work without it")

// ErrBusy means every render slot stayed taken until the timeout.
var ErrBusy = errors.New("too many figures are being rendered at once; try again in a moment")

// ErrAssets means the echarts files were not embedded at build time.
var ErrAssets = errors.New("figures need the echarts asset, which this build lacks: run `make assets` and rebuild")

// startTimeout bounds the start of Chromium, which the first render waits
// for on top of its own timeout.
const startTimeout = 30 * time.Second

// Formats a Job can ask for.
const (
	PNG = "png"
	SVG = "svg"
)

// Size limits of a figure in pixels: big enough for a poster, small enough
// that a request cannot make the browser allocate gigabytes.
const (
	MinSize = 100
	MaxSize = 4000
)

// largePage is the figure area (pixels) above which a tab leaves its page
// before it idles.
const largePage = 8_000_000

// Job is one figure to render.
type Job struct {
	ID     string // DOM id: letters, digits and '-', unique within a Render call
	Option []byte // echarts option JSON; must be HTML-safe (json.Marshal escapes < > &)
	Format string // PNG or SVG
	Width  int    // pixels
	Height int    // pixels
}

// Options configure a Renderer. The zero value is ready to use.
type Options struct {
	// ExecPath is the Chromium binary; empty means the first of chromium,
	// chromium-browser and google-chrome found on PATH.
	ExecPath string
	// MaxRenders bounds the renders running at once (one tab each); 0 means 2.
	MaxRenders int
	// Timeout bounds one Render, including the wait for a free slot; 0
	// means 20 s.
	Timeout time.Duration
	// Assets holds echarts/echarts.min.js, echarts/maps/world.js and
	// js/app.js; nil means the embedded static files.
	Assets fs.FS
}

// launches counts Chromium processes started by this process. It is a
// metric, not a dependency: tests read it to prove that concurrent exports
// share one browser.
var launches atomic.Int64

// Launches returns how many Chromium processes this process has started.
func Launches() int64 { return launches.Load() }

// Renderer renders figures in one shared headless Chromium.
type Renderer struct {
	opts  Options
	slots chan struct{}

	mu          sync.Mutex // guards the fields below
	closed      bool
	ln          net.Listener
	srv         *http.Server
	cancelAlloc context.CancelFunc
	browserCtx  context.Context
	cancelBr    context.CancelFunc
	starts      int
	idle        []tab

	pages sync.Map // token -> []byte (HTML)
}

// New returns a Renderer; Chromium starts on the first Render.
func New(o Options) *Renderer {
	if o.MaxRenders <= 0 {
		o.MaxRenders = 2
	}
	if o.Timeout <= 0 {
		o.Timeout = 20 * time.Second
	}
	if o.Assets == nil {
		o.Assets = static.FS()
	}
	return &Renderer{opts: o, slots: make(chan struct{}, o.MaxRenders)}
}

// Starts returns how many times this Renderer started Chromium (more than
// one only if the browser died and was restarted).
func (r *Renderer) Starts() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.starts
}

// Find returns the path of a Chromium binary, or ErrNoChromium.
func Find(execPath string) (string, error) {
	if execPath != "" {
		p, err := exec.LookPath(execPath)
		if err != nil {
			return "", fmt.Errorf("%w (%s: %v)", ErrNoChromium, execPath, err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}

var idRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{0,63}$`)

func checkJobs(jobs []Job) error {
	seen := map[string]bool{}
	for _, j := range jobs {
		if !idRe.MatchString(j.ID) || seen[j.ID] {
			return fmt.Errorf("browser: figure id %q is invalid or repeated", j.ID)
		}
		seen[j.ID] = true
		if j.Format != PNG && j.Format != SVG {
			return fmt.Errorf("browser: format %q: want png or svg", j.Format)
		}
		if j.Width < MinSize || j.Width > MaxSize || j.Height < MinSize || j.Height > MaxSize {
			return fmt.Errorf("browser: size %d×%d: width and height must be %d to %d pixels", j.Width, j.Height, MinSize, MaxSize)
		}
	}
	return nil
}

// Render renders the jobs in one page of one tab and returns their bytes
// in job order: PNG files of exactly Width×Height, or SVG documents. A
// render that runs past the timeout returns an error wrapping
// context.DeadlineExceeded; no free slot before the timeout gives ErrBusy.
func (r *Renderer) Render(ctx context.Context, jobs []Job) ([][]byte, error) {
	if len(jobs) == 0 {
		return nil, nil
	}
	if err := checkJobs(jobs); err != nil {
		return nil, err
	}
	for _, name := range []string{static.EchartsJS, static.WorldMapJS, "js/app.js"} {
		if _, err := fs.Stat(r.opts.Assets, name); err != nil {
			return nil, ErrAssets
		}
	}
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	select {
	case r.slots <- struct{}{}:
		defer func() { <-r.slots }()
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, ErrBusy
		}
		return nil, ctx.Err()
	}
	base, err := r.browser()
	if err != nil {
		return nil, err
	}
	token, err := r.addPage(jobs)
	if err != nil {
		return nil, err
	}
	defer r.pages.Delete(token)

	t, err := r.takeTab(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("browser: render stopped after %v: %w", r.opts.Timeout, ctx.Err())
		}
		return nil, err
	}
	// The request's deadline and cancellation apply to this render's
	// actions only; the tab's own context derives from the browser's,
	// which must never time out.
	run, cancelRun := context.WithCancel(t.ctx)
	defer cancelRun()
	stop := context.AfterFunc(ctx, cancelRun)
	defer stop()
	out, err := r.draw(run, base+"/page/"+token)
	if err != nil {
		// A tab interrupted mid-render may be in any state: close it.
		t.cancel()
		if ctx.Err() != nil {
			return nil, fmt.Errorf("browser: render stopped after %v: %w", r.opts.Timeout, ctx.Err())
		}
		return nil, fmt.Errorf("browser: render: %w", err)
	}
	// After a large page, leave it before the tab idles, so an idle tab
	// does not hold the canvases of poster-size figures; a default-size
	// page is simply replaced by the next render's navigation.
	pixels := 0
	for _, j := range jobs {
		pixels += j.Width * j.Height
	}
	if pixels <= largePage {
		r.putTab(t)
	} else if err := chromedp.Do(run, chromedp.Navigate("about:blank")); err != nil {
		t.cancel()
	} else {
		r.putTab(t)
	}
	if len(out) != len(jobs) {
		return nil, fmt.Errorf("browser: got %d figures for %d jobs", len(out), len(jobs))
	}
	res := make([][]byte, len(jobs))
	for i, j := range jobs {
		if res[i], err = decode(j, out[i]); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// draw loads the page of figures in a tab and collects them.
func (r *Renderer) draw(ctx context.Context, url string) ([]string, error) {
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return nil, err
	}
	return chromedp.Run(ctx, chromedp.Evaluate[[]string](collectJS, chromedp.EvalAwaitPromise))
}

// tab is an open browser tab. Idle tabs are kept (at most MaxRenders,
// as many as renders run at once): a fresh tab costs a renderer process
// and a cold load of echarts, a reused one has both warm.
type tab struct {
	ctx     context.Context
	cancel  context.CancelFunc
	browser context.Context // the browser it belongs to
}

func (r *Renderer) takeTab(ctx context.Context) (tab, error) {
	r.mu.Lock()
	for len(r.idle) > 0 {
		t := r.idle[len(r.idle)-1]
		r.idle = r.idle[:len(r.idle)-1]
		if t.ctx.Err() == nil && t.browser == r.browserCtx {
			r.mu.Unlock()
			return t, nil
		}
		t.cancel()
	}
	bctx := r.browserCtx
	r.mu.Unlock()
	if bctx == nil {
		return tab{}, errors.New("browser: renderer is closed")
	}
	// The tab's context must not carry the request's deadline (it would
	// close the tab when the request ends), so the wait is bounded here.
	tctx, cancel := chromedp.NewContext(bctx)
	opened := make(chan error, 1)
	go func() { opened <- chromedp.Do(tctx) }()
	select {
	case err := <-opened:
		if err != nil {
			cancel()
			return tab{}, fmt.Errorf("browser: open a tab: %w", err)
		}
	case <-ctx.Done():
		cancel()
		return tab{}, fmt.Errorf("browser: open a tab: %w", ctx.Err())
	}
	return tab{tctx, cancel, bctx}, nil
}

func (r *Renderer) putTab(t tab) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || t.browser != r.browserCtx || len(r.idle) >= r.opts.MaxRenders {
		t.cancel()
		return
	}
	r.idle = append(r.idle, t)
}

// collectJS waits for every chart of the page to be drawn (app.js draws
// them on DOMContentLoaded, animation off), lets two frames pass so the
// last paint lands, then returns each figure as a PNG data URL or an SVG
// document.
const collectJS = `(async () => {
	const jobs = JSON.parse(document.getElementById("jobs").textContent);
	if (typeof echarts === "undefined") throw new Error("echarts did not load");
	await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
	return jobs.map(j => {
		const el = document.getElementById(j.id);
		const c = el && echarts.getInstanceByDom(el);
		if (!c) throw new Error("figure " + j.id + " was not drawn: " + pageErrors.join("; "));
		return j.format === "svg" ? c.renderToSVGString()
			: c.getDataURL({type: "png", pixelRatio: 1, backgroundColor: "#fff"});
	});
})()`

func decode(j Job, s string) ([]byte, error) {
	if j.Format == SVG {
		if !strings.HasPrefix(s, "<svg") {
			return nil, fmt.Errorf("browser: figure %s: not an SVG document: %.40q", j.ID, s)
		}
		return []byte(s), nil
	}
	const prefix = "data:image/png;base64,"
	if !strings.HasPrefix(s, prefix) {
		return nil, fmt.Errorf("browser: figure %s: not a PNG data URL: %.40q", j.ID, s)
	}
	b, err := base64.StdEncoding.DecodeString(s[len(prefix):])
	if err != nil {
		return nil, fmt.Errorf("browser: figure %s: %w", j.ID, err)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("browser: figure %s: %w", j.ID, err)
	}
	if cfg.Width != j.Width || cfg.Height != j.Height {
		return nil, fmt.Errorf("browser: figure %s came out %d×%d, want %d×%d", j.ID, cfg.Width, cfg.Height, j.Width, j.Height)
	}
	return b, nil
}

// browser returns the running browser's context and the listener's base
// URL, starting both when needed (first use, or after the browser died).
func (r *Renderer) browser() (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return "", errors.New("browser: renderer is closed")
	}
	if r.ln == nil {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", fmt.Errorf("browser: listen: %w", err)
		}
		r.ln = ln
		r.srv = &http.Server{Handler: r.handler(), ReadHeaderTimeout: 10 * time.Second}
		go r.srv.Serve(ln)
	}
	base := "http://" + r.ln.Addr().String()
	if r.browserCtx != nil && r.browserCtx.Err() == nil {
		return base, nil
	}
	if r.cancelBr != nil { // the browser died: clean up before restarting
		for _, t := range r.idle {
			t.cancel()
		}
		r.idle = nil
		r.cancelBr()
		r.cancelAlloc()
	}
	path, err := Find(r.opts.ExecPath)
	if err != nil {
		return "", err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1600, 1000),
		// Figures come from the in-process listener only.
		chromedp.Flag("no-proxy-server", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-domain-reliability", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	// No timeout on this context: cancelling it would close the browser.
	browserCtx, cancelBr := chromedp.NewContext(allocCtx)
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(browserCtx) }()
	select {
	case err = <-started:
	case <-time.After(startTimeout):
		err = fmt.Errorf("did not start within %v", startTimeout)
	}
	if err != nil {
		cancelBr()
		cancelAlloc()
		return "", fmt.Errorf("browser: start Chromium (%s): %w", path, err)
	}
	launches.Add(1)
	r.starts++
	r.browserCtx, r.cancelBr, r.cancelAlloc = browserCtx, cancelBr, cancelAlloc
	return base, nil
}

// Close stops the browser and the listener. Renders still running fail.
func (r *Renderer) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	for _, t := range r.idle {
		t.cancel()
	}
	r.idle = nil
	if r.cancelBr != nil {
		// Cancel closes the browser gracefully; the allocator then removes
		// its profile directory.
		chromedp.Cancel(r.browserCtx)
		r.cancelBr()
		r.cancelAlloc()
		r.cancelBr, r.cancelAlloc, r.browserCtx = nil, nil, nil
	}
	if r.srv != nil {
		err := r.srv.Close()
		r.srv, r.ln = nil, nil
		return err
	}
	return nil
}

func (r *Renderer) handler() http.Handler {
	mux := http.NewServeMux()
	files := http.StripPrefix("/static/", http.FileServerFS(r.opts.Assets))
	mux.HandleFunc("GET /static/", func(w http.ResponseWriter, req *http.Request) {
		// Embedded files never change while the process runs: let the
		// browser keep them (and its compiled code) across renders.
		w.Header().Set("Cache-Control", "public, max-age=86400, immutable")
		files.ServeHTTP(w, req)
	})
	mux.HandleFunc("GET /page/{token}", func(w http.ResponseWriter, req *http.Request) {
		p, ok := r.pages.Load(req.PathValue("token"))
		if !ok {
			http.NotFound(w, req)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(p.([]byte))
	})
	return mux
}

// page is the HTML of a batch of figures. Each figure is a div.chart with
// its option in a JSON block, exactly as the dashboard's pages carry them,
// so app.js draws it; data-renderer picks canvas (PNG) or SVG.
var page = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>figures</title>
<style>body{margin:0;background:#fff}.chart{display:block;margin:0}</style>
<script>window.pageErrors = []; addEventListener("error", e => pageErrors.push(String(e.message)));</script>
<script src="/static/echarts/echarts.min.js"></script>
<script src="/static/echarts/maps/world.js"></script>
<script src="/static/js/app.js"></script>
</head><body>
{{range .Jobs}}<div class="chart" id="{{.ID}}" data-height="{{.Height}}" data-renderer="{{if eq .Format "svg"}}svg{{else}}canvas{{end}}" style="width:{{.Width}}px;height:{{.Height}}px"></div>
<script type="application/json" id="{{.ID}}-option">{{.Option}}</script>
{{end}}<script type="application/json" id="jobs">{{.Index}}</script>
</body></html>`))

type pageJob struct {
	Job
	Option template.JS
}

func (r *Renderer) addPage(jobs []Job) (string, error) {
	type idx struct {
		ID     string `json:"id"`
		Format string `json:"format"`
	}
	pj := make([]pageJob, len(jobs))
	index := make([]idx, len(jobs))
	for i, j := range jobs {
		// The option is JSON that json.Marshal made HTML-safe, so it cannot
		// close the <script> element it sits in.
		pj[i] = pageJob{Job: j, Option: template.JS(j.Option)}
		index[i] = idx{j.ID, j.Format}
	}
	var buf bytes.Buffer
	data := struct {
		Jobs  []pageJob
		Index []idx
	}{pj, index}
	if err := page.Execute(&buf, data); err != nil {
		return "", fmt.Errorf("browser: page: %w", err)
	}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("browser: token: %w", err)
	}
	token := hex.EncodeToString(b[:])
	r.pages.Store(token, buf.Bytes())
	return token, nil
}
