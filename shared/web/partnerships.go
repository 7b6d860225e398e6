package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/csv"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/scoring"
)

// Partnership pages. The administrator's pages live under
// /partnerships/<id> and use the admin cookie set by the admin link. A
// member council sees the same status and comparison pages under its own
// assessment (/assessments/<id>/partnership and /comparison), with its
// assessment cookie: the domain accepts a member's assessment token for
// reading a partnership, and no second secret is needed.

type partnershipFormData struct {
	Forms   []option
	Cadence []option
	Seats   []int // the rows of member councils, 0-based
}

// seatRows is how many member councils the create form offers; more can be
// added from the API. Blank rows are ignored.
const seatRows = 6

func seatRowList() []int {
	out := make([]int, seatRows)
	for i := range out {
		out[i] = i
	}
	return out
}

var partnershipFieldIDs = map[string]string{
	"name": "name", "intendedForm": "intendedForm", "contactEmail": "contactEmail", "cadenceMonths": "cadenceMonths",
	"councils": "councils-0-name",
}

// seatFieldIDs maps councils[i].name (the domain's field) to the id of the
// form field of row rows[i] (blank rows are skipped, so i ≠ row).
func seatFieldIDs(rows []int) map[string]string {
	ids := map[string]string{}
	for k, v := range partnershipFieldIDs {
		ids[k] = v
	}
	for i, row := range rows {
		for _, f := range []string{"name", "gssCode", "email"} {
			ids[fmt.Sprintf("councils[%d].%s", i, f)] = fmt.Sprintf("councils-%d-%s", row, f)
		}
	}
	return ids
}

func cadenceOptions(req *httpapi.Request) []option {
	o := func(n string) option { return option{n, tr(req, "partnership.new.cadence.option", "Months", n), ""} }
	return []option{o("3"), o("6"), o("12")}
}

func (s *Site) newPartnership(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	d := partnershipFormData{Forms: formOptions(s.current(req)), Cadence: cadenceOptions(req), Seats: seatRowList()}
	return s.render(ctx, req, http.StatusOK, "new-partnership", &page{Title: tr(req, "partnership.new.title"), Back: "/", Form: map[string][]string{"cadenceMonths": {"12"}}, Data: d}), nil
}

type partnershipCreatedData struct {
	ID, Name, JoinCode, AdminLink, Status string
	AdminMailed                           bool
	Seats                                 []invitationView
}

type invitationView struct {
	Council, Link string
	Mailed        bool
}

// createPartnership creates a partnership and shows its join code and
// admin link once, setting the admin cookie.
func (s *Site) createPartnership(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	in := partnership.CreateInput{Name: form.Get("name"), Form: form.Get("intendedForm"), ContactEmail: form.Get("contactEmail"), Lang: lang(req)}
	var rows []int
	for row := range seatRows {
		f := func(n string) string { return strings.TrimSpace(form.Get(fmt.Sprintf("councils-%d-%s", row, n))) }
		if f("name") == "" && f("gssCode") == "" && f("email") == "" {
			continue
		}
		rows = append(rows, row)
		in.Councils = append(in.Councils, partnership.SeatInput{Name: f("name"), GSSCode: f("gssCode"), Email: f("email")})
	}
	ids := seatFieldIDs(rows)
	var fe formErrors
	switch c := form.Get("cadenceMonths"); c {
	case "3", "6", "12":
		in.CadenceMonths, _ = strconv.Atoi(c)
	default:
		fe.add("cadenceMonths", tr(req, "error.partnership.cadence"))
		// The form's own message covers the cadence; a valid value keeps
		// the domain's from repeating it.
		in.CadenceMonths = 12
	}
	// Validate everything at once, so the summary lists every problem.
	if err := in.Validate(s.o.Bank.Current()); err != nil {
		var all formErrors
		all.fromFailure(err, ids, "name")
		for _, e := range fe.list {
			all.add(e.ID, e.Message)
		}
		fe = all
	}
	if fe.empty() {
		out, err := s.o.Partnerships.Create(ctx, in, idempotency.Request{})
		if !fe.fromFailure(err, ids, "name") && err != nil {
			return nil, err
		}
		if fe.empty() {
			d := partnershipCreatedData{ID: out.ID, Name: strings.TrimSpace(in.Name), JoinCode: out.JoinCode,
				AdminLink: origin(req) + link("webPartnershipAdmin", out.AdminToken, out.ID), Status: partnershipPath(out.ID), AdminMailed: out.AdminMailed}
			for _, inv := range out.Seats {
				d.Seats = append(d.Seats, invitationView{Council: inv.Council, Link: origin(req) + link("webSeatInvitation", inv.Token, out.ID, "seat", inv.Seat), Mailed: inv.Mailed})
			}
			r := s.render(ctx, req, http.StatusOK, "partnership-created", &page{Title: tr(req, "partnership.created.title"), Secret: true, Data: d})
			r.Cookies = append(r.Cookies, setCookie(req, httpapi.PartnershipCookie(out.ID), partnershipPath(out.ID), out.AdminToken))
			return r, nil
		}
	}
	d := partnershipFormData{Forms: formOptions(s.current(req)), Cadence: cadenceOptions(req), Seats: seatRowList()}
	// The domain names the cadence field differently in its message order;
	// keep the summary in the order of the form.
	order := map[string]int{"name": 0}
	for row := range seatRows {
		for j, f := range []string{"name", "gssCode", "email"} {
			order[fmt.Sprintf("councils-%d-%s", row, f)] = 1 + 3*row + j
		}
	}
	order["intendedForm"], order["contactEmail"], order["cadenceMonths"] = 100, 101, 102
	sort.SliceStable(fe.list, func(i, j int) bool { return order[fe.list[i].ID] < order[fe.list[j].ID] })
	fe.localise(req)
	return s.render(ctx, req, http.StatusUnprocessableEntity, "new-partnership", formPage(tr(req, "partnership.new.title"), &fe, form, d)), nil
}

