package wording

import (
	"regexp"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/reminders"
)

var kinds = []reminders.Kind{reminders.DraftFirst, reminders.DraftSecond, reminders.HealthCheck, reminders.RoundNudge, reminders.ActionSoon,
	reminders.ActionOverdue, reminders.RetentionWarning, reminders.ColleagueNudge, reminders.DeadlineReminder}

// Every kind renders: a subject, a text part with the links, and an HTML
// page in en-GB with one h1, in which a council's name cannot inject markup.
func TestEveryKindRenders(t *testing.T) {
	t.Parallel()
	ms := Must()
	for _, kind := range kinds {
		t.Run(string(kind), func(t *testing.T) {
			m, err := ms.Compose("pat@council.gov.uk", reminders.Mail{
				Kind: kind, Council: `Ynys Môn <script>`, Partnership: "South & West", Round: 2, CadenceMonths: 6,
				LastChanged: "1 November 2026", DeleteOn: "30 April 2027", OpenedOn: "3 November 2026", DoneOn: "1 June 2026",
				ResumeURL: "https://rasp.example/assessments/x/resume?token=r", StartURL: "https://rasp.example/",
				StopURL: "https://rasp.example/assessments/x/stop-reminders?token=s", Why: "Because.",
				Action: "Appoint a change manager <script>", DueOn: "8 December 2026", DeadlineOn: "14 January 2027", ActionURL: "https://rasp.example/partnerships/p/actions/a",
			})
			if err != nil {
				t.Fatal(err)
			}
			if m.Subject == "" || strings.Contains(m.Subject, "\n") {
				t.Errorf("subject %q: want one non-empty line", m.Subject)
			}
			if !strings.Contains(m.Text, "https://rasp.example/assessments/x/stop-reminders?token=s") {
				t.Errorf("text has no stop link:\n%s", m.Text)
			}
			if m.Unsubscribe != "https://rasp.example/assessments/x/stop-reminders?token=s" {
				t.Errorf("unsubscribe: got %q", m.Unsubscribe)
			}
			wantLink := "https://rasp.example/assessments/x/resume?token=r"
			switch kind {
			case reminders.HealthCheck:
				wantLink = "https://rasp.example/"
			case reminders.ActionSoon, reminders.ActionOverdue:
				wantLink = "https://rasp.example/partnerships/p/actions/a"
				if !strings.Contains(m.Text, "Appoint a change manager") || !strings.Contains(m.Subject, "South & West") {
					t.Errorf("an action reminder names no action or partnership:\n%s\n%s", m.Subject, m.Text)
				}
			}
			if !strings.Contains(m.Text, wantLink) || !strings.Contains(m.HTML, `href="`+wantLink+`"`) {
				t.Errorf("want link %s in text and HTML", wantLink)
			}
			if !strings.Contains(m.HTML, `<html lang="en-GB">`) || strings.Count(m.HTML, "<h1") != 1 {
				t.Errorf("HTML: want lang en-GB and one h1:\n%s", m.HTML)
			}
			if strings.Contains(m.HTML, "<script>") {
				t.Errorf("HTML is not escaped:\n%s", m.HTML)
			}
			if !strings.Contains(m.HTML, `href="https://rasp.example/assessments/x/stop-reminders?token=s"`) {
				t.Errorf("HTML has no stop link:\n%s", m.HTML)
			}
		})
	}
}

// sample is a mail of kind with every field set, in l.
func sample(kind reminders.Kind, l locale.Lang) reminders.Mail {
	return reminders.Mail{
		Kind: kind, Lang: l, Council: "Cyngor Gwynedd", Partnership: "Partneriaeth y Gogledd", Round: 2, CadenceMonths: 6,
		LastChanged: "1 Tachwedd 2026", DeleteOn: "30 Ebrill 2027", OpenedOn: "3 Tachwedd 2026", DoneOn: "1 Mehefin 2026",
		ResumeURL: "https://rasp.example/assessments/x/resume?token=r", StartURL: "https://rasp.example/",
		StopURL: "https://rasp.example/assessments/x/stop-reminders?token=s", Why: "Oherwydd.",
		Action: "Penodi rheolwr newid", DueOn: "8 Rhagfyr 2026", DeadlineOn: "14 Ionawr 2027", ActionURL: "https://rasp.example/partnerships/p/actions/a",
		Lead: "Elin Jones", Waiting: 3, Routed: 12, Started: true,
	}
}

// A Welsh mail of every kind is Welsh throughout: its subject and both
// bodies hold no English text of the catalogue, the HTML says lang="cy",
// and the message says Content-Language cy.
func TestEveryKindInWelsh(t *testing.T) {
	t.Parallel()
	ms := Must()
	c := locale.Messages()
	en, cy := c.Entries(locale.English), c.Entries(locale.Welsh)
	placeholder := regexp.MustCompile(`\{\{[^}]*\}\}`)
	for _, kind := range kinds {
		t.Run(string(kind), func(t *testing.T) {
			m, err := ms.Compose("elin@gwynedd.llyw.cymru", sample(kind, locale.Welsh))
			if err != nil {
				t.Fatal(err)
			}
			if m.Lang != locale.Welsh || !strings.Contains(m.HTML, `<html lang="cy">`) {
				t.Errorf("want a message in cy with <html lang=\"cy\">: got %q\n%s", m.Lang, m.HTML)
			}
			english, _ := ms.Compose("elin@gwynedd.llyw.cymru", sample(kind, locale.English))
			if m.Subject == english.Subject || m.Text == english.Text {
				t.Errorf("the Welsh mail is the English one:\n%s\n%s", m.Subject, m.Text)
			}
			for k, text := range en {
				if !strings.HasPrefix(k, "mail.") || text == cy[k] {
					continue
				}
				for _, piece := range placeholder.Split(text, -1) {
					piece = strings.TrimSpace(piece)
					if len(piece) >= 12 && (strings.Contains(m.Subject, piece) || strings.Contains(m.Text, piece) || strings.Contains(m.HTML, piece)) {
						t.Errorf("English %s left in the Welsh mail: %q", k, piece)
					}
				}
			}
		})
	}
}

// The Welsh count of unanswered questions takes the plural form of its
// number, and a mail without a language is in English.
func TestWelshPluralAndDefault(t *testing.T) {
	t.Parallel()
	ms := Must()
	one := sample(reminders.ColleagueNudge, locale.Welsh)
	one.Waiting = 1
	m, err := ms.Compose("elin@gwynedd.llyw.cymru", one)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Nid yw 1 o’r 12 cwestiwn a ofynnwyd i chi gyntaf wedi’i ateb eto."; !strings.Contains(m.Text, want) {
		t.Errorf("want %q in:\n%s", want, m.Text)
	}
	none := sample(reminders.DraftFirst, "")
	m, err = ms.Compose("sam@brent.gov.uk", none)
	if err != nil {
		t.Fatal(err)
	}
	if m.Lang != locale.English || !strings.HasPrefix(m.Subject, "Your readiness assessment for") || !strings.Contains(m.HTML, `<html lang="en-GB">`) {
		t.Errorf("a mail without a language: got %q %q", m.Lang, m.Subject)
	}
}
