package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"strconv"
	"strings"

	"github.com/stancetrack/stancetrack/browser"
	"github.com/stancetrack/stancetrack/static"
)

// Renderer renders figures; *browser.Renderer is the real one.
type Renderer interface {
	Render(ctx context.Context, jobs []browser.Job) ([][]byte, error)
}

// Default figure size in pixels: a 16:9 slide.
const (
	DefaultWidth  = 1600
	DefaultHeight = 900
)

// FigureFormats are the chart export formats that draw a figure; the
// others (csv, json) write the rows.
var FigureFormats = []string{"png", "svg", "html"}

// ChartFormats are every format `export chart` and /export/chart take.
var ChartFormats = []string{"png", "svg", "csv", "json", "html"}

// Size is a figure's size in pixels; zero fields take the defaults.
type Size struct{ Width, Height int }

func (s Size) orDefault() Size {
	if s.Width == 0 {
		s.Width = DefaultWidth
	}
	if s.Height == 0 {
		s.Height = DefaultHeight
	}
	return s
}

// Check reports a size out of the renderer's bounds.
func (s Size) Check() error {
	s = s.orDefault()
	if s.Width < browser.MinSize || s.Width > browser.MaxSize || s.Height < browser.MinSize || s.Height > browser.MaxSize {
		return fmt.Errorf("width and height must be %d to %d pixels, got %d×%d", browser.MinSize, browser.MaxSize, s.Width, s.Height)
	}
	return nil
}

// footerHeight is the room the provenance footer takes at the bottom.
const footerHeight = 26

// FigureOption returns the echarts option of a figure as exported: the
// chart's own option with a white background, the source meetings as the
// subtitle and a footer with the codebook, the filters and the export date
// (date, YYYY-MM-DD). A static figure (PNG, SVG) also loses the toolbox
// and the zoom slider, which do nothing on paper; an interactive one
// (HTML) keeps them.
func FigureOption(fig Figure, p Provenance, date string, interactive bool) ([]byte, error) {
	fig.Chart.Validate()
	raw, err := json.Marshal(fig.Chart.JSON())
	if err != nil {
		return nil, fmt.Errorf("report: figure %s: %w", fig.ID, err)
	}
	var opt map[string]any
	if err := json.Unmarshal(raw, &opt); err != nil {
		return nil, fmt.Errorf("report: figure %s: %w", fig.ID, err)
	}
	opt["animation"] = false
	opt["backgroundColor"] = "#fff"
	each(opt["title"], func(t map[string]any) {
		t["subtext"] = "Source: UN meetings " + p.MeetingsText(6)
		t["top"], t["left"] = 8, 8 // at 0 the title's first line is clipped
	})
	footer := p.Codebook() + " · filters: " + p.FilterText() + " · exported " + date + " with stancetrack"
	opt["graphic"] = []any{map[string]any{
		"type": "text", "left": 12, "bottom": 8, "silent": true,
		"style": map[string]any{"text": footer, "fill": "#555", "fontSize": 12},
	}}
	if !interactive {
		each(opt["toolbox"], func(t map[string]any) { t["show"] = false })
		delete(opt, "dataZoom")
	}
	// Make room for the footer under whatever sits at the bottom.
	for _, key := range []string{"grid", "legend", "visualMap", "dataZoom"} {
		each(opt[key], func(c map[string]any) {
			if b, ok := pixels(c["bottom"]); ok {
				c["bottom"] = b + footerHeight
			} else if key == "grid" {
				c["bottom"] = 60 + footerHeight // echarts' default grid bottom
			}
		})
	}
	each(opt["series"], func(s map[string]any) {
		switch s["type"] {
		case "map", "graph":
			// Below the title and legend, above the footer.
			s["top"], s["bottom"] = 80, footerHeight+24
		}
	})
	out, err := json.Marshal(opt) // escapes < > &: safe inside <script>
	if err != nil {
		return nil, fmt.Errorf("report: figure %s: %w", fig.ID, err)
	}
	return out, nil
}

// each calls fn for v if it is an object, or for each object in v if it
// is an array: echarts takes both for most components.
func each(v any, fn func(map[string]any)) {
	switch t := v.(type) {
	case map[string]any:
		fn(t)
	case []any:
		for _, x := range t {
			if m, ok := x.(map[string]any); ok {
				fn(m)
			}
		}
	}
}

// pixels reads a position given in pixels ("70", 70); percentages and
// keywords are not pixels.
func pixels(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case string:
		f, err := strconv.ParseFloat(t, 64)
		return f, err == nil
	}
	return 0, false
}