// partnershipAdmin checks the admin link's token, keeps it in the
// partnership's cookie and redirects to the status page.
// The router's auth middleware has proved ?token= is the admin's.
func (s *Site) partnershipAdmin(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	id := req.Principal.Partnership.ID
	return redirect(partnershipPath(id), setCookie(req, httpapi.PartnershipCookie(id), partnershipPath(id), req.Query("token"))), nil
}

// memberRow is one council in a round.
type memberRow struct {
	Council, Status, Submitted string
	Prospective                bool
	Done                       bool // submitted
}

type roundView struct {
	Number                       int
	Purpose, Status, Opened      string
	Deadline                     string // the last day to submit, while the round is open and sealed
	Open                         bool
	Members                      []memberRow
	Sealed                       bool
	Submitted, Total             int
	Waiting                      []string // expected councils that have not submitted
	Compare, Close               string
	ComparisonAvailable, Current bool
}

type partnershipData struct {
	ID, Name, Form, JoinCode string
	// NewJoinCode is set on the page shown once after rotating the code;
	// RotateJoinCode is the admin's form action.
	NewJoinCode        bool
	RotateJoinCode     string
	Cadence            int
	Admin, Prospective bool
	Rounds             []roundView
	OpenRound          string // form action for the admin
	// DeadlineHint gives the range of deadlines the admin may pick.
	DeadlineHint string
	After        int // the round a new one follows: a resent form opens no second round
	Back         string
	Seats        []seatRow
	// AddSeat is the admin's link to add a member council; Admins to
	// the administrators' page.
	AddSeat, Admins string
	// Acts are the administrators' acts, latest first (not for a
	// prospective partner).
	Acts []actRow
	// Sharing is the member council's choice about its notes (nil on the
	// admin's page, for a prospective partner and before submitting).
	Sharing *noteSharingView
}

// noteSharingView is a member's choice about its notes, with the form to
// change it while the round is sealed.
type noteSharingView struct {
	Shared     bool
	Notes      int
	Round      int
	Action     string // the form's action; empty once the comparison is open
	Changeable bool
}

type seatRow struct {
	Council, GSSCode string
	Withdrawn        bool
	Manage           string // the admin's page for the seat
}

// actRow is one of the administrator's acts, as members see it.
type actRow struct {
	Date, Text string
}

