package web

import (
	"context"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/secret"
)

// Several respondents per council (issue 19): the lead's page of colleagues
// (invite, remove), a colleague's own pages (their link, their answers) and
// the lead's consolidation, one area at a time.

func respondentPath(id, cid string) string { return path("webRespondentHome", id, "respondent", cid) }

// colleagueRow is one colleague on the lead's page.
type colleagueRow struct {
	ID, Name, Role         string
	Answered, Total        int
	Routed, RoutedAnswered int
	// ByLead: the lead chose their questions; SeesSpread: the lead shared
	// every colleague's answers with them.
	ByLead, SeesSpread bool
}

type respondentsData struct {
	ID, Council string
	Colleagues  []colleagueRow
	Roles       []option
	Areas       []option // consolidation pages, by area
	Full        bool
	Submitted   bool
	Key         string
}

var inviteFieldIDs = map[string]string{"name": "name", "role": "role", "email": "email"}

func (s *Site) respondentsView(l *loaded) respondentsData {
	d := respondentsData{ID: l.a.ID, Council: l.a.Council, Full: len(l.a.Colleagues) >= assessment.MaxColleagues,
		Submitted: l.a.Status != assessment.Draft, Key: secret.NewToken()}
	for _, r := range l.b.Roles {
		d.Roles = append(d.Roles, option{Value: r.ID, Label: r.Label})
	}
	for _, ar := range l.b.Areas {
		d.Areas = append(d.Areas, option{Value: path("webConsolidation", l.a.ID, "area", ar.ID), Label: ar.Title})
	}
	for i := range l.a.Colleagues {
		c := &l.a.Colleagues[i]
		row := colleagueRow{ID: c.ID, Name: c.Name, Role: roleLabel(l.b, c.Role), Answered: len(c.Answers), Total: len(l.b.Questions()),
			ByLead: c.RoutingSet, SeesSpread: c.SeesSpread}
		for _, q := range assessment.Routed(l.b, c) {
			row.Routed++
			if _, ok := c.Answers[q]; ok {
				row.RoutedAnswered++
			}
		}
		d.Colleagues = append(d.Colleagues, row)
	}
	return d
}

func roleLabel(b *bank.Bank, id string) string {
	if r, ok := b.Role(id); ok {
		return r.Label
	}
	return id
}

func (s *Site) respondents(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	if len(l.b.Roles) == 0 {
		return s.notFound(ctx, req), nil
	}
	return s.render(ctx, req, http.StatusOK, "respondents", &page{Title: tr(req, "colleagues.title"), Back: assessmentPath(l.a.ID), Data: s.respondentsView(l)}), nil
}

type invitedData struct {
	Name, Link, Back, Email string
	Mailed                  bool
}

// inviteRespondent invites a colleague and shows their link once. Bad
// input re-renders the form with what was typed and writes nothing.
func (s *Site) inviteRespondent(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	out, err := s.o.Assessments.Invite(ctx, l.a, assessment.InviteInput{Name: form.Get("name"), Role: form.Get("role"), Email: form.Get("email")}, formIdempotency(req, form.Get("key")))
	var fe formErrors
	if !fe.fromFailure(err, inviteFieldIDs, "name") && failure.CodeOf(err) == failure.Conflict {
		fe.add("name", localConflict(req, err))
	}
	if !fe.empty() {
		fe.localise(req)
		return s.render(ctx, req, http.StatusUnprocessableEntity, "respondents", formPage(tr(req, "colleagues.title"), &fe, form, s.respondentsView(l))), nil
	}
	if err != nil {
		return nil, err
	}
	d := invitedData{Name: out.Name, Link: origin(req) + routes.Link("webRespondentResume", routes.P{"id": l.a.ID, "respondent": out.ID}, out.Token), Back: path("webRespondents", l.a.ID),
		Email: strings.TrimSpace(form.Get("email")), Mailed: out.Mailed}
	return s.render(ctx, req, http.StatusOK, "respondent-invited", &page{Title: tr(req, "colleagues.invited.title"), Secret: true, Data: d}), nil
}

// removeRespondent erases a colleague and their answers.
func (s *Site) removeRespondent(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	err = s.o.Assessments.RemoveColleague(ctx, l.a, req.Param("respondent"))
	if err != nil && failure.CodeOf(err) != failure.NotFound { // already removed: the list says so
		return nil, err
	}
	return redirect(path("webRespondents", l.a.ID)), nil
}

// respondentResume keeps a colleague's link in their own cookie and
// redirects to their page, so the secret leaves the address bar.
func (s *Site) respondentResume(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	home := respondentPath(req.Principal.Assessment.ID, req.Principal.Respondent)
	return redirect(home, setCookie(req, httpapi.RespondentCookie(req.Principal.Respondent), home, req.Query("token"))), nil
}

