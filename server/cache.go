package server

import (
	"container/list"
	"context"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/stancetrack/stancetrack/store"
)

// The response cache keeps many users of one dashboard from running the
// same aggregate again and again: 32 identical concurrent requests compute
// once (singleflight) and later ones are served from memory until the data
// changes. It is not what makes a first request fast; the store's rollups
// do that, and a bypassed request (Cache-Control: no-cache) shows the cold
// cost.
//
// Entries are keyed by the data generation (store.Generation, bumped by
// every write transaction), the path and the canonical filter, so a write
// makes every older entry unreachable; they are dropped as soon as a
// request sees the new generation. The cache is bounded in entries and
// bytes (LRU). Heavy work, cached or not, also waits for one of a few
// slots, so memory stays bounded however many clients connect.

// cachedResponse is what a cache hit sends: the handler's status, body and
// the headers handlers set (others come from middleware on every request).
type cachedResponse struct {
	status      int
	contentType string
	disposition string
	body        []byte
}

func (r *cachedResponse) size() int64 {
	return int64(len(r.body)+len(r.contentType)+len(r.disposition)) + 128
}

type cacheEntry struct {
	key  string
	resp *cachedResponse
}

// flight is one computation that concurrent requests for the same key wait
// for. resp stays nil if the response could not be cached (an error, or
// not 200); waiters then compute their own.
type flight struct {
	done chan struct{}
	resp *cachedResponse
}

type responseCache struct {
	maxBytes   int64
	maxEntries int

	mu      sync.Mutex
	gen     int64
	lru     *list.List // *cacheEntry, most recently used first
	entries map[string]*list.Element
	bytes   int64
	flights map[string]*flight
}

func newResponseCache(maxEntries int, maxBytes int64) *responseCache {
	return &responseCache{maxBytes: maxBytes, maxEntries: maxEntries, lru: list.New(),
		entries: map[string]*list.Element{}, flights: map[string]*flight{}}
}

// observe drops every entry when the generation moved on. Callers hold mu.
func (rc *responseCache) observe(gen int64) {
	if gen > rc.gen {
		rc.gen = gen
		rc.lru.Init()
		clear(rc.entries)
		rc.bytes = 0
	}
}

// lookup returns a cached response, or the flight to wait for, or makes
// the caller the leader of a new flight (leader true), which it must end
// with finish.
func (rc *responseCache) lookup(gen int64, key string) (resp *cachedResponse, fl *flight, leader bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.observe(gen)
	if el, ok := rc.entries[key]; ok {
		rc.lru.MoveToFront(el)
		return el.Value.(*cacheEntry).resp, nil, false
	}
	if fl, ok := rc.flights[key]; ok {
		return nil, fl, false
	}
	fl = &flight{done: make(chan struct{})}
	rc.flights[key] = fl
	return nil, fl, true
}

// finish ends a flight, storing resp (when not nil) and waking the waiters.
func (rc *responseCache) finish(gen int64, key string, fl *flight, resp *cachedResponse) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	delete(rc.flights, key)
	fl.resp = resp
	close(fl.done)
	rc.storeLocked(gen, key, resp)
}

// store adds a response computed outside a flight (a bypassed request).
func (rc *responseCache) store(gen int64, key string, resp *cachedResponse) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.storeLocked(gen, key, resp)
}

func (rc *responseCache) storeLocked(gen int64, key string, resp *cachedResponse) {
	rc.observe(gen)
	// A response from an older generation (a write landed meanwhile) or too
	// big to share the budget is not kept.
	if resp == nil || gen != rc.gen || resp.size() > rc.maxBytes/8 {
		return
	}
	if el, ok := rc.entries[key]; ok {
		rc.bytes -= el.Value.(*cacheEntry).resp.size()
		rc.lru.Remove(el)
	}
	rc.entries[key] = rc.lru.PushFront(&cacheEntry{key: key, resp: resp})
	rc.bytes += resp.size()
	for rc.lru.Len() > rc.maxEntries || rc.bytes > rc.maxBytes {
		el := rc.lru.Back()
		e := el.Value.(*cacheEntry)
		rc.lru.Remove(el)
		delete(rc.entries, e.key)
		rc.bytes -= e.resp.size()
	}
}

// stats reports the number of entries and their bytes, for tests.
func (rc *responseCache) stats() (int, int64) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.lru.Len(), rc.bytes
}

// cacheable reports whether a path's response depends only on the query
// string and the data: the overview, charts with their twins, statement
// pages and the other read-only views.
func cacheable(path string) bool {
	switch path {
	case "/", "/statements", "/statements.json", "/statements.csv", "/shifts", "/compare", "/audit":
		return true
	}
	return strings.HasPrefix(path, "/charts/") || strings.HasPrefix(path, "/delegations/") ||
		strings.HasPrefix(path, "/meetings/")
}

