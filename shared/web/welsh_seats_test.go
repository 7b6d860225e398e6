package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/partnership"
)

// TestWelshSeatAdminShareAndRecoverPages drives the administrator's seat
// and administrators pages, a member council's seat page, the share and
// read-only link pages, the recovery pages and the API problem type pages
// in Welsh, with their form errors, the domain's messages that quote a
// council's name or a date among them.
func TestWelshSeatAdminShareAndRecoverPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.deps.WithMailer(e.mail)
	ctx := context.Background()
	fragments := englishFragments(t)
	cy := []string{"Accept-Language", "cy"}
	p, err := e.deps.Partnerships.Create(ctx, partnership.CreateInput{Name: "Partneriaeth y Gogledd", Form: "collaborate", CadenceMonths: 12,
		Councils: []partnership.SeatInput{{Name: "Cyngor Gwynedd"}, {Name: "Cyngor Sir Ddinbych"}}}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	admin := []string{"Cookie", "rasp_p_" + p.ID + "=" + p.AdminToken, "Accept-Language", "cy"}
	base := "/partnerships/" + p.ID

	welshPage(t, "new seat", e.request("GET", base+"/seats/new", nil, admin...), 200, fragments, "Ychwanegu cyngor sy’n aelod", "Ychwanegu’r cyngor")
	r := e.request("POST", base+"/seats/new", url.Values{"name": {"Cyngor Gwynedd"}, "email": {"arweinydd yn gwynedd"}}, admin...)
	welshPage(t, "new seat errors", r, 422, fragments, "Mae problem wedi codi", "Mae Cyngor Gwynedd eisoes yn gyngor sy’n aelod o’r bartneriaeth hon")
	r = e.request("POST", base+"/seats/new", url.Values{"name": {"Cyngor Sir Ynys Môn"}}, admin...)
	welshPage(t, "seat added", r, 200, fragments, "Cyngor Sir Ynys Môn wedi’i ychwanegu", "at Partneriaeth y Gogledd", "Anfonwch ei wahoddiad at y cyngor")

	loaded, err := e.deps.Store.LoadPartnership(ctx, p.ID)
	if err != nil || len(loaded.Seats) != 3 {
		t.Fatalf("seats: %v", err)
	}
	manage := base + "/seats/" + loaded.Seats[2].ID
	welshPage(t, "manage seat", e.request("GET", manage+"/manage", nil, admin...), 200, fragments, "Partneriaeth y Gogledd: cyngor sy’n aelod", "Ailenwi’r cyngor", "Tynnu Cyngor Sir Ynys Môn yn ôl")
	welshPage(t, "rename to a taken name", e.request("POST", manage+"/rename", url.Values{"name": {"Cyngor Sir Ddinbych"}}, admin...), 422, fragments,
		"Mae Cyngor Sir Ddinbych eisoes yn gyngor sy’n aelod o’r bartneriaeth hon")
	welshPage(t, "withdraw without a choice", e.request("POST", manage+"/withdraw", url.Values{}, admin...), 422, fragments,
		"Dewiswch a ddylid dileu enwau a nodiadau’r cyngor")
	if r := e.request("POST", manage+"/withdraw", url.Values{"erase": {"no"}}, admin...); r.status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", r.status)
	}
	welshPage(t, "withdrawn seat", e.request("GET", manage+"/manage", nil, admin...), 200, fragments, "Tynnwyd Cyngor Sir Ynys Môn yn ôl ar "+locale.Date(locale.Welsh, time.Now()))
	welshPage(t, "rename a withdrawn seat", e.request("POST", manage+"/rename", url.Values{"name": {"Ynys Môn"}}, admin...), 422, fragments,
		"Mae Cyngor Sir Ynys Môn wedi tynnu’n ôl, felly nid oes modd ei ailenwi")

	// A member council's lead: the seat page, its errors, then started.
	sid := p.Seats[0].Seat
	inv := e.request("GET", base+"/seats/"+sid+"/invitation?token="+p.Seats[0].Token, nil, cy...)
	sc := inv.cookie("rasp_s_" + sid)
	if sc == nil {
		t.Fatalf("invitation: %d", inv.status)
	}
	seat := []string{"Cookie", cookieHeader(sc), "Accept-Language", "cy"}
	welshPage(t, "seat", e.request("GET", base+"/seats/"+sid, nil, seat...), 200, fragments,
		"Mae Cyngor Gwynedd yn gyngor sy’n aelod o Partneriaeth y Gogledd", "Dechrau asesiad eich cyngor", "Yr un fath â’r bartneriaeth: ")
	welshPage(t, "seat errors", e.request("POST", base+"/seats/"+sid+"/start", url.Values{"role": {"Rheolwr"}}, seat...), 422, fragments, "Rhowch eich enw")
	if r := e.request("POST", base+"/seats/"+sid+"/start", url.Values{"name": {"Siân"}, "role": {"Rheolwr"}}, seat...); r.status != http.StatusOK {
		t.Fatalf("seat start: %d", r.status)
	}
	welshPage(t, "seat started", e.request("GET", base+"/seats/"+sid, nil, seat...), 200, fragments, "wedi dechrau", "Mae’r gymhariaeth dan sêl: mae 0 o 2")
	welshPage(t, "seat started twice", e.request("POST", base+"/seats/"+sid+"/start", url.Values{"name": {"Siôn"}, "role": {"Swyddog"}}, seat...), 422, fragments,
		"Mae gan Cyngor Gwynedd asesiad ar gyfer rownd 1 eisoes")
	// The administrator's acts, on the partnership page.
	if r := e.request("GET", base, nil, admin...); !strings.Contains(r.body, "Ychwanegwyd Cyngor Sir Ynys Môn fel cyngor sy’n aelod") || !strings.Contains(r.body, "Tynnwyd Cyngor Sir Ynys Môn yn ôl") {
		t.Errorf("the acts are not in Welsh on the partnership page")
	}

	// A deadline too soon, on the partnership page: the earliest date in Welsh.
	soon := time.Now().UTC().AddDate(0, 0, 2)
	earliest := locale.Date(locale.Welsh, time.Now().UTC().AddDate(0, 0, partnership.MinDeadlineDays))
	welshPage(t, "deadline too soon", e.request("POST", base+"/rounds", url.Values{"after": {"1"}, "deadline-day": {soon.Format("2")}, "deadline-month": {soon.Format("1")}, "deadline-year": {soon.Format("2006")}}, admin...), 422, nil,
		"Rhaid i’r dyddiad cau fod o leiaf 8 diwrnod ymlaen llaw, fel bod cynghorau’n cael eu hatgoffa wythnos cyn hynny: "+earliest+" neu’n hwyrach")

	// The administrators: the only one cannot go; a second is added; the
	// first hands over.
	welshPage(t, "administrators", e.request("GET", base+"/admins", nil, admin...), 200, fragments, "Y gweinyddwr a greodd y bartneriaeth", "Tynnu eich hun", "Ychwanegwyd ar ")
	welshPage(t, "remove the only administrator", e.request("POST", base+"/admins/first/remove", url.Values{}, admin...), 422, fragments, "Ni allwch dynnu’r unig weinyddwr")
	welshPage(t, "administrator errors", e.request("POST", base+"/admins", url.Values{"name": {strings.Repeat("a", 101)}, "email": {"x"}}, admin...), 422, fragments,
		"Rhaid i’r enw fod yn 100 nod neu lai")
	r = e.request("POST", base+"/admins", url.Values{"role": {"Pennaeth TGCh"}}, admin...)
	welshPage(t, "administrator added", r, 200, fragments, "Gweinyddwr wedi’i ychwanegu", "Eu dolen gweinyddwr")
	token := regexp.MustCompile(`/admin\?token=([A-Za-z0-9_-]+)`).FindStringSubmatch(r.body)
	if token == nil {
		t.Fatal("no admin link")
	}
	successor := []string{"Cookie", "rasp_p_" + p.ID + "=" + token[1], "Accept-Language", "cy"}
	welshPage(t, "administrator removed", e.request("POST", base+"/admins/first/remove", url.Values{}, admin...), 200, fragments, "Nid ydych yn weinyddwr ar Partneriaeth y Gogledd mwyach")

	// A read-only link to a report: the form, a date too far, the link, the list.
	id, c := e.started(startForm("Cyngor Sir Ceredigion"), cy...)
	lead := []string{"Cookie", cookieHeader(c), "Accept-Language", "cy"}
	e.answerAll(id, c.Value, 2)
	if r := e.request("POST", "/assessments/"+id+"/submit", url.Values{}, lead...); r.status != http.StatusSeeOther {
		t.Fatalf("submit: %d", r.status)
	}
	share := "/assessments/" + id + "/share"
	welshPage(t, "share", e.request("GET", share, nil, lead...), 200, fragments, "Rhannu dolen darllen yn unig", "Nid oes dolenni byw", "Pryd dylai’r ddolen stopio gweithio?")
	far := time.Now().UTC().AddDate(2, 0, 0)
	latest := locale.Date(locale.Welsh, time.Now().UTC().AddDate(0, 0, 365))
	welshPage(t, "share errors", e.request("POST", share, url.Values{"label": {"Pwyllgor archwilio"}, "expires-day": {"1"}, "expires-month": {"1"}, "expires-year": {far.Format("2006")}}, lead...), 422, fragments,
		"Rhaid i’r dyddiad y mae’r ddolen yn stopio gweithio fod o fewn blwyddyn: "+latest+" neu’n gynt")
	r = e.request("POST", share, url.Values{"label": {"Pwyllgor archwilio"}, "key": {"k1"}}, lead...)
	welshPage(t, "link made", r, 200, fragments, "Eich dolen darllen yn unig", "Anfonwch y ddolen hon at Pwyllgor archwilio", "byth eich dolen breifat eich hun")
	welshPage(t, "share with a link", e.request("GET", share, nil, lead...), 200, fragments, "Dolenni byw", "Yn gweithio tan ddiwedd ")

	// A read-only link to a round's comparison.
	welshPage(t, "share the comparison", e.request("GET", base+"/share?round=1", nil, successor...), 200, fragments,
		"Ar gyfer rhywun a ddylai weld cymhariaeth rownd 1", "Yn ôl i’r gymhariaeth")
	r = e.request("POST", base+"/share", url.Values{"round": {"1"}, "key": {"k2"}}, successor...)
	welshPage(t, "comparison link made", r, 200, fragments, "Mae’n dangos cymhariaeth rownd 1 ar gyfer Partneriaeth y Gogledd", "byth eich dolen gweinyddwr eich hun")

	// Recovery.
	welshPage(t, "recover", e.request("GET", "/recover", nil, cy...), 200, fragments, "Cael dolen newydd", "Asesiad fy nghyngor", "Anfon dolen newydd ataf")
	welshPage(t, "recover errors", e.request("POST", "/recover", url.Values{"link": {"nid dolen"}, "email": {"sam"}}, cy...), 422, fragments,
		"Dewiswch ar gyfer beth oedd eich dolen", "Rhowch y cyfeiriad e-bost a roesoch")
	welshPage(t, "recover, an address too long", e.request("POST", "/recover", url.Values{"kind": {"assessment"}, "link": {id}, "email": {strings.Repeat("a", 300) + "@ceredigion.gov.uk"}}, cy...), 422, fragments,
		"Rhowch y cyfeiriad e-bost a roesoch pan ddechreuoch")
	welshPage(t, "recover sent", e.request("POST", "/recover", url.Values{"kind": {"assessment"}, "link": {id}, "email": {"sam@ceredigion.gov.uk"}}, cy...), 200, fragments,
		"Gwiriwch eich e-bost", "Os mai dyma’r cyfeiriad sydd gennym")

	// The API's problem types.
	for _, typ := range failure.Types() {
		// The title names the type as the API does (already-submitted).
		var others []string
		for _, f := range fragments {
			if !strings.Contains(typ, f) {
				others = append(others, f)
			}
		}
		welshPage(t, typ, e.request("GET", typ, nil, cy...), 200, others, "Math o broblem API RASP", "Beth mae’n ei olygu")
	}
}
