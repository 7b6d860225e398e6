package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/csv"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/ratelimit"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/secret"
)

// option is one radio of a radio group.
type option struct {
	Value, Label, Hint string
}

func purposeOptions(req *httpapi.Request) []option { return purposeOptionsIn(lang(req)) }

func purposeOptionsIn(l locale.Lang) []option {
	c := locale.Messages()
	o := func(value, key string) option { return option{value, c.T(l, key, nil), c.T(l, key+".hint", nil)} }
	return []option{
		o(assessment.Readiness, "purpose.readiness"),
		o(assessment.HealthCheck, "purpose.healthCheck"),
		o(assessment.NewPartner, "purpose.newPartner"),
	}
}

func formOptions(b *bank.Bank) []option {
	out := make([]option, 0, len(b.Forms))
	for _, f := range b.Forms {
		out = append(out, option{Value: f.ID, Label: f.Title, Hint: f.Description})
	}
	return out
}

// start is the start page: what RASP is, from the bank's own areas and forms.
func (s *Site) start(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	b := s.current(req)
	r := s.render(ctx, req, http.StatusOK, "start", &page{Title: tr(req, "start.title"), Data: b})
	return revalidated(req, r), nil
}

// startData is the start form.
type startData struct {
	Purposes []option
	Forms    []option
	Key      string // idempotency key: a resubmitted form returns the same assessment
}

// startFieldIDs maps domain field names to form field ids.
var startFieldIDs = map[string]string{
	"council": "council", "respondent.name": "name", "respondent.role": "role", "respondent.email": "email",
	"purpose": "purpose", "intendedForm": "intendedForm", "joinCode": "joinCode",
}

func (s *Site) newAssessment(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	b := s.current(req)
	data := startData{Purposes: purposeOptions(req), Forms: formOptions(b), Key: secret.NewToken()}
	return s.render(ctx, req, http.StatusOK, "new-assessment", &page{Title: tr(req, "newAssessment.title"), Back: "/", Data: data}), nil
}

// createAssessment starts an assessment. On success the response shows the
// private link once and sets the cookie, so the user carries straight on.
// It is not a redirect: the token would have to travel in the URL.
func (s *Site) createAssessment(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	in := assessment.StartInput{
		Council:    form.Get("council"),
		Respondent: assessment.Respondent{Name: form.Get("name"), Role: form.Get("role"), Email: form.Get("email")},
		Purpose:    form.Get("purpose"), Form: form.Get("intendedForm"), JoinCode: form.Get("joinCode"),
		Lang: lang(req),
	}
	idem := formIdempotency(req, form.Get("key"))
	err = ratelimit.JoinTries(ctx, req, in.JoinCode)
	var out assessment.Started
	if err == nil {
		out, err = s.o.Assessments.Start(ctx, in, idem)
	}
	var fe formErrors
	limited, _ := failure.As(err)
	if failure.CodeOf(err) == failure.TooManyRequests && in.JoinCode != "" {
		// Said on the join code, with everything typed kept.
		fe.add("joinCode", strings.TrimSuffix(limited.Message, "."))
	}
	if keyReused(err) {
		// The form was sent before with other details (the back button
		// after starting): offer a fresh start with what was typed.
		fe.add("council", tr(req, "error.start.keyReused"))
	} else if !fe.fromFailure(err, startFieldIDs, "council") && failure.CodeOf(err) == failure.Conflict && in.JoinCode != "" {
		// The partnership's round is closed: say so on the join code, keep
		// everything typed, and let the council start on its own instead.
		fe.add("joinCode", tr(req, "newAssessment.joinCode.roundClosed", "Reason", localConflict(req, err)))
	}
	if !fe.empty() {
		fe.localise(req)
		b := s.current(req)
		data := startData{Purposes: purposeOptions(req), Forms: formOptions(b), Key: secret.NewToken()}
		if failure.CodeOf(err) == failure.TooManyRequests {
			r := s.render(ctx, req, http.StatusTooManyRequests, "new-assessment", formPage(tr(req, "newAssessment.title"), &fe, form, data))
			r.Headers["retry-after"] = httpapi.RetryAfter(err)
			return r, nil
		}
		return s.render(ctx, req, http.StatusUnprocessableEntity, "new-assessment", formPage(tr(req, "newAssessment.title"), &fe, form, data)), nil
	}
	if err != nil {
		return nil, err
	}
	return s.privateLink(ctx, req, out, strings.TrimSpace(in.Council), strings.TrimSpace(in.Respondent.Email)), nil
}

