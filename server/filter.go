package server

import (
	"net/url"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/stancetrack/stancetrack/store"
)

// Query-string keys of store.Filter. meeting and delegation repeat; the
// others take one value.
var (
	listKeys   = []string{"meeting", "delegation"}
	singleKeys = []string{"body", "from", "to", "kind", "council", "group", "purview", "frame", "instrument", "q"}
)

// parseFilter reads the filter from the query string. Any invalid value is
// a 400 whose message names the value and says what is expected.
func parseFilter(c *fiber.Ctx) (store.Filter, error) {
	q, err := url.ParseQuery(string(c.Request().URI().QueryString()))
	if err != nil {
		return store.Filter{}, badRequest("the query string is malformed: %v", err)
	}
	return filterFromValues(q)
}

func filterFromValues(q url.Values) (store.Filter, error) {
	var f store.Filter
	for _, k := range singleKeys {
		if len(q[k]) > 1 {
			return f, badRequest("%s takes one value, got %d", k, len(q[k]))
		}
	}
	clean := func(vals []string) []string {
		var out []string
		for _, v := range vals {
			if v != "" && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out
	}
	f.Meetings = clean(q["meeting"])
	f.Delegations = clean(q["delegation"])
	f.Body, f.From, f.To = q.Get("body"), q.Get("from"), q.Get("to")
	f.Kind, f.Council, f.Group = q.Get("kind"), q.Get("council"), q.Get("group")
	f.Purview, f.Frame, f.Instrument, f.Q = q.Get("purview"), q.Get("frame"), q.Get("instrument"), q.Get("q")
	if err := f.Validate(); err != nil {
		return f, badRequest("invalid filter: %v", err)
	}
	return f, nil
}

// filterValues is the inverse of filterFromValues: the query string that
// reproduces f.
func filterValues(f store.Filter) url.Values {
	v := url.Values{}
	for _, m := range f.Meetings {
		v.Add("meeting", m)
	}
	for _, d := range f.Delegations {
		v.Add("delegation", d)
	}
	for k, val := range map[string]string{"body": f.Body, "from": f.From, "to": f.To, "kind": f.Kind,
		"council": f.Council, "group": f.Group, "purview": f.Purview, "frame": f.Frame,
		"instrument": f.Instrument, "q": f.Q} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v
}

// withPairs returns path?query where query is f's filters with the given
// key/value pairs replacing any value of the same key. A drill-down from a
// bar keeps every filter of the page and narrows it to the bar.
func withPairs(path string, f store.Filter, pairs ...string) string {
	v := filterValues(f)
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Set(pairs[i], pairs[i+1])
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// statementsLink returns the charts.Link for a page with filter f.
func statementsLink(f store.Filter) func(pairs ...string) string {
	return func(pairs ...string) string { return withPairs("/statements", f, pairs...) }
}

// delegationURL is the profile page of a delegation.
func delegationURL(name string) string {
	return "/delegations/" + url.PathEscape(name)
}

// meetingURL is a meeting's page; the slash in "SC/12751" stays a slash,
// and the route accepts the escaped form too.
func meetingURL(symbol string) string {
	return "/meetings/" + (&url.URL{Path: symbol}).EscapedPath()
}

// pageNumber reads ?page=N (1-based).
func pageNumber(c *fiber.Ctx) (int, error) {
	p := c.Query("page")
	if p == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 100000 {
		return 0, badRequest("page must be a whole number from 1, got %q", p)
	}
	return n, nil
}
