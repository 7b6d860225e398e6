package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/routes"
)

// The lead's page for one colleague (issue 19): which questions they answer
// first, whether they see their colleagues' answers, and handing the lead
// to them; and the colleague's read-only view of the spread.

type routeBox struct {
	Value, Label, ID string
	Checked          bool
}

type routeArea struct {
	Title string
	Area  routeBox
	Items []routeBox
}

type colleagueSettingsData struct {
	ID, ColleagueID, Name, Role string
	Suggested                   int  // questions the bank suggests for their role
	Chosen                      bool // the lead chose (radio)
	Areas                       []routeArea
	SeesSpread                  bool
	Email                       bool // the colleague has an address: the hand-over mails them
	Submitted                   bool
}

func (s *Site) colleagueSettingsView(l *loaded, c *assessment.Colleague, form map[string][]string) colleagueSettingsData {
	d := colleagueSettingsData{ID: l.a.ID, ColleagueID: c.ID, Name: c.Name, Role: roleLabel(l.b, c.Role), Chosen: c.RoutingSet,
		SeesSpread: c.SeesSpread, Email: c.Email != "", Submitted: l.a.Status != assessment.Draft}
	suggestion := *c
	suggestion.RoutingSet = false
	d.Suggested = len(assessment.Routed(l.b, &suggestion))
	chosen := func(id string) bool { return c.RoutingSet && slices.Contains(c.Routing, id) }
	if form != nil {
		d.Chosen = first(form["routing"]) == "chosen"
		d.SeesSpread = first(form["seesSpread"]) == "yes"
		chosen = func(id string) bool { return slices.Contains(form["routed"], id) }
	}
	for _, ar := range l.b.Areas {
		ra := routeArea{Title: ar.Title, Area: routeBox{Value: ar.ID, Label: l.t("colleagues.settings.allOf", "Area", ar.Title), ID: "routed-" + slug(ar.ID), Checked: chosen(ar.ID)}}
		for i, q := range ar.Questions {
			ra.Items = append(ra.Items, routeBox{Value: q.ID, Label: questionLabel(i+1, q.Text), ID: "routed-" + slug(q.ID), Checked: chosen(q.ID)})
		}
		d.Areas = append(d.Areas, ra)
	}
	return d
}

func questionLabel(n int, text string) string { return strconv.Itoa(n) + ". " + text }

// loadColleague is the lead's assessment and the colleague the path names;
// a response (the 404 page) when there is no such colleague.
func (s *Site) loadColleague(ctx context.Context, req *httpapi.Request) (*loaded, *assessment.Colleague, *httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return nil, nil, resp, err
	}
	c, ok := l.a.Colleague(req.Param("respondent"))
	if !ok || len(l.b.Roles) == 0 {
		return nil, nil, s.notFound(ctx, req), nil
	}
	return l, c, nil, nil
}

