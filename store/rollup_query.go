package store

import (
	"math"
	"strconv"
	"strings"
)

// This file decides where a dashboard aggregate reads its rows from. Every
// aggregate is a GROUP BY over "cells": rows of grouping columns and a count
// n of non-duplicate statements. Cells come from
//
//   - the rollups, per bucket of meetings (body, year, dated) and for all
//     meetings (the global bucket), when the filter selects whole buckets
//     (no filter, body, whole years);
//   - the statement-grain derived tables (meeting_purview, statement_values,
//     statement_blocs) for the meetings of partial buckets (a meeting list,
//     dates that cut a year);
//   - the base tables, exactly, when a filter looks inside statements
//     (group, frame, instrument, full text): the statements it selects are
//     found through indexes and only they are read.
//
// Filters on delegation, kind, Council seat and purview are columns of every
// cell, so they apply to all three sources.

// scope is where one filter's cells come from.
type scope struct {
	exact      bool   // read base tables; cond selects the statements (alias s)
	cond       string // exact only
	args       []any
	full       string // condition over rollup bucket columns; "" reads no rollup row
	fullArgs   []any
	part       string // condition over meetings m read at statement grain; "" reads none
	partArgs   []any
	meet       string // all meeting-level filters over meetings m, "" when none
	meetArgs   []any
	cell       string // condition over cell columns delegation, kind, council, purview
	cellArgs   []any
	delegation bool   // the cell condition names delegations
	filter     Filter // as planned, for sources that fall back to exact
}

// statementFilters reports whether the filter looks inside statements, which
// no rollup can answer.
func (f Filter) statementFilters() bool {
	return f.Group != "" || f.Frame != "" || f.Instrument != "" || FTSQuery(f.Q) != ""
}

// planScope picks the cheapest exact source for an aggregate. Aggregates
// never count duplicate copies of a turn, whatever f.IncludeDuplicates says.
func planScope(f Filter) scope {
	f.IncludeDuplicates = false
	sc := scope{filter: f}
	if f.statementFilters() {
		sc.exact = true
		sc.cond, sc.args = f.exactWhere()
		return sc
	}
	sc.cell, sc.cellArgs = f.cellWhere()
	sc.delegation = len(f.Delegations) > 0
	sc.meet, sc.meetArgs = f.meetingWhere()
	switch {
	case len(f.Meetings) > 0:
		sc.part, sc.partArgs = sc.meet, sc.meetArgs
	case sc.meet == "":
		sc.full = "body = '' AND year = -1 AND dated = -1" // the global bucket, a key prefix
	default:
		full := []string{"dated >= 0"}
		if f.Body != "" {
			full = append(full, "body = ?")
			sc.fullArgs = append(sc.fullArgs, f.Body)
		}
		if f.From != "" || f.To != "" {
			// Undated meetings are in range by their year alone (see
			// Filter), so their buckets (dated = 0) are always whole: in
			// when the year lies within the bounds' years, never for year 0
			// (unknown). Dated buckets are whole for the years the dates
			// span entirely, which lie within the bounds' years too.
			lo, hi := fullYears(f.From, f.To)
			ylo, yhi := boundYears(f.From, f.To)
			full = append(full, "year BETWEEN ? AND ?",
				"((dated = 0 AND year <> 0) OR (dated = 1 AND year BETWEEN ? AND ?))")
			sc.fullArgs = append(sc.fullArgs, ylo, yhi, lo, hi)
			// Dated meetings of the years the dates cut are read one by one.
			cut := lo > hi || (f.From != "" && !strings.HasSuffix(f.From, "-01-01")) ||
				(f.To != "" && !strings.HasSuffix(f.To, "-12-31"))
			if cut {
				sc.part = sc.meet + " AND m.date IS NOT NULL AND CAST(substr(m.date, 1, 4) AS INTEGER) NOT BETWEEN ? AND ?"
				sc.partArgs = append(append([]any{}, sc.meetArgs...), lo, hi)
			}
		}
		sc.full = strings.Join(full, " AND ")
	}
	return sc
}

