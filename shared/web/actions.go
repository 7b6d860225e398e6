package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/csv"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/secret"
)

// The joint action register's pages. The administrator's live under
// /partnerships/<id>/actions (admin cookie), a member council's under its
// assessment, /assessments/<id>/actions (assessment cookie): the same
// handlers, told their base path by where the principal came from.

// actionsBase is the register's path for this principal: under the
// assessment for a member, under the partnership for the admin.
func actionsBase(req *httpapi.Request) (base scope, back string) {
	if a := req.Principal.Assessment; a != nil {
		return memberScope(a.ID), path("webMemberPartnership", a.ID)
	}
	id := req.Principal.Partnership.ID
	return adminScope(id), partnershipPath(id)
}

type actionRow struct {
	Href, Title, Owners, Role, Due, Status, StatusClass string
	Overdue                                             bool
	Questions                                           []string
}

type actionsData struct {
	Name, New, CSV, Back string
	Rows                 []actionRow
	CanAdd               bool
}

func statusClass(s action.Status) string {
	switch s {
	case action.Done:
		return "govuk-tag--green"
	case action.InProgress:
		return "govuk-tag--blue"
	case action.Dropped:
		return "govuk-tag--grey"
	}
	return "govuk-tag--yellow"
}

// statusKeys are the catalogue's names of the statuses.
var statusKeys = map[action.Status]string{action.Planned: "actions.status.planned", action.InProgress: "status.inProgress",
	action.Done: "actions.status.done", action.Dropped: "actions.status.dropped"}

// actionStatus is an action's status as people read it, in l.
func actionStatus(l locale.Lang, s action.Status) string {
	if k, ok := statusKeys[s]; ok {
		return tl(l, k)
	}
	return string(s)
}

// noteBy is who wrote a progress note, in l: the administrator's notes
// are signed partnership.AdminName, a council's with its name.
func noteBy(l locale.Lang, by string) string {
	if by == partnership.AdminName {
		return tl(l, "actions.note.byAdmin")
	}
	return by
}

// owners are the councils that own a, labelled in l.
func owners(l locale.Lang, p *partnership.Partnership, a action.Action) string {
	var out []string
	for _, sid := range a.OwnerSeats {
		if st, ok := p.Seat(sid); ok {
			out = append(out, st.LabelIn(l))
		}
	}
	return strings.Join(out, ", ")
}

// actionRowOf is a in l; b is the bank in l.
func (s *Site) actionRowOf(l locale.Lang, b *bank.Bank, p *partnership.Partnership, base scope, a action.Action, now time.Time) actionRow {
	r := actionRow{Href: base.at("Action", "action", a.ID), Title: a.Title, Owners: owners(l, p, a), Role: a.OwnerRole, Due: l.Date(a.Due),
		Status: actionStatus(l, a.Status), StatusClass: statusClass(a.Status), Overdue: a.Overdue(now)}
	for _, q := range a.Questions {
		if bq, ok := b.Question(q); ok {
			r.Questions = append(r.Questions, bq.Text)
		}
	}
	return r
}

// actions is the register: every action, its owners, due date and status.
func (s *Site) actions(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	p := req.Principal.Partnership
	as, err := partnership.ReadActions(p, req.Principal.Access())
	if err != nil {
		return nil, err
	}
	base, back := actionsBase(req)
	now := s.o.Auth.Now()
	d := actionsData{Name: p.Name, New: base.at("NewAction"), CSV: base.at("ActionsCSV"), Back: back, CanAdd: true}
	l := lang(req)
	b := s.o.Bank.Current().In(l)
	for _, a := range as {
		d.Rows = append(d.Rows, s.actionRowOf(l, b, p, base, a, now))
	}
	return s.render(ctx, req, http.StatusOK, "actions", &page{Title: tr(req, "actions.title"), Back: back, Data: d}), nil
}

