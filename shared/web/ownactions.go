package web

import (
	"context"
	"net/http"
	"net/url"
	"unicode/utf8"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/secret"
)

// A council's own action list: pages under /assessments/<id>/own-actions,
// with the assessment's cookie (the lead's; a colleague's cookie is for
// their own pages only). The report keeps a "what to work on first" item
// with one click; the action's page changes it.

// ownMoveView is one linked question of a carried action: then and now.
type ownMoveView struct {
	Question, Then, Now, Change string
}

type ownActionView struct {
	Href, Title, Owner, Due, Status, StatusClass string
	Overdue, Carried                             bool
	ThenOn                                       string
	Questions                                    []string
	Moves                                        []ownMoveView
}

type ownActionsData struct {
	ID, Council, Report, CSV string
	Rows                     []ownActionView
}

type ownActionData struct {
	Council, Action, NoteAction, Back string
	Row                               ownActionView
	Created                           string
	Notes                             []noteView
	NoteErr, NoteValue                string
	Questions                         []questionGroup
	Statuses                          []option
}

func ownBase(id string) string { return path("webOwnActions", id) }

func ownScore(l locale.Lang, p *int, answered bool) string {
	if !answered {
		return tl(l, "answer.notAnswered")
	}
	return scoreTextIn(l, p)
}

// ownActionView is o in l, its questions from b's text in l.
func (s *Site) ownActionView(l locale.Lang, b *bank.Bank, a *assessment.Assessment, o assessment.OwnAction) ownActionView {
	b = b.In(l)
	v := ownActionView{Href: path("webOwnAction", a.ID, "action", o.ID), Title: o.Title, Owner: o.OwnerRole, Due: l.Date(o.Due),
		Status: actionStatus(l, o.Status), StatusClass: statusClass(o.Status), Overdue: o.Overdue(s.o.Auth.Now()), Carried: o.Carried()}
	if o.Carried() && !o.ThenOn.IsZero() {
		v.ThenOn = l.Date(o.ThenOn)
	}
	text := func(id string) string {
		if q, ok := b.Question(id); ok {
			return q.Text
		}
		return id
	}
	for _, q := range o.Questions {
		v.Questions = append(v.Questions, text(q))
	}
	for _, m := range o.ThenAndNow(a) {
		mv := ownMoveView{Question: text(m.Question), Then: ownScore(l, m.Then, m.ThenAnswered), Now: ownScore(l, m.Now, m.NowAnswered), Change: "–"}
		if m.ThenAnswered && m.NowAnswered {
			mv.Change = signed(m.Moved())
		}
		v.Moves = append(v.Moves, mv)
	}
	return v
}

// ownActions lists the council's own actions.
func (s *Site) ownActions(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	d := ownActionsData{ID: l.a.ID, Council: l.a.Council, Report: path("webReport", l.a.ID)}
	for _, o := range l.a.Actions {
		d.Rows = append(d.Rows, s.ownActionView(l.lang, l.b, l.a, o))
	}
	return s.render(ctx, req, http.StatusOK, "own-actions", &page{Title: tr(req, "actions.own.title"), Back: d.Report, Data: d}), nil
}

// keptTitle is what the report says to do about question q: the
// improvement action of its "what to work on first" item, or the
// question itself.
func keptTitle(b *bank.Bank, a *assessment.Assessment, q bank.Question) string {
	sc := assessment.Report(b, a)
	title := ""
	if sc.V2 != nil {
		for _, sf := range sc.V2.WorkOnFirst {
			if sf.Question == q.ID {
				if act, ok := sf.Action(q); ok {
					title = act.Do
				}
			}
		}
	} else {
		for _, w := range sc.Weakest {
			if w.Question.ID == q.ID {
				title = w.Question.Action
			}
		}
	}
	if title == "" || utf8.RuneCountInString(title) > action.MaxTitle {
		title = q.Text
	}
	return title
}

// keepOwnAction keeps a report item as an own action with one click: its
// improvement action as the title, its question linked, planned, due in
// three months; the action's page then asks for the owner and the date.
func (s *Site) keepOwnAction(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	// The title is the report's words in the reader's language.
	b := l.b.In(l.lang)
	q, ok := b.Question(form.Get("question"))
	if !ok {
		return nil, failure.Fields("Choose an item of the report to keep.", failure.FieldError{Field: "question", Message: "Choose a question from the report"})
	}
	title := keptTitle(b, l.a, q)
	due := action.Day(s.o.Auth.Now()).AddDate(0, 3, 0).Format(action.DateLayout)
	qs := []string{q.ID}
	o, err := s.o.Assessments.CreateOwnAction(ctx, l.a, action.Input{Title: &title, Questions: &qs, Due: &due}, formIdempotency(req, form.Get("key")))
	if keyReused(err) {
		return redirect(ownBase(l.a.ID)), nil
	}
	if err != nil {
		return nil, err
	}
	return redirect(path("webOwnAction", l.a.ID, "action", o.ID) + "#change"), nil
}

