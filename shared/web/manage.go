package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/partnership"
)

// The administrator's pages for member councils: add one (its invitation
// shown once), rename one, withdraw one. Every act is recorded in the
// partnership's acts log, which its members see on the partnership page.

var seatFormIDs = map[string]string{"name": "name", "gssCode": "gssCode", "email": "email"}

type newSeatData struct {
	Partnership, Action, Back string
}

func (s *Site) newSeat(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	return s.renderNewSeat(ctx, req, nil, nil), nil
}

func (s *Site) renderNewSeat(ctx context.Context, req *httpapi.Request, fe *formErrors, form url.Values) *httpapi.Response {
	p := req.Principal.Partnership
	d := newSeatData{Partnership: p.Name, Action: path("webNewSeat", p.ID), Back: partnershipPath(p.ID)}
	pg := &page{Title: tr(req, "partnership.page.addSeat"), Back: d.Back, Data: d}
	if fe != nil && !fe.empty() {
		pg = formPage(pg.Title, fe, form, d)
		pg.Back = d.Back
		return s.render(ctx, req, http.StatusUnprocessableEntity, "new-seat", pg)
	}
	return s.render(ctx, req, http.StatusOK, "new-seat", pg)
}

type seatAddedData struct {
	Partnership, Council, Link, Status string
	Mailed                             bool
}

// addSeat adds the council and shows its invitation once. A resent form
// finds the name taken and says so on the name field.
func (s *Site) addSeat(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	p := req.Principal.Partnership
	in := partnership.SeatInput{Name: form.Get("name"), GSSCode: form.Get("gssCode"), Email: form.Get("email")}
	inv, err := s.o.Partnerships.AddSeat(ctx, p, req.Principal.Access(), in, idempotency.Request{})
	var fe formErrors
	if !fe.fromFailure(err, seatFormIDs, "name") && failure.CodeOf(err) == failure.Conflict {
		fe.add("name", localConflict(req, err))
	}
	if !fe.empty() {
		fe.localise(req)
		return s.renderNewSeat(ctx, req, &fe, form), nil
	}
	if err != nil {
		return nil, err
	}
	d := seatAddedData{Partnership: p.Name, Council: inv.Council, Mailed: inv.Mailed, Status: partnershipPath(p.ID),
		Link: origin(req) + link("webSeatInvitation", inv.Token, p.ID, "seat", inv.Seat)}
	return s.render(ctx, req, http.StatusOK, "seat-added", &page{Title: tr(req, "seat.added.title", "Council", inv.Council), Secret: true, Data: d}), nil
}

type manageSeatData struct {
	Partnership, Council, GSSCode, Back string
	Rename, Withdraw                    string // form actions
	Withdrawn                           bool
	WithdrawnOn                         string
	Owns                                int // joint actions the seat owns
}

func (s *Site) manageSeat(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	return s.renderManageSeat(ctx, req, nil, nil)
}

func (s *Site) renderManageSeat(ctx context.Context, req *httpapi.Request, fe *formErrors, form url.Values) (*httpapi.Response, error) {
	p := req.Principal.Partnership
	st, ok := p.Seat(req.Param("seat"))
	if !ok {
		return s.notFound(ctx, req), nil
	}
	d := manageSeatData{Partnership: p.Name, Council: st.Name, GSSCode: st.GSSCode, Back: partnershipPath(p.ID),
		Rename: path("webRenameSeat", p.ID, "seat", st.ID), Withdraw: path("webWithdrawSeat", p.ID, "seat", st.ID), Withdrawn: st.Withdrawn()}
	if st.Withdrawn() {
		d.WithdrawnOn = lang(req).Date(*st.WithdrawnAt)
	}
	for _, a := range p.Actions {
		for _, o := range a.OwnerSeats {
			if o == st.ID {
				d.Owns++
			}
		}
	}
	pg := &page{Title: st.Name, Back: d.Back, Data: d, Form: url.Values{"name": {st.Name}, "erase": {"no"}}}
	status := http.StatusOK
	if fe != nil && !fe.empty() {
		pg = formPage(st.Name, fe, form, d)
		pg.Back = d.Back
		status = http.StatusUnprocessableEntity
	}
	return s.render(ctx, req, status, "manage-seat", pg), nil
}

func (s *Site) renameSeat(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	p := req.Principal.Partnership
	_, err = s.o.Partnerships.RenameSeat(ctx, p, req.Principal.Access(), req.Param("seat"), form.Get("name"))
	var fe formErrors
	switch code := failure.CodeOf(err); {
	case err == nil:
		return redirect(partnershipPath(p.ID) + "#seats"), nil
	case fe.fromFailure(err, seatFormIDs, "name"):
	case code == failure.Conflict:
		fe.add("name", localConflict(req, err))
	case code == failure.NotFound:
		return s.notFound(ctx, req), nil
	default:
		return nil, err
	}
	fe.localise(req)
	form.Set("erase", "no")
	return s.renderManageSeat(ctx, req, &fe, form)
}

func (s *Site) withdrawSeat(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	p := req.Principal.Partnership
	erase := strings.TrimSpace(form.Get("erase"))
	if erase != "yes" && erase != "no" {
		var fe formErrors
		fe.add("erase", tr(req, "seat.manage.erase.missing"))
		st, ok := p.Seat(req.Param("seat"))
		if ok {
			form.Set("name", st.Name)
		}
		return s.renderManageSeat(ctx, req, &fe, form)
	}
	_, err = s.o.Partnerships.WithdrawSeat(ctx, p, req.Principal.Access(), req.Param("seat"), erase == "yes")
	switch failure.CodeOf(err) {
	case "":
	case failure.Conflict: // withdrawn already: a resent form
	case failure.NotFound:
		return s.notFound(ctx, req), nil
	default:
		return nil, err
	}
	return redirect(partnershipPath(p.ID) + "#seats"), nil
}
