package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/secret"
)

// Seat pages. A member council's lead follows its seat's invitation link
// (/partnerships/<pid>/seats/<sid>/invitation?token=…); the token is kept in
// a cookie scoped to the seat's path, like the private link of an
// assessment, and the seat page starts the council's assessment for the
// current round: named after the seat, on the partnership's form.

func seatPath(pid, sid string) string { return path("webSeat", pid, "seat", sid) }

// seatInvitation keeps the invitation's token (proved by the auth
// middleware) in the seat's cookie and redirects to the seat page, so the
// secret leaves the address bar.
func (s *Site) seatInvitation(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	pid, sid := req.Principal.Partnership.ID, req.Principal.SeatID
	return redirect(seatPath(pid, sid), setCookie(req, httpapi.SeatCookie(sid), seatPath(pid, sid), req.Query("token"))), nil
}

type seatData struct {
	Partnership, Council, Form, Action string
	Round                              int
	Purpose                            string
	Started, RoundOpen                 bool
	Status                             string // the council's assessment in the round: draft or submitted
	Forms                              []option
	Sealed                             string
}

func (s *Site) seatPage(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	return s.renderSeat(ctx, req, nil, nil)
}

// renderSeat shows the seat page, with errors and typed input kept when fe is given.
func (s *Site) renderSeat(ctx context.Context, req *httpapi.Request, fe *formErrors, form url.Values) (*httpapi.Response, error) {
	p, sid := req.Principal.Partnership, req.Principal.SeatID
	pid := p.ID
	st, ok := p.Seat(sid)
	if !ok {
		return s.notFound(ctx, req), nil
	}
	l := lang(req)
	b := s.o.Bank.Current().In(l)
	d := seatData{Partnership: p.Name, Council: st.Name, Form: formTitle(b, p.Form), Round: p.CurrentRound, Action: path("webSeatStart", pid, "seat", sid)}
	if r, ok := p.Round(p.CurrentRound); ok {
		d.Purpose, d.RoundOpen = purposeLabelIn(l, r.Purpose), r.Status == partnership.Open
		for _, m := range r.Members {
			if m.Seat == sid {
				d.Started, d.Status = true, m.Status
			}
		}
		if sealed := p.Sealed(r.Number); sealed != nil {
			d.Sealed = sealed.SummaryIn(l)
		}
	}
	for _, o := range formOptions(b) {
		if o.Value != p.Form {
			d.Forms = append(d.Forms, option{Value: o.Value, Label: o.Label})
		}
	}
	d.Forms = append([]option{{Value: "", Label: tr(req, "seat.sameForm", "Form", d.Form)}}, d.Forms...)
	pg := &page{Title: st.Name + ": " + p.Name, Data: d}
	status := http.StatusOK
	if fe != nil && !fe.empty() {
		pg = formPage(pg.Title, fe, form, d)
		status = http.StatusUnprocessableEntity
	}
	return s.render(ctx, req, status, "seat", pg), nil
}

var seatStartFieldIDs = map[string]string{
	"respondent.name": "name", "respondent.role": "role", "respondent.email": "email", "preferredForm": "preferredForm",
}

// seatStart starts the council's assessment for the round and shows its
// private link. A second start for the same seat in the same round, or a
// closed round, is shown on the form with everything typed kept.
func (s *Site) seatStart(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	in := assessment.SeatStartInput{
		Respondent:    assessment.Respondent{Name: form.Get("name"), Role: form.Get("role"), Email: form.Get("email")},
		PreferredForm: form.Get("preferredForm"), Lang: lang(req),
	}
	out, err := s.o.Assessments.StartForSeat(ctx, req.Principal.SeatJoin(), in, idempotency.Request{})
	var fe formErrors
	if !fe.fromFailure(err, seatStartFieldIDs, "name") && failure.CodeOf(err) == failure.Conflict {
		fe.add("name", localConflict(req, err))
	}
	if !fe.empty() {
		fe.localise(req)
		return s.renderSeat(ctx, req, &fe, form)
	}
	if err != nil {
		return nil, err
	}
	return s.privateLink(ctx, req, out, req.Principal.SeatJoin().Council, strings.TrimSpace(in.Respondent.Email)), nil
}

// bringIn brings a submitted private assessment into a partnership round
// from its report page: the lead pastes the seat's invitation link.
func (s *Site) bringIn(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	pid, sid, token, ok := parseInvitation(form.Get("invitation"))
	var fe formErrors
	if !ok {
		fe.add("invitation", tr(req, "report.bringIn.paste"))
	} else {
		var out assessment.Started
		seat, err := s.o.Auth.Seat(ctx, pid, sid, token)
		if err == nil {
			out, err = s.o.Assessments.BringIn(ctx, l.a, seat.SeatJoin(), idempotency.Request{})
		}
		switch code := failure.CodeOf(err); {
		case err == nil:
			return s.privateLink(ctx, req, out, l.a.Council, ""), nil
		case code == failure.NotFound:
			fe.add("invitation", tr(req, "report.bringIn.notWorking"))
		case code == failure.Conflict || code == failure.Invalid:
			fe.add("invitation", localConflict(req, err))
		default:
			return nil, err
		}
	}
	return s.reportWith(ctx, req, l, &fe, form)
}

// parseInvitation reads pid, sid and token from an invitation link.
func parseInvitation(link string) (pid, sid, token string, ok bool) {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil {
		return "", "", "", false
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) != 5 || parts[0] != "partnerships" || parts[2] != "seats" || parts[4] != "invitation" {
		return "", "", "", false
	}
	pid, sid, token = parts[1], parts[3], u.Query().Get("token")
	return pid, sid, token, secret.ValidID(pid) && secret.ValidID(sid) && token != ""
}
