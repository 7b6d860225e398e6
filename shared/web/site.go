// Package web is RASP's HTML front end: server-rendered pages that follow
// the GOV.UK Design System patterns and work without JavaScript. Pages call
// the same domain services as the JSON API (assessment, partnership); this
// package only parses forms, keeps tokens in cookies, and renders.
//
// Every page handler goes through Site.Wrap, which adds the security headers
// (a strict Content-Security-Policy with no inline styles or scripts),
// rejects cross-origin form posts, and turns errors into HTML error pages.
package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/auth"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/ratelimit"
	"github.com/openrasp/rasp/shared/reminders"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/viewer"
)

// Options are what the pages need. Mailer may be nil: then the private link
// is shown but not e-mailed.
type Options struct {
	Assessments  *assessment.Service
	Partnerships *partnership.Service
	// Viewers makes and revokes read-only links (issue 20).
	Viewers *viewer.Service
	Bank    *bank.Library
	Mailer  mail.Mailer
	// BaseURL is the public origin for links in e-mails.
	BaseURL string
	Log     *slog.Logger
	// Auth resolves the credentials of the protected pages (the router's
	// middleware) and the report's partnership box.
	Auth *auth.Resolver
	// Reminders serves the stop links of reminder mails.
	Reminders *reminders.Job
	// Deadline bounds each request (config.Config.RequestTimeout).
	Deadline time.Duration
	// CORS answers the API's preflights, which come to this function through
	// the $default route (config.Config.CORSOrigins).
	CORS httpapi.CORS
	// Now is the clock for the date a printed page carries (time.Now when nil).
	Now func() time.Time
	// Limiter applies the rate limits of the public forms (starting an
	// assessment, creating a partnership, join codes).
	Limiter *ratelimit.Limiter
	// Edge is what CloudFront adds in front of the API (config.Config.Edge).
	Edge config.Edge
}

// ContentSecurityPolicy allows only our own stylesheet and data: images:
// no scripts at all, no inline styles, no framing, forms only to us.
const ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// Site renders the pages.
type Site struct {
	o Options
	// base is the layout and partials, parsed once and never executed:
	// each page is parsed onto a clone of it on its first use in a language
	// (byLang), so a cold start parses only the pages it serves.
	base   *template.Template
	names  map[string]bool // the page templates there are
	byLang map[locale.Lang]*langPages
	assets *assets
	// documents are the committee-paper download in each language: plain
	// HTML, no layout.
	documents map[locale.Lang]*template.Template
}

// now is the time a printed page is dated with.
func (s *Site) now() time.Time {
	if s.o.Now == nil {
		return time.Now()
	}
	return s.o.Now()
}

//go:embed templates
var templateFS embed.FS

// New parses the templates and loads the stylesheet.
func New(o Options) (*Site, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	a, err := loadAssets(staticFS)
	if err != nil {
		return nil, err
	}
	if a.missing {
		o.Log.Warn("web: static/dist/app.css is not built; pages are unstyled. Run make css.")
	}
	s := &Site{o: o, assets: a, names: map[string]bool{}, byLang: map[locale.Lang]*langPages{}}
	for _, l := range locale.Supported {
		s.byLang[l] = &langPages{pages: map[string]*template.Template{}}
	}
	names, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		s.names[strings.TrimSuffix(strings.TrimPrefix(name, "templates/pages/"), ".html")] = true
	}
	// The layout and partials are parsed once; parsing every page at start-up
	// (about 50 of them, in each language) was most of the web function's
	// cold start (issue 22). TestEveryPageParses parses them all.
	if s.base, err = template.New("layout.html").Funcs(funcs).Funcs(langFuncs(locale.English)).ParseFS(templateFS, "templates/*.html"); err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	s.documents = map[locale.Lang]*template.Template{}
	for _, l := range locale.Supported {
		if s.documents[l], err = template.New("document").Funcs(funcs).Funcs(langFuncs(l)).ParseFS(templateFS, "templates/documents/*.html"); err != nil {
			return nil, fmt.Errorf("web: parse documents: %w", err)
		}
	}
	return s, nil
}

// langPages are the page templates of one language, each parsed on its
// first use.
type langPages struct {
	mu    sync.Mutex
	pages map[string]*template.Template
}

// baseMu serialises cloning the shared layout: html/template's Clone must
// not race an execution, and base is never executed, but two languages may
// clone it at once.
var baseMu sync.Mutex

