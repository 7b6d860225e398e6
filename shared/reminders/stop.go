package reminders

import (
	"context"

	"github.com/openrasp/rasp/shared/auth"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/secret"
)

// Every reminder carries a stop link with its own random token. Only the
// token's hash is kept, added to a set on the item by the same write that
// claims the mail, so the link of every mail sent keeps working. The token
// can stop reminders and nothing else.

func invalidLink() error {
	return failure.New(failure.NotFound, "This link to stop reminders is not valid. It may be incomplete, or the assessment or partnership may have been deleted.")
}

func validSubject(s Subject, id, token string) bool {
	return (s == AssessmentSubject || s == PartnershipSubject) && secret.ValidID(id) && token != ""
}

// CheckStop reports whether a stop link is valid and, if so, whether
// reminders are already stopped. It changes nothing (mail scanners open
// links). It returns not_found for a link that is not valid.
func (j *Job) CheckStop(ctx context.Context, s Subject, id, token string) (stopped bool, err error) {
	if !validSubject(s, id, token) {
		return false, invalidLink()
	}
	hashes, stopped, err := j.store.ReminderStopHashes(ctx, s, id)
	if failure.CodeOf(err) == failure.NotFound {
		return false, invalidLink()
	}
	if err != nil {
		return false, err
	}
	if auth.Proves(token, hashes...) {
		return stopped, nil
	}
	return false, invalidLink()
}

// Stop stops every reminder about the assessment (drafts, round nudges) or
// the partnership (health checks to its contact). Stopping twice is fine.
// It returns not_found for a link that is not valid.
func (j *Job) Stop(ctx context.Context, s Subject, id, token string) error {
	if !validSubject(s, id, token) {
		return invalidLink()
	}
	err := j.store.StopReminders(ctx, s, id, secret.Hash(token))
	if failure.CodeOf(err) == failure.NotFound {
		return invalidLink()
	}
	return err
}
