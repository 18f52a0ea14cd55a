package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/stancetrack/stancetrack/charts"
	"github.com/stancetrack/stancetrack/export"
	"github.com/stancetrack/stancetrack/store"
)

// chartView is one chart page and its twins, Datasette-shaped: one rows
// function feeds the HTML page, /charts/NAME.json and /charts/NAME.csv, so
// the twins return exactly the rows the chart draws.
type chartView[T any] struct {
	name  string // URL: /charts/NAME
	title string
	lead  string // one sentence under the title: what the analyst sees
	rows  func(ctx context.Context, st *store.Store, f store.Filter) ([]T, error)
	table func(rows []T) [][]string // CSV, header first
	draw  func(rows []T, src charts.Source, f store.Filter) ([]charts.Rendered, error)
	note  func(rows []T) string // optional plain-language remark
	// legend shows the purview colour key under the chart (the map has none of its own).
	legend bool
}

func addChart[T any](s *Server, v chartView[T]) {
	base := "/charts/" + v.name
	s.app.Get(base+".json", func(c *fiber.Ctx) error {
		rows, _, err := chartRows(s, c, v.rows)
		if err != nil {
			return err
		}
		return c.JSON(rows)
	})
	s.app.Get(base+".csv", func(c *fiber.Ctx) error {
		rows, _, err := chartRows(s, c, v.rows)
		if err != nil {
			return err
		}
		return sendCSV(c, v.name, v.table(rows))
	})
	s.app.Get(base, func(c *fiber.Ctx) error {
		rows, f, err := chartRows(s, c, v.rows)
		if err != nil {
			return err
		}
		ctx, cancel := s.ctx(c)
		defer cancel()
		pv := &view{Title: v.title, Active: v.name, Filter: f}
		if err := s.fillCommon(ctx, pv); err != nil {
			return err
		}
		data := chartPage{Lead: v.lead, Empty: len(rows) == 0, Legend: v.legend,
			JSONURL: withPairs(base+".json", f), CSVURL: withPairs(base+".csv", f)}
		if v.note != nil {
			data.Note = v.note(rows)
		}
		if len(rows) > 0 && !pv.NoMeetings {
			src, err := s.source(ctx, f)
			if err != nil {
				return err
			}
			if pv.Charts, err = v.draw(rows, src, f); err != nil {
				return err
			}
		}
		pv.Data = data
		return s.render(c, "chart", pv)
	})
}

// chartPage is the data of templates/chart.html.
type chartPage struct {
	Lead, Note      string
	Empty, Legend   bool
	JSONURL, CSVURL string
}

// chartRows parses the filter and runs a view's rows query.
func chartRows[T any](s *Server, c *fiber.Ctx, rows func(context.Context, *store.Store, store.Filter) ([]T, error)) ([]T, store.Filter, error) {
	f, err := parseFilter(c)
	if err != nil {
		return nil, f, err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	r, err := rows(ctx, s.store, f)
	return r, f, err
}

// source cites the meetings behind a view and the codebook version.
func (s *Server) source(ctx context.Context, f store.Filter) (charts.Source, error) {
	m, err := s.store.Sources(ctx, f)
	if err != nil {
		return charts.Source{}, err
	}
	return charts.Source{Meetings: m, CodebookVersion: s.codebook}, nil
}

// sendCSV writes a table as a CSV attachment. Cells are neutralised
// against spreadsheet formula injection: names come from documents.
func sendCSV(c *fiber.Ctx, name string, table [][]string) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for _, row := range table {
		for i := range row {
			row[i] = export.SafeCell(row[i])
		}
		if err := w.Write(row); err != nil {
			return fmt.Errorf("csv %s: %w", name, err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("csv %s: %w", name, err)
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.csv"`)
	return c.Send(buf.Bytes())
}

func itoa(n int) string { return strconv.Itoa(n) }

// renderCharts renders charts built by the charts package.
func renderCharts(items ...renderItem) ([]charts.Rendered, error) {
	out := make([]charts.Rendered, 0, len(items))
	for _, it := range items {
		r, err := charts.Render(it.c, it.id, it.title, it.height)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

type renderItem struct {
	c      charts.Chart
	id     string
	title  string
	height int
}
