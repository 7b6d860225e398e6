package dynamo_test

import (
	"context"
	"testing"

	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/reminders"
	"github.com/openrasp/rasp/shared/secret"
)

// TestStopLinkOfNothingIsNotFoundInEitherLanguage: a stop link for a
// subject that is not there is not found, its message naming the subject
// in English as before and in Welsh (issue 21).
func TestStopLinkOfNothingIsNotFoundInEitherLanguage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := dynamo.NewStore(ddbtest.Client(), ddbtest.NewTable(t))
	welsh := map[reminders.Subject]string{
		reminders.AssessmentSubject: "asesiad", reminders.PartnershipSubject: "partneriaeth",
		reminders.ColleagueSubject: "cydweithiwr", reminders.SeatSubject: "sedd",
	}
	for subject, cy := range welsh {
		id := secret.NewID() + "/" + secret.NewID()
		if subject == reminders.AssessmentSubject || subject == reminders.PartnershipSubject {
			id = secret.NewID()
		}
		_, _, readErr := store.ReminderStopHashes(ctx, subject, id)
		stopErr := store.StopReminders(ctx, subject, id, []byte("not a hash"))
		for _, c := range []struct {
			err            error
			english, welsh string
		}{
			{readErr, "no such " + string(subject), "dim " + cy + " o’r fath"},
			{stopErr, "no " + string(subject) + " with this stop link", "dim " + cy + " gyda’r ddolen atal hon"},
		} {
			fe, ok := failure.As(c.err)
			if !ok || fe.Code != failure.NotFound || fe.Message != c.english {
				t.Errorf("%s: got %v, want not found %q", subject, c.err, c.english)
				continue
			}
			if fe.Text == nil || fe.Text.In(locale.Welsh) != c.welsh {
				t.Errorf("%s: %q in Welsh is not %q", subject, fe.Message, c.welsh)
			}
		}
	}
}