// createdData is the private link page.
type createdData struct {
	ID, Council, Link, TaskList string
	Email                       string
	Emailed, EmailFailed        bool
	Copied, Round               int
	InPartnership               bool
}

// privateLink renders the page that shows a new assessment's private link,
// e-mails it when an address was given, and sets the assessment cookie.
func (s *Site) privateLink(ctx context.Context, req *httpapi.Request, out assessment.Started, council, email string) *httpapi.Response {
	resume := routes.Link("webResume", routes.P{"id": out.ID}, out.Token)
	d := createdData{ID: out.ID, Council: council, Link: origin(req) + resume, TaskList: assessmentPath(out.ID),
		Email: email, Copied: out.Copied, Round: out.Round, InPartnership: out.PartnershipID != ""}
	if email != "" && s.o.Mailer != nil {
		// An address is given only on a start form, whose page language is
		// the one the assessment was started in.
		if err := s.o.Mailer.Send(ctx, linkMail(lang(req), email, council, strings.TrimRight(s.o.BaseURL, "/")+resume)); err != nil {
			s.o.Log.WarnContext(ctx, "private link e-mail not sent", slog.String("requestId", req.RequestID()), slog.String("assessment", out.ID), slog.String("error", err.Error()))
			d.EmailFailed = true
		} else {
			d.Emailed = true
		}
	}
	r := s.render(ctx, req, http.StatusOK, "private-link", &page{Title: tr(req, "privateLink.title"), Secret: true, Data: d})
	r.Cookies = append(r.Cookies, setCookie(req, httpapi.AssessmentCookie(out.ID), assessmentPath(out.ID), out.Token))
	return r
}

// linkMail is the e-mail with the private link, in l. It says what the
// private-link page and the task list say about who may use the link
// (common.privateLinkRule), so they never disagree: the link changes
// answers, and it is never the thing to forward.
func linkMail(l locale.Lang, to, council, link string) mail.Message {
	c := locale.Messages()
	intro := c.T(l, "mail.privateLink.intro", locale.Pairs("Council", council))
	use := c.T(l, "mail.privateLink.use", nil)
	rule := c.T(l, "common.privateLinkRule", nil)
	deleted := c.T(l, "mail.privateLink.deleted", nil)
	text := fmt.Sprintf("%s\n\n%s\n\n%s\n\n%s\n%s\n", intro, use, link, rule, deleted)
	body := fmt.Sprintf(`<p>%s</p><p>%s</p><p><a href="%s">%s</a></p><p>%s %s</p>`,
		html.EscapeString(intro), html.EscapeString(use), html.EscapeString(link), html.EscapeString(link), html.EscapeString(rule), html.EscapeString(deleted))
	return mail.Message{To: to, Subject: c.T(l, "mail.privateLink.subject", nil), Text: text, HTML: body, Lang: l}
}

// origin is the scheme and host the browser used, for absolute links.
func origin(req *httpapi.Request) string {
	scheme := "http"
	if req.Secure() {
		scheme = "https"
	}
	host := req.Header("host")
	if host == "" {
		host = req.Event.RequestContext.DomainName
	}
	return scheme + "://" + host
}

// resume checks the private link's token, keeps it in the assessment's
// cookie and redirects to the task list, so the secret leaves the address
// bar (and the history entry the user lands on).
// The router's auth middleware has proved ?token= (Route.TokenInQuery).
func (s *Site) resume(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	id := req.Principal.Assessment.ID
	return redirect(assessmentPath(id), setCookie(req, httpapi.AssessmentCookie(id), assessmentPath(id), req.Query("token"))), nil
}

