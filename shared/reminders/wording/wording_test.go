package wording

import (
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/reminders"
)

// Every kind renders: a subject, a text part with the links, and an HTML
// page in en-GB with one h1, in which a council's name cannot inject markup.
func TestEveryKindRenders(t *testing.T) {
	t.Parallel()
	ms := Must()
	for _, kind := range []reminders.Kind{reminders.DraftFirst, reminders.DraftSecond, reminders.HealthCheck, reminders.RoundNudge, reminders.ActionSoon, reminders.ActionOverdue, reminders.RetentionWarning, reminders.ColleagueNudge, reminders.DeadlineReminder} {
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
