package reminders

import (
	"context"
	"strings"
	"time"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/secret"
)

// Colleagues' reminders (issue 19). A colleague invited with an address is
// in the due index from their own item (A#<id> RESP#<cid>), ColleagueAfter
// after the invitation. Then, if the assessment is still a draft and they
// have not answered every question routed to them (or, with nothing routed,
// anything at all), they get one reminder with a fresh link of their own
// and a stop link; the claim takes the entry off the index, so it is sent
// exactly once. The job needs no question bank: the questions routed to a
// colleague are resolved by the service and kept on their item
// (assessment.Colleague.Asked).

// ColleagueAfter an invitation, a colleague who has not answered is reminded.
const ColleagueAfter = 7 * 24 * time.Hour

// ColleagueNudge is the reminder to a colleague answering for their council.
const ColleagueNudge Kind = "colleague-nudge"

// ColleagueSubject is a due entry or stop link about one colleague:
// Entry.ID (and Claim.ID) is "<assessment>/<colleague>", as ColleagueID
// makes it.
const ColleagueSubject Subject = "colleague"

// ColleagueID names colleague cid of assessment id as a subject.
func ColleagueID(id, cid string) string { return id + "/" + cid }

// SplitColleagueID is the assessment and colleague of a ColleagueSubject id.
func SplitColleagueID(s string) (id, cid string, ok bool) {
	id, cid, ok = strings.Cut(s, "/")
	return id, cid, ok && secret.ValidID(id) && secret.ValidID(cid)
}

// Colleague is what the job reads of a colleague and their assessment.
type Colleague struct {
	Assessment, ID string
	Council, Lead  string // the council and its lead's name
	Status         string // the assessment's
	Name, Email    string
	InvitedAt      time.Time
	Stopped        bool
	DueAt          string
	// Asked are the questions routed to them; Answered those they answered.
	Asked           []string
	Answered        map[string]bool
	MailedTokenHash []byte
	// Lang is the assessment's language, the one its mails are in.
	Lang locale.Lang
}

// Waiting counts the routed questions not answered yet; with none routed,
// 1 until they answer anything.
func (c *Colleague) Waiting() int {
	if len(c.Asked) == 0 {
		if len(c.Answered) == 0 {
			return 1
		}
		return 0
	}
	n := 0
	for _, q := range c.Asked {
		if !c.Answered[q] {
			n++
		}
	}
	return n
}

// ColleagueStore is what colleagues' reminders need from storage.
type ColleagueStore interface {
	// ReminderColleague reads colleague cid of assessment id; not_found
	// when either is gone.
	ReminderColleague(ctx context.Context, id, cid string) (*Colleague, error)
}

// RespondentResumePath is a colleague's own link.
func RespondentResumePath(id, cid string) string {
	return routes.Path("webRespondentResume", routes.P{"id": id, "respondent": cid})
}

// colleague handles the due entry of a colleague.
func (r *run) colleague(ctx context.Context, e Entry) {
	id, cid, ok := SplitColleagueID(e.ID)
	if !ok {
		r.rep.Skipped++
		return
	}
	c, err := r.store.ReminderColleague(ctx, id, cid)
	switch {
	case failure.CodeOf(err) == failure.NotFound:
		r.rep.Skipped++ // removed or erased since the index was read
		return
	case err != nil:
		r.storeError(ctx, "read colleague", err)
		return
	case c.DueAt != e.DueAt:
		r.rep.Skipped++
		return
	case c.Status != assessment.Draft || c.Email == "" || c.Stopped || c.Waiting() == 0:
		r.reschedule(ctx, e, time.Time{}) // nothing to remind of: off the index
		return
	}
	resume, stop := secret.NewToken(), secret.NewToken()
	m, err := r.wording.Compose(c.Email, Mail{
		Kind: ColleagueNudge, Lang: c.Lang, Council: c.Council, Lead: c.Lead, OpenedOn: govukDate(c.Lang, c.InvitedAt), Waiting: c.Waiting(), Routed: len(c.Asked),
		ResumeURL: r.link(RespondentResumePath(id, cid), resume), StopURL: r.link(StopPath(ColleagueSubject, e.ID), stop),
		StartURL: r.opts.BaseURL + routes.Path("webStart", nil),
		Why:      tr(c.Lang, "mail.why.colleague"),
	})
	if err != nil {
		r.storeError(ctx, "render", err)
		return
	}
	r.send(ctx, Claim{Kind: ColleagueNudge, ID: e.ID, Seen: e.DueAt, At: r.now,
		TokenHash: secret.Hash(resume), PrevTokenHash: c.MailedTokenHash, StopHash: secret.Hash(stop)}, m)
}
