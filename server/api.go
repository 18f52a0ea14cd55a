package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/stancetrack/stancetrack/export"
	"github.com/stancetrack/stancetrack/ingest"
	"github.com/stancetrack/stancetrack/model"
	"github.com/stancetrack/stancetrack/store"
)

// The analysts' API: JSON in and out under /api. Reading is open like the
// rest of the server; writing needs "Authorization: Bearer <token>" of an
// editor or admin (stancetrack user add, stancetrack token create). A
// missing or unknown token is 401, a viewer's token 403. Tokens are never
// logged: the request log has the method and path only.

// userKey is where requireWriter leaves the authenticated store.User.
const userKey = "api_user"

// bearerChallenge is the WWW-Authenticate header of every 401.
const bearerChallenge = `Bearer realm="stancetrack"`

// requireWriter lets a request through only with the token of a user who
// may write.
func (s *Server) requireWriter(c *fiber.Ctx) error {
	auth := strings.TrimSpace(c.Get(fiber.HeaderAuthorization))
	scheme, token, _ := strings.Cut(auth, " ")
	token = strings.TrimSpace(token)
	if auth == "" || !strings.EqualFold(scheme, "Bearer") || token == "" {
		c.Set(fiber.HeaderWWWAuthenticate, bearerChallenge)
		return fiber.NewError(fiber.StatusUnauthorized,
			"writing needs an account: send Authorization: Bearer <token> (stancetrack token create NAME)")
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	u, err := s.store.Authenticate(ctx, token)
	if errors.Is(err, store.ErrNotFound) {
		c.Set(fiber.HeaderWWWAuthenticate, bearerChallenge+`, error="invalid_token"`)
		return fiber.NewError(fiber.StatusUnauthorized, "the token is unknown or revoked")
	}
	if err != nil {
		return err
	}
	if s.readOnly {
		return fiber.NewError(fiber.StatusForbidden, "this server is read-only (serve --read-only): it takes no writes")
	}
	if !u.CanWrite() {
		return fiber.NewError(fiber.StatusForbidden, fmt.Sprintf(
			"user %s has the %s role, which reads only; writing needs an editor or admin account", u.Name, u.Role))
	}
	c.Locals(userKey, u)
	return c.Next()
}

func apiUser(c *fiber.Ctx) store.User {
	u, _ := c.Locals(userKey).(store.User)
	return u
}

// apiTag is a tag as the API writes it: the export contract's tag (start
// and end count characters), with what identifies it and who made it.
type apiTag struct {
	ID          int64 `json:"id"`
	StatementID int64 `json:"statement_id"`
	export.Tag
	Author    string `json:"author"`
	CreatedAt string `json:"created_at"`
}

func newAPITag(text string, t store.TagRow) apiTag {
	return apiTag{ID: t.ID, StatementID: t.StatementID, Tag: export.NewTag(text, t.Tag), Author: t.Author,
		CreatedAt: t.CreatedAt}
}

// apiStatementTags is a statement's tags with what identifies it.
type apiStatementTags struct {
	StatementID int64    `json:"statement_id"`
	Meeting     string   `json:"meeting"`
	Seq         int      `json:"seq"`
	Delegation  string   `json:"delegation"`
	Purview     string   `json:"purview"`
	Tags        []apiTag `json:"tags"`
}

// statementRef finds the statement a request names, by statement_id or by
// meeting and seq (the export contract's names for it).
func (s *Server) statementRef(ctx context.Context, id int64, meeting string, seq int) (int64, error) {
	switch {
	case id > 0 && meeting == "":
		return id, nil
	case id == 0 && meeting != "" && seq > 0:
		sid, err := s.store.StatementID(ctx, meeting, seq)
		if errors.Is(err, store.ErrNotFound) {
			return 0, notFound("meeting %s has no statement with seq %d", meeting, seq)
		}
		return sid, err
	}
	return 0, badRequest("name the statement by statement_id, or by meeting and seq (as in the export)")
}

func (s *Server) statementTags(ctx context.Context, id int64) (apiStatementTags, error) {
	st, err := s.store.Statement(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return apiStatementTags{}, notFound("statement %d not found", id)
	}
	if err != nil {
		return apiStatementTags{}, err
	}
	rows, err := s.store.StatementTags(ctx, id)
	if err != nil {
		return apiStatementTags{}, err
	}
	out := apiStatementTags{StatementID: id, Meeting: st.Meeting.Symbol, Seq: st.Seq, Delegation: st.Delegation,
		Purview: st.Purview, Tags: []apiTag{}}
	for _, t := range rows {
		out.Tags = append(out.Tags, newAPITag(st.Text, t))
	}
	return out, nil
}

// listTags answers GET /api/tags?statement_id=N (or ?meeting=S&seq=N) with
// the statement's tags and their ids, which DELETE /api/tags/{id} takes.
func (s *Server) listTags(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	var id int64
	if v := c.Query("statement_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return badRequest("statement_id must be a positive integer")
		}
		id = n
	}
	seq := 0
	if v := c.Query("seq"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return badRequest("seq must be a positive integer")
		}
		seq = n
	}
	sid, err := s.statementRef(ctx, id, c.Query("meeting"), seq)
	if err != nil {
		return err
	}
	out, err := s.statementTags(ctx, sid)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(out)
}

