package partnership_test

import (
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/mail/mailtest"
	"github.com/openrasp/rasp/shared/memstore"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/routes"
)

// A partnership created in Welsh keeps its language and sends its mails
// in Welsh: the admin link, the invitations and, at its deadline, the
// notice that the round closed, with no English text of the catalogue;
// one in a language RASP does not speak is refused.
func TestWelshPartnershipMailsInWelsh(t *testing.T) {
	t.Parallel()
	lib, err := bank.Compiled()
	if err != nil {
		t.Fatal(err)
	}
	store, box := memstore.New(), &mailtest.Recorder{}
	svc := partnership.NewService(store, lib, time.Now).WithMail(box, routes.Links{Origin: "https://rasp.example"}, slog.New(slog.DiscardHandler))
	in := partnership.CreateInput{Name: "Partneriaeth Gwasanaethau’r Gogledd", Form: "collaborate", ContactEmail: "gweinyddwr@gwynedd.llyw.cymru", CadenceMonths: 12,
		Councils: []partnership.SeatInput{{Name: "Cyngor Gwynedd", Email: "arweinydd@gwynedd.llyw.cymru"}, {Name: "Cyngor Sir Ynys Môn", Email: "arweinydd@ynysmon.llyw.cymru"}},
		Lang:     locale.Welsh}
	out, err := svc.Create(ctx, in, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := store.LoadPartnership(ctx, out.ID)
	if err != nil || p.Lang != locale.Welsh {
		t.Fatalf("partnership created in Welsh: language %q, %v", p.Lang, err)
	}
	p.Rounds[0].Deadline = time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
	msgs := append(box.Messages(), partnership.ClosedAtDeadlineMails(p, 1)...)
	if len(msgs) != 6 {
		t.Fatalf("%d mails, want the admin link, 2 invitations and 3 closing notices", len(msgs))
	}
	c := locale.Messages()
	en, cy := c.Entries(locale.English), c.Entries(locale.Welsh)
	placeholder := regexp.MustCompile(`\{\{[^}]*\}\}`)
	for _, m := range msgs {
		if m.Lang != locale.Welsh {
			t.Errorf("%q: language %q, want cy", m.Subject, m.Lang)
		}
		for k, text := range en {
			if !strings.HasPrefix(k, "mail.") || text == cy[k] {
				continue
			}
			for _, piece := range placeholder.Split(text, -1) {
				if piece = strings.TrimSpace(piece); len(piece) >= 12 && (strings.Contains(m.Subject, piece) || strings.Contains(m.Text, piece) || strings.Contains(m.HTML, piece)) {
					t.Errorf("%q has English %s left: %q", m.Subject, k, piece)
				}
			}
		}
	}
	if want := "Eich dolen gweinyddwr ar gyfer Partneriaeth Gwasanaethau’r Gogledd ar RASP"; msgs[0].Subject != want {
		t.Errorf("admin link: subject %q, want %q", msgs[0].Subject, want)
	}
	if !strings.Contains(msgs[3].Text, "14 Ionawr 2027") {
		t.Errorf("closing notice: want the Welsh date of the last day:\n%s", msgs[3].Text)
	}
	in.Lang = "fr"
	_, err = svc.Create(ctx, in, idempotency.Request{})
	if fe, ok := failure.As(err); !ok || fe.Code != failure.Invalid || len(fe.Fields) != 1 || fe.Fields[0].Field != "lang" {
		t.Errorf("partnership in fr: got %v, want invalid on lang", err)
	}
}
