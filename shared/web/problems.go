package web

import (
	"context"
	"net/http"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
)

// problemPage explains one problem type of the API (docs/design.md D3): a
// problem's type URI is this page's address, so a developer who meets one
// can open it.
type problemPage struct {
	Type, Meaning, Do string
}

// problemPages say what each type means and what a client should do.
var problemPages = map[string]problemPage{
	"bad-request":            {Meaning: "The request could not be read: the body is not one JSON object, or not valid JSON.", Do: "Fix the request; sending it again unchanged will fail again."},
	"invalid":                {Meaning: "A value breaks a rule. The problem's errors list names each field, as a JSON path, and what is wrong with it.", Do: "Correct the fields named and send the request again. Nothing was written."},
	"unauthorized":           {Meaning: "No token was given.", Do: "Send the token in an Authorization: Bearer header."},
	"forbidden":              {Meaning: "The token is valid but does not allow this, for example a member's token on an administrator's operation.", Do: "Use the token of the role that may do it."},
	"not-found":              {Meaning: "There is nothing with this id, or the token does not belong to it. The two are not told apart, so ids cannot be probed. After an erasure, a retried delete answers this: the thing is already gone.", Do: "Check the id and the token."},
	"method-not-allowed":     {Meaning: "The address exists but not for this method. The Allow header lists the methods it takes.", Do: "Use one of the methods in Allow."},
	"conflict":               {Meaning: "The state of the assessment or partnership does not allow this now.", Do: "Read the resource again and decide; the detail says why."},
	"sealed":                 {Meaning: "The round's comparison is sealed until every member council has submitted, or the administrator closes the round. The problem says how many councils are expected and how many have submitted.", Do: "Wait for the other councils, or ask the administrator to close the round."},
	"stale":                  {Meaning: "The request names a state that has moved on, for example a round that is no longer the current one.", Do: "Read the partnership again and send the request for its current state."},
	"already-submitted":      {Meaning: "The assessment is submitted: its answers are final.", Do: "Start a health-check to answer again; the answers are copied forward for you to confirm."},
	"precondition-failed":    {Meaning: "The If-Match header names a revision that is no longer current. Weak tags never match.", Do: "Read the assessment again, then save with its current ETag."},
	"too-large":              {Meaning: "The body is over 64 KB.", Do: "Send smaller requests, for example one area's answers at a time."},
	"unsupported-media-type": {Meaning: "The body is not application/json.", Do: "Send JSON with Content-Type: application/json."},
	"rate-limited":           {Meaning: "This client address, or the code or e-mail address being tried, has reached its limit. Limits are set for a whole council behind one address.", Do: "Wait the number of seconds in Retry-After. Nothing was done."},
	"unavailable":            {Meaning: "The database is busy or not answering. For a change, the outcome is unknown: it may or may not have been saved.", Do: "Wait the seconds in Retry-After and send the same request again, with the same Idempotency-Key for a creating request."},
	"internal":               {Meaning: "Something went wrong on our side. Only a request id is shown.", Do: "Quote the request id if you contact the service's team."},
}

func (s *Site) problemType(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	name := req.Param("kind")
	p, ok := problemPages[name]
	if !ok {
		return s.notFound(ctx, req), nil
	}
	p.Type = failure.TypePrefix + name
	r := s.render(ctx, req, http.StatusOK, "problem-type", &page{Title: "Problem: " + name, Data: p})
	r.Headers["cache-control"] = "public, max-age=86400"
	return r, nil
}