// partnershipView builds the status page. The sealed state of an open round
// is the domain's rule (Partnership.Sealed: who of the expected seats has
// submitted), read from the partnership already loaded. A prospective
// partner is shown only its own membership.
func (s *Site) partnershipView(req *httpapi.Request, base scope) partnershipData {
	pr, l := req.Principal, lang(req)
	p, access := pr.Partnership, pr.Access()
	if access == partnership.ProspectiveAccess {
		p = p.OnlyMember(pr.Member)
	}
	b := s.current(req)
	d := partnershipData{ID: p.ID, Name: p.Name, Form: formTitle(b, p.Form), Cadence: p.CadenceMonths,
		Admin: access == partnership.AdminAccess, Prospective: access == partnership.ProspectiveAccess, After: p.CurrentRound}
	if d.Admin {
		d.JoinCode = p.JoinCode
		d.OpenRound = path("webOpenRound", p.ID)
		today := s.now().UTC()
		d.DeadlineHint = tr(req, "partnership.page.deadline.hint", "Example", today.AddDate(0, 0, 30).Format("2 1 2006"),
			"Earliest", l.Date(today.AddDate(0, 0, partnership.MinDeadlineDays)), "Latest", l.Date(today.AddDate(0, partnership.MaxDeadlineMonths, 0)))
		d.RotateJoinCode = path("webRotateJoinCode", p.ID)
		d.Admins = path("webAdmins", p.ID)
	}
	if !d.Prospective {
		for _, st := range p.Seats {
			row := seatRow{Council: st.Name, GSSCode: st.GSSCode, Withdrawn: st.Withdrawn()}
			if d.Admin {
				row.Manage = path("webManageSeat", p.ID, "seat", st.ID)
			}
			d.Seats = append(d.Seats, row)
		}
		for i := len(p.Acts) - 1; i >= 0; i-- {
			d.Acts = append(d.Acts, actRow{Date: l.Date(p.Acts[i].At), Text: p.Acts[i].TextIn(l)})
		}
	}
	if d.Admin && len(p.Seats) > 0 {
		d.AddSeat = path("webNewSeat", p.ID)
	}
	for i := len(p.Rounds) - 1; i >= 0; i-- {
		r := p.Rounds[i]
		rv := roundView{Number: r.Number, Purpose: purposeLabelIn(l, r.Purpose), Status: r.Status, Open: r.Status == partnership.Open,
			Opened: l.Date(r.OpenedAt), Current: r.Number == p.CurrentRound,
			Compare: base.at("Comparison") + fmt.Sprintf("?round=%d", r.Number)}
		if d.Admin && rv.Open {
			rv.Close = path("webCloseRound", p.ID, "n", strconv.Itoa(r.Number))
		}
		for _, m := range r.Members {
			row := memberRow{Council: p.MemberNameIn(lang(req), m), Status: tr(req, "partnership.page.notSubmitted"), Prospective: m.Prospective}
			if m.Status == partnership.Submitted && m.SubmittedAt != nil {
				row.Status, row.Submitted, row.Done = tr(req, "partnership.page.submitted"), l.Date(*m.SubmittedAt), true
			}
			rv.Members = append(rv.Members, row)
		}
		switch sealed := p.Sealed(r.Number); {
		case d.Prospective:
		case sealed == nil:
			rv.ComparisonAvailable = true
		default:
			rv.Sealed, rv.Submitted, rv.Total = true, sealed.Submitted, sealed.Expected
			if r.HasDeadline() {
				rv.Deadline = l.Date(r.LastDay())
			}
			for _, ss := range sealed.Seats {
				if !ss.Submitted {
					rv.Waiting = append(rv.Waiting, ss.Council)
				}
			}
		}
		d.Rounds = append(d.Rounds, rv)
	}
	return d
}

func (s *Site) partnership(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	p := req.Principal.Partnership
	d := s.partnershipView(req, adminScope(p.ID))
	return s.render(ctx, req, http.StatusOK, "partnership", &page{Title: p.Name, Secret: d.JoinCode != "", Data: d}), nil
}

// rotateJoinCode makes a new join code and shows it on the partnership
// page this once (not a redirect: the code would have to travel in the URL).
func (s *Site) rotateJoinCode(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	p := req.Principal.Partnership
	if _, err := s.o.Partnerships.RotateJoinCode(ctx, p, req.Principal.Access()); err != nil {
		return nil, err
	}
	d := s.partnershipView(req, adminScope(p.ID))
	d.NewJoinCode = true
	return s.render(ctx, req, http.StatusOK, "partnership", &page{Title: p.Name, Secret: true, Data: d}), nil
}