func (s *Site) actionsCSV(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	p := req.Principal.Partnership
	as, err := partnership.ReadActions(p, req.Principal.Access())
	if err != nil {
		return nil, err
	}
	return csvIn(lang(req), httpapi.Attachment(csv.ContentType, csv.ActionsFilename, csv.Actions(lang(req), p, as, s.o.Auth.Now()))), nil
}

type questionGroup struct {
	Legend, ID string
	Options    []checkOption
}

type checkOption struct {
	ID, Value, Label string
	Checked          bool
}

type actionFormData struct {
	Name, Action, Back, Submit string
	Questions                  []questionGroup
	Seats                      []checkOption
	Statuses                   []option
	// Detail is set on an existing action's page.
	Detail *actionDetail
	// Editable is false for a member council that does not own the action.
	Editable bool
	// Key is the new-action form's Idempotency-Key (docs/design.md D2): a
	// form sent twice (a double click, the back button) adds one action.
	Key string
}

type actionDetail struct {
	Row          actionRow
	Notes        []noteView
	NoteAction   string
	Created      string
	Round        int
	Owner        string
	NoteErr      string
	NoteValue    string
	EditableNote bool
	Progress     []progressView
}

type noteView struct {
	At, By, Text string
}

// actionFieldIDs maps the domain's fields to the form's ids.
var actionFieldIDs = map[string]string{"title": "title", "questions": "questions", "ownerSeats": "ownerSeats",
	"ownerRole": "ownerRole", "owner": "owner", "due": "due-day", "status": "status", "text": "text"}

func statusOptions(l locale.Lang) []option {
	out := make([]option, 0, len(action.Values()))
	for _, v := range action.Values() {
		out = append(out, option{Value: string(v), Label: actionStatus(l, v)})
	}
	return out
}

// actionForm builds the form's choices: the bank's questions by area and
// the seats that can own an action, ticked from the form's values, in l.
func (s *Site) actionForm(l locale.Lang, p *partnership.Partnership, form url.Values) actionFormData {
	b := s.o.Bank.Current().In(l)
	ticked := func(name, v string) bool {
		for _, x := range form[name] {
			if x == v {
				return true
			}
		}
		return false
	}
	d := actionFormData{Name: p.Name, Statuses: statusOptions(l), Editable: true}
	first := true
	for _, ar := range b.Areas {
		g := questionGroup{Legend: ar.Title, ID: "questions-" + ar.ID}
		for _, q := range b.Questions() {
			if q.Area != ar.ID {
				continue
			}
			id := "q-" + slug(q.ID)
			if first {
				// The error summary links to the first checkbox.
				id, first = "questions", false
			}
			g.Options = append(g.Options, checkOption{ID: id, Value: q.ID, Label: q.Text, Checked: ticked("questions", q.ID)})
		}
		d.Questions = append(d.Questions, g)
	}
	for i, st := range p.Seats {
		if st.Withdrawn() {
			continue
		}
		id := "ownerSeats"
		if i > 0 {
			id = fmt.Sprintf("ownerSeats-%d", i+1)
		}
		d.Seats = append(d.Seats, checkOption{ID: id, Value: st.ID, Label: st.Name, Checked: ticked("ownerSeats", st.ID)})
	}
	return d
}

// dateOf reads the GOV.UK date input named id (id-day, id-month, id-year)
// as YYYY-MM-DD for the domain to check: "" when all three are blank, and
// "not a date" (which the domain refuses with its own message) when any is
// not a number.
func dateOf(form url.Values, id string) string {
	d, m, y := strings.TrimSpace(form.Get(id+"-day")), strings.TrimSpace(form.Get(id+"-month")), strings.TrimSpace(form.Get(id+"-year"))
	if d == "" && m == "" && y == "" {
		return ""
	}
	var di, mi, yi int
	if _, err := fmt.Sscanf(d+" "+m+" "+y, "%d %d %d", &di, &mi, &yi); err != nil {
		return "not a date"
	}
	return fmt.Sprintf("%04d-%02d-%02d", yi, mi, di)
}