// template is the page template name in l, parsed on first use.
func (s *Site) template(l locale.Lang, name string) (*template.Template, error) {
	if !s.names[name] {
		return nil, fmt.Errorf("web: no template %s", name)
	}
	lp, ok := s.byLang[l]
	if !ok {
		return nil, fmt.Errorf("web: no templates in language %q", l)
	}
	lp.mu.Lock()
	defer lp.mu.Unlock()
	if t, ok := lp.pages[name]; ok {
		return t, nil
	}
	baseMu.Lock()
	c, err := s.base.Clone()
	baseMu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("web: clone layout: %w", err)
	}
	t, err := c.Funcs(langFuncs(l)).ParseFS(templateFS, "templates/pages/"+name+".html")
	if err != nil {
		return nil, fmt.Errorf("web: parse %s: %w", name, err)
	}
	lp.pages[name] = t
	return t, nil
}

// parseAll parses every page in every language (TestEveryPageParses):
// with pages parsed on first use, a broken template would otherwise show
// only when someone opens it.
func (s *Site) parseAll() error {
	for _, l := range locale.Supported {
		for name := range s.names {
			if _, err := s.template(l, name); err != nil {
				return err
			}
		}
	}
	return nil
}

// MustNew is New for main: it panics when a template does not parse.
func MustNew(o Options) *Site {
	s, err := New(o)
	if err != nil {
		panic(err)
	}
	return s
}

// page is what every template gets: the layout's fields plus the page's own
// data in Data.
type page struct {
	Title     string
	CSS       string
	Back      string // href of the back link, if any
	Errors    []fieldError
	Err       map[string]string // field id -> inline error message
	Form      url.Values        // what the user typed, kept on errors
	RequestID string
	Secret    bool // shows a token or join code: never compressed
	// Lang is the page's language; Switch the link to it in the other.
	Lang   locale.Lang
	Switch *languageSwitch
	// EnglishOnly says, on a Welsh page, that the assessment it shows has
	// no Welsh text (question bank version 1).
	EnglishOnly bool
	// ReadOnly is the banner of a page seen through a read-only link.
	ReadOnly *readOnlyBanner
	Data     any
}

// HasErrors is true when the form had errors: the title starts "Error:".
func (p *page) HasErrors() bool { return len(p.Errors) > 0 }

// render executes a page template. A template error is a bug: it is logged
// and the user sees the plain 500 page text.
func (s *Site) render(ctx context.Context, req *httpapi.Request, status int, name string, p *page) *httpapi.Response {
	p.Lang = lang(req)
	t, err := s.template(p.Lang, name)
	if err != nil {
		panic(err.Error())
	}
	if !p.Secret {
		p.Switch = switchFor(req, p.Lang)
	}
	p.CSS = s.assets.path
	if p.RequestID == "" {
		p.RequestID = req.RequestID()
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.o.Log.ErrorContext(ctx, "render page", slog.String("requestId", req.RequestID()), slog.String("page", name), slog.String("error", err.Error()))
		return httpapi.Text(http.StatusInternalServerError, "text/plain; charset=utf-8", tr(req, "error.plain", "RequestID", req.RequestID()))
	}
	r := httpapi.Text(status, "text/html; charset=utf-8", buf.String())
	// The same address reads differently by the reader's language: caches
	// must key on what chooses it (Accept-Language before a choice, the
	// language cookie after).
	r.Headers["content-language"] = p.Lang.Tag()
	r.Headers["vary"] = "Accept-Language, Cookie"
	// Compress, except pages that show a token or join code: their length
	// must not leak it (BREACH).
	if !p.Secret && buf.Len() > 1024 && acceptsGzip(req) {
		r.Body, r.IsBase64Encoded = base64.StdEncoding.EncodeToString(gzipBytes(buf.Bytes())), true
		r.Headers["content-encoding"] = "gzip"
		r.Headers["vary"] = "Accept-Encoding, Accept-Language, Cookie"
	}
	return r
}

// redirect is a 303 See Other: after a POST the browser GETs the target.
func redirect(to string, cookies ...string) *httpapi.Response {
	return &httpapi.Response{StatusCode: http.StatusSeeOther, Headers: map[string]string{"location": to, "cache-control": "no-store"}, Cookies: cookies}
}

// Router is the web function: every page, behind the router's one auth
// middleware, cross-origin check, panic recovery and error renderer (this
// Site's ErrorPage, as the routes are pages).
func (s *Site) Router() *httpapi.Router {
	return httpapi.MustRouter(routes.FnWeb, s.Handlers(), httpapi.Options{Log: s.o.Log, Auth: s.o.Auth, Pages: s, Deadline: s.o.Deadline, CORS: s.o.CORS,
		Limiter: s.o.Limiter, Edge: s.o.Edge})
}

