package server

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stancetrack/stancetrack/charts"
	"github.com/stancetrack/stancetrack/export"
	"github.com/stancetrack/stancetrack/store"
)

const (
	statementsPerPage = 50
	// maxExport bounds the .json/.csv twins of /statements; the CLI's
	// `stancetrack export statements` streams the whole record.
	maxExport = 20000
	// maxProfileStatements bounds a delegation's profile page.
	maxProfileStatements = 500
)

func (s *Server) healthz(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	if err := s.store.Healthy(ctx); err != nil {
		return fiber.NewError(fiber.StatusServiceUnavailable, "database unavailable")
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString("ok")
}

// overviewPage is the data of templates/overview.html.
type overviewPage struct {
	Counts   store.Overview
	Meetings pager
}

// meetingsPerPage bounds the meeting lists of the overview and the audit.
const meetingsPerPage = 100

// pager is one page of a numbered list: where it starts and ends, and
// links to its neighbours that keep the page's filters.
type pager struct {
	Total, Page, Pages int
	First, Last        int  // 1-based positions of the page's first and last rows; 0 when empty
	Past               bool // Page is past the last page: an old link, or a typed URL
	PrevURL, NextURL   string
}

// newPager describes page (from 1) of total rows, perPage a page, of which
// shown are on this page; links go to path with f and page=N.
func newPager(path string, f store.Filter, page, perPage, total, shown int) pager {
	p := pager{Total: total, Page: page, Pages: max(1, (total+perPage-1)/perPage)}
	p.Past = page > p.Pages
	if shown > 0 {
		p.First = (page-1)*perPage + 1
		p.Last = p.First + shown - 1
	}
	if page > 1 {
		p.PrevURL = withPairs(path, f, "page", itoa(min(page-1, p.Pages)))
	}
	if page < p.Pages {
		p.NextURL = withPairs(path, f, "page", itoa(page+1))
	}
	return p
}

func (s *Server) overview(c *fiber.Ctx) error {
	f, err := parseFilter(c)
	if err != nil {
		return err
	}
	page, err := pageNumber(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	v := &view{Title: "Overview", Active: "overview", Filter: f}
	if err := s.fillCommon(ctx, v); err != nil {
		return err
	}
	var data overviewPage
	if !v.NoMeetings {
		var total int
		if v.Meetings, total, err = s.store.MeetingPage(ctx, meetingsPerPage, (page-1)*meetingsPerPage); err != nil {
			return err
		}
		data.Meetings = newPager("/", f, page, meetingsPerPage, total, len(v.Meetings))
		if data.Counts, err = s.store.Overview(ctx, f); err != nil {
			return err
		}
		rows, err := s.store.PurviewByDelegation(ctx, f)
		if err != nil {
			return err
		}
		if len(rows) > 0 {
			src, err := s.source(ctx, f)
			if err != nil {
				return err
			}
			if v.Charts, err = renderCharts(renderItem{charts.PurviewBars(rows, src, statementsLink(f)),
				charts.IDPurviewBars, "Purview by delegation", charts.PurviewBarsHeight(len(rows))}); err != nil {
				return err
			}
		}
	}
	v.Data = data
	return s.render(c, "overview", v)
}

// delegationPage is the data of templates/delegation.html.
type delegationPage struct {
	Info       store.DelegationInfo
	Statements []store.StatementRow
	Total      int
	Shown      int
}

func (s *Server) showDelegation(c *fiber.Ctx) error {
	name, err := pathParam(c, "name")
	if err != nil {
		return err
	}
	f, err := parseFilter(c)
	if err != nil {
		return err
	}
	f.Delegations = nil
	ctx, cancel := s.ctx(c)
	defer cancel()
	info, err := s.store.DelegationProfile(ctx, name, f)
	if errors.Is(err, store.ErrNotFound) {
		return s.unknownDelegation(c, name)
	}
	if err != nil {
		return err
	}
	v := &view{Title: name, Active: "delegations", Filter: f}
	if err := s.fillCommon(ctx, v); err != nil {
		return err
	}
	sf := f
	sf.Delegations = []string{name}
	rows, total, err := s.store.Statements(ctx, sf, maxProfileStatements, 0)
	if err != nil {
		return err
	}
	if len(info.Frames) > 0 {
		src, err := s.source(ctx, sf)
		if err != nil {
			return err
		}
		if v.Charts, err = renderCharts(renderItem{charts.FramesRadar([]store.DelegationInfo{info}, src), charts.IDFramesRadar, "Frames", 460}); err != nil {
			return err
		}
	}
	v.Data = delegationPage{Info: info, Statements: rows, Total: total, Shown: len(rows)}
	return s.render(c, "delegation", v)
}

// unknownDelegation is a 404 that suggests names close to the one asked
// for, since names are easy to misspell ("Côte d’Ivoire", "Türkiye").
func (s *Server) unknownDelegation(c *fiber.Ctx, name string) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	names, err := s.store.DelegationNames(ctx)
	if err != nil {
		return err
	}
	var close []string
	key := strings.ToLower(name)
	for _, n := range names {
		l := strings.ToLower(n)
		if strings.Contains(l, key) || strings.Contains(key, l) || (len(key) >= 3 && strings.HasPrefix(l, key[:3])) {
			close = append(close, n)
		}
	}
	msg := fmt.Sprintf("No statement in the database is by a delegation named %q.", name)
	if len(close) > 0 {
		msg += " Did you mean: " + strings.Join(close, ", ") + "?"
	} else if len(names) > 0 {
		msg += " Use the canonical short name, as on the purview chart (for example " + names[0] + ")."
	}
	return notFound("%s", msg)
}

// comparePage is the data of templates/compare.html.
type comparePage struct {
	Profiles []store.DelegationInfo
}

func (s *Server) compare(c *fiber.Ctx) error {
	f, err := parseFilter(c)
	if err != nil {
		return err
	}
	names := f.Delegations
	if len(names) < 2 || len(names) > 4 {
		return badRequest("compare takes two to four different delegations, as /compare?delegation=A&delegation=B; got %d", len(names))
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	pf := f
	pf.Delegations = nil
	var profiles []store.DelegationInfo
	for _, n := range names {
		p, err := s.store.DelegationProfile(ctx, n, pf)
		if errors.Is(err, store.ErrNotFound) {
			return s.unknownDelegation(c, n)
		}
		if err != nil {
			return err
		}
		profiles = append(profiles, p)
	}
	v := &view{Title: "Compare " + strings.Join(names, ", "), Active: "compare", Filter: f}
	if err := s.fillCommon(ctx, v); err != nil {
		return err
	}
	rows, err := s.store.PurviewByDelegation(ctx, f)
	if err != nil {
		return err
	}
	src, err := s.source(ctx, f)
	if err != nil {
		return err
	}
	items := []renderItem{{charts.PurviewBars(rows, src, statementsLink(f)), charts.IDPurviewBars, "Purview", charts.PurviewBarsHeight(len(rows))}}
	items = append(items, renderItem{charts.FramesRadar(profiles, src), charts.IDFramesRadar, "Frames", 460})
	if v.Charts, err = renderCharts(items...); err != nil {
		return err
	}
	v.Data = comparePage{Profiles: profiles}
	return s.render(c, "compare", v)
}

// statementsPage is the data of templates/statements.html.
type statementsPage struct {
	pager
	Rows            []store.StatementRow
	JSONURL, CSVURL string
}

func (s *Server) listStatements(c *fiber.Ctx) error {
	f, err := parseFilter(c)
	if err != nil {
		return err
	}
	page, err := pageNumber(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	v := &view{Title: "Statements", Active: "statements", Filter: f}
	if err := s.fillCommon(ctx, v); err != nil {
		return err
	}
	rows, total, err := s.store.Statements(ctx, f, statementsPerPage, (page-1)*statementsPerPage)
	if err != nil {
		return err
	}
	v.Data = statementsPage{pager: newPager("/statements", f, page, statementsPerPage, total, len(rows)), Rows: rows,
		JSONURL: withPairs("/statements.json", f), CSVURL: withPairs("/statements.csv", f)}
	return s.render(c, "statements", v)
}

// exportRecords reads the filtered statements as export records, refusing
// more than maxExport.
func (s *Server) exportRecords(c *fiber.Ctx) ([]export.Record, error) {
	f, err := parseFilter(c)
	if err != nil {
		return nil, err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	_, total, err := s.store.Statements(ctx, f, 0, 0)
	if err != nil {
		return nil, err
	}
	if total > maxExport {
		return nil, badRequest("the filters select %d statements; this download returns at most %d: narrow the filters, "+
			"or use `stancetrack export statements`", total, maxExport)
	}
	recs := make([]export.Record, 0, total)
	err = s.store.EachStatement(ctx, f, func(r store.StatementRow) error {
		recs = append(recs, export.NewRecord(r.Meeting, r.Statement))
		return nil
	})
	return recs, err
}

// statementsJSON returns the filtered statements as a JSON array of export
// records (the JSONL contract's objects).
func (s *Server) statementsJSON(c *fiber.Ctx) error {
	recs, err := s.exportRecords(c)
	if err != nil {
		return err
	}
	return c.JSON(recs)
}

func (s *Server) statementsCSV(c *fiber.Ctx) error {
	recs, err := s.exportRecords(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w := export.NewCSV(&buf)
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="statements.csv"`)
	return c.Send(buf.Bytes())
}

// meetingPage is the data of templates/meeting.html.
type meetingPage struct {
	Meeting    store.MeetingSummary
	Statements []store.StatementRow
	Pager      pager
}

func (s *Server) showMeeting(c *fiber.Ctx) error {
	symbol, err := pathParam(c, "*")
	if err != nil {
		return err
	}
	symbol = strings.Trim(symbol, "/")
	page, err := pageNumber(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	m, err := s.store.MeetingBySymbol(ctx, symbol)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("No meeting %q in the database; the overview lists the meetings that are.", symbol)
	}
	if err != nil {
		return err
	}
	// A page of turns like the other lists: a meeting of 32,000 turns was
	// a 9 MB page.
	sts, total, err := s.store.MeetingStatementPage(ctx, symbol, statementsPerPage, (page-1)*statementsPerPage)
	if err != nil {
		return err
	}
	v := &view{Title: m.Symbol, Active: "meetings", Filter: store.Filter{Meetings: []string{m.Symbol}}}
	if err := s.fillCommon(ctx, v); err != nil {
		return err
	}
	v.Data = meetingPage{Meeting: m, Statements: sts,
		Pager: newPager(meetingURL(m.Symbol), store.Filter{}, page, statementsPerPage, total, len(sts))}
	return s.render(c, "meeting", v)
}

func (s *Server) listShifts(c *fiber.Ctx) error {
	f, err := parseFilter(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	shifts, err := s.store.Shifts(ctx, f)
	if err != nil {
		return err
	}
	v := &view{Title: "Shifts", Active: "shifts", Filter: f}
	if err := s.fillCommon(ctx, v); err != nil {
		return err
	}
	v.Data = newShiftsPage(shifts, f)
	return s.render(c, "shifts", v)
}

// maxShiftRows bounds the shifts listed one by one. Over thousands of
// meetings every delegation shifts many times: the page then lists one row
// per delegation (how many shifts, the latest), each linking to that
// delegation's shifts.
const maxShiftRows = 300

// shiftsPage is the data of templates/shifts.html: Shifts, or Summary when
// there are too many to list.
type shiftsPage struct {
	Shifts  []store.Shift
	Summary []shiftSummary
	Total   int
}

// shiftSummary is one delegation's shifts in brief.
type shiftSummary struct {
	Delegation string
	Count      int
	Latest     store.Shift
	URL        string
}

func newShiftsPage(shifts []store.Shift, f store.Filter) shiftsPage {
	p := shiftsPage{Total: len(shifts)}
	var sum []shiftSummary
	// Shifts come grouped by delegation, in time order within each.
	for _, sh := range shifts {
		if n := len(sum); n > 0 && sum[n-1].Delegation == sh.Delegation {
			sum[n-1].Count++
			sum[n-1].Latest = sh
			continue
		}
		sum = append(sum, shiftSummary{Delegation: sh.Delegation, Count: 1, Latest: sh,
			URL: withPairs("/shifts", f, "delegation", sh.Delegation)})
	}
	if len(shifts) <= maxShiftRows || len(sum) == 1 {
		p.Shifts = shifts
		return p
	}
	p.Summary = sum
	return p
}

// auditPage is the data of templates/audit.html.
type auditPage struct {
	Versions  []store.VersionCount
	Orphans   int
	Current   string
	Documents pager
}

func (s *Server) audit(c *fiber.Ctx) error {
	page, err := pageNumber(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	v := &view{Title: "Audit", Active: "audit"}
	if err := s.fillCommon(ctx, v); err != nil {
		return err
	}
	var d auditPage
	var total int
	if v.Meetings, total, err = s.store.MeetingPage(ctx, meetingsPerPage, (page-1)*meetingsPerPage); err != nil {
		return err
	}
	d.Documents = newPager("/audit", store.Filter{}, page, meetingsPerPage, total, len(v.Meetings))
	if d.Versions, err = s.store.CodebookVersions(ctx); err != nil {
		return err
	}
	if d.Orphans, err = s.store.OrphanTagCount(ctx); err != nil {
		return err
	}
	d.Current = s.codebook
	v.Data = d
	return s.render(c, "audit", v)
}
