package report

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/stancetrack/stancetrack/store"
)

// Network is the delegation–instrument and delegation–frame network of
// the statements a filter selects.
type Network struct {
	Nodes []NetworkNode
	Edges []NetworkEdge
}

// NetworkNode is a delegation, an instrument or a frame.
type NetworkNode struct {
	ID             string // "delegation:Egypt", "instrument:UNSCR_2331", "frame:gender"
	Label          string
	Kind           string // delegation, instrument or frame
	DelegationKind string // delegations: model.Kind* value
	ISO3           string // delegations that are States
	Council        string // delegations: member, non-member, both (at different meetings) or unknown
	Statements     int    // delegations: their statements; others: statements using them
}

// NetworkEdge links a delegation to an instrument it cites ("cites") or a
// frame it uses ("frames"); Weight is the number of statements.
type NetworkEdge struct {
	Source, Target string
	Relation       string
	Weight         int
}

// Node kinds and edge relations of a Network.
const (
	NodeDelegation = "delegation"
	NodeInstrument = "instrument"
	NodeFrame      = "frame"
	RelCites       = "cites"
	RelFrames      = "frames"
)

// LoadNetwork builds the network from the same aggregates as the
// instruments and frames charts, so its edge weights equal their numbers.
// Every delegation with a statement is a node, citing or not.
func LoadNetwork(ctx context.Context, st *store.Store, f store.Filter) (Network, error) {
	var n Network
	delegs, err := st.PurviewByDelegation(ctx, f)
	if err != nil {
		return n, err
	}
	council := map[string]map[string]bool{}
	for _, side := range []string{"members", "non-members"} {
		g := f
		g.Council = side
		rows, err := st.PurviewByDelegation(ctx, g)
		if err != nil {
			return n, err
		}
		for _, r := range rows {
			if council[r.Delegation] == nil {
				council[r.Delegation] = map[string]bool{}
			}
			council[r.Delegation][side] = true
		}
	}
	sort.Slice(delegs, func(i, j int) bool { return delegs[i].Delegation < delegs[j].Delegation })
	for _, d := range delegs {
		c := "unknown"
		switch m := council[d.Delegation]; {
		case m["members"] && m["non-members"]:
			c = "both"
		case m["members"]:
			c = "member"
		case m["non-members"]:
			c = "non-member"
		}
		n.Nodes = append(n.Nodes, NetworkNode{ID: NodeDelegation + ":" + d.Delegation, Label: d.Delegation, Kind: NodeDelegation,
			DelegationKind: d.Kind, ISO3: d.ISO3, Council: c, Statements: d.Total})
	}
	for _, dim := range []struct {
		kind, rel string
		rows      func(context.Context, store.Filter) ([]store.TagCount, error)
	}{
		{NodeInstrument, RelCites, st.InstrumentsByDelegation},
		{NodeFrame, RelFrames, st.FramesByDelegation},
	} {
		rows, err := dim.rows(ctx, f)
		if err != nil {
			return n, err
		}
		uses := map[string]int{}
		for _, r := range rows {
			uses[r.Value] += r.Statements
			n.Edges = append(n.Edges, NetworkEdge{Source: NodeDelegation + ":" + r.Delegation, Target: dim.kind + ":" + r.Value,
				Relation: dim.rel, Weight: r.Statements})
		}
		values := make([]string, 0, len(uses))
		for v := range uses {
			values = append(values, v)
		}
		sort.Strings(values)
		for _, v := range values {
			n.Nodes = append(n.Nodes, NetworkNode{ID: dim.kind + ":" + v, Label: v, Kind: dim.kind, Statements: uses[v]})
		}
	}
	return n, nil
}

type gmlKey struct {
	ID   string `xml:"id,attr"`
	For  string `xml:"for,attr"`
	Name string `xml:"attr.name,attr"`
	Type string `xml:"attr.type,attr"`
}

type gmlData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

type gmlNode struct {
	ID   string    `xml:"id,attr"`
	Data []gmlData `xml:"data"`
}

type gmlEdge struct {
	ID     string    `xml:"id,attr"`
	Source string    `xml:"source,attr"`
	Target string    `xml:"target,attr"`
	Data   []gmlData `xml:"data"`
}

type gmlGraph struct {
	ID          string    `xml:"id,attr"`
	EdgeDefault string    `xml:"edgedefault,attr"`
	Data        []gmlData `xml:"data"`
	Nodes       []gmlNode `xml:"node"`
	Edges       []gmlEdge `xml:"edge"`
}

type graphML struct {
	XMLName        xml.Name `xml:"graphml"`
	XMLNS          string   `xml:"xmlns,attr"`
	XSI            string   `xml:"xmlns:xsi,attr"`
	SchemaLocation string   `xml:"xsi:schemaLocation,attr"`
	Keys           []gmlKey `xml:"key"`
	Graph          gmlGraph `xml:"graph"`
}

// graphKeys declare every attribute. Gephi reads "label" as the node
// label and "weight" as the edge weight.
var graphKeys = []gmlKey{
	{"source", "graph", "source", "string"},
	{"codebook", "graph", "codebook_version", "string"},
	{"filters", "graph", "filters", "string"},
	{"label", "node", "label", "string"},
	{"kind", "node", "kind", "string"},
	{"delegation_kind", "node", "delegation_kind", "string"},
	{"iso3", "node", "iso3", "string"},
	{"council", "node", "council_member", "string"},
	{"statements", "node", "statements", "int"},
	{"relation", "edge", "relation", "string"},
	{"weight", "edge", "weight", "double"},
}

// WriteGraphML writes the network as one undirected GraphML graph holding
// both networks: delegation–instrument edges (relation "cites") and
// delegation–frame edges (relation "frames"), weighted by statements.
// Filter on the edge attribute "relation" (or the node attribute "kind")
// in Gephi to see one of them. The graph's data cite the source meetings,
// codebook version and filters; there is no date.
func WriteGraphML(w io.Writer, n Network, p Provenance) error {
	g := graphML{
		XMLNS:          "http://graphml.graphdrawing.org/xmlns",
		XSI:            "http://www.w3.org/2001/XMLSchema-instance",
		SchemaLocation: "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
		Keys:           graphKeys,
		Graph: gmlGraph{ID: "stancetrack", EdgeDefault: "undirected", Data: []gmlData{
			{"source", "UN meetings " + p.MeetingsText(0)},
			{"codebook", p.CodebookVersion},
			{"filters", p.FilterText()},
		}},
	}
	for _, nd := range n.Nodes {
		data := []gmlData{{"label", nd.Label}, {"kind", nd.Kind}}
		if nd.Kind == NodeDelegation {
			data = append(data, gmlData{"delegation_kind", nd.DelegationKind}, gmlData{"iso3", nd.ISO3}, gmlData{"council", nd.Council})
		}
		data = append(data, gmlData{"statements", strconv.Itoa(nd.Statements)})
		g.Graph.Nodes = append(g.Graph.Nodes, gmlNode{ID: nd.ID, Data: data})
	}
	for i, e := range n.Edges {
		g.Graph.Edges = append(g.Graph.Edges, gmlEdge{ID: "e" + strconv.Itoa(i), Source: e.Source, Target: e.Target,
			Data: []gmlData{{"relation", e.Relation}, {"weight", strconv.Itoa(e.Weight)}}})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("report: graphml: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(g); err != nil {
		return fmt.Errorf("report: graphml: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("report: graphml: %w", err)
	}
	return nil
}