var _ httpapi.Pages = (*Site)(nil)

// Secure adds the security headers a handler did not set itself.
func (s *Site) Secure(req *httpapi.Request, resp *httpapi.Response) {
	if resp == nil {
		return
	}
	if resp.Headers == nil {
		resp.Headers = map[string]string{}
	}
	set := func(k, v string) {
		if _, ok := resp.Headers[k]; !ok {
			resp.Headers[k] = v
		}
	}
	set("content-security-policy", ContentSecurityPolicy)
	set("x-content-type-options", "nosniff")
	set("x-frame-options", "DENY")
	set("cache-control", "no-store")
	set("cross-origin-opener-policy", "same-origin")
	set("cross-origin-resource-policy", "same-origin")
	set("permissions-policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
	if req.Secure() {
		set("strict-transport-security", "max-age=31536000; includeSubDomains")
	}
}

func acceptsGzip(req *httpapi.Request) bool {
	for _, part := range strings.Split(req.Header("accept-encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") && strings.ReplaceAll(params, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

// ErrorPage renders the page for an error by its failure code. The router
// has logged internal and unavailable errors with the request id; users see
// only that id. A page asked for without its cookie after a link followed
// from another site gets the continue page (continueHere); otherwise a
// missing or wrong credential is the 404 page, as ids must not be probed.
func (s *Site) ErrorPage(ctx context.Context, req *httpapi.Request, err error) *httpapi.Response {
	if errors.Is(err, httpapi.ErrCrossOrigin) {
		return s.render(ctx, req, http.StatusForbidden, "forbidden", &page{Title: tr(req, "forbidden.title")})
	}
	code := failure.CodeOf(err)
	switch code {
	case failure.Unauthorized:
		if r := s.continueHere(ctx, req); r != nil {
			return r
		}
		return s.notFound(ctx, req)
	case failure.NotFound:
		return s.notFound(ctx, req)
	case failure.MethodNotAllowed:
		// Most often a form page reloaded or bookmarked after it was sent.
		return s.render(ctx, req, http.StatusMethodNotAllowed, "cannot", &page{Title: tr(req, "methodNotAllowed.title"),
			Data: tr(req, "methodNotAllowed.body")})
	case failure.Unavailable:
		r := s.render(ctx, req, http.StatusServiceUnavailable, "unavailable", &page{Title: tr(req, "unavailable.title")})
		r.Headers["retry-after"] = "5"
		return r
	case failure.Internal:
		return s.render(ctx, req, http.StatusInternalServerError, "problem", &page{Title: tr(req, "problem.title")})
	case failure.TooManyRequests:
		fe, _ := failure.As(err)
		r := s.render(ctx, req, http.StatusTooManyRequests, "cannot", &page{Title: tr(req, "tooMany.title"), Data: fe.Message})
		r.Headers["retry-after"] = httpapi.RetryAfter(err)
		return r
	}
	msg := tr(req, "cannotNow.default")
	if fe, ok := failure.As(err); ok {
		msg = localMessage(req, fe.Message)
	}
	return s.render(ctx, req, httpapi.StatusOf(err), "cannot", &page{Title: tr(req, "cannotNow.title"), Data: msg})
}

// notFound is the 404 page. A wrong token and an unknown id look the same.
func (s *Site) notFound(ctx context.Context, req *httpapi.Request) *httpapi.Response {
	return s.render(ctx, req, http.StatusNotFound, "notfound", &page{Title: tr(req, "notFound.title")})
}

// Handlers returns every page handler of the web function.
func (s *Site) Handlers() map[string]httpapi.Handler {
	h := map[string]httpapi.Handler{
		"webStart":         s.start,
		"webLanguage":      s.chooseLanguage,
		"webAsset":         s.asset,
		"webAccessibility": s.static("accessibility", "footer.accessibility"),
		"webPrivacy":       s.static("privacy", "privacy.title"),
		"webCookies":       s.static("cookies", "cookies.title"),
		"webProblemType":   s.problemType,

		"webNewAssessment":          s.newAssessment,
		"webCreateAssessment":       s.createAssessment,
		"webAssessmentDeleted":      s.static("deleted", "deleted.title"),
		"webResume":                 s.resume,
		"webTaskList":               s.taskList,
		"webArea":                   s.area,
		"webRespondents":            s.respondents,
		"webInviteRespondent":       s.inviteRespondent,
		"webRemoveRespondent":       s.removeRespondent,
		"webRespondentSettings":     s.colleagueSettings,
		"webSaveRespondentSettings": s.saveColleagueSettings,
		"webHandOverLead":           s.handOverLead,
		"webRespondentSpread":       s.respondentSpread,
		"webConsolidation":          s.consolidation,
		"webSaveConsolidation":      s.saveConsolidation,
		"webRespondentResume":       s.respondentResume,
		"webRespondentHome":         s.respondentHome,
		"webRespondentArea":         s.respondentArea,
		"webSaveRespondentArea":     s.saveRespondentArea,
		"webSaveArea":               s.saveArea,
		"webCheckAnswers":           s.checkAnswers,
		"webSubmit":                 s.submit,
		"webReport":                 s.report,
		"webReportJSON":             s.reportJSON,
		"webReportCSV":              s.reportCSV,
		"webDeleteAssessment":       s.deleteAssessment,
		"webConfirmDelete":          s.confirmDelete,
		"webStartHealthCheck":       s.startHealthCheck,
		"webShareReport":            s.shareReport,
		"webCreateReportLink":       s.createReportLink,
		"webRevokeReportLink":       s.revokeReportLink,
		"webReportViewerResume":     s.viewerResume,
		"webViewerReport":           s.viewerReport,
		"webViewerReportCSV":        s.viewerReportCSV,
		"webShareComparison":        s.shareComparison,
		"webCreateComparisonLink":   s.createComparisonLink,
		"webRevokeComparisonLink":   s.revokeComparisonLink,
		"webComparisonViewerResume": s.viewerResume,
		"webViewerComparison":       s.viewerComparison,
		"webViewerBoard":            s.viewerBoard,
		"webViewerComparisonCSV":    s.viewerComparisonCSV,
		"webMemberPartnership":      s.memberPartnership,
		"webMemberComparison":       s.memberComparison,
		"webShareNotes":             s.shareNotes,
		"webBoard":                  s.board,
		"webMemberBoard":            s.memberBoard,
		"webBoardHTML":              s.boardHTML,
		"webMemberBoardHTML":        s.memberBoardHTML,
		"webWorkshop":               s.workshop,
		"webMemberWorkshop":         s.memberWorkshop,
		"webWorkshopCSV":            s.workshopCSV,
		"webMemberWorkshopCSV":      s.memberWorkshopCSV,
		"webMemberComparisonCSV":    s.comparisonCSV,

		"webRecover":           s.recoverForm,
		"webSendRecovery":      s.recover,
		"webNewPartnership":    s.newPartnership,
		"webCreatePartnership": s.createPartnership,
		"webPartnershipAdmin":  s.partnershipAdmin,
		"webPartnership":       s.partnership,
		"webOpenRound":         s.openRound,
		"webCloseRound":        s.closeRound,
		"webRotateJoinCode":    s.rotateJoinCode,
		"webComparison":        s.comparison,
		"webComparisonCSV":     s.comparisonCSV,
		"webSeatInvitation":    s.seatInvitation,
		"webSeat":              s.seatPage,
		"webSeatStart":         s.seatStart,
		"webNewSeat":           s.newSeat,
		"webAddSeat":           s.addSeat,
		"webManageSeat":        s.manageSeat,
		"webRenameSeat":        s.renameSeat,
		"webWithdrawSeat":      s.withdrawSeat,
		"webBringIn":           s.bringIn,
		"webAdmins":            s.admins,
		"webAddAdmin":          s.addAdmin,
		"webRemoveAdmin":       s.removeAdmin,

		"webActions": s.actions, "webActionsCSV": s.actionsCSV, "webNewAction": s.newAction, "webCreateAction": s.createAction,
		"webAction": s.action, "webUpdateAction": s.updateAction, "webAddActionNote": s.addActionNote,
		"webMemberActions": s.actions, "webMemberActionsCSV": s.actionsCSV, "webMemberNewAction": s.newAction, "webMemberCreateAction": s.createAction,
		"webMemberAction": s.action, "webMemberUpdateAction": s.updateAction, "webMemberAddActionNote": s.addActionNote,

		"webOwnActions": s.ownActions, "webKeepOwnAction": s.keepOwnAction, "webOwnAction": s.ownAction,
		"webUpdateOwnAction": s.updateOwnAction, "webAddOwnActionNote": s.addOwnActionNote,
	}
	for name, fn := range s.stopHandlers() {
		h[name] = fn
	}
	return h
}

// static serves a page with no data, titled by the catalogue key title.
func (s *Site) static(name, title string) httpapi.Handler {
	return func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
		r := s.render(ctx, req, http.StatusOK, name, &page{Title: tr(req, title)})
		return revalidated(req, r), nil
	}
}