// fullYears returns the years wholly inside [from, to] (either may be
// empty). Stored dates are YYYY-MM-DD, so year Y is inside when
// from <= Y-01-01 and Y-12-31 <= to. An unreadable bound gives an empty
// range: every meeting is then read one by one, which is still exact.
func fullYears(from, to string) (lo, hi int) {
	lo, hi = math.MinInt32, math.MaxInt32
	if from != "" {
		y, err := strconv.Atoi(from[:min(4, len(from))])
		if err != nil || len(from) != 10 {
			return 1, 0
		}
		lo = y
		if from[4:] != "-01-01" {
			lo = y + 1
		}
	}
	if to != "" {
		y, err := strconv.Atoi(to[:min(4, len(to))])
		if err != nil || len(to) != 10 {
			return 1, 0
		}
		hi = y
		if to[4:] != "-12-31" {
			hi = y - 1
		}
	}
	return lo, hi
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// meetingWhere is the meeting-level part of the filter over meetings m, or
// "" when there is none.
func (f Filter) meetingWhere() (string, []any) {
	var conds []string
	var args []any
	if len(f.Meetings) > 0 {
		conds = append(conds, "m.symbol IN ("+placeholders(len(f.Meetings))+")")
		for _, v := range f.Meetings {
			args = append(args, v)
		}
	}
	if f.Body != "" {
		conds = append(conds, "m.body = ?")
		args = append(args, f.Body)
	}
	dc, da := f.dateWhere()
	conds = append(conds, dc...)
	args = append(args, da...)
	return strings.Join(conds, " AND "), args
}

// cellWhere is the filter on cell columns (delegation, kind, council as
// 1/0/-1, purview as its code).
func (f Filter) cellWhere() (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	if len(f.Delegations) > 0 {
		conds = append(conds, "delegation IN ("+placeholders(len(f.Delegations))+")")
		for _, v := range f.Delegations {
			args = append(args, v)
		}
	}
	if f.Kind != "" {
		conds = append(conds, "kind = ?")
		args = append(args, f.Kind)
	}
	switch f.Council {
	case "members":
		conds = append(conds, "council = 1")
	case "non-members":
		conds = append(conds, "council = 0")
	}
	switch f.Purview {
	case "":
	case "objections":
		conds = append(conds, "purview IN (2, 3)")
	default:
		code, ok := purviewCodes[f.Purview]
		if !ok {
			code = -1 // matches nothing, as the text comparison did
		}
		conds = append(conds, "purview = ?")
		args = append(args, code)
	}
	return strings.Join(conds, " AND "), args
}

// exactWhere is Filter.where() over statements s alone, shaped so that the
// planner can start from the most selective part: meeting filters, blocs,
// tag values and full text are rowid or meeting_id IN (subquery) lists,
// which SQLite walks with index lookups instead of testing every statement.
func (f Filter) exactWhere() (string, []any) { return f.exactWhereFTS(false) }

// exactWhereFTS is exactWhere; with probe, the full-text condition is a
// lookup per statement instead of a list of every match: dearer per
// statement (~70 µs), but a page of a common word walks few statements,
// while the list costs a b-tree insert per match.
func (f Filter) exactWhereFTS(probe bool) (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	if !f.IncludeDuplicates {
		conds = append(conds, "s.duplicate_of IS NULL")
	}
	if mc, ma := f.meetingWhere(); mc != "" {
		conds = append(conds, "s.meeting_id IN (SELECT m.id FROM meetings m WHERE "+mc+")")
		args = append(args, ma...)
	}
	if len(f.Delegations) > 0 {
		conds = append(conds, "s.delegation IN ("+placeholders(len(f.Delegations))+")")
		for _, v := range f.Delegations {
			args = append(args, v)
		}
	}
	if f.Kind != "" {
		conds = append(conds, "s.kind = ?")
		args = append(args, f.Kind)
	}
	switch f.Council {
	case "members":
		conds = append(conds, "s.council_member = 1")
	case "non-members":
		conds = append(conds, "s.council_member = 0")
	}
	switch f.Purview {
	case "":
	case "objections":
		conds = append(conds, "s.purview IN ('contests', 'conditional')")
	default:
		conds = append(conds, "s.purview = ?")
		args = append(args, f.Purview)
	}
	if f.Group != "" {
		conds = append(conds, "s.id IN (SELECT statement_id FROM statement_blocs WHERE bloc = ?)")
		args = append(args, f.Group)
	}
	for _, dv := range [][2]string{{"frame", f.Frame}, {"instrument", f.Instrument}} {
		if dv[1] == "" {
			continue
		}
		conds = append(conds, "s.id IN (SELECT statement_id FROM tags WHERE dimension = ? AND value = ?)")
		args = append(args, dv[0], dv[1])
	}
	if q := FTSQuery(f.Q); q != "" {
		if probe {
			conds = append(conds, "EXISTS (SELECT 1 FROM statements_fts WHERE statements_fts MATCH ? AND rowid = s.id)")
		} else {
			conds = append(conds, "s.id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)")
		}
		args = append(args, q)
	}
	return strings.Join(conds, " AND "), args
}

// union joins the non-empty branches with UNION ALL; with none, it returns
// a query of the same columns that yields no row.
func union(empty string, branches ...branch) (string, []any) {
	var parts []string
	var args []any
	for _, b := range branches {
		if b.sql == "" {
			continue
		}
		parts = append(parts, b.sql)
		args = append(args, b.args...)
	}
	if len(parts) == 0 {
		return empty, nil
	}
	return strings.Join(parts, " UNION ALL "), args
}

type branch struct {
	sql  string
	args []any
}

func cat(a ...[]any) []any {
	var out []any
	for _, x := range a {
		out = append(out, x...)
	}
	return out
}

// purviewCells: delegation, iso3, kind, council, purview, n.
func (sc scope) purviewCells() (string, []any) {
	if sc.exact {
		return `SELECT s.delegation, s.iso3, s.kind, ` + councilCode("s.council_member") + ` AS council, ` +
			purviewCodeOf("s.purview") + ` AS purview, 1 AS n FROM statements s WHERE ` + sc.cond, sc.args
	}
	var full, part branch
	if sc.full != "" {
		full = branch{`SELECT delegation, iso3, kind, council, purview, n FROM rollup_purview WHERE ` + sc.full +
			` AND ` + sc.cell, cat(sc.fullArgs, sc.cellArgs)}
	}
	if sc.part != "" {
		part = branch{`SELECT delegation, iso3, kind, council, purview, n FROM meeting_purview
			WHERE meeting_id IN (SELECT m.id FROM meetings m WHERE ` + sc.part + `) AND ` + sc.cell, cat(sc.partArgs, sc.cellArgs)}
	}
	return union(`SELECT '' AS delegation, '' AS iso3, '' AS kind, 0 AS council, 0 AS purview, 0 AS n WHERE 0`, full, part)
}

// valueCells: value, delegation, kind, council, purview, n for one dimension.
func (sc scope) valueCells(dim string) (string, []any) {
	if sc.exact {
		return `SELECT v.value, v.delegation, v.kind, v.council, v.purview, 1 AS n
			FROM statements s JOIN statement_values v ON v.meeting_id = s.meeting_id AND v.statement_id = s.id
			WHERE v.dimension = ? AND ` + sc.cond, cat([]any{dim}, sc.args)
	}
	var full, part branch
	if sc.full != "" {
		full = branch{`SELECT value, delegation, kind, council, purview, n FROM rollup_values
			WHERE dimension = ? AND ` + sc.full + ` AND ` + sc.cell, cat([]any{dim}, sc.fullArgs, sc.cellArgs)}
	}
	if sc.part != "" {
		part = branch{`SELECT value, delegation, kind, council, purview, 1 AS n FROM statement_values
			WHERE meeting_id IN (SELECT m.id FROM meetings m WHERE ` + sc.part + `) AND dimension = ? AND ` + sc.cell,
			cat(sc.partArgs, []any{dim}, sc.cellArgs)}
	}
	return union(`SELECT '' AS value, '' AS delegation, '' AS kind, 0 AS council, 0 AS purview, 0 AS n WHERE 0`, full, part)
}

// blocCells: bloc, delegation, kind, council, purview, n. rollup_blocs has
// no delegation column: with a delegation filter the cells are read exactly.
func (sc scope) blocCells() (string, []any) {
	if sc.delegation {
		f := sc.filter
		sc = scope{exact: true, filter: f}
		sc.cond, sc.args = f.exactWhere()
	}
	if sc.exact {
		return `SELECT b.bloc, b.delegation, b.kind, b.council, b.purview, 1 AS n FROM statement_blocs b
			WHERE b.duplicate = 0 AND b.statement_id IN (SELECT s.id FROM statements s WHERE ` + sc.cond + `)`, sc.args
	}
	var full, part branch
	if sc.full != "" {
		full = branch{`SELECT bloc, '' AS delegation, kind, council, purview, n FROM rollup_blocs WHERE ` + sc.full +
			` AND ` + sc.cell, cat(sc.fullArgs, sc.cellArgs)}
	}
	if sc.part != "" {
		part = branch{`SELECT bloc, delegation, kind, council, purview, 1 AS n FROM statement_blocs
			WHERE statement_id IN (SELECT s.id FROM statements s WHERE s.meeting_id IN
				(SELECT m.id FROM meetings m WHERE ` + sc.part + `)) AND duplicate = 0 AND ` + sc.cell,
			cat(sc.partArgs, sc.cellArgs)}
	}
	return union(`SELECT '' AS bloc, '' AS delegation, '' AS kind, 0 AS council, 0 AS purview, 0 AS n WHERE 0`, full, part)
}

// meetingCells: meeting_id, purview, n. rollup_meetings has no delegation
// column; a delegation filter reads meeting_purview through its delegation
// index instead.
func (sc scope) meetingCells() (string, []any) {
	if sc.exact {
		return `SELECT s.meeting_id, ` + purviewCodeOf("s.purview") + ` AS purview, 1 AS n FROM statements s WHERE ` +
			sc.cond, sc.args
	}
	table := "rollup_meetings"
	if sc.delegation {
		table = "meeting_purview"
	}
	q := `SELECT meeting_id, purview, n FROM ` + table + ` WHERE ` + sc.cell
	args := sc.cellArgs
	if sc.meet != "" {
		q += ` AND meeting_id IN (SELECT m.id FROM meetings m WHERE ` + sc.meet + `)`
		args = cat(args, sc.meetArgs)
	}
	return q, args
}

// cellSums counts cells by purview code; the column order matches
// scanPurviewSums.
const cellSums = `SUM(n * (purview = 1)), SUM(n * (purview = 2)), SUM(n * (purview = 3)), SUM(n * (purview = 0)), SUM(n)`
