// Package openapi generates the OpenAPI 3 document of the JSON API from the
// route table and the api types, so the document cannot drift from the code.
// What is generated from what is written down in docs/api-contract.md.
package openapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/listpage"
	"github.com/openrasp/rasp/shared/routes"
)

// Version is the document's info.version: a semantic version raised with
// every change of the API and recorded in docs/api-changes.md (decision D6;
// a test ties the two).
const Version = "1.20.1"

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

// Security schemes, one per credential (decision D1), so that a client can
// tell which token an operation needs. All are bearer tokens on the wire.
var securitySchemes = []struct{ name, description string }{
	{"assessmentToken", "The assessment's token, returned once by startAssessment (or startHealthCheck) as `token`."},
	{"memberToken", "The token of a member council's assessment in the partnership: the same token as assessmentToken, " +
		"presented for the partnership the assessment joined."},
	{"adminToken", "The partnership's administrator token, returned once by createPartnership as `adminToken`."},
	{"viewerToken", "A read-only link's token, returned once by shareReport or shareComparison as `token` (and in `link`): it reads the one report or comparison it was made for, and nothing else."},
	{"seatToken", "A member council's seat invitation, returned once by createPartnership in `seats[].token` (and in the invitation link)."},
}

// securityOf names the schemes an operation accepts (any one of them).
func securityOf(a routes.Auth) *openapi3.SecurityRequirements {
	req := func(names ...string) *openapi3.SecurityRequirements {
		out := openapi3.SecurityRequirements{}
		for _, n := range names {
			out = append(out, openapi3.SecurityRequirement{n: []string{}})
		}
		return &out
	}
	switch a {
	case routes.Assessment, routes.Membership:
		return req("assessmentToken")
	case routes.Seat:
		return req("seatToken")
	case routes.ReportViewer, routes.ComparisonViewer:
		return req("viewerToken")
	case routes.Member:
		return req("adminToken", "memberToken")
	case routes.Admin:
		return req("adminToken")
	}
	return req() // public: "security": []
}

// Error responses, one component per status. The problem `type` each carries
// is named in its description (decision D3).
var errorResponses = []struct {
	status      int
	name, about string
}{
	{http.StatusBadRequest, "BadRequest", "The request cannot be read: the body is not one JSON object, or is not valid JSON (`/problems/bad-request`)."},
	{http.StatusUnauthorized, "Unauthorized", "No token was given (`/problems/unauthorized`). Send `Authorization: Bearer <token>`."},
	{http.StatusForbidden, "Forbidden", "The token is valid but does not allow this (`/problems/forbidden`), e.g. a member's token on an administrator's operation."},
	{http.StatusNotFound, "NotFound", "No such resource, or the token does not belong to it: the two are not told apart, so ids cannot be probed (`/problems/not-found`). " +
		"After an erasure, a retried DELETE answers this: the thing is already gone."},
	{http.StatusConflict, "Conflict", "The state does not allow it (`/problems/conflict`, `/problems/already-submitted`), e.g. saving into a submitted assessment."},
	{http.StatusPreconditionFailed, "PreconditionFailed", "`If-Match` names a revision that is no longer current (`/problems/precondition-failed`): read again and retry. Weak tags never match."},
	{http.StatusRequestEntityTooLarge, "TooLarge", "The body is over 64 KB (`/problems/too-large`)."},
	{http.StatusUnsupportedMediaType, "UnsupportedMediaType", "The body is not `application/json` (`/problems/unsupported-media-type`)."},
	{http.StatusUnprocessableEntity, "Invalid", "A value breaks a rule (`/problems/invalid`); `errors` names each field (JSON path) and what is wrong."},
	{http.StatusTooManyRequests, "TooManyRequests", "This client address, or the code or e-mail address being tried, is over its limit (`/problems/rate-limited`): " +
		"wait `Retry-After` seconds, when the limit's window ends. Nothing was done. Limits are set for a whole council behind one address (docs/design.md D8)."},
	{http.StatusInternalServerError, "Internal", "Something went wrong on our side (`/problems/internal`); only `requestId` is shown. Quote it if you contact us."},
	{http.StatusServiceUnavailable, "Unavailable", "A dependency is throttled or down (`/problems/unavailable`). For a write the outcome is unknown: " +
		"retry after `Retry-After` seconds (every route here is safe to retry; see the document description)."},
}

