package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/partnership"
)

// TestWelshFormErrorsOnceWrittenInGo: the form errors that the web
// package's Go once wrote in English (TestNoEnglishWrittenIntoViews found
// them) read in Welsh: bringing a report into a partnership with a link
// that is not an invitation, or one that does not work, and starting with
// the join code of a partnership whose round is closed.
func TestWelshFormErrorsOnceWrittenInGo(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	fragments := englishFragments(t)
	cy := []string{"Accept-Language", "cy"}
	p, err := e.deps.Partnerships.Create(ctx, partnership.CreateInput{Name: "Partneriaeth y Gogledd", Form: "collaborate", CadenceMonths: 12,
		Councils: []partnership.SeatInput{{Name: "Cyngor Gwynedd"}, {Name: "Cyngor Conwy"}}}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}

	id, c := e.started(startForm("Cyngor Sir Ceredigion"), cy...)
	lead := []string{"Cookie", cookieHeader(c), "Accept-Language", "cy"}
	e.answerAll(id, c.Value, 2)
	if r := e.request("POST", "/assessments/"+id+"/submit", url.Values{}, lead...); r.status != http.StatusSeeOther {
		t.Fatalf("submit: %d", r.status)
	}
	join := "/assessments/" + id + "/join"
	welshPage(t, "bring in, not a link", e.request("POST", join, url.Values{"invitation": {"nid dolen"}}, lead...), http.StatusUnprocessableEntity, fragments,
		"Gludwch y ddolen wahoddiad yn union fel y’i hanfonwyd gan weinyddwr y bartneriaeth")
	wrong := e.url + "/partnerships/" + p.ID + "/seats/" + p.Seats[0].Seat + "/invitation?token=anghywir"
	welshPage(t, "bring in, a link that does not work", e.request("POST", join, url.Values{"invitation": {wrong}}, lead...), http.StatusUnprocessableEntity, fragments,
		"Nid yw’r ddolen wahoddiad hon yn gweithio")

	admin := e.admin(p.ID, p.AdminToken)
	if _, err := e.deps.Partnerships.CloseRound(ctx, admin, partnership.AdminAccess, 1); err != nil {
		t.Fatal(err)
	}
	form := startForm("Cyngor Sir Fynwy")
	form.Set("joinCode", p.JoinCode)
	form.Set("purpose", "new-partner")
	welshPage(t, "join code, round closed", e.request("POST", "/assessments/new", form, cy...), http.StatusUnprocessableEntity, fragments,
		"Gofynnwch i’r gweinyddwr agor rownd, neu gadewch y cod ymuno yn wag i ddechrau asesiad preifat")
}
