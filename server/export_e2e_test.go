package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// TestBrowserDownloadButtons clicks the download buttons of a chart page
// in Chromium and checks the files the browser saves: a PNG of the
// default size and the CSV, both for the page's filters.
func TestBrowserDownloadButtons(t *testing.T) {
	chrome := requireBrowser(t)
	srv, _ := newTestServer(t, true)
	ctx, base := startBrowser(t, chrome, srv)
	dir := t.TempDir()
	tctx, tcancel := context.WithTimeout(ctx, 60*time.Second)
	defer tcancel()
	page := base + "/charts/purview?meeting=SC%2F12751"
	if err := chromedp.Do(tctx, chromedp.Navigate(page), chromedp.WaitReady(chromedp.CSS("#downloads")),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
				Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: new(true)})
			return err
		})); err != nil {
		t.Fatal(err)
	}
	hrefs, err := chromedp.Run(tctx, chromedp.Evaluate[map[string]string](
		`Object.fromEntries([...document.querySelectorAll("#downloads a.download")].map(a => [a.dataset.format, a.getAttribute("href")]))`))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"png", "svg", "csv", "json", "html", "zip"} {
		h, ok := hrefs[f]
		if !ok {
			t.Errorf("no %s download button (buttons: %v)", f, hrefs)
			continue
		}
		u, err := url.Parse(h)
		if err != nil || u.Query().Get("meeting") != "SC/12751" || !strings.HasPrefix(u.Path, "/export/") {
			t.Errorf("%s button links to %q, want an /export/ URL with the page's filter", f, h)
		}
	}

	// download clicks the button of a format and returns the saved file.
	download := func(format string) []byte {
		t.Helper()
		progress := chromedp.Events(tctx, cdpbrowser.DownloadProgress)
		if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS(`#downloads a[data-format="`+format+`"]`))); err != nil {
			t.Fatalf("click %s: %v", format, err)
		}
		for ev, err := range progress {
			if err != nil {
				t.Fatalf("%s download: %v", format, err)
			}
			switch ev.State {
			case cdpbrowser.DownloadProgressStateCompleted:
				b, err := os.ReadFile(filepath.Join(dir, ev.GUID))
				if err != nil {
					t.Fatal(err)
				}
				return b
			case cdpbrowser.DownloadProgressStateCanceled:
				t.Fatalf("%s download was cancelled", format)
			}
		}
		return nil
	}
	img := download("png")
	cfg, err := png.DecodeConfig(bytes.NewReader(img))
	if err != nil || cfg.Width != 1600 || cfg.Height != 900 {
		t.Errorf("downloaded PNG: %+v, %v; want 1600×900", cfg, err)
	}
	text := string(download("csv"))
	if !strings.Contains(text, "# Source: UN meetings SC/12751 (2017-03-15)\n") {
		t.Errorf("downloaded CSV lacks its source line:\n%.300s", text)
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comment = '#'
	recs, err := r.ReadAll()
	// Seven delegations spoke at SC/12751; the two objectors come first.
	if err != nil || len(recs) != 8 || recs[0][0] != "delegation" || recs[1][0] != "Brazil" || recs[2][0] != "Russian Federation" {
		t.Errorf("downloaded CSV rows: %v, %v", recs, err)
	}
}