func (s *Site) memberPartnership(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	p := req.Principal.Partnership
	d := s.partnershipView(req, memberScope(l.a.ID))
	d.Back = path("webReport", l.a.ID)
	if l.a.Status != assessment.Submitted {
		d.Back = assessmentPath(l.a.ID)
	}
	if l.a.Status == assessment.Submitted && !l.a.Prospective {
		d.Sharing = &noteSharingView{Shared: l.a.ShareNotes, Notes: len(assessment.SharedNotes(l.a)), Round: l.a.Round,
			Changeable: p.Sealed(l.a.Round) != nil}
		if d.Sharing.Changeable {
			d.Sharing.Action = path("webShareNotes", l.a.ID)
		}
	}
	return s.render(ctx, req, http.StatusOK, "partnership", &page{Title: p.Name, Back: d.Back, Data: d}), nil
}

// shareNotes changes whether the member's notes are shared, then shows its
// partnership page, which says what the choice now is.
func (s *Site) shareNotes(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	pr := req.Principal
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	share := form.Get("shareNotes")
	if share != "yes" && share != "no" {
		return s.notFound(ctx, req), nil // not from our form
	}
	_, err = s.o.Assessments.ShareNotes(ctx, pr.Assessment, share == "yes", pr.Partnership.Sealed(pr.Assessment.Round) != nil)
	if err != nil && failure.CodeOf(err) != failure.Conflict {
		return nil, err
	}
	// A conflict is a comparison that opened meanwhile: the page says the
	// choice now stands.
	return redirect(path("webMemberPartnership", pr.Assessment.ID)), nil
}

// openRound opens a health-check round, with the deadline the admin
// picked, if any. A bad deadline re-renders the partnership page with the
// error and what was typed, and opens nothing.
func (s *Site) openRound(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	p := req.Principal.Partnership
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	after, _ := strconv.Atoi(form.Get("after"))
	in := partnership.RoundInput{Purpose: partnership.HealthCheck, After: after,
		Deadline: partnership.DeadlineInput{Day: form.Get("deadline-day"), Month: form.Get("deadline-month"), Year: form.Get("deadline-year")}}
	_, err = s.o.Partnerships.OpenRound(ctx, p, req.Principal.Access(), in, idempotency.Request{})
	var fe formErrors
	if fe.fromFailure(err, map[string]string{partnership.DeadlineField: "deadline-day"}, "deadline-day") {
		fe.localise(req)
		d := s.partnershipView(req, adminScope(p.ID))
		return s.render(ctx, req, http.StatusUnprocessableEntity, "partnership", formPage(p.Name, &fe, form, d)), nil
	}
	if failure.CodeOf(err) == failure.Conflict {
		// The form was sent twice (or from an old page): the round it
		// meant to open is open already.
		return redirect(partnershipPath(p.ID)), nil
	}
	if err != nil {
		return nil, err
	}
	return redirect(partnershipPath(p.ID)), nil
}

func (s *Site) closeRound(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	p := req.Principal.Partnership
	n, err := partnership.ParseRound(req.Param("n"))
	if err != nil {
		return s.notFound(ctx, req), nil
	}
	if _, err := s.o.Partnerships.CloseRound(ctx, p, req.Principal.Access(), n); err != nil {
		return nil, err
	}
	return redirect(partnershipPath(p.ID)), nil
}

// roundQuery reads ?round=n (0, the current round, when absent).
func roundQuery(req *httpapi.Request) (int, bool) {
	n, err := partnership.ParseRound(req.Query("round"))
	return n, err == nil
}

// heatCell is one council's answer to one question.
type heatCell struct {
	Class, Text, Label string
}

type heatRow struct {
	Number                    int
	Text, Status, StatusLabel string
	Cells                     []heatCell
	Divergent, SharedWeakness bool
	Tag                       string
	// Notes are the notes councils chose to share, in council order.
	Notes []sharedNote
}

// sharedNote is one council's shared note on a question.
type sharedNote struct {
	Council, Note string
}

type heatSection struct {
	ID, Title string
	Rows      []heatRow
}

type areaRow struct {
	Title, Mean, Band, BandLabel, Weakest string
	Target, Min, Max                      int
	Scores                                []int
}

type findingView struct {
	Area, Summary string
}

type actionView struct {
	ID, Area, Question, Action, Councils string
}

type trendRow struct {
	Council, Previous, Now, Change string
}

type trendArea struct {
	Title, MinChange string
	Rows             []trendRow
}

type prospectArea struct {
	Title, Mean   string
	Score, Target int
	Gap           int
}

type prospectView struct {
	Council      string
	ComparedWith int
	Areas        []prospectArea
	Divergent    []string
}

