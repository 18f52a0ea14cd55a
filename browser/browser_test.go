package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stancetrack/stancetrack/static"
)

// requireChromium skips without Chromium or the echarts asset, except
// under CI, where a skip would hide a missing install step.
func requireChromium(t testing.TB) {
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
	if _, err := Find(""); err != nil {
		miss(err.Error())
	}
}

// barOption is a small chart whose labels the SVG must contain.
func barOption(t testing.TB, labels ...string) []byte {
	t.Helper()
	vals := make([]int, len(labels))
	for i := range vals {
		vals[i] = i + 1
	}
	b, err := json.Marshal(map[string]any{
		"animation": false,
		"title":     map[string]any{"text": "Test <figure> & co"},
		"xAxis":     []any{map[string]any{"type": "category", "data": labels}},
		"yAxis":     []any{map[string]any{"type": "value"}},
		"series":    []any{map[string]any{"type": "bar", "data": vals}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRenderPNGAndSVG(t *testing.T) {
	requireChromium(t)
	r := New(Options{})
	defer r.Close()
	opt := barOption(t, "Côte d’Ivoire", "Russian Federation", "Egypt")
	jobs := []Job{
		{ID: "a", Option: opt, Format: PNG, Width: 640, Height: 360},
		{ID: "b", Option: opt, Format: SVG, Width: 800, Height: 450},
		{ID: "c", Option: opt, Format: PNG, Width: 1600, Height: 900},
	}
	out, err := r.Render(context.Background(), jobs)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 2} {
		img, err := png.Decode(bytes.NewReader(out[i]))
		if err != nil {
			t.Fatalf("job %s: %v", jobs[i].ID, err)
		}
		if b := img.Bounds(); b.Dx() != jobs[i].Width || b.Dy() != jobs[i].Height {
			t.Errorf("job %s: PNG is %dx%d, want %dx%d", jobs[i].ID, b.Dx(), b.Dy(), jobs[i].Width, jobs[i].Height)
		}
		// A white background, not a transparent one.
		if _, _, _, a := img.At(1, 1).RGBA(); a != 0xffff {
			t.Errorf("job %s: corner pixel alpha %d, want opaque", jobs[i].ID, a)
		}
	}
	svg := string(out[1])
	if err := xmlWellFormed(svg); err != nil {
		t.Fatalf("SVG does not parse: %v", err)
	}
	for _, want := range []string{"Côte d’Ivoire", "Russian Federation", `width="800"`, `height="450"`, "Test &lt;figure&gt; &amp; co"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if r.Starts() != 1 {
		t.Errorf("Starts() = %d, want 1", r.Starts())
	}
}

func xmlWellFormed(s string) error {
	dec := xml.NewDecoder(strings.NewReader(s))
	for {
		if _, err := dec.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

func TestConcurrentRendersShareOneBrowser(t *testing.T) {
	requireChromium(t)
	r := New(Options{MaxRenders: 2})
	defer r.Close()
	before := Launches()
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = r.Render(context.Background(), []Job{{ID: "f", Option: barOption(t, "A", "B"), Format: PNG, Width: 400, Height: 300}})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("render %d: %v", i, err)
		}
	}
	if got := Launches() - before; got != 1 || r.Starts() != 1 {
		t.Errorf("%d parallel renders started %d browsers (Starts %d), want 1", n, got, r.Starts())
	}
}

func TestRenderTimesOut(t *testing.T) {
	requireChromium(t)
	r := New(Options{Timeout: 5 * time.Millisecond})
	defer r.Close()
	_, err := r.Render(context.Background(), []Job{{ID: "f", Option: barOption(t, "A"), Format: PNG, Width: 400, Height: 300}})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Render with a 5 ms timeout = %v, want a deadline error", err)
	}
}

func TestNoChromium(t *testing.T) {
	r := New(Options{ExecPath: "/nonexistent/chromium"})
	defer r.Close()
	_, err := r.Render(context.Background(), []Job{{ID: "f", Option: []byte(`{}`), Format: PNG, Width: 400, Height: 300}})
	if !static.Has(static.EchartsJS) {
		t.Skip("the echarts asset is missing")
	}
	if !errors.Is(err, ErrNoChromium) || !strings.Contains(err.Error(), "apt-get install chromium") {
		t.Fatalf("Render without Chromium = %v, want ErrNoChromium with the install hint", err)
	}
}

func TestBadJobs(t *testing.T) {
	r := New(Options{ExecPath: "/nonexistent/chromium"})
	defer r.Close()
	for _, j := range []Job{
		{ID: "x", Format: "gif", Width: 400, Height: 300},
		{ID: "x", Format: PNG, Width: 50, Height: 300},
		{ID: "x", Format: PNG, Width: 400, Height: 60000},
		{ID: `"><script>`, Format: PNG, Width: 400, Height: 300},
	} {
		if _, err := r.Render(context.Background(), []Job{j}); err == nil || errors.Is(err, ErrNoChromium) {
			t.Errorf("Render(%+v) = %v, want a validation error", j, err)
		}
	}
	if _, err := r.Render(context.Background(), []Job{{ID: "a", Format: PNG, Width: 400, Height: 300}, {ID: "a", Format: PNG, Width: 400, Height: 300}}); err == nil {
		t.Error("repeated ids accepted")
	}
}

func TestRestartsADeadBrowser(t *testing.T) {
	requireChromium(t)
	r := New(Options{})
	defer r.Close()
	job := []Job{{ID: "f", Option: barOption(t, "A"), Format: SVG, Width: 400, Height: 300}}
	if _, err := r.Render(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	r.cancelBr() // as if Chromium had exited
	r.mu.Unlock()
	if _, err := r.Render(context.Background(), job); err != nil {
		t.Fatalf("render after the browser died: %v", err)
	}
	if r.Starts() != 2 {
		t.Errorf("Starts() = %d, want 2 (one restart)", r.Starts())
	}
}