// extraProblems are the statuses an operation returns beyond those every
// operation of its kind returns (authentication, body decoding, 500, 503).
// A route that is not listed gets exactly the common ones.
var extraProblems = map[string][]int{
	"getQuestions":        {422},
	"startHealthCheck":    {409},
	"startSeatAssessment": {409},
	"bringIn":             {409},
	"shareNotes":          {409},
	"openRound":           {403, 409},
	"closeRound":          {403, 409, 422},
	"deletePartnership":   {403},
	"addSeat":             {403, 409},
	"renameSeat":          {403, 409},
	"withdrawSeat":        {403, 409},
	"addAdmin":            {403, 409},
	"removeAdmin":         {403, 409},
	"rotateJoinCode":      {403},
	"saveAnswers":         {409, 412},
	"submitAssessment":    {422},
	"getComparison":       {403, 409, 422},
	"getComparisonCSV":    {403, 409, 422},
	"getWorkshopCSV":      {403, 409, 422},
	"scoreAssessment":     {},
	"scoreAssessmentCSV":  {},
	"listActions":         {403, 422},
	"getActionsCSV":       {403},
	"getAction":           {403},
	"createAction":        {403},
	"updateAction":        {403, 409},
	"addActionNote":       {403, 409},
	// Read-only links (issue 20): at most viewer.MaxLive live at once.
	"shareReport":            {409},
	"shareComparison":        {403, 409},
	"listComparisonViewers":  {403},
	"revokeComparisonViewer": {403},
	"viewComparison":         {409},
	"createOwnAction":        {409},
	"updateOwnAction":        {409},
	"addOwnActionNote":       {409},
	"updateRespondent":       {409},
	"handOverLead":           {409},
	"getRespondentSpread":    {403},
}

// sealedRoutes answer 409 with the sealed problem: what the reader may know
// about a round that is still sealed.
var sealedRoutes = map[string]bool{"getComparison": true, "getComparisonCSV": true, "getWorkshopCSV": true, "viewComparison": true}

