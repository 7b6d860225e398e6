package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

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

func recoverKinds(req *httpapi.Request) []option {
	return []option{
		{"assessment", tr(req, "recover.kind.assessment"), tr(req, "recover.kind.assessment.hint")},
		{"partnership", tr(req, "recover.kind.partnership"), tr(req, "recover.kind.partnership.hint")},
	}
}

type recoverData struct {
	Kinds []option
}

func (s *Site) recoverForm(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	return s.render(ctx, req, http.StatusOK, "recover", &page{Title: tr(req, "recover.title"), Back: "/", Data: recoverData{Kinds: recoverKinds(req)}}), nil
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
		fe.add("kind", tr(req, "error.recover.kind"))
	case id == "":
		fe.add("link", tr(req, "error.recover.link.missing"))
	case !secret.ValidID(id):
		fe.add("link", tr(req, "error.recover.link.format"))
	}
	email := form.Get("email")
	if e := strings.TrimSpace(email); e == "" || !strings.Contains(e, "@") {
		fe.add("email", tr(req, "error.recover.email"))
	}
	var limited error
	if fe.empty() {
		// The same per-target limits as the API (docs/design.md D8): the
		// router has counted the client address.
		if limited = ratelimit.RecoveryTries(ctx, req, id, email); limited != nil {
			if f, ok := failure.As(limited); ok && f.Code == failure.TooManyRequests {
				fe.add("email", strings.TrimSuffix(httpapi.DetailText(lang(req), f), "."))
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
		fe.localise(req)
		if form.Get("kind") == "" && kind != "" {
			form.Set("kind", kind)
		}
		r := s.render(ctx, req, http.StatusUnprocessableEntity, "recover", formPage(tr(req, "recover.title"), &fe, form, recoverData{Kinds: recoverKinds(req)}))
		if limited != nil {
			r.StatusCode = http.StatusTooManyRequests
			r.Headers["retry-after"] = httpapi.RetryAfter(limited)
		}
		return r, nil
	}
	// The reply is assessment.RecoverReply, in the reader's language.
	return s.render(ctx, req, http.StatusOK, "recover-sent", &page{Title: tr(req, "recover.sent.title")}), nil
}