type comparisonData struct {
	Name, Form, Back, CSV string
	Round                 int
	Councils              []string
	Areas                 []areaRow
	Sections              []heatSection
	Similarities          []findingView
	Differences           []findingView
	SharedWeaknesses      []findingView
	Actions               []actionView
	Trend                 []trendArea
	TrendFrom             int
	Prospective           []prospectView
	Unknowns              []findingView
	FormDifferences       []string
	TrendQuestions        []trendQuestion
	Divergent, Shared     int
	V2                    *partnershipVerdictView // nil when scored on v1
	TrendMappedOnly       bool
	Unknown               int
	// ProspectOnly is a prospective partner's view: its own result only.
	ProspectOnly bool
	// SharedNotes counts the notes councils chose to share.
	SharedNotes int
	// Register is the joint action register's path (members and the
	// admin), and NewAction its form, which each finding links to pre-filled.
	Register, NewAction string
	// Share is the administrator's link to share the comparison read-only.
	Share string
	// Carried are the actions from earlier rounds, with their questions'
	// scores then and now.
	Carried []progressView
	// Board is the board summary at the top (nil for a prospective partner).
	Board *boardView
}

// notesOf lists a question's shared notes in the councils' order.
func notesOf(councils []string, notes map[string]string) []sharedNote {
	var out []sharedNote
	for _, k := range councils {
		if n := notes[k]; n != "" {
			out = append(out, sharedNote{Council: k, Note: n})
		}
	}
	return out
}

// partnershipVerdictView is the partnership's v2 verdict on the comparison.
type partnershipVerdictView struct {
	Verdict    verdict
	Profile    string
	HeldBack   []seatView
	Seats      []seatView
	MappedOnly bool
	Scored     int
}

type seatView struct {
	Council, Verdict, Class, Deepest string
	Blockers                         []string // question texts
}

// newPartnershipVerdictViewIn is the partnership's verdict in l.
func newPartnershipVerdictViewIn(l locale.Lang, b *bank.Bank, form string, r *scoring.PartnershipReport) *partnershipVerdictView {
	c := locale.Messages()
	t := func(key string, kv ...any) string { return c.T(l, key, locale.Pairs(kv...)) }
	v := &partnershipVerdictView{Profile: t("comparison.profile.readiness"), MappedOnly: r.MappedOnly, Scored: r.Scored}
	if r.Purpose == bank.PurposeHealthCheck {
		v.Profile = t("comparison.profile.healthCheck")
	}
	f := strings.ToLower(formTitle(b, form))
	seat := func(council, verdictID, deepest string, blockers []scoring.Shortfall) seatView {
		sv := seatView{Council: council, Deepest: deepest}
		sv.Verdict, sv.Class = seatVerdictIn(l, verdictID)
		for _, s := range blockers {
			q, _ := b.Question(s.Question)
			sv.Blockers = append(sv.Blockers, q.Text)
		}
		return sv
	}
	for _, h := range r.HeldBackBy {
		v.HeldBack = append(v.HeldBack, seat(h.Council, h.Verdict, "", h.Blockers))
	}
	for _, s := range r.Seats {
		v.Seats = append(v.Seats, seat(s.Council, s.Report.Verdict, formTitle(b, s.Report.DeepestReady), s.Report.Blockers))
	}
	switch r.Verdict {
	case scoring.Ready:
		v.Verdict = verdict{t("comparison.verdict.ready"), t("comparison.verdict.ready.text", "Form", f), "strength"}
	case scoring.NotReady:
		v.Verdict = verdict{t("comparison.verdict.notReady"), t("comparison.verdict.notReady.text", "Count", len(r.HeldBackBy), "Form", f), "weakness"}
	default:
		v.Verdict = verdict{t("comparison.verdict.gaps"), t("comparison.verdict.gaps.text", "Form", f), "developing"}
	}
	return v
}

// seatVerdictIn is a council's verdict and its band class, in l.
func seatVerdictIn(l locale.Lang, v string) (string, string) {
	c := locale.Messages()
	switch v {
	case scoring.Ready:
		return c.T(l, "comparison.seat.ready", nil), "strength"
	case scoring.NotReady:
		return c.T(l, "comparison.seat.notReady", nil), "weakness"
	}
	return c.T(l, "comparison.seat.gaps", nil), "developing"
}

