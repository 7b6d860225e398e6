package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/openrasp/rasp/shared/auth"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/scoring"
	"github.com/openrasp/rasp/shared/secret"
	"github.com/openrasp/rasp/shared/viewer"
)

// Read-only links (issue 20): the lead shares the report, the
// administrator a round's comparison, with a board member or an auditor.
// The sharer's pages are under the sharer's own cookie; the viewer's under
// a cookie of the link's own (Path=…/views/<vid>), and show no form at all.

// shareFieldIDs maps the service's field names to the form's ids: a date
// input's error links to its first field (GOV.UK pattern).
var shareFieldIDs = map[string]string{"label": "label", viewer.ExpiryField: "expires-day", "round": "label"}

type viewerRow struct {
	ID, Label, Until, Revoke string
	Round                    int
}

type shareData struct {
	Subject, Name   string // "report" or "comparison"; council or partnership
	Action, Back    string
	Key             string
	Round           int // a comparison's round
	Default, Latest string
	Links           []viewerRow
	Full            bool
	Revoked         bool
	MaxLive         int
}

func (s *Site) shareView(lg locale.Lang, o viewer.Owner, name string, links []viewer.Link, round int, revoked bool) shareData {
	now := s.now()
	today := time.Date(now.UTC().Year(), now.UTC().Month(), now.UTC().Day(), 0, 0, 0, 0, time.UTC)
	share, revoke := "webCreateReportLink", "webRevokeReportLink"
	if o.Subject == viewer.Comparison {
		share, revoke = "webCreateComparisonLink", "webRevokeComparisonLink"
	}
	d := shareData{Subject: string(o.Subject), Name: name, Action: path(share, o.ID), Key: secret.NewToken(), Round: round, Revoked: revoked,
		Default: lg.Date(today.AddDate(0, 0, viewer.DefaultDays)), Latest: lg.Date(today.AddDate(0, 0, viewer.MaxDays)),
		MaxLive: viewer.MaxLive, Back: path("webReport", o.ID)}
	if o.Subject == viewer.Comparison {
		d.Back = path("webComparison", o.ID) + fmt.Sprintf("?round=%d", round)
	}
	live := viewer.Live(links, now)
	for _, l := range live {
		label := l.Label
		if label == "" {
			label = tl(lg, "share.noName")
		}
		d.Links = append(d.Links, viewerRow{ID: l.ID, Label: label, Round: l.Round, Until: lg.Date(l.LastDay()),
			Revoke: path(revoke, o.ID, "viewer", l.ID)})
	}
	d.Full = len(live) >= viewer.MaxLive
	return d
}

func (s *Site) shareReport(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	a := req.Principal.Assessment
	d := s.shareView(lang(req), viewer.Owner{Subject: viewer.Report, ID: a.ID}, a.Council, a.Viewers, 0, req.Query("revoked") != "")
	return s.render(ctx, req, http.StatusOK, "share", &page{Title: tr(req, "report.share.link"), Back: d.Back, Data: d}), nil
}

func (s *Site) shareComparison(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	p := req.Principal.Partnership
	n, ok := roundQuery(req)
	if !ok {
		return s.notFound(ctx, req), nil
	}
	n, err := p.ViewerRound(n)
	if err != nil {
		return s.notFound(ctx, req), nil
	}
	d := s.shareView(lang(req), viewer.Owner{Subject: viewer.Comparison, ID: p.ID}, p.Name, p.Viewers, n, req.Query("revoked") != "")
	return s.render(ctx, req, http.StatusOK, "share", &page{Title: tr(req, "report.share.link"), Back: d.Back, Data: d}), nil
}

type viewerSharedData struct {
	Subject, Name, Link, Until, Label, Back string
	Round                                   int
}

// createLink makes a link and shows it once; bad input re-renders the form
// with what was typed and writes nothing.
func (s *Site) createLink(ctx context.Context, req *httpapi.Request, o viewer.Owner, name string, links []viewer.Link, round int) (*httpapi.Response, error) {
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	in := viewer.Input{Label: form.Get("label"), Day: form.Get("expires-day"), Month: form.Get("expires-month"), Year: form.Get("expires-year"), Round: round}
	out, err := s.o.Viewers.Share(ctx, o, links, in, formIdempotency(req, form.Get("key")))
	var fe formErrors
	if !fe.fromFailure(err, shareFieldIDs, "label") && failure.CodeOf(err) == failure.Conflict {
		fe.add("label", localConflict(req, err))
	}
	if !fe.empty() {
		fe.localise(req)
		d := s.shareView(lang(req), o, name, links, round, false)
		pg := formPage(tr(req, "report.share.link"), &fe, form, d)
		pg.Back = d.Back
		return s.render(ctx, req, http.StatusUnprocessableEntity, "share", pg), nil
	}
	if err != nil {
		return nil, err
	}
	d := viewerSharedData{Subject: string(o.Subject), Name: name, Link: routes.Links{Origin: origin(req)}.Viewer(o, out), Label: out.Label, Round: out.Round,
		Until: lang(req).Date(out.Expires.Add(-time.Nanosecond)), Back: s.shareView(lang(req), o, name, nil, round, false).Action}
	if o.Subject == viewer.Comparison {
		d.Back += fmt.Sprintf("?round=%d", round)
	}
	return s.render(ctx, req, http.StatusOK, "viewer-created", &page{Title: tr(req, "share.created.title"), Secret: true, Data: d}), nil
}