// cacheKey is the path and the query in canonical form: the filter as
// filterValues writes it (so order, repeats and empty values do not make
// new entries), then any other parameter (page) sorted.
func cacheKey(c *fiber.Ctx, f store.Filter) (string, error) {
	raw, err := url.ParseQuery(string(c.Request().URI().QueryString()))
	if err != nil {
		return "", err
	}
	v := filterValues(f)
	for k, vals := range raw {
		if !slices.Contains(listKeys, k) && !slices.Contains(singleKeys, k) {
			v[k] = vals
		}
	}
	return c.Path() + "?" + v.Encode(), nil
}

// bypassCache reports whether the client asked for a fresh answer.
func bypassCache(c *fiber.Ctx) bool {
	return strings.Contains(strings.ToLower(string(c.Request().Header.Peek(fiber.HeaderCacheControl))), "no-cache")
}

// serveCached is the middleware in front of every route. Reads of the
// dashboard's views (cacheable paths) run in a slot and go through the
// cache. Other routes pass straight through: an export renders pages in a
// headless browser that requests them from this server, and holding a slot
// while waiting for those requests could take every slot.
func (s *Server) serveCached(c *fiber.Ctx) error {
	if c.Method() != fiber.MethodGet || !cacheable(c.Path()) {
		return c.Next()
	}
	f, err := parseFilter(c)
	if err != nil {
		return c.Next() // the handler answers 400 with the reason
	}
	if store.FTSQuery(f.Q) != "" {
		c.Locals(kindKey, kindSearch)
	}
	if s.cache == nil {
		return s.inSlot(c)
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	gen, err := s.store.Generation(ctx)
	if err != nil {
		return err
	}
	key, err := cacheKey(c, f)
	if err != nil {
		return c.Next()
	}
	if bypassCache(c) {
		c.Set(cacheHeader, "bypass")
		err := s.inSlot(c)
		s.cache.store(gen, key, captured(c, err))
		return err
	}
	resp, fl, leader := s.cache.lookup(gen, key)
	if resp != nil {
		return sendCached(c, resp)
	}
	if !leader {
		select {
		case <-fl.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if fl.resp != nil {
			return sendCached(c, fl.resp)
		}
		return s.inSlot(c)
	}
	c.Set(cacheHeader, "miss")
	var out *cachedResponse
	defer func() { s.cache.finish(gen, key, fl, out) }()
	err = s.inSlot(c)
	out = captured(c, err)
	return err
}

// captured copies a successful response for the cache, or returns nil.
func captured(c *fiber.Ctx, err error) *cachedResponse {
	res := c.Response()
	if err != nil || res.StatusCode() != fiber.StatusOK || res.IsBodyStream() {
		return nil
	}
	return &cachedResponse{status: res.StatusCode(), contentType: string(res.Header.ContentType()),
		disposition: string(res.Header.Peek(fiber.HeaderContentDisposition)), body: append([]byte(nil), res.Body()...)}
}

func sendCached(c *fiber.Ctx, r *cachedResponse) error {
	c.Set(cacheHeader, "hit")
	c.Status(r.status)
	c.Set(fiber.HeaderContentType, r.contentType)
	if r.disposition != "" {
		c.Set(fiber.HeaderContentDisposition, r.disposition)
	}
	// SetBody copies: the cached bytes are shared, and middleware after us
	// (compress, etag) must not see them change.
	c.Response().SetBody(r.body)
	return nil
}

// inSlot runs the rest of the chain once one of the server's slots is
// free, or answers 503 when none frees up within the request timeout. A
// search takes one of the search slots instead, waiting searchWait at
// most: however many slow searches clients send, charts keep their slots.
func (s *Server) inSlot(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	if c.Locals(kindKey) == kindSearch {
		wctx, wcancel := context.WithTimeout(ctx, s.searchWait)
		defer wcancel()
		select {
		case s.searchSlots <- struct{}{}:
			defer func() { <-s.searchSlots }()
			return c.Next()
		case <-wctx.Done():
			return fiber.NewError(fiber.StatusServiceUnavailable, "too many searches are running; try again in a moment")
		}
	}
	release, err := s.takeSlot(ctx)
	if err != nil {
		return err
	}
	defer release()
	return c.Next()
}

// takeSlot waits for one of the server's work slots and returns what gives
// it back, or a 503 when none frees up before ctx ends.
func (s *Server) takeSlot(ctx context.Context) (release func(), err error) {
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, nil
	case <-ctx.Done():
		return nil, fiber.NewError(fiber.StatusServiceUnavailable, "the server is busy; try again in a moment")
	}
}

// cacheHeader is the response header saying how a request was served:
// hit, miss or bypass.
const cacheHeader = "X-Cache"
