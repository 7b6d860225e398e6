package reminders

import (
	"context"
	"encoding/hex"
	"slices"

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
	if s == ColleagueSubject {
		_, _, ok := SplitColleagueID(id)
		return ok && token != ""
	}
	if s == SeatSubject {
		_, _, ok := SplitSeatID(id)
		return ok && token != ""
	}
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

// The stop links of action reminders (actions.go) name their recipient.

// CheckStopAction reports whether a stop link of an action's reminders is
// valid and, if so, whether its recipient's reminders are stopped already.
// It changes nothing. It returns not_found for a link that is not valid.
func (j *Job) CheckStopAction(ctx context.Context, partnershipID, actionID, recipient, token string) (stopped bool, err error) {
	if !secret.ValidID(partnershipID) || !secret.ValidID(actionID) || recipient == "" || token == "" {
		return false, invalidLink()
	}
	keys, stoppedFor, err := j.store.ActionReminderStops(ctx, partnershipID, actionID)
	if failure.CodeOf(err) == failure.NotFound {
		return false, invalidLink()
	}
	if err != nil {
		return false, err
	}
	var hashes [][]byte
	for _, k := range keys {
		if h, ok := stopHashOf(k, recipient); ok {
			hashes = append(hashes, h)
		}
	}
	if !auth.Proves(token, hashes...) {
		return false, invalidLink()
	}
	return slices.Contains(stoppedFor, recipient), nil
}

// StopAction stops the link's recipient's reminders about the action.
// Stopping twice is fine. It returns not_found for a link that is not valid.
func (j *Job) StopAction(ctx context.Context, partnershipID, actionID, recipient, token string) error {
	if !secret.ValidID(partnershipID) || !secret.ValidID(actionID) || recipient == "" || token == "" {
		return invalidLink()
	}
	err := j.store.StopActionReminders(ctx, partnershipID, actionID, recipient, StopKey(recipient, secret.Hash(token)))
	if failure.CodeOf(err) == failure.NotFound {
		return invalidLink()
	}
	return err
}

// stopHashOf is the token hash of key when it is recipient's.
func stopHashOf(key, recipient string) ([]byte, bool) {
	prefix := recipient + "#"
	if len(key) <= len(prefix) || key[:len(prefix)] != prefix {
		return nil, false
	}
	h, err := hex.DecodeString(key[len(prefix):])
	return h, err == nil
}
