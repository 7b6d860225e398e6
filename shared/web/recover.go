package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/ratelimit"
	"github.com/openrasp/rasp/shared/secret"
)

// "Send me a new link": the page of POST /api/recover. Whoever lost a
// private, admin or invitation link gives what it was for and the address on
// file; a fresh link is mailed and the old one stops working. The reply is
// the same whether or not the address matched, so the page tells nobody
// which address an assessment or partnership has.

var recoverFieldIDs = map[string]string{"id": "link", "partnership": "link", "assessment": "link", "email": "email"}

func recoverKinds() []option {
	return []option{
		{"assessment", "My council’s assessment", "The private link to answer the questions, or to see the report"},
		{"partnership", "A partnership", "The administrator’s link, or a member council’s invitation link"},
	}
}

type recoverData struct {
	Kinds []option
}

func (s *Site) recoverForm(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	return s.render(ctx, req, http.StatusOK, "recover", &page{Title: "Get a new link", Back: "/", Data: recoverData{Kinds: recoverKinds()}}), nil
}

// idFromLink reads an id from what was pasted: an old link (…/assessments/<id>/…
// or …/partnerships/<id>/…) or the id alone. kind is what the link says it
// is for, when it says.
func idFromLink(s string) (id, kind string) {
	s = strings.TrimSpace(s)
	if u, err := url.Parse(s); err == nil && strings.Contains(u.Path, "/") {
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		for i := 0; i+1 < len(parts); i++ {
			if (parts[i] == "assessments" || parts[i] == "partnerships") && secret.ValidID(parts[i+1]) {
				return parts[i+1], strings.TrimSuffix(parts[i], "s")
			}
		}
	}
	return strings.ToLower(s), ""
}

func (s *Site) recover(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	var fe formErrors
	kind := form.Get("kind")
	id, fromLink := idFromLink(form.Get("link"))
	if fromLink != "" && kind == "" {
		kind = fromLink
	}
	switch {
	case kind != "assessment" && kind != "partnership":
		fe.add("kind", "Select what your link was for")
	case id == "":
		fe.add("link", "Enter your old link or the id in it")
	case !secret.ValidID(id):
		fe.add("link", "Enter the old link as it was, or the 26 letters and digits after /assessments/ or /partnerships/ in it")
	}
	email := form.Get("email")
	if e := strings.TrimSpace(email); e == "" || !strings.Contains(e, "@") {
		fe.add("email", "Enter the email address you gave, like name@council.gov.uk")
	}
	var limited error
	if fe.empty() {
		// The same per-target limits as the API (docs/design.md D8): the
		// router has counted the client address.
		if limited = ratelimit.RecoveryTries(ctx, req, id, email); limited != nil {
			if f, ok := failure.As(limited); ok && f.Code == failure.TooManyRequests {
				fe.add("email", strings.TrimSuffix(f.Message, "."))
			} else {
				return nil, limited
			}
		} else if kind == "assessment" {
			err = s.o.Assessments.Recover(ctx, id, email)
		} else {
			err = s.o.Partnerships.Recover(ctx, id, email)
		}
		if !fe.fromFailure(err, recoverFieldIDs, "link") && err != nil {
			return nil, err
		}
	}
	if !fe.empty() {
		if form.Get("kind") == "" && kind != "" {
			form.Set("kind", kind)
		}
		r := s.render(ctx, req, http.StatusUnprocessableEntity, "recover", formPage("Get a new link", &fe, form, recoverData{Kinds: recoverKinds()}))
		if limited != nil {
			r.StatusCode = http.StatusTooManyRequests
			r.Headers["retry-after"] = httpapi.RetryAfter(limited)
		}
		return r, nil
	}
	return s.render(ctx, req, http.StatusOK, "recover-sent", &page{Title: "Check your email", Data: recoverSentData{Reply: assessment.RecoverReply}}), nil
}

type recoverSentData struct {
	Reply string
}