// RenderFigures renders figures in the given formats (png, svg) at size
// and returns their bytes in order: for each figure, one entry per format.
func RenderFigures(ctx context.Context, r Renderer, figs []Figure, p Provenance, formats []string, size Size, date string) ([][]byte, error) {
	size = size.orDefault()
	if err := size.Check(); err != nil {
		return nil, err
	}
	var jobs []browser.Job
	for _, fig := range figs {
		opt, err := FigureOption(fig, p, date, false)
		if err != nil {
			return nil, err
		}
		for _, format := range formats {
			jobs = append(jobs, browser.Job{ID: fig.ID + "-" + format, Option: opt, Format: format,
				Width: size.Width, Height: size.Height})
		}
	}
	// At most pagePixels of figures per page (always at least one figure):
	// a pack of sixteen poster-size figures on one page made the browser
	// hold gigabytes at once, while default-size figures still share pages.
	const pagePixels = 8_000_000
	out := make([][]byte, 0, len(jobs))
	for start := 0; start < len(jobs); {
		end, pixels := start, 0
		for end < len(jobs) && (end == start || pixels+jobs[end].Width*jobs[end].Height <= pagePixels) {
			pixels += jobs[end].Width * jobs[end].Height
			end++
		}
		part, err := r.Render(ctx, jobs[start:end])
		if err != nil {
			return nil, err
		}
		out = append(out, part...)
		start = end
	}
	return out, nil
}

// RenderChart renders a chart's main figure as PNG or SVG.
func RenderChart(ctx context.Context, r Renderer, d Data, format string, size Size, date string) ([]byte, error) {
	figs := d.Figures()
	if len(figs) == 0 {
		return nil, fmt.Errorf("report: chart %s has no figure", d.Name)
	}
	out, err := RenderFigures(ctx, r, figs[:1], d.Source, []string{format}, size, date)
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// htmlPage is the self-contained page of one figure: echarts, the world
// map and the dashboard's app.js are inlined, so the file opens offline
// and draws exactly as the dashboard does.
var htmlPage = template.Must(template.New("html").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>body{margin:0;padding:1rem;font-family:sans-serif;background:#fff;color:#222}.chart{width:100%;min-height:320px}p{font-size:.85rem;color:#555}</style>
{{range .Scripts}}<script>{{.}}</script>
{{end}}</head>
<body>
<div class="chart" id="{{.ID}}" data-height="{{.Height}}" role="img" aria-label="{{.Title}}"></div>
<script type="application/json" id="{{.ID}}-option">{{.Option}}</script>
<p>Source: UN meetings {{.Meetings}}; {{.Codebook}}; filters: {{.Filters}}. Exported {{.Date}} with stancetrack.</p>
</body>
</html>
`))

// WriteHTML writes the chart's main figure as one HTML file that needs
// nothing else: no server, no network. assets holds the static files
// (nil: the embedded ones).
func WriteHTML(w io.Writer, d Data, size Size, date string, assets fs.FS) error {
	if assets == nil {
		assets = static.FS()
	}
	figs := d.Figures()
	if len(figs) == 0 {
		return fmt.Errorf("report: chart %s has no figure", d.Name)
	}
	fig := figs[0]
	opt, err := FigureOption(fig, d.Source, date, true)
	if err != nil {
		return err
	}
	var scripts []template.JS
	for _, name := range []string{static.EchartsJS, static.WorldMapJS, "js/app.js"} {
		if name == static.WorldMapJS && !bytes.Contains(opt, []byte(`"type":"map"`)) {
			continue
		}
		b, err := fs.ReadFile(assets, name)
		if errors.Is(err, fs.ErrNotExist) {
			return browser.ErrAssets
		}
		if err != nil {
			return fmt.Errorf("report: html: %w", err)
		}
		// "</script" would end the element early; "<\/script" means the
		// same inside JS strings and regular expressions.
		scripts = append(scripts, template.JS(strings.ReplaceAll(string(b), "</script", `<\/script`)))
	}
	height := size.orDefault().Height
	var buf bytes.Buffer
	err = htmlPage.Execute(&buf, map[string]any{
		"Title": fig.Title, "ID": fig.ChartID, "Height": height, "Scripts": scripts,
		"Option": template.JS(opt), "Meetings": d.Source.MeetingsText(0), "Codebook": d.Source.Codebook(),
		"Filters": d.Source.FilterText(), "Date": date,
	})
	if err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}