// setDate fills the date input named id with t, for a form showing a stored
// date.
func setDate(form url.Values, id string, t time.Time) url.Values {
	form.Set(id+"-day", fmt.Sprint(t.Day()))
	form.Set(id+"-month", fmt.Sprint(int(t.Month())))
	form.Set(id+"-year", fmt.Sprint(t.Year()))
	return form
}

// ticked is a group of checkboxes: never nil, so a form with every box
// cleared tells the domain "none" rather than "unchanged".
func ticked(form url.Values, name string) *[]string {
	v := form[name]
	if v == nil {
		v = []string{}
	}
	return &v
}

func actionInputOf(form url.Values) action.Input {
	title, role, owner, due, status := form.Get("title"), form.Get("ownerRole"), form.Get("owner"), dateOf(form, "due"), form.Get("status")
	in := action.Input{Title: &title, OwnerRole: &role, Owner: &owner, Due: &due, Questions: ticked(form, "questions"), OwnerSeats: ticked(form, "ownerSeats")}
	if status != "" {
		in.Status = &status
	}
	return in
}

// newAction is the form for a new action. From a finding of the
// comparison it comes pre-filled: ?question= links the question and its
// improvement action is the title (the councils that scored low own it).
func (s *Site) newAction(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	p := req.Principal.Partnership
	if _, err := partnership.ReadActions(p, req.Principal.Access()); err != nil {
		return nil, err
	}
	base, back := actionsBase(req)
	form := url.Values{"status": {string(action.Planned)}}
	actor := req.Principal.Actor()
	if actor.Seat != "" {
		form["ownerSeats"] = []string{actor.Seat}
	}
	if q := req.Query("question"); q != "" {
		if title, seats, ok := s.finding(p, req, q); ok {
			form["questions"] = []string{q}
			form.Set("title", title)
			for _, sid := range seats {
				if sid != actor.Seat {
					form["ownerSeats"] = append(form["ownerSeats"], sid)
				}
			}
		}
	}
	d := s.actionForm(lang(req), p, form)
	d.Action, d.Back, d.Submit, d.Key = base.at("CreateAction"), back, tr(req, "actions.form.add"), secret.NewToken()
	return s.render(ctx, req, http.StatusOK, "action-form", &page{Title: tr(req, "actions.add"), Back: base.at("Actions"), Form: form, Data: d}), nil
}

func (s *Site) createAction(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	p := req.Principal.Partnership
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	base, back := actionsBase(req)
	a, err := s.o.Partnerships.CreateAction(ctx, p, req.Principal.Actor(), actionInputOf(form), formIdempotency(req, form.Get("key")))
	var fe formErrors
	key := form.Get("key")
	if keyReused(err) {
		// The form added an action before and was sent again with other
		// details (the back button): offer it again with a fresh key.
		fe.add("title", tr(req, "error.action.keyReused"))
		key = secret.NewToken()
	} else if !fe.fromFailure(err, actionFieldIDs, "title") && err != nil {
		return nil, err
	}
	if fe.empty() {
		return redirect(base.at("Action", "action", a.ID)), nil
	}
	d := s.actionForm(lang(req), p, form)
	// Otherwise the same key: the form, corrected, is still the one request.
	d.Action, d.Back, d.Submit, d.Key = base.at("CreateAction"), back, tr(req, "actions.form.add"), key
	fe.localise(req)
	return s.render(ctx, req, http.StatusUnprocessableEntity, "action-form", formPage(tr(req, "actions.add"), &fe, form, d)), nil
}

// formOfAction is the edit form's values from the stored action.
func formOfAction(a action.Action) url.Values {
	return setDate(url.Values{"title": {a.Title}, "questions": a.Questions, "ownerSeats": a.OwnerSeats, "ownerRole": {a.OwnerRole},
		"owner": {a.Owner}, "status": {string(a.Status)}}, "due", a.Due)
}