// continueHere answers a GET that arrived from another site without the
// SameSite=Strict cookie (a private link followed from webmail, then our
// redirect): a page with a link to the same address, which, followed from
// our own site, carries the cookie. It returns nil otherwise. The error
// page calls it when the auth middleware found no credential.
func (s *Site) continueHere(ctx context.Context, req *httpapi.Request) *httpapi.Response {
	id := req.Param("id")
	if req.Header("sec-fetch-site") != "cross-site" || req.Event.RequestContext.HTTP.Method != http.MethodGet || !secret.ValidID(id) {
		return nil
	}
	title := tr(req, "continue.assessment")
	if strings.HasPrefix(req.Route.Path, "/partnerships/") {
		title = tr(req, "continue.partnership")
	}
	here := req.Event.RawPath
	if here == "" {
		here = req.Event.RequestContext.HTTP.Path
	}
	if q := req.Event.RawQueryString; q != "" {
		here += "?" + q
	}
	return s.render(ctx, req, http.StatusOK, "continue", &page{Title: title, Data: here})
}

// loaded is the assessment the auth middleware proved the cookie against,
// with the bank it was started on.
type loaded struct {
	a *assessment.Assessment
	b *bank.Bank
	// lang is the reader's language; t a text of the catalogue in it.
	lang locale.Lang
}

func (l *loaded) t(key string, kv ...any) string {
	return locale.Messages().T(l.lang, key, locale.Pairs(kv...))
}

// englishOnly is true when the reader reads Welsh but the assessment's
// question bank has no Welsh text (version 1): the page says so. l.b is
// the bank in the reader's language where it has one (load).
func (l *loaded) englishOnly() bool { return !l.b.HasLanguage(l.lang) }

// load takes the assessment of the request's principal: the middleware has
// loaded it (one Query) and answered a missing or wrong cookie already.
func (s *Site) load(_ context.Context, req *httpapi.Request) (*loaded, *httpapi.Response, error) {
	a := req.Principal.Assessment
	b, err := s.o.Assessments.Bank(a.Version)
	if err != nil {
		return nil, nil, err
	}
	lg := lang(req)
	return &loaded{a: a, b: b.In(lg), lang: lg}, nil, nil
}

// areaStatus is one row of the task list.
type areaStatus struct {
	ID, Title, Description, Href, Status string
	Answered, Total, Stale               int
}

type taskListData struct {
	ID, Council, Form, Purpose string
	Areas                      []areaStatus
	Completed                  int
	AllDone                    bool
	Stale                      int
	Round                      int
	InPartnership              bool
	Saved                      *savedBanner
	// Colleagues offers the colleagues' pages (bank versions with roles);
	// Invited counts those invited.
	Colleagues bool
	Invited    int
}

// savedBanner is what the task list says after an area page was sent:
// what was saved, or that nothing was, and how to come back later.
type savedBanner struct {
	Success bool // answers were saved
	Heading string
	Later   bool // "Save and come back later": say how to come back
}

// savedBannerFor reads the task list's query (?saved=<area> or
// ?unchanged=<area>, and later=1) that saveArea redirects with.
func savedBannerFor(b *bank.Bank, req *httpapi.Request) *savedBanner {
	later := req.Query("later") == "1"
	if ar, ok := b.Area(req.Query("saved")); ok {
		return &savedBanner{Success: true, Heading: tr(req, "taskList.saved", "Area", ar.Title), Later: later}
	}
	if ar, ok := b.Area(req.Query("unchanged")); ok {
		return &savedBanner{Heading: tr(req, "taskList.unchanged", "Area", ar.Title), Later: later}
	}
	return nil
}