// colleagueLoaded is what a colleague's page works on: the assessment with
// the colleague's answers in place of the council's, so the area page and
// its parsing serve both.
func (s *Site) colleagueLoaded(req *httpapi.Request) (*loaded, *assessment.Colleague, error) {
	a := req.Principal.Assessment
	b, err := s.o.Assessments.Bank(a.Version)
	if err != nil {
		return nil, nil, err
	}
	c, ok := a.Colleague(req.Principal.Respondent)
	if !ok {
		return nil, nil, failure.New(failure.NotFound, "There is no colleague's link with this id.")
	}
	view := *a
	view.Answers = c.Answers
	return &loaded{a: &view, b: b.In(lang(req)), lang: lang(req)}, c, nil
}

type respondentHomeData struct {
	Council, Name, Role string
	Areas               []areaStatus
	Routed              int
	Submitted           bool
	// Spread links the colleagues' answers, when the lead shared them.
	Spread string
}

func (s *Site) respondentHome(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, c, err := s.colleagueLoaded(req)
	if err != nil {
		return nil, err
	}
	areas, _ := areaStatuses(l)
	routed := map[string]bool{}
	for _, q := range assessment.Routed(l.b, c) {
		routed[q] = true
	}
	d := respondentHomeData{Council: l.a.Council, Name: c.Name, Role: roleLabel(l.b, c.Role), Routed: len(routed), Submitted: l.a.Status != assessment.Draft}
	if c.SeesSpread {
		d.Spread = path("webRespondentSpread", l.a.ID, "respondent", c.ID)
	}
	// Areas with questions routed to the colleague's role come first.
	var first, rest []areaStatus
	for i, st := range areas {
		st.Href = path("webRespondentArea", l.a.ID, "respondent", c.ID, "area", st.ID)
		st.Stale = 0
		for _, q := range l.b.Areas[i].Questions {
			if routed[q.ID] {
				st.Stale++ // counted as "for your role" on this page
			}
		}
		if st.Stale > 0 {
			first = append(first, st)
		} else {
			rest = append(rest, st)
		}
	}
	d.Areas = append(first, rest...)
	return s.render(ctx, req, http.StatusOK, "respondent-home", &page{Title: tr(req, "colleagues.home.title", "Council", l.a.Council), Data: d}), nil
}

func (s *Site) respondentArea(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, c, err := s.colleagueLoaded(req)
	if err != nil {
		return nil, err
	}
	ar, ok := l.b.Area(req.Param("area"))
	if !ok {
		return s.notFound(ctx, req), nil
	}
	d := s.areaView(l, ar, nil, nil)
	d.Action = path("webRespondentArea", l.a.ID, "respondent", c.ID, "area", ar.ID)
	return s.render(ctx, req, http.StatusOK, "area", &page{Title: ar.Title, Back: respondentPath(l.a.ID, c.ID), Data: d}), nil
}

// saveRespondentArea saves a colleague's answers of one area into their
// own answers; the council's answers do not change.
func (s *Site) saveRespondentArea(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, c, err := s.colleagueLoaded(req)
	if err != nil {
		return nil, err
	}
	ar, ok := l.b.Area(req.Param("area"))
	if !ok {
		return s.notFound(ctx, req), nil
	}
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	answers, ids, fe := parseArea(l, ar, form)
	if fe.empty() && len(answers) > 0 {
		changes := make(map[string]assessment.Edit, len(answers))
		for q, ans := range answers {
			note := ans.Note
			changes[q] = assessment.Edit{SetScore: true, Score: ans.Score, Note: &note, NotApplicable: ans.NotApplicable, Reason: ans.Reason}
		}
		_, err = s.o.Assessments.SaveColleague(ctx, req.Principal.Assessment, c.ID, changes)
		if failure.CodeOf(err) == failure.Conflict {
			fe.add("answer-"+slug(ar.Questions[0].ID), localConflict(req, err))
		} else if !fe.fromFailure(err, ids, "answer-"+slug(ar.Questions[0].ID)) && err != nil {
			return nil, err
		}
	}
	if !fe.empty() {
		fe.localise(req)
		d := s.areaView(l, ar, form, &fe)
		d.Action = path("webRespondentArea", l.a.ID, "respondent", c.ID, "area", ar.ID)
		return s.render(ctx, req, http.StatusUnprocessableEntity, "area", formPage(ar.Title, &fe, form, d)), nil
	}
	return redirect(respondentPath(l.a.ID, c.ID)), nil
}