// Build returns the document for every non-HTML route of the table.
func Build() (*openapi3.T, error) {
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{
			Title:       "RASP: Readiness Assessment for a Shared service Programme",
			Version:     Version,
			Description: description,
			License:     &openapi3.License{Name: "MIT", URL: "https://opensource.org/license/mit"},
			Contact:     &openapi3.Contact{Name: "RASP", URL: "https://github.com/openrasp/rasp"},
		},
		Servers: openapi3.Servers{
			{URL: "https://{domain}", Description: "A deployment of RASP (its RASP_DOMAIN, or the API Gateway URL)",
				Variables: map[string]*openapi3.ServerVariable{"domain": {Default: "rasp.example.gov.uk"}}},
			{URL: "http://127.0.0.1:8080", Description: "make run on your own machine"},
		},
		Paths: openapi3.NewPaths(),
		Components: &openapi3.Components{
			Schemas:         openapi3.Schemas{},
			SecuritySchemes: openapi3.SecuritySchemes{},
			Responses:       openapi3.ResponseBodies{},
			Headers:         openapi3.Headers{},
		},
	}
	for _, s := range securitySchemes {
		doc.Components.SecuritySchemes[s.name] = &openapi3.SecuritySchemeRef{Value: openapi3.NewSecurityScheme().
			WithType("http").WithScheme("bearer").WithDescription(s.description)}
	}
	for name, h := range headers {
		doc.Components.Headers[name] = &openapi3.HeaderRef{Value: headerOf(h.description, h.schema)}
	}

	sch := newSchemas()
	table := routes.Table()
	for _, r := range table {
		if r.Request != nil {
			sch.markStrict(reflect.TypeOf(r.Request))
		}
	}
	problem, err := sch.ref(reflect.TypeFor[api.Problem]())
	if err != nil {
		return nil, err
	}
	sealed := sealedProblem(problem)
	sch.components["SealedProblem"] = sealed.NewRef()
	for _, e := range errorResponses {
		resp := openapi3.NewResponse().WithDescription(e.about).WithContent(problemContent(problem, e.status))
		switch e.status {
		case http.StatusUnauthorized:
			resp.Headers = openapi3.Headers{"WWW-Authenticate": headerRef("WWW-Authenticate")}
		case http.StatusServiceUnavailable, http.StatusTooManyRequests:
			resp.Headers = openapi3.Headers{"Retry-After": headerRef("Retry-After")}
		}
		addCommonHeaders(resp)
		doc.Components.Responses[e.name] = &openapi3.ResponseRef{Value: resp}
	}
	sealedResp := openapi3.NewResponse().WithDescription("The round's comparison is sealed until every member has submitted or the administrator closes it " +
		"(`/problems/sealed`, with `sealed`, `round`, `expected`, `submitted` and `members`, and `seats` when the round waits for seats); " +
		"or a prospective partner has nothing to compare yet: it has not submitted, or no round is complete (`/problems/conflict`, without them).").
		WithContent(openapi3.Content{"application/problem+json": openapi3.NewMediaType().WithSchemaRef(
			&openapi3.SchemaRef{Ref: "#/components/schemas/SealedProblem", Value: sealed})})
	addCommonHeaders(sealedResp)
	doc.Components.Responses["Sealed"] = &openapi3.ResponseRef{Value: sealedResp}

	usedTags := map[string]bool{}
	for _, r := range table {
		if r.Tag == "html" {
			continue
		}
		op, err := operation(sch, doc.Components.Responses, r)
		if err != nil {
			return nil, fmt.Errorf("openapi: %s: %w", r.Name, err)
		}
		usedTags[r.Tag] = true
		doc.AddOperation(r.Path, r.Method, op)
		for _, m := range r.Methods() {
			if m == http.MethodHead {
				doc.AddOperation(r.Path, m, headOf(op))
			}
		}
	}
	for _, t := range tags {
		if usedTags[t.Name] {
			doc.Tags = append(doc.Tags, t)
		}
	}
	if f, ok := sch.components["Finding"]; ok && f.Value != nil {
		f.Value.Description = "One similarity, difference or shared weakness. `summary` is a sentence in English for people, " +
			"whatever Accept-Language asks; `question` and `area` are the ids to match on."
	} else {
		return nil, fmt.Errorf("openapi: no Finding schema to describe")
	}
	doc.Components.Schemas = sch.components
	return doc, nil
}

var tags = openapi3.Tags{
	{Name: "assessments", Description: "A council's assessment: start, answer, submit, score, erase."},
	{Name: "partnerships", Description: "Councils comparing side by side: rounds, members, the comparison."},
	{Name: "actions", Description: "The joint action register of a partnership: what the councils agreed to do, who owns it, by when, and whether it moved the scores."},
	{Name: "own-actions", Description: "A council's own action list: its report's \"what to work on first\" items kept as private actions with an owner, a due date, a status and progress notes, read and changed only with the assessment's token and carried into its next assessment."},
	{Name: "respondents", Description: "Several respondents per council: the lead invites colleagues, each answers with their own token, and the lead consolidates the council's answer. Nothing here is ever seen by partners."},
	{Name: "viewers", Description: "Read-only links for a board member or an auditor: the lead shares the report, the administrator a round's comparison; each link has its own token, shows and never changes, expires on a date the sharer picks and can be revoked."},
	{Name: "questions", Description: "The published question bank, by version."},
	{Name: "ops", Description: "Health and this document."},
}