// purposeLabelIn is purpose p in a reader's language.
func purposeLabelIn(l locale.Lang, p string) string {
	for _, o := range purposeOptionsIn(l) {
		if o.Value == p {
			return o.Label
		}
	}
	return p
}

func formTitle(b *bank.Bank, id string) string {
	if f, ok := b.Form(id); ok {
		return f.Title
	}
	return id
}

// An area's status on a task list: codes, which the templates say in the
// reader's language (status.* in the catalogues).
const (
	areaNotStarted = "not-started"
	areaInProgress = "in-progress"
	areaCompleted  = "completed"
)

func areaStatuses(l *loaded) ([]areaStatus, int) {
	prog := assessment.ProgressOf(l.b, l.a)
	var out []areaStatus
	done := 0
	for _, ar := range l.b.Areas {
		p := prog.Areas[ar.ID]
		st := areaStatus{ID: ar.ID, Title: ar.Title, Description: ar.Description, Href: path("webArea", l.a.ID, "area", ar.ID),
			Answered: p.Answered, Total: p.Total}
		for _, q := range ar.Questions {
			if l.a.Answers[q.ID].Stale {
				st.Stale++
			}
		}
		switch {
		case p.Answered == 0:
			st.Status = areaNotStarted
		case p.Answered < p.Total:
			st.Status = areaInProgress
		default:
			st.Status = areaCompleted
			done++
		}
		out = append(out, st)
	}
	return out, done
}

func (s *Site) taskList(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	if l.a.Status == assessment.Submitted {
		return redirect(path("webReport", l.a.ID)), nil
	}
	areas, done := areaStatuses(l)
	d := taskListData{ID: l.a.ID, Council: l.a.Council, Form: formTitle(l.b, l.a.Form), Purpose: purposeLabelIn(l.lang, l.a.Purpose),
		Areas: areas, Completed: done, AllDone: done == len(areas), Round: l.a.Round, InPartnership: l.a.PartnershipID != "",
		Saved: savedBannerFor(l.b, req), Colleagues: len(l.b.Roles) > 0, Invited: len(l.a.Colleagues)}
	for _, a := range areas {
		d.Stale += a.Stale
	}
	return s.render(ctx, req, http.StatusOK, "task-list", &page{Title: l.t("taskList.title"), Data: d, EnglishOnly: l.englishOnly()}), nil
}

// questionView is one question on an area page.
type questionView struct {
	ID, Slug, Text, Guidance string
	Number                   int
	Levels                   []option // values "0".."4"
	Selected                 string   // "0".."4", "unknown", "na" or ""
	Note                     string
	Stale                    bool
	Err, NoteErr             string
	// MayNotApply offers "Not applicable", with a reason, where the v2
	// profile allows it for the assessment's form; NAWhen says when.
	MayNotApply    bool
	NAWhen, Reason string
	ReasonErr      string
}

type areaData struct {
	ID, Title, Description, Action string
	Number, Of                     int
	Questions                      []questionView
}

// answerValue is the radio value of a stored answer.
func answerValue(a assessment.Answer, ok bool) string {
	switch {
	case !ok:
		return ""
	case a.NotApplicable:
		return "na"
	case a.Score == nil:
		return "unknown"
	default:
		return strconv.Itoa(*a.Score)
	}
}

