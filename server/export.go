package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stancetrack/stancetrack/browser"
	"github.com/stancetrack/stancetrack/charts"
	"github.com/stancetrack/stancetrack/report"
	"github.com/stancetrack/stancetrack/store"
)

// exporter serves /export/...: the same files as `stancetrack export`,
// made by the same report code. Figures are rendered by one Chromium per
// server, started on the first PNG/SVG request and stopped on Shutdown;
// the renderer bounds concurrent renders (2) and times out a stuck one
// (20 s), so a burst of downloads cannot start a browser each.
type exporter struct {
	s    *Server
	rend *browser.Renderer
}

// exportRoutes registers the export routes and stops the browser when the
// server shuts down.
func (s *Server) exportRoutes() {
	ex := &exporter{s: s, rend: browser.New(browser.Options{})}
	s.exporter = ex
	s.app.Hooks().OnShutdown(ex.rend.Close)
	s.app.Head("/export/statements.xlsx", headFile("statements.xlsx", "xlsx"))
	s.app.Head("/export/network.graphml", headFile("network.graphml", "graphml"))
	s.app.Head("/export/pack.zip", headFile("report-pack.zip", "zip"))
	s.app.Get("/export/chart/:file", ex.chart)
	s.app.Get("/export/statements.xlsx", ex.statementsXLSX)
	s.app.Get("/export/network.graphml", ex.network)
	s.app.Get("/export/pack.zip", ex.pack)
}

// renderFigures renders a view's figures for a dashboard page.
func renderFigures(figs []report.Figure) ([]charts.Rendered, error) {
	out := make([]charts.Rendered, 0, len(figs))
	for _, f := range figs {
		r, err := charts.Render(f.Chart, f.ChartID, f.Title, f.Height)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// exportDate is the date printed in figures: the day of the download.
func exportDate() string { return time.Now().UTC().Format("2006-01-02") }

// mimeTypes of the export formats.
var mimeTypes = map[string]string{
	"png":     "image/png",
	"svg":     "image/svg+xml",
	"csv":     "text/csv; charset=utf-8",
	"json":    "application/json; charset=utf-8",
	"html":    "text/html; charset=utf-8",
	"xlsx":    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"graphml": "application/graphml+xml",
	"zip":     "application/zip",
}

// headFile answers HEAD of a download from its headers alone: the file is
// made on request (a pack renders every figure, seconds of work), and a
// HEAD, which link checkers and download managers send first, must not
// make it. The filters are still checked, so a HEAD that would fail says so.
func headFile(name, format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if _, err := parseFilter(c); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, mimeTypes[format])
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
		return nil
	}
}

func sendFile(c *fiber.Ctx, name, format string, b []byte) error {
	c.Set(fiber.HeaderContentType, mimeTypes[format])
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Send(b)
}

// sizeParam reads ?width= and ?height= (pixels) for figures.
func sizeParam(c *fiber.Ctx) (report.Size, error) {
	var s report.Size
	for _, p := range []struct {
		key string
		dst *int
	}{{"width", &s.Width}, {"height", &s.Height}} {
		v := c.Query(p.key)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return s, badRequest("%s must be a whole number of pixels, got %q", p.key, v)
		}
		*p.dst = n
	}
	if err := s.Check(); err != nil {
		return s, badRequest("invalid size: %v", err)
	}
	return s, nil
}

// renderError maps the renderer's failures to what the user can do.
func renderError(err error) error {
	switch {
	case errors.Is(err, browser.ErrNoChromium), errors.Is(err, browser.ErrAssets):
		return fiber.NewError(fiber.StatusServiceUnavailable, "figure export is unavailable on this server: "+err.Error())
	case errors.Is(err, browser.ErrBusy):
		return fiber.NewError(fiber.StatusServiceUnavailable, err.Error())
	case errors.Is(err, context.DeadlineExceeded):
		return fiber.NewError(fiber.StatusGatewayTimeout, "rendering the figure took too long and was stopped; try again, "+
			"or narrow the filters (CSV and JSON downloads need no rendering)")
	}
	return err
}

// source is the provenance of an export under f: the codebook versions
// stored with the tags (the running codebook when there is none).
func (ex *exporter) source(ctx context.Context, f store.Filter) (report.Provenance, error) {
	v, err := report.CodebookVersion(ctx, ex.s.store, ex.s.codebook)
	if err != nil {
		return report.Provenance{}, err
	}
	return report.Source(ctx, ex.s.store, f, v)
}