// comparisonBand is a band's label on the comparison, in l.
func comparisonBand(l locale.Lang, id string) string {
	keys := map[string]string{scoring.Strength: "comparison.band.strength", scoring.Developing: "comparison.band.developing",
		scoring.Weakness: "comparison.band.weakness", scoring.NoneApplicable: "comparison.band.notAsked"}
	if k, ok := keys[id]; ok {
		return locale.Messages().T(l, k, nil)
	}
	return bandLabel(id)
}

type trendQuestion struct {
	Area, Text, Councils string
}

type sealedData struct {
	Name, Back         string
	Round              int
	Submitted, Members int
	Seats              []partnership.SealedSeat
	Deadline           string // the round's last day to submit, if it has one
}

func signed(n int) string {
	if n > 0 {
		return fmt.Sprintf("+%d", n)
	}
	if n < 0 {
		return fmt.Sprintf("−%d", -n)
	}
	return "0"
}

// findingText is a finding in l, from what it holds (intended is the
// partnership's form); a finding of a kind
// this does not know keeps its English summary.
func findingText(l locale.Lang, b *bank.Bank, intended string, f scoring.Finding) string {
	names := func(n []string) string {
		if len(n) <= 3 {
			return strings.Join(n, ", ")
		}
		return tl(l, "comparison.finding.more", "Names", strings.Join(n[:3], ", "), "Count", len(n)-3)
	}
	switch f.Kind {
	case scoring.FindingUnknown:
		return tl(l, "comparison.finding.unknown", "Text", f.Text, "Councils", names(f.Unsure))
	case scoring.FindingDivergent:
		return tl(l, "comparison.finding.divergent", "Text", f.Text, "Low", f.Low, "Lowest", names(f.Lowest), "High", f.High, "Highest", names(f.Highest))
	case scoring.FindingShared:
		return tl(l, "comparison.finding.shared", "Text", f.Text, "Max", f.High)
	case scoring.FindingSimilar:
		return tl(l, "comparison.finding.similar", "Text", f.Text, "Low", f.Low)
	case scoring.FindingForm:
		return tl(l, "comparison.finding.form", "Council", f.Council, "Form", formTitle(b, f.Form), "Intended", formTitle(b, intended))
	}
	return f.Summary
}

func comparisonView(l locale.Lang, b *bank.Bank, name string, c scoring.Comparison) comparisonData {
	d := comparisonData{Name: name, Form: formTitle(b, c.IntendedForm), Round: c.Round, Councils: c.Councils,
		ProspectOnly: len(c.Councils) == 0 && len(c.Prospective) > 0}
	if c.V2 != nil {
		d.V2 = newPartnershipVerdictViewIn(l, b, c.IntendedForm, c.V2)
	}
	for _, a := range c.Areas {
		row := areaRow{Title: a.Title, Target: a.Target, Min: a.Min, Max: a.Max, Mean: fmt.Sprintf("%.1f", a.Mean),
			Band: a.Band, BandLabel: comparisonBand(l, a.Band), Weakest: a.WeakestCouncil}
		for _, k := range c.Councils {
			row.Scores = append(row.Scores, a.Scores[k])
		}
		d.Areas = append(d.Areas, row)
	}
	d.addHeatMap(l, b, c)
	d.addFindings(l, b, c)
	for _, a := range c.Actions {
		text := a.Question
		if q, ok := b.Question(a.Question); ok {
			text = q.Text
		}
		d.Actions = append(d.Actions, actionView{ID: a.Question, Area: areaTitle(b, a.Area), Question: text, Action: a.Action, Councils: strings.Join(a.Councils, ", ")})
	}
	if c.Trend != nil {
		d.addTrend(l, b, c)
	}
	for _, p := range c.Prospective {
		d.Prospective = append(d.Prospective, prospectViewOf(b, p))
	}
	return d
}