func (s *Site) areaView(l *loaded, ar bank.Area, form map[string][]string, fe *formErrors) areaData {
	d := areaData{ID: ar.ID, Title: ar.Title, Description: ar.Description, Of: len(l.b.Areas), Action: path("webArea", l.a.ID, "area", ar.ID)}
	for i, x := range l.b.Areas {
		if x.ID == ar.ID {
			d.Number = i + 1
		}
	}
	for i, q := range ar.Questions {
		ans, ok := l.a.Answers[q.ID]
		qv := questionView{ID: q.ID, Slug: slug(q.ID), Text: q.Text, Guidance: q.Guidance, Number: i + 1,
			Selected: answerValue(ans, ok), Note: ans.Note, Stale: ans.Stale, Reason: ans.Reason}
		if q.NotApplicableAllowed(l.a.Form) {
			qv.MayNotApply, qv.NAWhen = true, q.MayNotApply.When
		}
		if form != nil {
			qv.Selected, qv.Note, qv.Stale, qv.Reason = first(form["answer-"+qv.Slug]), first(form["note-"+qv.Slug]), false, first(form["reason-"+qv.Slug])
		}
		for n, text := range q.Levels {
			qv.Levels = append(qv.Levels, option{Value: strconv.Itoa(n), Label: text})
		}
		if fe != nil {
			qv.Err, qv.NoteErr, qv.ReasonErr = fe.byID["answer-"+qv.Slug], fe.byID["note-"+qv.Slug], fe.byID["reason-"+qv.Slug]
		}
		d.Questions = append(d.Questions, qv)
	}
	return d
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// loadArea loads the assessment and the area in the path. A response is
// returned instead when the area does not exist (404) or the assessment is
// submitted (its answers are frozen: on to the report).
func (s *Site) loadArea(ctx context.Context, req *httpapi.Request) (*loaded, bank.Area, *httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return nil, bank.Area{}, resp, err
	}
	ar, ok := l.b.Area(req.Param("area"))
	if !ok {
		return nil, bank.Area{}, s.notFound(ctx, req), nil
	}
	if l.a.Status == assessment.Submitted {
		return nil, bank.Area{}, redirect(path("webReport", l.a.ID)), nil
	}
	return l, ar, nil, nil
}