// tagRequest is the body of POST /api/tags.
type tagRequest struct {
	StatementID int64  `json:"statement_id"`
	Meeting     string `json:"meeting"`
	Seq         int    `json:"seq"`
	Dimension   string `json:"dimension"`
	Value       string `json:"value"`
	Evidence    string `json:"evidence"`
	Rule        string `json:"rule"`
	// A tag shaped as the export writes it may also say its source, which
	// must be "analyst", and where the evidence stands (start and end in
	// characters): that picks one of several occurrences.
	Source string `json:"source"`
	Start  *int   `json:"start"`
	End    *int   `json:"end"`
}

// maxTagBody bounds a tag's JSON; the evidence is a phrase of a statement.
const maxTagBody = 64 << 10

// instrumentID is the codebook's shape of instrument ids (UNSCR_2331,
// TIP_PROTOCOL); the list is open-ended, so the shape is what is checked.
var instrumentID = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,63}$`)

// addTag answers POST /api/tags: the analyst's tag, authored by the
// token's user, 201 with the tag and the statement's purview after it.
func (s *Server) addTag(c *fiber.Ctx) error {
	if err := plainBody(c); err != nil {
		return err
	}
	body := c.Request().Body()
	if len(body) > maxTagBody {
		return fiber.NewError(fiber.StatusRequestEntityTooLarge, fmt.Sprintf("a tag's JSON is at most %d KiB", maxTagBody>>10))
	}
	var req tagRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return badRequest("the body must be a JSON object {statement_id (or meeting and seq), dimension, value, evidence, rule (optional)}: %s",
			jsonProblem(err))
	}
	if dec.More() {
		return badRequest("the body must be one JSON object")
	}
	var missing []string
	for _, f := range []struct{ name, v string }{{"dimension", req.Dimension}, {"value", req.Value}, {"evidence", req.Evidence}} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return badRequest("missing %s", strings.Join(missing, ", "))
	}
	if err := s.checkTagValue(req); err != nil {
		return err
	}
	if req.Source != "" && req.Source != model.SourceAnalyst {
		return fiber.NewError(fiber.StatusUnprocessableEntity, fmt.Sprintf(
			"source must be %q: tags added here are analyst tags (the codebook's come from retag)", model.SourceAnalyst))
	}
	if (req.Start == nil) != (req.End == nil) {
		return badRequest("start and end go together")
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	sid, err := s.statementRef(ctx, req.StatementID, req.Meeting, req.Seq)
	if err != nil {
		return err
	}
	u := apiUser(c)
	tag := model.Tag{Dimension: req.Dimension, Value: req.Value, Evidence: req.Evidence, Rule: req.Rule, Author: u.Name}
	if req.Start != nil {
		if tag.Start, tag.End, err = s.evidenceAt(ctx, sid, *req.Start, *req.End, req.Evidence); err != nil {
			return err
		}
	}
	var id int64
	add := func() (err error) { id, err = s.store.AddAnalystTag(ctx, sid, tag); return err }
	err = s.write(ctx, add)
	// UN pages print NBSP and other Unicode spaces where the parsers' text
	// has a plain space, so evidence copied from a page would never match.
	// The exact text is tried first: a statement may hold such a space.
	if plain := plainSpaces(req.Evidence); errors.Is(err, store.ErrBadTag) && plain != req.Evidence {
		tag.Evidence = plain
		err = s.write(ctx, add)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return notFound("statement %d not found", sid)
	case errors.Is(err, store.ErrBadTag):
		return fiber.NewError(fiber.StatusUnprocessableEntity, strings.TrimPrefix(err.Error(), store.ErrBadTag.Error()+": "))
	case err != nil:
		return err
	}
	s.log.Info("analyst tag added", "user", u.Name, "tag_id", id, "statement_id", sid,
		"dimension", req.Dimension, "value", req.Value)
	out, err := s.statementTags(ctx, sid)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(out.Tags, func(t apiTag) bool { return t.ID == id })
	if i < 0 {
		return fmt.Errorf("server: tag %d not read back", id)
	}
	c.Status(fiber.StatusCreated)
	return c.JSON(struct {
		apiTag
		Meeting string `json:"meeting"`
		Seq     int    `json:"seq"`
		Purview string `json:"purview"` // the statement's purview with this tag
	}{out.Tags[i], out.Meeting, out.Seq, out.Purview})
}

// evidenceAt converts start and end, in characters of the statement's
// text as the export counts them, to byte offsets, and checks that the
// evidence stands there.
func (s *Server) evidenceAt(ctx context.Context, statementID int64, start, end int, evidence string) (int, int, error) {
	st, err := s.store.Statement(ctx, statementID)
	if errors.Is(err, store.ErrNotFound) {
		return 0, 0, notFound("statement %d not found", statementID)
	}
	if err != nil {
		return 0, 0, err
	}
	b0, b1 := -1, -1
	n := 0
	for i := range st.Text {
		if n == start {
			b0 = i
		}
		if n == end {
			b1 = i
		}
		n++
	}
	if n == start {
		b0 = len(st.Text)
	}
	if n == end {
		b1 = len(st.Text)
	}
	if b0 < 0 || b1 < b0 || st.Text[b0:b1] != evidence {
		return 0, 0, fiber.NewError(fiber.StatusUnprocessableEntity, fmt.Sprintf(
			"the statement's characters %d to %d are not the evidence (start and end count characters, as in the export)", start, end))
	}
	return b0, b1, nil
}

// plainSpaces turns tabs and Unicode spaces into ASCII spaces, one for
// one, as the press-release parser does to statement text.
func plainSpaces(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t', r == '\u00A0', r == '\u1680', r == '\u202F', r == '\u205F', r == '\u3000',
			r >= '\u2000' && r <= '\u200A':
			return ' '
		}
		return r
	}, s)
}

// checkTagValue checks what the store does not: frames come from the
// codebook (a typo would start a new chart category), instruments have the
// codebook's id shape, and no field holds control characters. Purview
// values and evidence are the store's to check.
func (s *Server) checkTagValue(req tagRequest) error {
	for _, f := range []struct{ name, v string }{{"value", req.Value}, {"rule", req.Rule}} {
		if utf8.RuneCountInString(f.v) > 100 || strings.IndexFunc(f.v, unicode.IsControl) >= 0 {
			return fiber.NewError(fiber.StatusUnprocessableEntity, f.name+" must be at most 100 characters, without control characters")
		}
	}
	switch req.Dimension {
	case model.DimFrame:
		if s.ingest == nil || s.ingest.Codebook == nil {
			return nil
		}
		_, frames, _ := s.ingest.Codebook.Labels()
		if !slices.Contains(frames, req.Value) {
			return fiber.NewError(fiber.StatusUnprocessableEntity, fmt.Sprintf(
				"frame %q is not in the codebook; frames: %s", req.Value, strings.Join(frames, ", ")))
		}
	case model.DimInstrument:
		if !instrumentID.MatchString(req.Value) {
			return fiber.NewError(fiber.StatusUnprocessableEntity,
				"an instrument is an id like UNSCR_2331 or TIP_PROTOCOL: capital letters, digits and _")
		}
	}
	return nil
}

// jsonProblem says in a few words what was wrong with a JSON body.
func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		if typeErr.Field == "statement_id" || typeErr.Field == "seq" {
			return typeErr.Field + " must be a JSON number"
		}
		return typeErr.Field + " must be a JSON string"
	}
	if errors.Is(err, io.EOF) {
		return "the body is empty"
	}
	return err.Error()
}

// plainBody refuses compressed bodies: Fiber would inflate them without a
// bound, so a small request could expand into gigabytes.
func plainBody(c *fiber.Ctx) error {
	if ce := c.Get(fiber.HeaderContentEncoding); ce != "" && !strings.EqualFold(ce, "identity") {
		return fiber.NewError(fiber.StatusUnsupportedMediaType, "send the body uncompressed (no Content-Encoding)")
	}
	return nil
}

// deleteTag answers DELETE /api/tags/{id}: 204 for an analyst's tag, 409
// for a codebook tag.
func (s *Server) deleteTag(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return badRequest("the tag id must be a positive integer")
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	err = s.write(ctx, func() error { return s.store.DeleteAnalystTag(ctx, id) })
	switch {
	case errors.Is(err, store.ErrNotFound):
		return notFound("tag %d not found", id)
	case errors.Is(err, store.ErrCodebookTag):
		return fiber.NewError(fiber.StatusConflict, fmt.Sprintf("tag %d was made by the codebook and cannot be deleted: "+
			"add an analyst tag to overrule it instead (analyst tags decide the purview, and codebook tags come back on every retag)", id))
	case err != nil:
		return err
	}
	s.log.Info("analyst tag deleted", "user", apiUser(c).Name, "tag_id", id)
	return c.SendStatus(fiber.StatusNoContent)
}

// apiIngest is the answer to POST /api/documents.
type apiIngest struct {
	Status     string   `json:"status"` // added, unchanged or replaced
	Symbol     string   `json:"symbol"`
	Meeting    string   `json:"meeting"`
	Statements int      `json:"statements"`
	Notes      []string `json:"notes"`
}

// addDocument answers POST /api/documents: the document as the raw body
// (text/plain or text/html) or as the multipart field "file". It goes
// through the same pipeline as stancetrack ingest, in one transaction: 422
// with the reason when refused, and nothing is stored.
func (s *Server) addDocument(c *fiber.Ctx) error {
	if s.ingest == nil {
		return fiber.NewError(fiber.StatusServiceUnavailable, "this server was started without an ingest pipeline")
	}
	if err := plainBody(c); err != nil {
		return err
	}
	name, raw, err := documentBody(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx(c) // the upload's budget (asUpload)
	defer cancel()
	// A document is parsed and tagged on this request: it takes the one
	// upload slot, never a reader's, so uploads neither starve readers nor
	// wait behind them.
	select {
	case s.uploads <- struct{}{}:
	case <-ctx.Done():
		return fiber.NewError(fiber.StatusServiceUnavailable, "another document is being stored; try again in a moment")
	}
	var res ingest.Result
	err = s.write(ctx, func() error {
		res = s.ingest.Bytes(ctx, name, raw)
		return busyOnly(res.Err)
	})
	<-s.uploads
	if err != nil {
		return err
	}
	u := apiUser(c)
	if res.Err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// A database failure is the server's, not the document's: logged
		// and answered without SQL, never as "refused".
		var dbErr interface{ Code() int }
		if errors.As(res.Err, &dbErr) {
			return fmt.Errorf("server: store %s: %w", name, res.Err)
		}
		reason := res.Err.Error()
		if i := strings.IndexByte(reason, '\n'); i >= 0 {
			reason = reason[:i]
		}
		s.log.Warn("document refused", "user", u.Name, "name", name, "reason", reason)
		return fiber.NewError(fiber.StatusUnprocessableEntity, "refused: "+reason)
	}
	s.log.Info("document ingested", "user", u.Name, "name", name, "symbol", res.Symbol, "status", res.Status,
		"statements", res.Statements)
	if res.Status == store.Added {
		c.Status(fiber.StatusCreated)
	}
	notes := res.Notes
	if notes == nil {
		notes = []string{}
	}
	return c.JSON(apiIngest{Status: res.Status, Symbol: res.Symbol, Meeting: res.Meeting, Statements: res.Statements, Notes: notes})
}

// asUpload gives POST /api/documents the upload's time budget, from the
// token check on.
func (s *Server) asUpload(c *fiber.Ctx) error {
	c.Locals(kindKey, kindUpload)
	return c.Next()
}

// errWriteBusy is a write through the API that found another process (a
// long ingest) holding the database's write lock for the whole of its
// budget: the client is told to come back (503, Retry-After).
var errWriteBusy = errors.New("the database is busy with another write (an ingest, probably); nothing was changed, try again in a few seconds")

// write runs one write through the API. Writes queue for the server's one
// write slot rather than race for SQLite's lock, and a write that finds
// another process holding the lock past the busy timeout is tried again
// until the request's budget ends, then answered 503: an analyst's write
// is never lost to a 500 because an ingest was running.
func (s *Server) write(ctx context.Context, fn func() error) error {
	select {
	case s.writes <- struct{}{}:
		defer func() { <-s.writes }()
	case <-ctx.Done():
		return errWriteBusy
	}
	sawBusy := false
	for {
		err := fn()
		switch {
		case err == nil:
			return nil
		case store.IsBusy(err):
			sawBusy = true
		case ctx.Err() != nil && sawBusy:
			return errWriteBusy // interrupted while waiting for the lock again
		default:
			return err
		}
		select {
		case <-ctx.Done():
			return errWriteBusy
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// busyOnly keeps the busy failures of an ingest result, which write tries
// again; the others (a refused document) are the result's to report.
func busyOnly(err error) error {
	if store.IsBusy(err) {
		return err
	}
	return nil
}

// documentBody returns the uploaded document and a file name for it,
// bounded by ingest.MaxFileSize.
func documentBody(c *fiber.Ctx) (string, []byte, error) {
	tooLarge := fiber.NewError(fiber.StatusRequestEntityTooLarge,
		fmt.Sprintf("a document is at most %d MiB", ingest.MaxFileSize>>20))
	mediaType, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil {
		mediaType = ""
	}
	var name string
	var raw []byte
	switch mediaType {
	case fiber.MIMEMultipartForm:
		fh, err := c.FormFile("file")
		if err != nil {
			return "", nil, badRequest("the multipart form needs the document in the field \"file\"")
		}
		if fh.Size > ingest.MaxFileSize {
			return "", nil, tooLarge
		}
		f, err := fh.Open()
		if err != nil {
			return "", nil, err
		}
		defer f.Close()
		raw, err = io.ReadAll(io.LimitReader(f, ingest.MaxFileSize+1))
		if err != nil {
			return "", nil, err
		}
		name = filepath.Base(fh.Filename)
	case fiber.MIMETextPlain, fiber.MIMETextHTML:
		raw = bytes.Clone(c.Request().Body())
		name = "upload.txt"
		if mediaType == fiber.MIMETextHTML {
			name = "upload.html"
		}
	default:
		return "", nil, fiber.NewError(fiber.StatusUnsupportedMediaType,
			"send the document as the body with Content-Type text/plain or text/html, or as the multipart/form-data field \"file\"")
	}
	if len(raw) > ingest.MaxFileSize {
		return "", nil, tooLarge
	}
	if len(raw) == 0 {
		return "", nil, badRequest("the document is empty")
	}
	if name == "" || name == "." || name == "/" {
		name = "upload"
	}
	return name, raw, nil
}
