package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/partnership"
)

// The administrators' page: who runs the partnership, adding one (their
// link shown once, mailed when an address is given) and removing one
// (yourself too, which after adding your successor hands the role over).

var adminFormIDs = map[string]string{"name": "name", "role": "role", "email": "email"}

type adminRow struct {
	Label, Email, Added, Remove, ButtonID string
	You                                   bool
}

type adminsData struct {
	Partnership, Add, Back string
	Admins                 []adminRow
	Full                   bool // MaxAdmins reached
	Max                    int
}

func (s *Site) admins(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	return s.renderAdmins(ctx, req, nil, nil), nil
}

func (s *Site) renderAdmins(ctx context.Context, req *httpapi.Request, fe *formErrors, form url.Values) *httpapi.Response {
	p := req.Principal.Partnership
	base := path("webAdmins", p.ID)
	d := adminsData{Partnership: p.Name, Add: base, Back: partnershipPath(p.ID), Full: len(p.Admins) >= partnership.MaxAdmins, Max: partnership.MaxAdmins}
	for _, a := range p.Admins {
		d.Admins = append(d.Admins, adminRow{Label: a.LabelIn(lang(req)), Email: a.Email, Added: lang(req).Date(a.AddedAt),
			Remove: path("webRemoveAdmin", p.ID, "admin", a.ID), ButtonID: "remove-" + a.ID, You: a.ID == req.Principal.AdminID})
	}
	pg := &page{Title: tr(req, "admins.title"), Back: d.Back, Data: d}
	if fe != nil && !fe.empty() {
		pg = formPage(pg.Title, fe, form, d)
		pg.Back = d.Back
		return s.render(ctx, req, http.StatusUnprocessableEntity, "admins", pg)
	}
	return s.render(ctx, req, http.StatusOK, "admins", pg)
}

type adminAddedData struct {
	Partnership, Link, Back string
	Mailed                  bool
}

// addAdmin adds an administrator and shows their link once.
func (s *Site) addAdmin(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	form, err := parseForm(req)
	if err != nil {
		return nil, err
	}
	p := req.Principal.Partnership
	in := partnership.AdminInput{Name: form.Get("name"), Role: form.Get("role"), Email: form.Get("email")}
	out, err := s.o.Partnerships.AddAdmin(ctx, p, req.Principal.Access(), in, idempotency.Request{})
	var fe formErrors
	if !fe.fromFailure(err, adminFormIDs, "name") && failure.CodeOf(err) == failure.Conflict {
		fe.add("name", localConflict(req, err))
	}
	if !fe.empty() {
		fe.localise(req)
		return s.renderAdmins(ctx, req, &fe, form), nil
	}
	if err != nil {
		return nil, err
	}
	d := adminAddedData{Partnership: p.Name, Mailed: out.Mailed, Back: path("webAdmins", p.ID),
		Link: origin(req) + link("webPartnershipAdmin", out.Token, p.ID)}
	return s.render(ctx, req, http.StatusOK, "admin-added", &page{Title: tr(req, "admins.added.title"), Secret: true, Data: d}), nil
}

// removeAdmin removes an administrator. Removing yourself ends with a page
// saying so, and the cookie that held your link is cleared.
func (s *Site) removeAdmin(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	p := req.Principal.Partnership
	id := req.Param("admin")
	err := s.o.Partnerships.RemoveAdmin(ctx, p, req.Principal.Access(), id)
	switch failure.CodeOf(err) {
	case "":
	case failure.Conflict:
		var fe formErrors
		fe.add("remove-"+id, localConflict(req, err))
		return s.renderAdmins(ctx, req, &fe, url.Values{}), nil
	case failure.NotFound: // removed already: a resent form
	default:
		return nil, err
	}
	if id != req.Principal.AdminID {
		return redirect(path("webAdmins", p.ID)), nil
	}
	r := s.render(ctx, req, http.StatusOK, "admin-removed", &page{Title: tr(req, "admins.removed.title"), Data: p.Name})
	r.Cookies = append(r.Cookies, clearCookie(req, httpapi.PartnershipCookie(p.ID), partnershipPath(p.ID)))
	return r, nil
}