func (s *Site) colleagueSettings(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, c, resp, err := s.loadColleague(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	return s.render(ctx, req, http.StatusOK, "respondent-settings", &page{Title: c.Name, Back: path("webRespondents", l.a.ID),
		Data: s.colleagueSettingsView(l, c, nil)}), nil
}

// saveColleagueSettings saves the routing and the spread sharing. Choosing
// questions but ticking none is an error on the form (the API allows an
// empty routing; a person who picked "I choose" and ticked nothing most
// likely forgot to tick).
func (s *Site) saveColleagueSettings(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, c, resp, err := s.loadColleague(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	var fe formErrors
	in := assessment.ColleagueSettings{}
	sees := form.Get("seesSpread") == "yes"
	in.SeesSpread = &sees
	switch form.Get("routing") {
	case "suggestion":
		in.Default = true
	case "chosen":
		routed := form["routed"]
		if len(routed) == 0 {
			fe.add("routed-"+slug(l.b.Areas[0].ID), tr(req, "colleagues.settings.tick", "Name", c.Name))
		}
		in.Routed = &routed
	default:
		fe.add("routing", tr(req, "colleagues.settings.choose", "Name", c.Name))
	}
	if fe.empty() {
		_, err = s.o.Assessments.UpdateColleague(ctx, l.a, c.ID, in)
		switch {
		case failure.CodeOf(err) == failure.Conflict:
			fe.add("routing", localConflict(req, err))
		case fe.fromFailure(err, map[string]string{}, "routing"):
		case err != nil:
			return nil, err
		}
	}
	if !fe.empty() {
		fe.localise(req)
		return s.render(ctx, req, http.StatusUnprocessableEntity, "respondent-settings", formPage(c.Name, &fe, form, s.colleagueSettingsView(l, c, form))), nil
	}
	return redirect(path("webRespondents", l.a.ID)), nil
}

type handedOverData struct {
	Council, Name, Link string
	Mailed              bool
}

// handOverLead makes the colleague the lead. The new lead's link is shown
// once on this page; this browser's lead cookie holds the old token, which
// no longer works, so it is cleared.
func (s *Site) handOverLead(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, c, resp, err := s.loadColleague(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	if _, err := parseForm(req); err != nil {
		return nil, err
	}
	out, err := s.o.Assessments.HandOver(ctx, l.a, c.ID)
	if err != nil {
		return nil, err
	}
	d := handedOverData{Council: l.a.Council, Name: c.Name, Link: origin(req) + routes.Link("webResume", routes.P{"id": l.a.ID}, out.Token), Mailed: out.Mailed}
	r := s.render(ctx, req, http.StatusOK, "lead-handed-over", &page{Title: tr(req, "colleagues.handedOver.title", "Name", c.Name), Secret: true, Data: d})
	r.Cookies = append(r.Cookies, clearCookie(req, httpapi.AssessmentCookie(l.a.ID), assessmentPath(l.a.ID)))
	return r, nil
}

type spreadData struct {
	Council, Name string
	Areas         []spreadArea
}

type spreadArea struct {
	Title     string
	Questions []consolidationQuestion
}

// respondentSpread is a colleague's read-only view of every colleague's
// answers, when the lead shared it with them (403 page otherwise).
func (s *Site) respondentSpread(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	a := req.Principal.Assessment
	b, err := s.o.Assessments.Bank(a.Version)
	if err != nil {
		return nil, err
	}
	b = b.In(lang(req))
	cons, err := s.o.Assessments.Spread(a, req.Principal.Respondent)
	if err != nil {
		return nil, err
	}
	c, _ := a.Colleague(req.Principal.Respondent)
	byID := map[string]assessment.QuestionView{}
	for _, v := range cons.Questions {
		byID[v.Question.ID] = v
	}
	d := spreadData{Council: a.Council, Name: c.Name}
	for _, ar := range b.Areas {
		sa := spreadArea{Title: ar.Title}
		for i, q := range ar.Questions {
			v := byID[q.ID]
			cq := consolidationQuestion{questionView: questionView{ID: q.ID, Slug: slug(q.ID), Number: i + 1, Text: q.Text}, Spread: v.Spread, Divergent: v.Divergent}
			// The spread is the service's, in the bank's English: each answer
			// reads in the reader's language from q, the same question in b.
			for _, r := range v.Responses {
				cq.Responses = append(cq.Responses, responseRow{Name: r.Colleague.Name, Role: roleLabel(b, r.Colleague.Role),
					Answer: answerTextIn(lang(req), q, r.Answer, true), Note: r.Answer.Note})
			}
			sa.Questions = append(sa.Questions, cq)
		}
		d.Areas = append(d.Areas, sa)
	}
	return s.render(ctx, req, http.StatusOK, "respondent-spread", &page{Title: tr(req, "colleagues.spread.title"), Back: respondentPath(a.ID, c.ID), Data: d}), nil
}
