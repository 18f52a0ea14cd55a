package server

import (
	"context"
	"fmt"

	"github.com/stancetrack/stancetrack/charts"
	"github.com/stancetrack/stancetrack/store"
)

// routes registers every route; this is the one place to read them all.
func (s *Server) routes() {
	s.app.Get("/healthz", s.healthz)
	s.app.Get("/", s.overview)

	addChart(s, purviewView)
	addChart(s, mapView)
	addChart(s, framesView)
	addChart(s, instrumentsView)
	addChart(s, blocsView)
	addChart(s, timelineView)

	s.app.Get("/delegations/:name", s.showDelegation)
	s.app.Get("/compare", s.compare)
	s.app.Get("/statements.json", s.statementsJSON)
	s.app.Get("/statements.csv", s.statementsCSV)
	s.app.Get("/statements", s.listStatements)
	// Symbols contain a slash ("SC/12751"): take the rest of the path, and
	// accept it escaped ("SC%2F12751") too.
	s.app.Get("/meetings/*", s.showMeeting)
	s.app.Get("/shifts", s.listShifts)
	s.app.Get("/audit", s.audit)
}

var purviewView = chartView[store.DelegationPurview]{
	name:  "purview",
	title: "Purview: should the Council deal with this?",
	lead: "Statements per delegation that contest, make conditional, affirm or leave unstated the Security Council's " +
		"purview over the topic, objectors first. Click a bar for the statements behind it; click the legend to hide a position.",
	rows: func(ctx context.Context, st *store.Store, f store.Filter) ([]store.DelegationPurview, error) {
		return st.PurviewByDelegation(ctx, f)
	},
	table: delegationPurviewTable,
	draw: func(rows []store.DelegationPurview, src charts.Source, f store.Filter) ([]charts.Rendered, error) {
		link := statementsLink(f)
		return renderCharts(
			renderItem{charts.PurviewBars(rows, src, link), charts.IDPurviewBars, "Purview by delegation", charts.PurviewBarsHeight(len(rows))},
			renderItem{charts.PurviewDonut(sumPurview(rows), src, link), charts.IDPurviewDonut, "Share of statements by purview position", 380},
		)
	},
}

var mapView = chartView[store.DelegationPurview]{
	name:  "map",
	title: "Map of purview positions",
	lead:  "Each State coloured by the strongest position it took (an objection outweighs an affirmation). Click a State for its profile statements.",
	rows: func(ctx context.Context, st *store.Store, f store.Filter) ([]store.DelegationPurview, error) {
		all, err := st.PurviewByDelegation(ctx, f)
		if err != nil {
			return nil, err
		}
		// The map draws States only: rows with an ISO3 code.
		out := make([]store.DelegationPurview, 0, len(all))
		for _, r := range all {
			if r.ISO3 != "" {
				out = append(out, r)
			}
		}
		return out, nil
	},
	table: delegationPurviewTable,
	draw: func(rows []store.DelegationPurview, src charts.Source, f store.Filter) ([]charts.Rendered, error) {
		return renderCharts(renderItem{charts.PurviewMap(rows, src, statementsLink(f)), charts.IDPurviewMap, "Map of purview positions", 560})
	},
	legend: true,
}

var framesView = chartView[store.TagCount]{
	name:  "frames",
	title: "Frames",
	lead:  "How many of each delegation's statements frame the problem each way. Click a cell for the statements.",
	rows: func(ctx context.Context, st *store.Store, f store.Filter) ([]store.TagCount, error) {
		return st.FramesByDelegation(ctx, f)
	},
	table: tagCountTable("frame"),
	draw: func(rows []store.TagCount, src charts.Source, f store.Filter) ([]charts.Rendered, error) {
		return renderCharts(renderItem{charts.FramesHeatmap(rows, src, statementsLink(f)), charts.IDFramesHeatmap,
			"Frames by delegation", charts.FramesHeatmapHeight(rows)})
	},
}

var instrumentsView = chartView[store.TagCount]{
	name:  "instruments",
	title: "Instruments cited",
	lead: "Which instruments delegations cite: ranked by the number of delegations citing them, and as a network " +
		"of delegations and instruments. The rows are citations (delegation, instrument, statements).",
	rows: func(ctx context.Context, st *store.Store, f store.Filter) ([]store.TagCount, error) {
		return st.InstrumentsByDelegation(ctx, f)
	},
	table: tagCountTable("instrument"),
	draw: func(rows []store.TagCount, src charts.Source, f store.Filter) ([]charts.Rendered, error) {
		link := statementsLink(f)
		reach := store.Reach(rows)
		return renderCharts(
			renderItem{charts.InstrumentsBar(reach, src, link), charts.IDInstrumentsBar, "Instruments by reach", charts.PurviewBarsHeight(len(reach))},
			renderItem{charts.InstrumentsNetwork(rows, src, link, delegationURL), charts.IDInstrumentsNetwork, "Citation network", 640},
		)
	},
}

var blocsView = chartView[store.BlocStance]{
	name:  "blocs",
	title: "Blocs",
	lead: "Purview positions of the statements made by members of each bloc (P5, elected members, non-members, EU, NAM, " +
		"regional groups), as shares; a statement counts in every bloc its delegation belonged to at the meeting.",
	rows: func(ctx context.Context, st *store.Store, f store.Filter) ([]store.BlocStance, error) {
		return st.BlocStances(ctx, f)
	},
	table: func(rows []store.BlocStance) [][]string {
		t := [][]string{purviewHeader("bloc")}
		for _, r := range rows {
			t = append(t, purviewCells(r.PurviewCounts, r.Bloc))
		}
		return t
	},
	draw: func(rows []store.BlocStance, src charts.Source, f store.Filter) ([]charts.Rendered, error) {
		return renderCharts(renderItem{charts.BlocBars(rows, src, statementsLink(f)), charts.IDBlocBars, "Purview by bloc", charts.PurviewBarsHeight(len(rows))})
	},
}

var timelineView = chartView[store.MeetingPurview]{
	name:  "timeline",
	title: "Timeline",
	lead:  "Purview positions meeting by meeting. Click a point for the statements.",
	rows: func(ctx context.Context, st *store.Store, f store.Filter) ([]store.MeetingPurview, error) {
		return st.Timeline(ctx, f)
	},
	table: func(rows []store.MeetingPurview) [][]string {
		t := [][]string{purviewHeader("meeting", "date", "body")}
		for _, r := range rows {
			t = append(t, purviewCells(r.PurviewCounts, r.Meeting, r.Date, r.Body))
		}
		return t
	},
	draw: func(rows []store.MeetingPurview, src charts.Source, f store.Filter) ([]charts.Rendered, error) {
		if len(rows) < 2 {
			return nil, nil
		}
		return renderCharts(renderItem{charts.Timeline(rows, src, statementsLink(f)), charts.IDTimeline, "Purview over meetings", 460})
	},
	note: func(rows []store.MeetingPurview) string {
		if len(rows) == 1 {
			return fmt.Sprintf("Only one meeting (%s) has statements for these filters, so there is no timeline to draw yet: "+
				"ingest more meetings on this topic, or widen the filters.", rows[0].Meeting)
		}
		return ""
	},
}