func operation(sch *schemas, responses openapi3.ResponseBodies, r routes.Route) (*openapi3.Operation, error) {
	op := openapi3.NewOperation()
	op.OperationID, op.Summary, op.Tags = r.Name, r.Summary, []string{r.Tag}
	op.Description = r.Summary + "."
	if englishRoutes[r.Name] {
		op.Description += englishWords
	}
	op.Security = securityOf(r.Auth)
	for _, m := range pathParam.FindAllStringSubmatch(r.Path, -1) {
		p := openapi3.NewPathParameter(m[1]).WithSchema(openapi3.NewStringSchema().WithMinLength(1))
		p.Description = "The id returned when it was created."
		if m[1] == "n" {
			p.Schema = openapi3.NewIntegerSchema().WithMin(1).WithMax(9999).NewRef()
			p.Description = "The round number, from 1."
		}
		op.AddParameter(p)
	}
	for _, p := range parameters[r.Name] {
		op.AddParameter(p)
	}
	if r.Idempotent {
		op.AddParameter(idempotencyKey())
	}
	if isGet(r) {
		op.AddParameter(&openapi3.Parameter{In: "header", Name: "If-None-Match", Schema: openapi3.NewStringSchema().NewRef(),
			Description: "An ETag from an earlier reply: 304 Not Modified, without a body, if it is still current."})
	}
	status := r.Status
	if status == 0 {
		status = http.StatusOK
	}
	if r.Request != nil {
		s, err := sch.ref(reflect.TypeOf(r.Request))
		if err != nil {
			return nil, fmt.Errorf("request: %w", err)
		}
		mt := openapi3.NewMediaType().WithSchemaRef(s)
		mt.Example = requestExample(r.Request, s)
		op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(!r.RequestOptional).
			WithDescription("A JSON object of at most 64 KB. Unknown fields are refused (422), so a typo cannot pass silently.").
			WithContent(openapi3.Content{"application/json": mt})}
	}
	ok := openapi3.NewResponse().WithDescription(http.StatusText(status))
	switch {
	case r.Response != nil:
		s, err := sch.ref(reflect.TypeOf(r.Response))
		if err != nil {
			return nil, fmt.Errorf("response: %w", err)
		}
		mt := openapi3.NewMediaType().WithSchemaRef(s)
		mt.Example = exampleOf(s, "")
		ok.WithContent(openapi3.Content{"application/json": mt})
	case r.Name == "getOpenAPI":
		obj := openapi3.NewObjectSchema()
		obj.Description = "This document."
		mt := openapi3.NewMediaType().WithSchema(obj)
		mt.Example = map[string]any{"openapi": "3.0.3"}
		ok.WithContent(openapi3.Content{"application/json": mt})
	case status != http.StatusNoContent:
		csv := openapi3.NewStringSchema()
		csv.Description = "RFC 4180 CSV with a header row. Cells that a spreadsheet would run as a formula start with an apostrophe."
		mt := openapi3.NewMediaType().WithSchema(csv)
		mt.Example = "question,area,score\r\nvision.political-backing,vision,3\r\n"
		ok.WithContent(openapi3.Content{"text/csv": mt})
		ok.Headers = openapi3.Headers{"Content-Disposition": headerRef("Content-Disposition")}
	}
	if ok.Headers == nil {
		ok.Headers = openapi3.Headers{}
	}
	if status == http.StatusCreated {
		ok.Headers["Location"] = headerRef("Location")
	}
	if isGet(r) || r.Name == "saveAnswers" {
		ok.Headers["ETag"] = headerRef("ETag")
	}
	if isGet(r) {
		ok.Headers["Cache-Control"] = headerRef("Cache-Control")
		if r.Auth == routes.Public {
			ok.Headers["Access-Control-Allow-Origin"] = headerRef("Access-Control-Allow-Origin")
		}
	}
	if languageRoutes[r.Name] {
		ok.Headers["Vary"] = headerRef("Vary")
	}
	if status != http.StatusNoContent {
		addCommonHeaders(ok)
	}
	op.AddResponse(status, ok)
	if isGet(r) {
		nm := openapi3.NewResponse().WithDescription("Not Modified: the If-None-Match tag is current; no body.")
		nm.Headers = openapi3.Headers{"ETag": headerRef("ETag")}
		op.AddResponse(http.StatusNotModified, nm)
	}
	for _, s := range problemStatuses(r) {
		name := responseName(s)
		if s == http.StatusConflict && sealedRoutes[r.Name] {
			name = "Sealed"
		}
		op.Responses.Set(strconv.Itoa(s), &openapi3.ResponseRef{Ref: "#/components/responses/" + name, Value: responses[name].Value})
	}
	return op, nil
}

func isGet(r routes.Route) bool { return r.Method == http.MethodGet }

// headOf is the HEAD twin of a GET operation: the same parameters, security
// and statuses with their headers, and no body (RFC 9110 9.3.2).
func headOf(get *openapi3.Operation) *openapi3.Operation {
	op := *get
	op.OperationID = get.OperationID + "Head"
	op.Summary = get.Summary + " (headers only)"
	op.Description = "As " + get.OperationID + ", without the body: the same status and headers."
	op.Responses = openapi3.NewResponses()
	op.Responses.Delete("default")
	for status, ref := range get.Responses.Map() {
		op.Responses.Set(status, &openapi3.ResponseRef{Value: &openapi3.Response{
			Description: ref.Value.Description, Headers: ref.Value.Headers}})
	}
	return &op
}