func (s *Site) createReportLink(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	a := req.Principal.Assessment
	return s.createLink(ctx, req, viewer.Owner{Subject: viewer.Report, ID: a.ID}, a.Council, a.Viewers, 0)
}

func (s *Site) createComparisonLink(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	p := req.Principal.Partnership
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	n, err := partnership.ParseRound(form.Get("round"))
	if err != nil {
		return s.notFound(ctx, req), nil
	}
	if n, err = p.ViewerRound(n); err != nil {
		return s.notFound(ctx, req), nil
	}
	return s.createLink(ctx, req, viewer.Owner{Subject: viewer.Comparison, ID: p.ID}, p.Name, p.Viewers, n)
}

// revokeLink stops a link at once and goes back to the list, which says so.
func (s *Site) revokeLink(ctx context.Context, req *httpapi.Request, o viewer.Owner, links []viewer.Link, back string) (*httpapi.Response, error) {
	err := s.o.Viewers.Revoke(ctx, o, links, req.Param("viewer"))
	if err != nil && failure.CodeOf(err) != failure.NotFound { // already gone: the list says so
		return nil, err
	}
	u, _ := url.Parse(back)
	q := u.Query()
	q.Set("revoked", "1")
	u.RawQuery = q.Encode()
	return redirect(u.String()), nil
}

func (s *Site) revokeReportLink(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	a := req.Principal.Assessment
	return s.revokeLink(ctx, req, viewer.Owner{Subject: viewer.Report, ID: a.ID}, a.Viewers, path("webShareReport", a.ID))
}

func (s *Site) revokeComparisonLink(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	p := req.Principal.Partnership
	back := path("webShareComparison", p.ID)
	if l, ok := viewer.Find(p.Viewers, req.Param("viewer")); ok {
		back += fmt.Sprintf("?round=%d", l.Round)
	}
	return s.revokeLink(ctx, req, viewer.Owner{Subject: viewer.Comparison, ID: p.ID}, p.Viewers, back)
}

// viewerOnly marks a viewer's page: never indexed, no address sent on to
// another site (it names the link), kept in no shared cache.
func viewerOnly(r *httpapi.Response) *httpapi.Response {
	if r == nil {
		return nil
	}
	if r.Headers == nil {
		r.Headers = map[string]string{}
	}
	r.Headers["referrer-policy"] = "no-referrer"
	r.Headers["x-robots-tag"] = "noindex, nofollow"
	r.Headers["cache-control"] = "no-store, private"
	return r
}

// viewerBase is the path of the viewer's own pages.
func viewerBase(req *httpapi.Request) string {
	p := req.Principal
	if p.Partnership != nil {
		return path("webViewerComparison", p.Partnership.ID, "viewer", p.Viewer.ID)
	}
	return path("webViewerReport", p.Assessment.ID, "viewer", p.Viewer.ID)
}

// viewerResume keeps the link's token in the link's own cookie and
// redirects to its page, so the token leaves the address bar.
func (s *Site) viewerResume(_ context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	home := viewerBase(req)
	// The cookie lasts as long as the link (the server checks expiry
	// anyway, on every read).
	c := &http.Cookie{Name: httpapi.ViewerCookie(req.Principal.Viewer.ID), Value: req.Query("token"), Path: home,
		MaxAge: max(int(time.Until(req.Principal.Viewer.Expires).Seconds()), 1), HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: req.Secure()}
	return viewerOnly(redirect(home, c.String())), nil
}

// readOnlyBanner says, on every viewer page, what the page is and until
// when, in the reader's language.
type readOnlyBanner struct {
	What, Until string
}

// readOnly is the banner of a viewer's page; what is the catalogue key
// naming the page (readOnly.what.*).
func (s *Site) readOnly(req *httpapi.Request, what string) *readOnlyBanner {
	if !isViewer(req) {
		return nil
	}
	return &readOnlyBanner{What: tr(req, what), Until: lang(req).Date(req.Principal.Viewer.LastDay())}
}

func isViewer(req *httpapi.Request) bool {
	return req.Principal != nil && req.Principal.Kind == auth.Viewer && req.Principal.Viewer != nil
}

func (s *Site) viewerReport(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	r, err := s.reportWith(ctx, req, l, nil, nil)
	return viewerOnly(r), err
}

func (s *Site) viewerReportCSV(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	r, err := s.reportCSV(ctx, req)
	return viewerOnly(r), err
}

func (s *Site) viewerComparison(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	r, err := s.showComparison(ctx, req, viewerScope(req.Principal.Partnership.ID, req.Principal.Viewer.ID), "")
	return viewerOnly(r), err
}

func (s *Site) viewerBoard(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	r, err := s.showBoard(ctx, req, viewerScope(req.Principal.Partnership.ID, req.Principal.Viewer.ID))
	return viewerOnly(r), err
}

func (s *Site) viewerComparisonCSV(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	r, err := s.comparisonCSV(ctx, req)
	return viewerOnly(r), err
}

// compareFor is the comparison the request's principal may see: a
// viewer's is its link's one round, as a member council sees it (?round=
// is ignored); everyone else's is round n as their access allows.
func (s *Site) compareFor(req *httpapi.Request, n int) (scoring.Comparison, error) {
	p := req.Principal.Partnership
	if isViewer(req) {
		return partnership.ViewerComparison(s.o.Bank.In(lang(req)), p, req.Principal.Viewer.Round, s.now())
	}
	return partnership.CompareFor(s.o.Bank.In(lang(req)), p, req.Principal.Access(), req.Principal.Member, n, s.now())
}