// showAction is one action: its details, progress notes, and for the
// admin and the owner councils the edit form and a note form.
func (s *Site) showAction(ctx context.Context, req *httpapi.Request, status int, form url.Values, fe *formErrors, noteErr, noteValue string) (*httpapi.Response, error) {
	p := req.Principal.Partnership
	if _, err := partnership.ReadActions(p, req.Principal.Access()); err != nil {
		return nil, err
	}
	a, ok := p.Action(req.Param("action"))
	if !ok {
		return s.notFound(ctx, req), nil
	}
	base, _ := actionsBase(req)
	if form == nil {
		form = formOfAction(a)
	}
	l := lang(req)
	d := s.actionForm(l, p, form)
	d.Action, d.Back, d.Submit = base.at("UpdateAction", "action", a.ID), base.at("Actions"), tr(req, "actions.form.save")
	d.Editable = partnership.CanEdit(a, req.Principal.Actor())
	if noteErr != "" {
		noteErr = localMessage(req, noteErr)
	}
	det := &actionDetail{Row: s.actionRowOf(l, s.o.Bank.Current().In(l), p, base, a, s.o.Auth.Now()), NoteAction: base.at("AddActionNote", "action", a.ID),
		Created: l.Date(a.CreatedAt), Round: a.Round, Owner: a.Owner, NoteErr: noteErr, NoteValue: noteValue, EditableNote: d.Editable}
	for i := len(a.Notes) - 1; i >= 0; i-- {
		n := a.Notes[i]
		det.Notes = append(det.Notes, noteView{At: l.Date(n.At), By: noteBy(l, n.By), Text: n.Text})
	}
	// Then and now in the latest round after its own that can be read.
	for n := p.CurrentRound; n > a.Round; n-- {
		if p.Sealed(n) != nil {
			continue
		}
		for _, ap := range partnership.Progress(s.o.Bank.In(l), p, n) {
			if ap.Action.ID == a.ID {
				pv := progressViewOf(l, s.o.Bank.Current().In(l), base, ap, s.o.Auth.Now())
				det.Progress = []progressView{pv}
			}
		}
		break
	}
	d.Detail = det
	pg := &page{Title: a.Title, Back: base.at("Actions"), Form: form, Data: d}
	if fe != nil {
		fe.localise(req)
		pg = formPage(a.Title, fe, form, d)
		pg.Back = base.at("Actions")
	}
	return s.render(ctx, req, status, "action", pg), nil
}

func (s *Site) action(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	return s.showAction(ctx, req, http.StatusOK, nil, nil, "", "")
}

func (s *Site) updateAction(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	p := req.Principal.Partnership
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	base, _ := actionsBase(req)
	id := req.Param("action")
	_, err = s.o.Partnerships.UpdateAction(ctx, p, req.Principal.Actor(), id, actionInputOf(form))
	var fe formErrors
	if !fe.fromFailure(err, actionFieldIDs, "title") && err != nil {
		return nil, err
	}
	if fe.empty() {
		return redirect(base.at("Action", "action", id)), nil
	}
	return s.showAction(ctx, req, http.StatusUnprocessableEntity, form, &fe, "", "")
}

func (s *Site) addActionNote(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	p := req.Principal.Partnership
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	base, _ := actionsBase(req)
	id := req.Param("action")
	_, err = s.o.Partnerships.AddNote(ctx, p, req.Principal.Actor(), id, form.Get("text"))
	if fe, ok := failure.As(err); ok && fe.Code == failure.Invalid && len(fe.Fields) > 0 {
		errs := formErrors{}
		errs.add("text", fe.Fields[0].Message)
		return s.showAction(ctx, req, http.StatusUnprocessableEntity, nil, &errs, fe.Fields[0].Message, form.Get("text"))
	}
	if err != nil {
		return nil, err
	}
	return redirect(base.at("Action", "action", id) + "#notes"), nil
}

