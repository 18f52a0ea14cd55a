package server

import (
	"fmt"

	"github.com/stancetrack/stancetrack/charts"
	"github.com/stancetrack/stancetrack/report"
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
	s.exportRoutes()

	// The analysts' API (api.go): reading is open, writing needs a token.
	s.app.Get("/api/tags", s.listTags)
	s.app.Post("/api/tags", s.requireWriter, s.addTag)
	s.app.Delete("/api/tags/:id", s.requireWriter, s.deleteTag)
	s.app.Post("/api/documents", s.asUpload, s.requireWriter, s.addDocument)
}

var purviewView = chartView[store.DelegationPurview]{
	name:  "purview",
	title: "Purview: should the Council deal with this?",
	lead: "Statements per delegation that contest, make conditional, affirm or leave unstated the Security Council's " +
		"purview over the topic, objectors first. Click a bar for the statements behind it; click the legend to hide a position.",
	rows:  report.Purview.Rows,
	table: report.Purview.Table,
	draw:  drawWith(report.Purview),
}

var mapView = chartView[store.DelegationPurview]{
	name:   "map",
	title:  "Map of purview positions",
	lead:   "Each State coloured by the strongest position it took (an objection outweighs an affirmation). Click a State for its profile statements.",
	rows:   report.Map.Rows,
	table:  report.Map.Table,
	draw:   drawWith(report.Map),
	legend: true,
}

var framesView = chartView[store.TagCount]{
	name:  "frames",
	title: "Frames",
	lead:  "How many of each delegation's statements frame the problem each way. Click a cell for the statements.",
	rows:  report.Frames.Rows,
	table: report.Frames.Table,
	draw:  drawWith(report.Frames),
}

var instrumentsView = chartView[store.TagCount]{
	name:  "instruments",
	title: "Instruments cited",
	lead: "Which instruments delegations cite: ranked by the number of delegations citing them, and as a network " +
		"of delegations and instruments. The rows are citations (delegation, instrument, statements).",
	rows:  report.Instruments.Rows,
	table: report.Instruments.Table,
	draw:  drawWith(report.Instruments),
}

var blocsView = chartView[store.BlocStance]{
	name:  "blocs",
	title: "Blocs",
	lead: "Purview positions of the statements made by members of each bloc (P5, elected members, non-members, EU, NAM, " +
		"regional groups), as shares; a statement counts in every bloc its delegation belonged to at the meeting.",
	rows:  report.Blocs.Rows,
	table: report.Blocs.Table,
	draw:  drawWith(report.Blocs),
}

var timelineView = chartView[store.MeetingPurview]{
	name:  "timeline",
	title: "Timeline",
	lead:  "Purview positions meeting by meeting. Click a point for the statements.",
	rows:  report.Timeline.Rows,
	table: report.Timeline.Table,
	draw: func(rows []store.MeetingPurview, src charts.Source, f store.Filter) ([]charts.Rendered, error) {
		if len(rows) < 2 {
			return nil, nil
		}
		return drawWith(report.Timeline)(rows, src, f)
	},
	note: func(rows []store.MeetingPurview) string {
		if len(rows) == 1 {
			return fmt.Sprintf("Only one meeting (%s) has statements for these filters, so there is no timeline to draw yet: "+
				"ingest more meetings on this topic, or widen the filters.", rows[0].Meeting)
		}
		return ""
	},
}