// addHeatMap fills the heat map: one section per area of b, one row per
// question with its status across councils and a cell per council.
func (d *comparisonData) addHeatMap(l locale.Lang, b *bank.Bank, c scoring.Comparison) {
	t := func(key string, kv ...any) string { return locale.Messages().T(l, key, locale.Pairs(kv...)) }
	sections := map[string]int{}
	for _, ar := range b.Areas {
		sections[ar.ID] = len(d.Sections)
		d.Sections = append(d.Sections, heatSection{ID: ar.ID, Title: ar.Title})
	}
	number := map[string]int{}
	for _, q := range c.Questions {
		i, ok := sections[q.Area]
		if !ok {
			continue
		}
		number[q.Area]++
		row := heatRow{Number: number[q.Area], Text: q.Text, Status: q.Status, Notes: notesOf(c.Councils, q.Notes)}
		d.SharedNotes += len(row.Notes)
		switch q.Status {
		case scoring.Divergent:
			row.StatusLabel, row.Divergent, row.Tag = t("comparison.status.divergent"), true, "govuk-tag--orange"
			d.Divergent++
		case scoring.SharedWeakness:
			row.StatusLabel, row.SharedWeakness, row.Tag = t("comparison.status.shared"), true, "govuk-tag--red"
			d.Shared++
		case scoring.Unknown:
			row.StatusLabel, row.Tag = t("comparison.status.unknown"), "govuk-tag--blue"
			d.Unknown++
		default:
			row.StatusLabel, row.Tag = t("comparison.status.aligned"), "govuk-tag--grey"
		}
		for _, k := range c.Councils {
			row.Cells = append(row.Cells, heatCellOf(t, c, q, k))
		}
		d.Sections[i].Rows = append(d.Sections[i].Rows, row)
	}
}

// heatCellOf is council k's cell for question q: its score, don't know, or
// (bank v2) not applicable or not asked at the intended form.
func heatCellOf(t func(string, ...any) string, c scoring.Comparison, q scoring.ComparedQuestion, k string) heatCell {
	cell := heatCell{Class: "rasp-heat--unknown", Text: "?", Label: t("comparison.cell.unknown", "Council", k)}
	if s := q.Scores[k]; s != nil {
		cell = heatCell{Class: fmt.Sprintf("rasp-heat--%d", *s), Text: fmt.Sprint(*s), Label: fmt.Sprintf("%s: %d", k, *s)}
	}
	if c.V2 != nil {
		switch c.V2.Statuses[q.ID][k] {
		case scoring.NotApplicable:
			cell = heatCell{Class: "rasp-heat--unknown", Text: t("answer.notApplicableShort"), Label: t("comparison.cell.na", "Council", k)}
		case scoring.NotRequired:
			cell.Text, cell.Label = cell.Text+" –", cell.Label+" "+t("comparison.cell.notAsked")
		}
	}
	return cell
}

// addFindings words the comparison's similarities, differences, shared
// weaknesses and unknowns in l.
func (d *comparisonData) addFindings(l locale.Lang, b *bank.Bank, c scoring.Comparison) {
	findings := func(fs []scoring.Finding) []findingView {
		var out []findingView
		for _, f := range fs {
			area := areaTitle(b, f.Area)
			if f.Question == "intendedForm" {
				area = locale.Messages().T(l, "comparison.formOfSharing", nil)
			}
			out = append(out, findingView{Area: area, Summary: findingText(l, b, c.IntendedForm, f)})
		}
		return out
	}
	d.Similarities, d.Differences, d.SharedWeaknesses = findings(c.Similarities), findings(c.Differences), findings(c.SharedWeaknesses)
	d.Unknowns = findings(c.Unknowns)
	for _, f := range c.Differences {
		if f.Question == "intendedForm" {
			d.FormDifferences = append(d.FormDifferences, findingText(l, b, c.IntendedForm, f))
		}
	}
}

// addTrend fills the change since the previous round: the questions whose
// answers moved, by council, and each area's scores then and now.
func (d *comparisonData) addTrend(l locale.Lang, b *bank.Bank, c scoring.Comparison) {
	d.TrendMappedOnly, d.TrendFrom = c.Trend.MappedOnly, c.Trend.PreviousRound
	for _, q := range c.Trend.Questions {
		var who []string
		for _, k := range c.Trend.Councils {
			p, n := q.Previous[k], q.Now[k]
			if (p == nil) != (n == nil) || (p != nil && *p != *n) {
				who = append(who, fmt.Sprintf("%s %s → %s", k, scoreTextIn(l, p), scoreTextIn(l, n)))
			}
		}
		text := q.ID
		if bq, ok := b.Question(q.ID); ok {
			text = bq.Text
		}
		d.TrendQuestions = append(d.TrendQuestions, trendQuestion{Area: areaTitle(b, q.Area), Text: text, Councils: strings.Join(who, "; ")})
	}
	now := map[string]map[string]int{}
	for _, a := range c.Areas {
		now[a.ID] = a.Scores
	}
	for _, t := range c.Trend.Areas {
		ta := trendArea{Title: areaTitle(b, t.Area), MinChange: signed(t.MinDelta)}
		for _, k := range c.Councils {
			row := trendRow{Council: k, Previous: "–", Change: locale.Messages().T(l, "comparison.trend.new", nil)}
			if prev, ok := t.Previous[k]; ok {
				row.Previous, row.Change = fmt.Sprint(prev), signed(t.Change[k])
			}
			if scores, ok := now[t.Area]; ok {
				row.Now = fmt.Sprint(scores[k])
			}
			ta.Rows = append(ta.Rows, row)
		}
		d.Trend = append(d.Trend, ta)
	}
}