// responseRow is one colleague's answer on the consolidation page.
type responseRow struct {
	Name, Role, Answer, Note string
}

type consolidationQuestion struct {
	questionView
	Responses []responseRow
	Spread    int
	Divergent bool
	Suggested string // the suggested answer in words
	Why       string
	WhyErr    string
}

type consolidationData struct {
	ID, Title, Action, Next string
	Number, Of              int
	Colleagues              int
	Questions               []consolidationQuestion
}

func (s *Site) consolidationView(l *loaded, ar bank.Area, form map[string][]string, fe *formErrors) consolidationData {
	base := s.areaView(l, ar, form, fe)
	c := assessment.Consolidate(l.b, l.a)
	byID := map[string]assessment.QuestionView{}
	for _, v := range c.Questions {
		byID[v.Question.ID] = v
	}
	d := consolidationData{ID: l.a.ID, Title: ar.Title, Number: base.Number, Of: base.Of, Colleagues: len(l.a.Colleagues),
		Action: path("webConsolidation", l.a.ID, "area", ar.ID), Next: assessmentPath(l.a.ID)}
	if base.Number < len(l.b.Areas) {
		d.Next = path("webConsolidation", l.a.ID, "area", l.b.Areas[base.Number].ID)
	}
	for _, qv := range base.Questions {
		v := byID[qv.ID]
		cq := consolidationQuestion{questionView: qv, Spread: v.Spread, Divergent: v.Divergent, Why: l.a.Answers[qv.ID].Why}
		for _, r := range v.Responses {
			cq.Responses = append(cq.Responses, responseRow{Name: r.Colleague.Name, Role: roleLabel(l.b, r.Colleague.Role),
				Answer: answerTextIn(l.lang, v.Question, r.Answer, true), Note: r.Answer.Note})
		}
		if v.Prefill != nil {
			cq.Suggested = answerTextIn(l.lang, v.Question, *v.Prefill, true)
			if cq.Selected == "" {
				cq.Selected = answerValue(*v.Prefill, true) // pre-filled by the stated rule
			}
		}
		if form != nil {
			cq.Why = first(form["why-"+qv.Slug])
		}
		if fe != nil {
			cq.WhyErr = fe.byID["why-"+qv.Slug]
		}
		d.Questions = append(d.Questions, cq)
	}
	return d
}

func (s *Site) consolidation(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, ar, resp, err := s.loadArea(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	return s.render(ctx, req, http.StatusOK, "consolidation", &page{Title: tr(req, "colleagues.consolidation.title", "Area", ar.Title), Back: path("webRespondents", l.a.ID),
		Data: s.consolidationView(l, ar, nil, nil)}), nil
}

// saveConsolidation sets the council's answers of one area, with the lead's
// reason where an answer differs from every colleague's.
func (s *Site) saveConsolidation(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, ar, resp, err := s.loadArea(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	answers, ids, fe := parseArea(l, ar, form)
	changes := make(map[string]assessment.Edit, len(answers))
	for i, q := range ar.Questions {
		ans, ok := answers[q.ID]
		if !ok {
			continue
		}
		sl := slug(q.ID)
		ids["answers."+q.ID+".why"] = "why-" + sl
		why := strings.TrimSpace(strings.ReplaceAll(form.Get("why-"+sl), "\r\n", "\n"))
		form.Set("why-"+sl, why)
		if n := utf8.RuneCountInString(why); n > assessment.MaxNote {
			fe.add("why-"+sl, l.t("colleagues.consolidation.whyTooLong", "N", i+1, "MaxNote", thousands(assessment.MaxNote), "Has", thousands(n)))
		}
		note := ans.Note
		changes[q.ID] = assessment.Edit{SetScore: true, Score: ans.Score, Note: &note, NotApplicable: ans.NotApplicable, Reason: ans.Reason, Why: &why}
	}
	if fe.empty() && len(changes) > 0 {
		_, err = s.o.Assessments.SaveChanges(ctx, l.a, changes, nil)
		if failure.CodeOf(err) == failure.Conflict {
			return redirect(path("webReport", l.a.ID)), nil
		}
		if !fe.fromFailure(err, ids, "answer-"+slug(ar.Questions[0].ID)) && err != nil {
			return nil, err
		}
	}
	if !fe.empty() {
		fe.localise(req)
		return s.render(ctx, req, http.StatusUnprocessableEntity, "consolidation", formPage(tr(req, "colleagues.consolidation.title", "Area", ar.Title), &fe, form, s.consolidationView(l, ar, form, &fe))), nil
	}
	d := s.consolidationView(l, ar, nil, nil)
	return redirect(d.Next), nil
}
