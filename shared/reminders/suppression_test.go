package reminders_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	rmail "github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/reminders"
)

// event reads an SES event fixture as EventBridge delivers it.
func event(t *testing.T, name string) json.RawMessage {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// SES's bounce and complaint events put the address on the suppression
// list (a mailbox that is only full does not), and the next run skips it
// and says so in its counts.
func TestBouncedAndComplainingAddressesAreNotMailedAgain(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	w.start(now.Add(-7*day-time.Hour), "Six Days Council", "six@council.gov.uk", "", "")
	w.start(now.Add(-7*day-time.Hour), "Seven Days Council", "seven@council.gov.uk", "", "")
	w.start(now.Add(-7*day-time.Hour), "Thirty Days Council", "thirty@council.gov.uk", "", "")

	mailer := rmail.Suppressing(w.mailer, w.store)
	job := w.job(mailer, reminders.Options{})
	handler := reminders.Handler(job, w.log, w.clock.Now)
	for _, c := range []struct {
		fixture string
		want    int
	}{{"ses-permanent-bounce.json", 1}, {"ses-complaint.json", 1}, {"ses-transient-bounce.json", 0}} {
		rep, err := handler(ctx, event(t, c.fixture))
		if err != nil || rep.Suppressions != c.want || rep.Sent != 0 {
			t.Errorf("%s: got %+v, %v; want %d suppressed and no run", c.fixture, rep, err, c.want)
		}
	}
	for _, c := range []struct {
		address string
		want    bool
	}{{"seven@council.gov.uk", true}, {" SEVEN@council.gov.uk", true}, {"thirty@council.gov.uk", true}, {"six@council.gov.uk", false}} {
		if got, err := w.store.Suppressed(ctx, c.address); err != nil || got != c.want {
			t.Errorf("Suppressed(%q): got %v, %v; want %v", c.address, got, err, c.want)
		}
	}

	w.clock.Set(now)
	rep, err := job.Run(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sent != 1 || rep.Suppressed != 2 || rep.Failed != 0 {
		t.Errorf("run: got %+v; want 1 sent (six), 2 suppressed", rep)
	}
	mails := w.mails()
	if len(mails) != 1 || mails[0].to != "six@council.gov.uk" {
		t.Errorf("mails: got %d, want one to six@council.gov.uk", len(mails))
	}
	// Kept as sent: the next run does not try them again.
	again, err := job.Run(ctx, now.Add(time.Hour))
	if err != nil || again.Suppressed != 0 || again.Sent != 0 {
		t.Errorf("next run: got %+v, %v; want nothing", again, err)
	}
	if _, err := handler(ctx, json.RawMessage(`{"source":"aws.ses","detail-type":"Email Bounced","detail":"not an object"}`)); err == nil {
		t.Error("an unreadable SES event was accepted")
	}
	if err := mailer.Send(ctx, rmail.Message{To: "seven@council.gov.uk", Subject: "s", Text: "t", HTML: "<p>t</p>"}); !errors.Is(err, rmail.ErrSuppressed) {
		t.Errorf("direct send to a bounced address: got %v, want ErrSuppressed", err)
	}
}