// chart serves /export/chart/NAME.FORMAT.
func (ex *exporter) chart(c *fiber.Ctx) error {
	file, err := pathParam(c, "file")
	if err != nil {
		return err
	}
	name, format, _ := strings.Cut(file, ".")
	if !slices.Contains(report.Names, name) {
		return badRequest("unknown chart %q: want one of %s", name, strings.Join(report.Names, ", "))
	}
	if !slices.Contains(report.ChartFormats, format) {
		return badRequest("unknown format %q for a chart: want one of %s", format, strings.Join(report.ChartFormats, ", "))
	}
	f, err := parseFilter(c)
	if err != nil {
		return err
	}
	size, err := sizeParam(c)
	if err != nil {
		return err
	}
	ctx, cancel := ex.s.ctx(c)
	defer cancel()
	v, err := report.CodebookVersion(ctx, ex.s.store, ex.s.codebook)
	if err != nil {
		return err
	}
	d, err := report.ChartData(ctx, ex.s.store, name, f, v)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	switch format {
	case "csv":
		err = report.WriteCSV(&buf, d)
	case "json":
		err = report.WriteJSON(&buf, d)
	case "html":
		err = report.WriteHTML(&buf, d, size, exportDate(), nil)
		if errors.Is(err, browser.ErrAssets) {
			err = renderError(err)
		}
	case "png", "svg":
		var b []byte
		if b, err = report.RenderChart(ctx, ex.rend, d, format, size, exportDate()); err != nil {
			return renderError(err)
		}
		buf.Write(b)
	}
	if err != nil {
		return err
	}
	return sendFile(c, name+"."+format, format, buf.Bytes())
}

// statementsXLSX serves /export/statements.xlsx: every statement the
// filter selects, flagged duplicates included, as `export statements`.
func (ex *exporter) statementsXLSX(c *fiber.Ctx) error {
	f, err := parseFilter(c)
	if err != nil {
		return err
	}
	f.IncludeDuplicates = true
	ctx, cancel := ex.s.ctx(c)
	defer cancel()
	if err := ex.bound(ctx, f); err != nil {
		return err
	}
	p, err := ex.source(ctx, f)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := report.WriteStatementsXLSX(ctx, &buf, ex.s.store, f, p); err != nil {
		if errors.Is(err, report.ErrTooManyRows) {
			return badRequest("%v", err)
		}
		return err
	}
	return sendFile(c, "statements.xlsx", "xlsx", buf.Bytes())
}

// bound refuses a workbook of more statements than the statements
// downloads allow: the server builds it in memory. The CLI has no bound.
func (ex *exporter) bound(ctx context.Context, f store.Filter) error {
	f.IncludeDuplicates = true
	_, total, err := ex.s.store.Statements(ctx, f, 0, 0)
	if err != nil {
		return err
	}
	if total > maxExport {
		return badRequest("the filters select %d statements; a workbook from the server holds at most %d: narrow the filters, "+
			"or use `stancetrack export statements --format xlsx` or `stancetrack export pack`", total, maxExport)
	}
	return nil
}

// network serves /export/network.graphml.
func (ex *exporter) network(c *fiber.Ctx) error {
	f, err := parseFilter(c)
	if err != nil {
		return err
	}
	ctx, cancel := ex.s.ctx(c)
	defer cancel()
	p, err := ex.source(ctx, f)
	if err != nil {
		return err
	}
	n, err := report.LoadNetwork(ctx, ex.s.store, f)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.WriteGraphML(&buf, n, p); err != nil {
		return err
	}
	return sendFile(c, "network.graphml", "graphml", buf.Bytes())
}

// pack serves /export/pack.zip: every chart as PNG, SVG, CSV and JSON,
// statements.xlsx, network.graphml and a README.
func (ex *exporter) pack(c *fiber.Ctx) error {
	f, err := parseFilter(c)
	if err != nil {
		return err
	}
	size, err := sizeParam(c)
	if err != nil {
		return err
	}
	ctx, cancel := ex.s.ctx(c)
	defer cancel()
	if err := ex.bound(ctx, f); err != nil {
		return err
	}
	v, err := report.CodebookVersion(ctx, ex.s.store, ex.s.codebook)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	_, err = report.WritePack(ctx, &buf, ex.s.store, f, ex.rend, report.PackOptions{Size: size, Date: exportDate(), CodebookVersion: v})
	if err != nil {
		if errors.Is(err, report.ErrTooManyRows) {
			return badRequest("%v", err)
		}
		return renderError(fmt.Errorf("pack: %w", err))
	}
	return sendFile(c, "report-pack.zip", "zip", buf.Bytes())
}

// drawWith draws a report view for a dashboard page whose filter is f:
// data items link to the statements behind them.
func drawWith[T any](v report.View[T]) func([]T, charts.Source, store.Filter) ([]charts.Rendered, error) {
	return func(rows []T, src charts.Source, f store.Filter) ([]charts.Rendered, error) {
		return renderFigures(v.Figures(rows, src, statementsLink(f), delegationURL))
	}
}