func (s *Site) area(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, ar, resp, err := s.loadArea(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	d := s.areaView(l, ar, nil, nil)
	return s.render(ctx, req, http.StatusOK, "area", &page{Title: ar.Title, Back: assessmentPath(l.a.ID), Data: d, EnglishOnly: l.englishOnly()}), nil
}

// saveArea saves the answered questions of an area. Any error re-renders
// the page with what was chosen and typed, and nothing is saved.
func (s *Site) saveArea(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, ar, resp, err := s.loadArea(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	answers, ids, fe := parseArea(l, ar, form)
	if fe.empty() && len(answers) > 0 {
		_, err = s.o.Assessments.SaveAnswers(ctx, l.a, answers, nil)
		if failure.CodeOf(err) == failure.Conflict {
			return redirect(path("webReport", l.a.ID)), nil
		}
		if !fe.fromFailure(err, ids, "answer-"+slug(ar.Questions[0].ID)) && err != nil {
			return nil, err
		}
		fe.localise(req)
	}
	if !fe.empty() {
		d := s.areaView(l, ar, form, &fe)
		return s.render(ctx, req, http.StatusUnprocessableEntity, "area", formPage(ar.Title, &fe, form, d)), nil
	}
	// Back to the task list, as the GOV.UK task list pattern does after a
	// task, saying what happened: a save with no answer chosen is not an
	// error (the officer may only have been reading), but it must not look
	// like one that saved.
	q := url.Values{}
	if len(answers) > 0 {
		q.Set("saved", ar.ID)
	} else {
		q.Set("unchanged", ar.ID)
	}
	if form.Get("then") == "later" {
		q.Set("later", "1")
	}
	return redirect(assessmentPath(l.a.ID) + "?" + q.Encode()), nil
}

// parseArea reads the answers chosen on an area page (the council's, a
// colleague's or the consolidation), with the form ids of each field for
// the domain's errors. A note without an answer, or a bad choice, is an
// error on its field; nothing is saved while there is one.
func parseArea(l *loaded, ar bank.Area, form url.Values) (map[string]assessment.Answer, map[string]string, formErrors) {
	var fe formErrors
	answers := map[string]assessment.Answer{}
	ids := map[string]string{}
	for i, q := range ar.Questions {
		sl := slug(q.ID)
		ids["answers."+q.ID], ids["answers."+q.ID+".score"], ids["answers."+q.ID+".note"] = "answer-"+sl, "answer-"+sl, "note-"+sl
		ids["answers."+q.ID+".notApplicable"], ids["answers."+q.ID+".reason"] = "answer-"+sl, "reason-"+sl
		choice := form.Get("answer-" + sl)
		note := strings.TrimSpace(strings.ReplaceAll(form.Get("note-"+sl), "\r\n", "\n"))
		form.Set("note-"+sl, note)
		var a assessment.Answer
		switch choice {
		case "":
			if note != "" {
				fe.add("answer-"+sl, l.t("error.area.noteWithoutAnswer", "N", i+1))
			}
			continue
		case "unknown":
		case "na":
			reason := strings.TrimSpace(form.Get("reason-" + sl))
			switch {
			case !q.NotApplicableAllowed(l.a.Form):
				fe.add("answer-"+sl, l.t("error.area.choose", "N", i+1))
				continue
			case reason == "":
				fe.add("reason-"+sl, l.t("error.area.reasonMissing", "N", i+1))
				continue
			case utf8.RuneCountInString(reason) > assessment.MaxReason:
				fe.add("reason-"+sl, l.t("error.area.reasonTooLong", "N", i+1, "MaxReason", assessment.MaxReason))
				continue
			}
			a.NotApplicable, a.Reason = true, reason
		default:
			n, err := strconv.Atoi(choice)
			if err != nil || n < 0 || n > l.b.Scoring.MaxScore {
				fe.add("answer-"+sl, l.t("error.area.choose", "N", i+1))
				continue
			}
			a.Score = &n
		}
		if c := utf8.RuneCountInString(note); c > assessment.MaxNote {
			fe.add("note-"+sl, l.t("error.area.noteTooLong", "N", i+1, "MaxNote", thousands(assessment.MaxNote), "Has", thousands(c)))
			continue
		}
		a.Note = note
		answers[q.ID] = a
	}
	return answers, ids, fe
}

// thousands formats 1000 as "1,000".
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// checkRow is one answer on the check answers page.
type checkRow struct {
	Slug, Text, Answer, Note, Change string
	Number                           int
	Missing, Stale                   bool
}

type checkSection struct {
	ID, Title string
	Rows      []checkRow
	Missing   int
}

type checkData struct {
	ID       string
	Council  string
	Sections []checkSection
	Missing  int
	Submit   string
	// Share asks whether to share the notes: only for a member of a
	// partnership (a private review's notes have nobody to go to).
	Share bool
	// Notes is how many answers have a note; Shared is the choice shown
	// (never yet made on a draft, so no).
	Notes  int
	Shared bool
}

// answerTextIn is how an answer reads back, in a reader's language.
func answerTextIn(l locale.Lang, q bank.Question, a assessment.Answer, ok bool) string {
	c := locale.Messages()
	switch {
	case !ok:
		return c.T(l, "answer.notAnswered", nil)
	case a.NotApplicable:
		return c.T(l, "answer.notApplicable", nil)
	case a.Score == nil:
		return c.T(l, "answer.dontKnow", nil)
	case *a.Score >= 0 && *a.Score < len(q.Levels):
		return q.Levels[*a.Score]
	}
	return c.T(l, "answer.score", map[string]any{"Score": *a.Score})
}

func (s *Site) checkView(l *loaded) checkData {
	d := checkData{ID: l.a.ID, Council: l.a.Council, Submit: path("webSubmit", l.a.ID),
		Share: l.a.PartnershipID != "" && !l.a.Prospective, Notes: len(assessment.SharedNotes(l.a))}
	for _, ar := range l.b.Areas {
		sec := checkSection{ID: ar.ID, Title: ar.Title}
		for i, q := range ar.Questions {
			ans, ok := l.a.Answers[q.ID]
			row := checkRow{Slug: slug(q.ID), Text: q.Text, Number: i + 1, Answer: answerTextIn(l.lang, q, ans, ok), Note: ans.Note,
				Change: path("webArea", l.a.ID, "area", ar.ID) + "#answer-" + slug(q.ID), Missing: !ok, Stale: ans.Stale}
			if !ok {
				sec.Missing++
			}
			sec.Rows = append(sec.Rows, row)
		}
		d.Missing += sec.Missing
		d.Sections = append(d.Sections, sec)
	}
	return d
}

func (s *Site) checkAnswers(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	if l.a.Status == assessment.Submitted {
		return redirect(path("webReport", l.a.ID)), nil
	}
	return s.render(ctx, req, http.StatusOK, "check", &page{Title: l.t("check.title"), Back: assessmentPath(l.a.ID), Data: s.checkView(l), EnglishOnly: l.englishOnly()}), nil
}

// submit submits; unanswered questions send the user back to the check
// page with an error per area.
func (s *Site) submit(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	_, err = s.o.Assessments.SubmitSharing(ctx, l.a, form.Get("shareNotes") == "yes")
	if fe, ok := failure.As(err); ok && fe.Code == failure.Invalid {
		d := s.checkView(l)
		var errs formErrors
		for _, sec := range d.Sections {
			switch {
			case sec.Missing > 0:
				errs.add("area-"+sec.ID, l.t("error.check.left", "Count", sec.Missing, "Area", sec.Title))
			}
		}
		if errs.empty() {
			errs.add("area-"+d.Sections[0].ID, fe.Message)
		}
		return s.render(ctx, req, http.StatusUnprocessableEntity, "check", formPage(l.t("check.title"), &errs, nil, d)), nil
	}
	if err != nil {
		return nil, err
	}
	return redirect(path("webReport", l.a.ID)), nil
}

func (s *Site) reportJSON(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	// The JSON is the API's score, which is in English like the API's.
	b, err := json.MarshalIndent(api.ScoreOf(assessment.Report(l.b.In(locale.English), l.a)), "", "  ")
	if err != nil {
		return nil, failure.Wrap(failure.Internal, err, "encode report")
	}
	r := httpapi.Text(http.StatusOK, "application/json", string(b))
	r.Headers["content-disposition"] = `attachment; filename="rasp-report.json"`
	return r, nil
}

func (s *Site) reportCSV(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	r := csvIn(lang(req), httpapi.Text(http.StatusOK, "text/csv; charset=utf-8", csv.Assessment(lang(req), l.b, l.a)))
	r.Headers["content-disposition"] = `attachment; filename="rasp-answers.csv"`
	return r, nil
}

func (s *Site) deleteAssessment(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	d := struct{ ID, Council, Action string }{l.a.ID, l.a.Council, path("webDeleteAssessment", l.a.ID)}
	back := assessmentPath(l.a.ID)
	if l.a.Status == assessment.Submitted {
		back += "/report"
	}
	return s.render(ctx, req, http.StatusOK, "delete", &page{Title: tr(req, "delete.title"), Back: back, Data: d}), nil
}

func (s *Site) confirmDelete(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	if err := s.o.Assessments.Delete(ctx, l.a); err != nil {
		return nil, err
	}
	return redirect(routes.Path("webAssessmentDeleted", nil), clearCookie(req, httpapi.AssessmentCookie(l.a.ID), assessmentPath(l.a.ID))), nil
}

// startHealthCheck starts this council's assessment for the partnership's
// new round, answers copied forward, and shows its private link.
func (s *Site) startHealthCheck(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	out, err := s.o.Assessments.StartHealthCheck(ctx, l.a, idempotency.Request{})
	if err != nil {
		return nil, err
	}
	return s.privateLink(ctx, req, out, l.a.Council, ""), nil
}

// membership is what the report knows of the assessment's partnership,
// from the assessment's own membership (no second token check).
func (s *Site) membership(ctx context.Context, l *loaded) (*partnership.Partnership, partnership.Access, error) {
	p, err := s.o.Auth.Membership(ctx, l.a)
	if err != nil {
		return nil, partnership.NoAccess, err
	}
	return p.Partnership, p.Access(), nil
}