// finding is what the comparison of ?round= says about question q: the
// improvement action's text as the title and the seats of the councils that
// scored low as owners. A question with no action there gets its own text
// as a starting title, and no owners.
func (s *Site) finding(p *partnership.Partnership, req *httpapi.Request, q string) (string, []string, bool) {
	b := s.o.Bank.Current().In(lang(req))
	bq, ok := b.Question(q)
	if !ok {
		return "", nil, false
	}
	n, _ := roundQuery(req)
	// In English: the councils are matched by their labels in it.
	c, err := partnership.Compare(s.o.Bank, p, req.Principal.Access(), n)
	if err == nil {
		for _, a := range c.Actions {
			if a.Question != q {
				continue
			}
			var seats []string
			for _, name := range a.Councils {
				for _, st := range p.Seats {
					if st.Label() == name && !st.Withdrawn() {
						seats = append(seats, st.ID)
					}
				}
			}
			title := a.Action
			if title == "" { // v2: the action of the band the lowest score is in
				low := 4
				for _, cq := range c.Questions {
					if cq.ID != q {
						continue
					}
					for _, name := range a.Councils {
						sc := 0
						if v := cq.Scores[name]; v != nil {
							sc = *v
						}
						low = min(low, sc)
					}
				}
				if la, ok := bq.ActionFor(low); ok {
					title = la.Do
				}
			}
			if title == "" || utf8.RuneCountInString(title) > action.MaxTitle {
				title = bq.Text
			}
			return title, seats, true
		}
	}
	return bq.Text, nil, true
}

// moveView is one linked question's then and now.
type moveView struct {
	Question, Then, Now, Change, Councils string
}

// progressView is an action carried into a later round: did it move the
// score?
type progressView struct {
	Href, Title, Status, StatusClass, Verdict string
	Overdue                                   bool
	ThenRound, NowRound                       int
	Moves                                     []moveView
}

// progressViews are the actions created before round n, open or done,
// with their questions' lowest scores then and now, in l.
func (s *Site) progressViews(l locale.Lang, p *partnership.Partnership, base scope, n int) []progressView {
	b := s.o.Bank.Current().In(l)
	now := s.o.Auth.Now()
	var out []progressView
	for _, ap := range partnership.Progress(s.o.Bank.In(l), p, n) {
		a := ap.Action
		if a.Round >= ap.NowRound || a.Status == action.Dropped {
			continue
		}
		out = append(out, progressViewOf(l, b, base, ap, now))
	}
	return out
}

// progressViewOf is ap in l; b is the bank in l.
func progressViewOf(l locale.Lang, b *bank.Bank, base scope, ap partnership.ActionProgress, now time.Time) progressView {
	a := ap.Action
	v := progressView{Href: base.at("Action", "action", a.ID), Title: a.Title, Status: actionStatus(l, a.Status), StatusClass: statusClass(a.Status),
		Overdue: a.Overdue(now), ThenRound: ap.ThenRound, NowRound: ap.NowRound}
	switch {
	case !ap.Measured:
		v.Verdict = tl(l, "actions.verdict.notMeasured")
	case ap.Improved():
		v.Verdict = tl(l, "actions.verdict.improved")
	default:
		v.Verdict = tl(l, "actions.verdict.notImproved")
	}
	for _, m := range ap.Questions {
		text := m.Question
		if q, ok := b.Question(m.Question); ok {
			text = q.Text
		}
		var who []string
		for _, c := range m.Councils {
			who = append(who, fmt.Sprintf("%s %s → %s", c, scoreTextIn(l, m.Then[c]), scoreTextIn(l, m.Now[c])))
		}
		v.Moves = append(v.Moves, moveView{Question: text, Then: fmt.Sprint(m.ThenLow), Now: fmt.Sprint(m.NowLow), Change: signed(m.Change()), Councils: strings.Join(who, "; ")})
	}
	return v
}
