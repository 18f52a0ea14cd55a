package report

import (
	"context"
	"io"
	"testing"

	"github.com/stancetrack/stancetrack/browser"
	"github.com/stancetrack/stancetrack/store"
)

// BenchmarkPNGWarm measures one PNG export (purview, 1600×900, the seed
// SC/12751) with the browser already running: rows, option, one tab, draw,
// encode.
//
//	go test ./report -run '^$' -bench PNGWarm -benchtime 20x
func BenchmarkPNGWarm(b *testing.B) {
	requireChromium(b)
	st := seedStore(b)
	ctx := context.Background()
	r := browser.New(browser.Options{})
	defer r.Close()
	render := func() {
		d, err := ChartData(ctx, st, "purview", store.Filter{}, "bench")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := RenderChart(ctx, r, d, "png", Size{}, "2026-01-01"); err != nil {
			b.Fatal(err)
		}
	}
	render() // start the browser
	b.ResetTimer()
	for b.Loop() {
		render()
	}
}

// BenchmarkPack measures a full figure pack of the seed (8 figures as PNG
// and SVG, 6 CSV and JSON, XLSX, GraphML) with the browser running.
//
//	go test ./report -run '^$' -bench Pack -benchtime 5x
func BenchmarkPack(b *testing.B) {
	requireChromium(b)
	st := seedStore(b)
	ctx := context.Background()
	r := browser.New(browser.Options{})
	defer r.Close()
	pack := func() {
		if _, err := WritePack(ctx, io.Discard, st, store.Filter{}, r, PackOptions{Date: "2026-01-01", CodebookVersion: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
	pack()
	b.ResetTimer()
	for b.Loop() {
		pack()
	}
}