// prospectViewOf is a prospective partner's result beside the partnership's.
func prospectViewOf(b *bank.Bank, p scoring.Prospective) prospectView {
	pv := prospectView{Council: p.Council, ComparedWith: p.ComparedWithRound}
	for _, a := range p.Areas {
		pv.Areas = append(pv.Areas, prospectArea{Title: areaTitle(b, a.ID), Score: a.Score, Mean: fmt.Sprintf("%.1f", a.PartnershipMean), Target: a.Target, Gap: a.Gap})
	}
	for _, id := range p.Divergent {
		if q, ok := b.Question(id); ok {
			pv.Divergent = append(pv.Divergent, q.Text)
		}
	}
	return pv
}

// showComparison renders the comparison, or the sealed page.
func (s *Site) showComparison(ctx context.Context, req *httpapi.Request, base scope, back string) (*httpapi.Response, error) {
	n, ok := roundQuery(req)
	if !ok {
		return s.notFound(ctx, req), nil
	}
	p := req.Principal.Partnership
	c, err := s.compareFor(req, n)
	var sealed *partnership.SealedError
	if errors.As(err, &sealed) {
		d := sealedData{Name: p.Name, Back: back, Round: sealed.Round, Submitted: sealed.Submitted, Members: sealed.Expected, Seats: sealed.Seats}
		if !sealed.LastDay.IsZero() {
			d.Deadline = lang(req).Date(sealed.LastDay)
		}
		return s.render(ctx, req, http.StatusOK, "sealed", &page{Title: tr(req, "partnership.sealed.title"), Back: back, Data: d, ReadOnly: s.readOnly(req, "readOnly.what.comparison")}), nil
	}
	if err != nil {
		return nil, err
	}
	d := comparisonView(lang(req), s.current(req), p.Name, c)
	d.Back, d.CSV = back, base.at("ComparisonCSV")+fmt.Sprintf("?round=%d", c.Round)
	if a := req.Principal.Access(); a == partnership.MemberAccess || a == partnership.AdminAccess {
		d.Register, d.NewAction = base.at("Actions"), base.at("NewAction")
		d.Carried = s.progressViews(lang(req), p, base, c.Round)
	}
	if req.Principal.Access() == partnership.AdminAccess {
		d.Share = path("webShareComparison", p.ID) + fmt.Sprintf("?round=%d", c.Round)
	}
	if d.Board = newBoardView(lang(req), s.current(req), p.Name, c, s.now()); d.Board != nil {
		boardLinks(d.Board, base, c.Round)
		if isViewer(req) {
			viewerBoardLinks(d.Board, base)
		}
	}
	return s.render(ctx, req, http.StatusOK, "comparison", &page{Title: tr(req, "comparison.title", "Round", c.Round), Back: back, Data: d, ReadOnly: s.readOnly(req, "readOnly.what.comparison")}), nil
}

func (s *Site) comparison(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	id := req.Principal.Partnership.ID
	return s.showComparison(ctx, req, adminScope(id), partnershipPath(id))
}

func (s *Site) memberComparison(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	return s.showComparison(ctx, req, memberScope(l.a.ID), path("webMemberPartnership", l.a.ID))
}

func (s *Site) comparisonCSV(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	n, ok := roundQuery(req)
	if !ok {
		return s.notFound(ctx, req), nil
	}
	c, err := s.compareFor(req, n)
	if err != nil {
		return nil, err
	}
	r := csvIn(lang(req), httpapi.Text(http.StatusOK, "text/csv; charset=utf-8", csv.Comparison(lang(req), c)))
	r.Headers["content-disposition"] = fmt.Sprintf(`attachment; filename="rasp-comparison-round-%d.csv"`, c.Round)
	return r, nil
}