// problemStatuses are the error statuses of one operation, in order.
func problemStatuses(r routes.Route) []int {
	out := []int{http.StatusInternalServerError, http.StatusServiceUnavailable}
	if r.Auth != routes.Public {
		out = append(out, http.StatusUnauthorized, http.StatusNotFound)
	}
	if r.Request != nil {
		out = append(out, http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity)
	}
	out = append(out, extraProblems[r.Name]...)
	if r.Limit.Name != "" {
		out = append(out, http.StatusTooManyRequests)
	}
	if r.Name == "startAssessment" || r.Name == "createPartnership" {
		out = append(out, http.StatusUnprocessableEntity)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func responseName(status int) string {
	for _, e := range errorResponses {
		if e.status == status {
			return e.name
		}
	}
	panic("openapi: no error response for status " + strconv.Itoa(status))
}

// parameters are the query and header parameters beyond path ids and
// If-None-Match.
var parameters = map[string][]*openapi3.Parameter{
	"getQuestions": {{In: "query", Name: "version", Description: "A published version (e.g. v1); the current one when left out. " +
		"A versioned read never changes, and is cached as immutable.", Schema: openapi3.NewStringSchema().WithPattern(`^v[0-9]+$`).NewRef()},
		acceptLanguage()},
	"getComparison":    {roundQuery()},
	"getComparisonCSV": {roundQuery()},
	"listActions":      {roundQuery(), pageLimit(), pageCursor()},
	"getWorkshopCSV":   {roundQuery()},
	"saveAnswers": {{In: "header", Name: "If-Match", Description: "Save only if the assessment is still at this revision: the ETag of " +
		"getAssessment or of the last save (a strong tag, e.g. \"12\"), or * for any. A weak tag (W/…) never matches: 412.",
		Schema: openapi3.NewStringSchema().WithPattern(`^(\*|"[0-9]+(-gzip)?")$`).NewRef()}},
}

// acceptLanguage is the header a reply in the reader's language honours.
func acceptLanguage() *openapi3.Parameter {
	return &openapi3.Parameter{In: "header", Name: "Accept-Language", Description: "The language to answer in (RFC 9110 §12.5.4): " +
		"cy for Welsh (cy-GB and weights such as \"cy, en;q=0.5\" work too), else English. A version without text in that language " +
		"(v1 is English only; see languages in the reply) answers in English. Content-Language says which the reply is in, and each " +
		"language has its own ETag.", Schema: openapi3.NewStringSchema().WithMaxLength(256).NewRef()}
}

// languageRoutes answer in the language of Accept-Language.
var languageRoutes = map[string]bool{"getQuestions": true}

// englishWords is said of the replies whose words stay English whatever
// Accept-Language asks (docs/design.md D14): the scores and comparisons.
const englishWords = " Its words are in English whatever Accept-Language asks (Content-Language: en-GB; problem documents " +
	"and the CSV still follow it): each finding's `summary`, the question bank's texts (question `text`, area titles, levels, " +
	"actions) and a withdrawn council's name, \"<council> (withdrawn)\", which is also its key in every score by council. " +
	"Those keys and texts are what a client matches across replies and rounds, so they do not change with the reader. " +
	"Every finding carries its `question` and `area` ids, and the bank's Welsh for them is GET /api/questions with " +
	"Accept-Language: cy; RASP's own pages write the findings in Welsh for a Welsh reader."

// englishRoutes reply with englishWords.
var englishRoutes = map[string]bool{"scoreAssessment": true, "viewReport": true, "getComparison": true, "viewComparison": true}

func roundQuery() *openapi3.Parameter {
	return &openapi3.Parameter{In: "query", Name: "round", Description: "The round to compare; the current round when left out.",
		Schema: openapi3.NewIntegerSchema().WithMin(1).WithMax(9999).NewRef()}
}

// pageLimit and pageCursor page a list route (shared/listpage).
func pageLimit() *openapi3.Parameter {
	return &openapi3.Parameter{In: "query", Name: "limit", Description: fmt.Sprintf("How many items a page holds; %d when left out.", listpage.DefaultLimit),
		Schema: openapi3.NewIntegerSchema().WithMin(1).WithMax(listpage.MaxLimit).NewRef()}
}

func pageCursor() *openapi3.Parameter {
	return &openapi3.Parameter{In: "query", Name: "cursor", Description: "Where the page starts: the `next` of the page before, as it was given " +
		"(opaque; do not build one). Left out, the first page. A cursor naming an item no longer in the list is 422: start again without it.",
		Schema: openapi3.NewStringSchema().WithMinLength(1).WithMaxLength(1000).WithPattern(`^[A-Za-z0-9_-]+$`).NewRef()}
}

func idempotencyKey() *openapi3.Parameter {
	return &openapi3.Parameter{In: "header", Name: idempotency.Header, Description: "Any unique string you choose (a UUID, say). " +
		"Retrying with the same key and body within 24 hours returns the first reply, token and all, instead of creating a second one, " +
		"even when the first reply was lost to a 503 after the creation was written; the same key with a different body is 422. " +
		"A key is yours alone: the same key on another route or from another principal is another request (docs/design.md D2).",
		Schema: openapi3.NewStringSchema().WithMinLength(1).WithMaxLength(idempotency.MaxKey).WithPattern(`^[\x20-\x7e]+$`).NewRef()}
}

// headers are the response headers the document names, as components.
var headers = map[string]struct {
	description string
	schema      *openapi3.Schema
}{
	"ETag": {"A strong entity tag of this representation. Send it back as If-None-Match (304 when unchanged) or, for an assessment, " +
		"as If-Match on a save.", openapi3.NewStringSchema()},
	"Location":            {"The URL of what was created.", openapi3.NewStringSchema().WithFormat("uri-reference")},
	"Retry-After":         {"Seconds to wait before retrying.", openapi3.NewIntegerSchema().WithMin(0)},
	"Content-Disposition": {"attachment; filename=\"…\": a file to save.", openapi3.NewStringSchema()},
	"Content-Language": {"The language of the text in the reply: en-GB, or cy where the operation honours Accept-Language and " +
		"has Welsh text. Every problem document (4xx, 5xx) follows Accept-Language: its title and messages are in Welsh for cy, " +
		"its type URIs and field names never change.", openapi3.NewStringSchema()},
	"Vary": {"The request headers the reply depends on: Accept-Language, and Accept-Encoding where it may be compressed. " +
		"A cache keeps one copy per language.", openapi3.NewStringSchema()},
	"Cache-Control": {"no-store for anything behind a token; public with max-age for the question bank and this document, " +
		"and immutable for a versioned bank read.", openapi3.NewStringSchema()},
	"WWW-Authenticate":            {"Bearer: how to authenticate (RFC 6750).", openapi3.NewStringSchema()},
	"Access-Control-Allow-Origin": {"*: a public read-only reply may be read by a page of any origin (docs/api-contract.md).", openapi3.NewStringSchema()},
}

func headerRef(name string) *openapi3.HeaderRef {
	h, ok := headers[name]
	if !ok {
		panic("openapi: no header component " + name)
	}
	return &openapi3.HeaderRef{Ref: "#/components/headers/" + name, Value: headerOf(h.description, h.schema)}
}

func headerOf(description string, schema *openapi3.Schema) *openapi3.Header {
	return &openapi3.Header{Parameter: openapi3.Parameter{Description: description, Schema: schema.NewRef()}}
}

func addCommonHeaders(r *openapi3.Response) {
	if r.Headers == nil {
		r.Headers = openapi3.Headers{}
	}
	r.Headers["Content-Language"] = headerRef("Content-Language")
}

func problemContent(problem *openapi3.SchemaRef, status int) openapi3.Content {
	mt := openapi3.NewMediaType().WithSchemaRef(problem)
	ex := map[string]any{"type": exampleType(status), "title": http.StatusText(status), "status": status,
		"detail": "What went wrong, for people.", "requestId": "c0ffee00example"}
	if status == http.StatusUnprocessableEntity {
		ex["errors"] = []any{map[string]any{"field": "council", "message": "Enter the name of your council"}}
	}
	mt.Example = ex
	return openapi3.Content{"application/problem+json": mt}
}

// sealedProblem is the Problem of a comparison's 409.
func sealedProblem(problem *openapi3.SchemaRef) *openapi3.Schema {
	// Nothing more is required: the same 409 also tells a prospective
	// partner it has nothing to compare yet, without the sealed members.
	s := &openapi3.Schema{AllOf: openapi3.SchemaRefs{problem}}
	s.Description = "A problem about a comparison. When sealed (`sealed: true`) it says which round, how many councils it waits for (`expected`; " +
		"`members` is the same number, kept for clients written before seats), how many have submitted, and each expected council (`seats`, " +
		"left out when the round waits for nobody)."
	return s
}

// requestExample is the type's own example when it has one.
func requestExample(v any, s *openapi3.SchemaRef) any {
	if e, ok := v.(interface{ Example() any }); ok {
		b, err := json.Marshal(e.Example())
		if err == nil {
			var out any
			if json.Unmarshal(b, &out) == nil {
				return out
			}
		}
	}
	return exampleOf(s, "")
}

// JSON returns the document as JSON.
func JSON() (string, error) {
	doc, err := Build()
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// MustJSON is JSON for start-up; a failure is a programming error.
func MustJSON() string {
	s, err := JSON()
	if err != nil {
		panic(err)
	}
	return s
}

const description = `Councils assess their readiness to share services, compare with partners and re-assess as health-checks.

**Credentials.** Nobody has an account: each credential is a capability token, returned once, sent as
` + "`Authorization: Bearer <token>`" + `. Each operation names the schemes it accepts; a missing token is 401, a wrong
one 404 (the same as an unknown id, so ids cannot be probed).

**Errors** are RFC 9457 problem documents (` + "`application/problem+json`" + `); branch on ` + "`type`" + `, not on ` + "`title`" + `
or ` + "`detail`" + `. A 422 lists each field in ` + "`errors`" + ` by its JSON path.

**HEAD.** Every GET operation answers HEAD with the same status and headers (Content-Length included) and no body.

**Unmatched requests.** A path this document lists, asked with a method it does not list, answers 405 with
` + "`Allow`" + `; a path it does not list answers 404. Under ` + "`/api/`" + ` both are problem documents; elsewhere they
are HTML pages (the service's web pages share the origin).

**Retries.** Every GET is safe to retry; so are saving answers (merging the same values twice is the same state),
submitting (a second submit returns the first result) and DELETE (a retried erasure answers 404: already erased).
Creating POSTs take an ` + "`Idempotency-Key`" + `: retry with the same key. A 503 carries ` + "`Retry-After`" + ` and, for a
write, means the outcome is unknown.

**CORS.** The public reads (the question bank, this document, health) may be called from a page of any origin.
Every other operation only from the origins the deployment lists (none by default); an ` + "`OPTIONS`" + ` preflight
from any other origin is 403.

**Caching.** Resource GETs carry a strong ` + "`ETag`" + ` and answer ` + "`If-None-Match`" + ` with 304. JSON over 1 KB is
gzip-compressed when the request accepts it.

**Versioning.** ` + "`/api/`" + ` is version 1 and only grows: new operations, new optional request fields, new response
fields (ignore what you do not know). ` + "`info.version`" + ` is raised with every change (docs/api-changes.md). A breaking
change would add ` + "`/api/v2/`" + `; the retired operation would carry ` + "`Deprecation`" + ` and ` + "`Sunset`" + ` headers for six months first.`

// MarshalIndent renders the document as served: indented, with a final newline.
func MarshalIndent(doc *openapi3.T) ([]byte, error) {
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// exampleType is the problem type an error response of the status carries.
func exampleType(status int) string {
	for _, code := range []failure.Code{failure.BadRequest, failure.Invalid, failure.Unauthorized, failure.Forbidden,
		failure.NotFound, failure.MethodNotAllowed, failure.Conflict, failure.PreconditionFailed, failure.TooLarge,
		failure.UnsupportedMedia, failure.TooManyRequests, failure.Unavailable} {
		if e := (&failure.Error{Code: code}); httpapi.StatusOf(e) == status {
			return failure.TypeOf(e)
		}
	}
	return failure.TypeOf(nil)
}