// ownActionForm is the edit form's choices in l, ticked from form.
func ownActionForm(l locale.Lang, b *bank.Bank, form url.Values) ([]questionGroup, []option) {
	b = b.In(l)
	ticked := map[string]bool{}
	for _, v := range form["questions"] {
		ticked[v] = true
	}
	var groups []questionGroup
	first := true
	for _, ar := range b.Areas {
		g := questionGroup{Legend: ar.Title, ID: "questions-" + ar.ID}
		for _, q := range b.Questions() {
			if q.Area != ar.ID {
				continue
			}
			id := "q-" + slug(q.ID)
			if first {
				id, first = "questions", false
			}
			g.Options = append(g.Options, checkOption{ID: id, Value: q.ID, Label: q.Text, Checked: ticked[q.ID]})
		}
		groups = append(groups, g)
	}
	return groups, statusOptions(l)
}

func formOfOwnAction(o assessment.OwnAction) url.Values {
	return setDate(url.Values{"title": {o.Title}, "questions": o.Questions, "owner": {o.OwnerRole}, "status": {string(o.Status)}}, "due", o.Due)
}

func ownInputOf(form url.Values) action.Input {
	title, owner, due, status := form.Get("title"), form.Get("owner"), dateOf(form, "due"), form.Get("status")
	return action.Input{Title: &title, OwnerRole: &owner, Due: &due, Status: &status, Questions: ticked(form, "questions")}
}

var ownFieldIDs = map[string]string{"title": "title", "questions": "questions", "ownerRole": "owner", "due": "due-day", "status": "status", "text": "text"}

func (s *Site) showOwnAction(ctx context.Context, req *httpapi.Request, status int, form url.Values, fe *formErrors, noteErr, noteValue string) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	o, ok := l.a.OwnAction(req.Param("action"))
	if !ok {
		return s.notFound(ctx, req), nil
	}
	if form == nil {
		form = formOfOwnAction(o)
	}
	base := ownBase(l.a.ID)
	if noteErr != "" {
		noteErr = localMessage(req, noteErr)
	}
	d := ownActionData{Council: l.a.Council, Action: path("webUpdateOwnAction", l.a.ID, "action", o.ID), NoteAction: path("webAddOwnActionNote", l.a.ID, "action", o.ID), Back: base,
		Row: s.ownActionView(l.lang, l.b, l.a, o), Created: l.lang.Date(o.CreatedAt), NoteErr: noteErr, NoteValue: noteValue}
	d.Questions, d.Statuses = ownActionForm(l.lang, l.b, form)
	for i := len(o.Notes) - 1; i >= 0; i-- {
		n := o.Notes[i]
		d.Notes = append(d.Notes, noteView{At: l.lang.Date(n.At), Text: n.Text})
	}
	pg := &page{Title: o.Title, Back: base, Form: form, Data: d}
	if fe != nil {
		fe.localise(req)
		pg = formPage(o.Title, fe, form, d)
		pg.Back = base
	}
	return s.render(ctx, req, status, "own-action", pg), nil
}

func (s *Site) ownAction(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	return s.showOwnAction(ctx, req, http.StatusOK, nil, nil, "", "")
}

func (s *Site) updateOwnAction(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	id := req.Param("action")
	_, err = s.o.Assessments.UpdateOwnAction(ctx, l.a, id, ownInputOf(form))
	var fe formErrors
	if !fe.fromFailure(err, ownFieldIDs, "title") && err != nil {
		return nil, err
	}
	if fe.empty() {
		return redirect(path("webOwnAction", l.a.ID, "action", id)), nil
	}
	return s.showOwnAction(ctx, req, http.StatusUnprocessableEntity, form, &fe, "", "")
}

func (s *Site) addOwnActionNote(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	id := req.Param("action")
	_, err = s.o.Assessments.AddOwnActionNote(ctx, l.a, id, form.Get("text"))
	if fe, ok := failure.As(err); ok && fe.Code == failure.Invalid && len(fe.Fields) > 0 {
		errs := formErrors{}
		errs.add("text", fe.Fields[0].Message)
		return s.showOwnAction(ctx, req, http.StatusUnprocessableEntity, nil, &errs, fe.Fields[0].Message, form.Get("text"))
	}
	if err != nil {
		return nil, err
	}
	return redirect(path("webOwnAction", l.a.ID, "action", id) + "#notes"), nil
}

// keepLink is a report item's one-click form data: the question and a
// fresh Idempotency-Key, or Kept when an own action already links it.
type keepLink struct {
	Action, Question, Key, Kept string
}

func keepFor(a *assessment.Assessment, q string) *keepLink {
	for _, o := range a.Actions {
		for _, x := range o.Questions {
			if x == q {
				return &keepLink{Kept: path("webOwnAction", a.ID, "action", o.ID)}
			}
		}
	}
	return &keepLink{Action: path("webKeepOwnAction", a.ID), Question: q, Key: secret.NewToken()}
}
