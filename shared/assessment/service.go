package assessment

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/scoring"
	"github.com/openrasp/rasp/shared/secret"
)

// Membership places a new assessment in a partnership round.
type Membership struct {
	PartnershipID string
	Round         int
	Prospective   bool
	// Seat, when set, is the member council's seat: the store then keeps one
	// active assessment per seat per round and refuses a withdrawn seat.
	Seat string
}

// Join is what a join code resolves to.
type Join struct {
	PartnershipID string
	Round         int
	Form          string
	// HasSeats is true for partnerships whose member councils have seats:
	// their join code is for prospective partners only.
	HasSeats bool
}

// SeatJoin is what a seat resolves to: the seat and its partnership's
// current round.
type SeatJoin struct {
	Join
	Seat      string
	Council   string
	TokenHash []byte
	// MailedHash is the seat's second credential, from a round-opened mail.
	MailedHash []byte
	Withdrawn  bool
}

// ErrConditionFailed is returned by store writes whose condition failed: a
// concurrent submit, a stale revision, or a deleted item.
var ErrConditionFailed = errors.New("condition failed")

// Store is what the service needs from storage.
type Store interface {
	// Create writes a new assessment — its meta item, an answers item for
	// each area that has answers already (copied forward), the membership
	// the idempotency record and the own actions carried forward — in one transaction. It returns
	// idempotency.ErrKeyUsed when idem's record exists, and a conflict failure
	// when the round is no longer open.
	Create(ctx context.Context, a *Assessment, m *Membership, idem *idempotency.Record) error
	// Idempotency reads a record; nil when there is none.
	Idempotency(ctx context.Context, keyHash string) (*idempotency.Record, error)
	// Load reads the assessment with all its answers in one Query; not_found when absent.
	Load(ctx context.Context, id string) (*Assessment, error)
	// SaveAnswers writes answers grouped by area. current has every area of
	// the bank: its revision, or NoItem when its item does not exist yet (it
	// is created by its first save, so starting costs no empty items). An
	// existing item is written only while it is a draft; a missing one only
	// if it is still missing. With exact, every area must still be at its
	// current revision (If-Match). It returns the new revision per touched area.
	// req.Partial changes stored answers field by field, each on condition
	// the fields it keeps are unchanged; answers in req.Cleared are removed.
	SaveAnswers(ctx context.Context, id string, req SaveRequest, now time.Time, current map[string]int64, exact bool) (map[string]int64, error)
	// HoldForSubmit makes saves of the draft fail until until, without
	// changing an answer or a revision; ErrConditionFailed when it is no
	// longer a draft.
	HoldForSubmit(ctx context.Context, a *Assessment, until time.Time) error
	// Submit marks the assessment submitted iff no area changed since revs
	// were read, and stores the score snapshot on its membership with the
	// notes it shares (nil: none shared, the default).
	Submit(ctx context.Context, a *Assessment, now time.Time, snapshot string, shared map[string]string) error
	// ShareNotes records a submitted assessment's choice on its meta item
	// and its membership in one transaction: shared notes are copied onto
	// the membership (nil: the copy is removed).
	ShareNotes(ctx context.Context, a *Assessment, shared map[string]string) error
	// Delete erases every item of the assessment and its membership; areas
	// lists every area of its bank, whether or not an item was read for it.
	// It returns ErrConditionFailed (erasing nothing) when a colleague was
	// invited since a was read.
	Delete(ctx context.Context, a *Assessment, areas []string) error
	ResolveJoinCode(ctx context.Context, code string) (*Join, error)
	// ResolveSeat reads a seat and its partnership's current round;
	// not_found when either is absent.
	ResolveSeat(ctx context.Context, pid, sid string) (*SeatJoin, error)
	// RotateToken replaces the assessment's token hash with hash on its
	// meta item and every copy (its membership), in one transaction, and
	// drops the mailed reminder token; conflict if it changed meanwhile.
	RotateToken(ctx context.Context, a *Assessment, hash []byte) error
	// CurrentRound returns the partnership's current round.
	CurrentRound(ctx context.Context, partnershipID string) (*Join, error)
	ColleagueStore
	OwnActionStore
}

// Service runs the assessment journey.
type Service struct {
	store    Store
	lib      *bank.Library
	now      func() time.Time
	onSubmit func(ctx context.Context, a *Assessment)
	recovery *Recovery
}

// OnSubmit registers f to run after an assessment is first submitted (the
// partnership's notices). It runs after the commit, so a failure in it
// cannot undo the submit.
func (s *Service) OnSubmit(f func(ctx context.Context, a *Assessment)) { s.onSubmit = f }

// NewService returns a service; now is the clock (time.Now in production).
func NewService(store Store, lib *bank.Library, now func() time.Time) *Service {
	return &Service{store: store, lib: lib, now: now}
}

// Bank returns the bank version an assessment was started on.
func (s *Service) Bank(version string) (*bank.Bank, error) {
	return bankVersion(s.lib, version)
}

// BankOf returns the bank a was started on; internal if the library no
// longer has it (a deployment that dropped a version still in use).
func BankOf(lib *bank.Library, a *Assessment) (*bank.Bank, error) {
	return bankVersion(lib, a.Version)
}

func bankVersion(lib *bank.Library, version string) (*bank.Bank, error) {
	b, ok := lib.Get(version)
	if !ok {
		return nil, failure.New(failure.Internal, "question bank %s is not available", version)
	}
	return b, nil
}

// Start creates a draft assessment. With a join code it joins the
// partnership's current round (as a prospective partner for new-partner).
// With an idempotency key, a retry of the same body returns the same
// assessment and a different body is invalid.
func (s *Service) Start(ctx context.Context, in StartInput, idem idempotency.Request) (Started, error) {
	in.Normalise()
	b := s.lib.Current()
	if err := in.Validate(b); err != nil {
		return Started{}, err
	}
	var out Started
	if ok, err := idempotency.Replay(ctx, s.store, idem, in, &out); ok || err != nil {
		return out, err
	}
	var m *Membership
	if in.JoinCode != "" {
		code := secret.NormaliseJoinCode(in.JoinCode)
		if code == "" {
			return Started{}, failure.Fields("Check the join code.", failure.FieldError{Field: "joinCode", Message: "Enter the join code exactly as the partnership gave it, like K7M-Q2P-XWD"})
		}
		j, err := s.store.ResolveJoinCode(ctx, code)
		if failure.CodeOf(err) == failure.NotFound {
			return Started{}, failure.Fields("Check the join code.", failure.FieldError{Field: "joinCode", Message: "No partnership has this join code"})
		}
		if err != nil {
			return Started{}, err
		}
		if j.HasSeats && in.Purpose != NewPartner {
			return Started{}, failure.Fields("Check the join code.", failure.FieldError{Field: "joinCode",
				Message: "This join code is for a prospective new partner. A member council starts from the invitation link its partnership's administrator sent for its seat"})
		}
		m = &Membership{PartnershipID: j.PartnershipID, Round: j.Round, Prospective: in.Purpose == NewPartner}
		// A council in a partnership is scored against the partnership's
		// form; the one it picked is kept as its own preference.
		if in.Form != j.Form {
			in.PreferredForm, in.Form = in.Form, j.Form
		}
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	token := secret.NewToken()
	a := &Assessment{
		ID: secret.NewID(), Council: in.Council, Respondent: in.Respondent, Purpose: in.Purpose, Form: in.Form,
		Version: b.Version, Status: Draft, TokenHash: secret.Hash(token), CreatedAt: now, UpdatedAt: now,
		PreferredForm: in.PreferredForm, Lang: LangOr(in.Lang),
	}
	if m != nil {
		a.PartnershipID, a.Round, a.Prospective = m.PartnershipID, m.Round, m.Prospective
	}
	return s.create(ctx, idem, in, a, m, Started{ID: a.ID, Token: token, Status: Draft, Version: a.Version, CreatedAt: now, PartnershipID: a.PartnershipID, Round: a.Round})
}

// create stores a new assessment a (with its membership m, if any) and
// returns out. With a key, out is sealed into the idempotency record in the
// same transaction; a concurrent twin that won gets its result replayed.
func (s *Service) create(ctx context.Context, idem idempotency.Request, body any, a *Assessment, m *Membership, out Started) (Started, error) {
	rec, err := idem.Seal(body, out, a.CreatedAt)
	if err != nil {
		return Started{}, err
	}
	err = s.store.Create(ctx, a, m, rec)
	if errors.Is(err, idempotency.ErrKeyUsed) {
		var won Started
		return won, idempotency.Raced(ctx, s.store, idem, body, &won)
	}
	if err != nil {
		return Started{}, err
	}
	return out, nil
}

// SubmitHold is how long a submit that lost to a save holds further saves
// off (HoldForSubmit): long enough for its next read and write, short
// enough that a submit that died leaves the draft blocked only briefly.
const SubmitHold = 5 * time.Second

// SaveAnswers writes whole answers (score and note) into a draft, as the
// pages do; a as the auth package loaded it. See SaveChanges.
func (s *Service) SaveAnswers(ctx context.Context, a *Assessment, answers map[string]Answer, ifMatch *int64) (Saved, error) {
	changes := make(map[string]Edit, len(answers))
	for q, ans := range answers {
		note := ans.Note
		changes[q] = Edit{SetScore: true, Score: ans.Score, Note: &note, NotApplicable: ans.NotApplicable, Reason: ans.Reason}
	}
	return s.SaveChanges(ctx, a, changes, ifMatch)
}

// Edit is what a save says about one answer: only what it sets changes,
// so a client that leaves a field out can never erase it.
type Edit struct {
	// SetScore is false to keep the stored score; with it, a nil Score
	// means "don't know".
	SetScore bool
	Score    *int
	// Note is nil to keep the stored note.
	Note *string
	// Clear removes the answer altogether (nothing else may be given).
	Clear bool
	// NotApplicable and Reason are sent together or not at all: a change
	// with NotApplicable is written whole; any other change that sets a
	// score makes the answer applicable again.
	NotApplicable bool
	Reason        string
	// Why is the lead's reason when the council's answer differs from every
	// colleague's; nil keeps the stored one unless the level changes.
	Why *string
}

// SaveChanges merges changes into a draft, a as the auth package loaded it.
// ifMatch, when given, must equal the current revision. It returns invalid
// for unknown questions, bad values or a new answer without a score
// (nothing is written), conflict once submitted and precondition_failed
// when ifMatch is stale.
func (s *Service) SaveChanges(ctx context.Context, a *Assessment, changes map[string]Edit, ifMatch *int64) (Saved, error) {
	b, err := s.Bank(a.Version)
	if err != nil {
		return Saved{}, err
	}
	if err := ValidateChanges(b, a.Form, changes); err != nil {
		return Saved{}, err
	}
	if a.Status != Draft {
		return Saved{}, failure.New(failure.Conflict, "This assessment has been submitted; answers can no longer change.").Of(failure.KindAlreadySubmitted)
	}
	if ifMatch != nil && *ifMatch != a.Revision() {
		return Saved{}, failure.Said(failure.PreconditionFailed, "error.assessment.changedSince", "Given", *ifMatch, "Now", a.Revision())
	}
	var revs map[string]int64
	var w write
	for attempt := 0; ; attempt++ {
		if w, err = plan(b, a, changes); err != nil {
			return Saved{}, err
		}
		if err := checkWhy(a, levelsSet(w.merged, changes)); err != nil {
			return Saved{}, err
		}
		if len(w.byArea) == 0 && len(w.cleared) == 0 && len(w.partial) == 0 {
			return Saved{Revision: a.Revision(), Progress: ProgressOf(b, a)}, nil // clearing what was never answered
		}
		revs, err = s.store.SaveAnswers(ctx, a.ID, SaveRequest{Answers: w.byArea, Cleared: w.cleared, Partial: w.partial}, s.now().UTC(), currentRevisions(b, a), ifMatch != nil)
		if !errors.Is(err, ErrConditionFailed) {
			break
		}
		// Decide what the caller must hear from the state now stored.
		now, lerr := s.store.Load(ctx, a.ID)
		if lerr == nil {
			// A tab may have created an area item or changed an answer
			// this save keeps a field of: merge again onto what is stored.
			a.Revisions, a.Answers = now.Revisions, now.Answers
		}
		switch {
		case lerr != nil:
			return Saved{}, lerr
		case now.Status != Draft:
			return Saved{}, failure.New(failure.Conflict, "This assessment has been submitted; answers can no longer change.").Of(failure.KindAlreadySubmitted)
		case now.HeldUntil.After(s.now()):
			return Saved{}, failure.New(failure.Unavailable, "This assessment is being submitted. Wait a few seconds and try again: if the submit went through, answers can no longer change.")
		case ifMatch != nil:
			return Saved{}, failure.New(failure.PreconditionFailed, "The assessment changed while saving. Reload it and try again.")
		case attempt == 3:
			return Saved{}, failure.Wrap(failure.Unavailable, err, "save answers for %s", a.ID)
		}
		// Still a draft: the write lost a race with another transaction
		// (DynamoDB cancels conflicting ones); try again.
	}
	if err != nil {
		return Saved{}, err
	}
	for qid, ans := range w.merged {
		a.Answers[qid] = ans
	}
	for _, qids := range w.cleared {
		for _, qid := range qids {
			delete(a.Answers, qid)
		}
	}
	for area, r := range revs {
		a.Revisions[area] = r
	}
	return Saved{Revision: a.Revision(), Progress: ProgressOf(b, a)}, nil
}

// SaveRequest is one save, grouped by area: whole answers to set, answers
// to remove, and partial changes of stored answers, written field by field
// so that the field kept is the one stored at the time of the write, not the
// one read (a tab may have changed it since).
type SaveRequest struct {
	Answers map[string]map[string]Answer
	Cleared map[string][]string
	Partial map[string]map[string]Edit
}

type write struct {
	byArea  map[string]map[string]Answer
	cleared map[string][]string
	partial map[string]map[string]Edit
	merged  map[string]Answer
}

// plan merges changes onto the answers of a, by area.
func plan(b *bank.Bank, a *Assessment, changes map[string]Edit) (write, error) {
	w := write{byArea: map[string]map[string]Answer{}, cleared: map[string][]string{}, partial: map[string]map[string]Edit{}, merged: map[string]Answer{}}
	var errs []failure.FieldError
	qids := make([]string, 0, len(changes))
	for q := range changes {
		qids = append(qids, q)
	}
	sort.Strings(qids)
	for _, qid := range qids {
		c := changes[qid]
		q, _ := b.Question(qid)
		stored, had := a.Answers[qid]
		if c.Clear {
			if had {
				w.cleared[q.Area] = append(w.cleared[q.Area], qid)
			}
			continue
		}
		ans := stored
		if c.SetScore || c.NotApplicable {
			ans.Why = "" // a new level needs its own reason
		}
		if c.Why != nil {
			ans.Why = strings.TrimSpace(*c.Why)
		}
		if c.SetScore {
			ans.Score = c.Score
			ans.NotApplicable, ans.Reason = c.NotApplicable, strings.TrimSpace(c.Reason)
		} else if c.NotApplicable {
			ans.Score, ans.NotApplicable, ans.Reason = nil, true, strings.TrimSpace(c.Reason)
		} else if !had {
			errs = append(errs, failure.FieldError{Field: "answers." + qid + ".score", Message: "is needed for a question not answered yet: a level, or null for don't know"})
			continue
		}
		if c.Note != nil {
			ans.Note = *c.Note
		}
		ans.Stale = false // saving an answer confirms it
		w.merged[qid] = ans
		if had && !c.NotApplicable && (!c.SetScore || c.Note == nil) {
			// A field is kept: write only the fields sent.
			if w.partial[q.Area] == nil {
				w.partial[q.Area] = map[string]Edit{}
			}
			w.partial[q.Area][qid] = c
			continue
		}
		if w.byArea[q.Area] == nil {
			w.byArea[q.Area] = map[string]Answer{}
		}
		w.byArea[q.Area][qid] = ans
	}
	if len(errs) > 0 {
		return write{}, failure.Fields("Check your answers.", errs...)
	}
	return w, nil
}

// levelsSet is the merged answers whose level the changes set: only those
// need a reason when they differ from every colleague's (a note alone
// changes no level).
func levelsSet(merged map[string]Answer, changes map[string]Edit) map[string]Answer {
	out := map[string]Answer{}
	for qid, ans := range merged {
		if c := changes[qid]; c.SetScore || c.NotApplicable || c.Why != nil {
			out[qid] = ans
		}
	}
	return out
}

// NoItem marks an area whose answers item does not exist yet.
const NoItem int64 = -1

// currentRevisions lists every area of the bank with its revision, or
// NoItem when nothing has been saved in it yet.
func currentRevisions(b *bank.Bank, a *Assessment) map[string]int64 {
	out := make(map[string]int64, len(b.Areas))
	for _, area := range b.Areas {
		if r, ok := a.Revisions[area.ID]; ok {
			out[area.ID] = r
		} else {
			out[area.ID] = NoItem
		}
	}
	return out
}

// Submit submits a complete draft without sharing its notes: see SubmitSharing.
func (s *Service) Submit(ctx context.Context, a *Assessment) (Submission, error) {
	return s.SubmitSharing(ctx, a, false)
}

// SubmitSharing submits a complete draft, a as the auth package loaded it,
// sharing its notes with its partners when share is set; submitting again
// returns the same result (and changes no choice). It returns invalid
// listing unanswered questions.
func (s *Service) SubmitSharing(ctx context.Context, a *Assessment, share bool) (Submission, error) {
	held := false
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			if !held {
				// A save won the race: hold saves off for a moment so the
				// submit cannot keep losing to a busy tab. The hold changes
				// no answer; an acknowledged save is already in the
				// revisions read next. If it fails (another transaction
				// conflicted), the next attempt tries again.
				held = s.store.HoldForSubmit(ctx, a, s.now().UTC().Add(SubmitHold)) == nil
			}
			// An answer landed since a was read: read again so it is included.
			var err error
			if a, err = s.store.Load(ctx, a.ID); err != nil {
				return Submission{}, err
			}
		}
		if a.Status == Submitted {
			return Submission{Status: Submitted, SubmittedAt: *a.SubmittedAt}, nil
		}
		b, err := s.Bank(a.Version)
		if err != nil {
			return Submission{}, err
		}
		if missing := Missing(b, a); len(missing) > 0 {
			var fields []failure.FieldError
			for _, q := range missing {
				fields = append(fields, failure.FieldError{Field: "answers." + q, Message: "is not answered (choose a level or don't know)"})
			}
			return Submission{}, failure.Fields("Answer every question before submitting; don't know is an answer.", fields...)
		}
		now := s.now().UTC().Truncate(time.Millisecond)
		var shared map[string]string
		if share && a.PartnershipID != "" {
			shared = SharedNotes(a)
		}
		err = s.store.Submit(ctx, a, now, scoring.EncodeResponses(b, Responses(a.Answers)), shared)
		if errors.Is(err, ErrConditionFailed) {
			if attempt < 5 {
				continue
			}
			return Submission{}, failure.Wrap(failure.Unavailable, err, "submit %s: answers keep changing", a.ID)
		}
		if err != nil {
			return Submission{}, err
		}
		if s.onSubmit != nil {
			a.Status, a.SubmittedAt, a.ShareNotes = Submitted, &now, shared != nil
			s.onSubmit(ctx, a)
		}
		return Submission{Status: Submitted, SubmittedAt: now}, nil
	}
}

// SharedNotes are the notes a council shares when it chooses to: the note
// of each of the assessment's own answers that has one. Only the
// assessment's answers count (never a colleague's note as a respondent):
// what is shared is what the council submitted as its answer.
func SharedNotes(a *Assessment) map[string]string {
	out := map[string]string{}
	for id, ans := range a.Answers {
		if ans.Note != "" {
			out[id] = ans.Note
		}
	}
	return out
}

// NoteSharing is a council's choice about its notes.
type NoteSharing struct {
	Shared bool
	// Notes is how many notes are shared (0 when not shared).
	Notes int
}

// ShareNotes changes whether a submitted member assessment's notes are
// shared with its partners. sealed says whether its round's comparison is
// still sealed (the partnership decides, partnership.Sealed): once partners
// have seen the comparison the choice stands, so that what one council read
// is what the others read. It returns conflict for an assessment in no
// partnership, a draft (the choice is made at submit) or an unsealed round.
func (s *Service) ShareNotes(ctx context.Context, a *Assessment, share, sealed bool) (NoteSharing, error) {
	switch {
	case a.PartnershipID == "":
		return NoteSharing{}, failure.New(failure.Conflict, "This assessment is not in a partnership: its notes are seen only by the council.")
	case a.Status != Submitted:
		return NoteSharing{}, failure.New(failure.Conflict, "Choose whether to share your notes when you submit the assessment.")
	case !sealed:
		return NoteSharing{}, failure.Said(failure.Conflict, "error.assessment.notes.stand", "Round", a.Round)
	}
	var shared map[string]string
	if share {
		shared = SharedNotes(a)
	}
	if err := s.store.ShareNotes(ctx, a, shared); err != nil {
		return NoteSharing{}, err
	}
	a.ShareNotes = share
	return NoteSharing{Shared: share, Notes: len(shared)}, nil
}

// Delete erases the assessment, its e-mail address and its membership.
func (s *Service) Delete(ctx context.Context, a *Assessment) error {
	b, err := s.Bank(a.Version)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		err := s.store.Delete(ctx, a, areaIDs(b))
		if !errors.Is(err, ErrConditionFailed) {
			return err
		}
		// A colleague was invited since a was read: read again so the
		// erasure finds every colleague.
		if attempt == 3 {
			return failure.Wrap(failure.Unavailable, err, "delete %s: colleagues keep changing", a.ID)
		}
		if a, err = s.store.Load(ctx, a.ID); err != nil {
			return err
		}
	}
}

// Scores extracts the scores of answers.
func Scores(answers map[string]Answer) scoring.Answers {
	out := make(scoring.Answers, len(answers))
	for id, a := range answers {
		out[id] = a.Score
	}
	return out
}

// Missing lists the questions of b not yet answered, in bank order.
func Missing(b *bank.Bank, a *Assessment) []string {
	var out []string
	for _, q := range b.Questions() {
		if _, ok := a.Answers[q.ID]; !ok {
			out = append(out, q.ID)
		}
	}
	return out
}

// StartHealthCheck starts the council's assessment for its partnership's
// current round from a previous, submitted assessment (authorised by that
// assessment's token, prev as the auth package loaded it). Answers are copied forward — mapped through the bank's
// mapping when the version changed — and flagged stale until confirmed.
// It returns conflict when the previous assessment is a draft, is not in a
// partnership, is already in the current round, or has already started its
// health-check for the current round (a repeated request must not leave a
// second draft behind; the first one's private link is the way back).
func (s *Service) StartHealthCheck(ctx context.Context, prev *Assessment, idem idempotency.Request) (Started, error) {
	// A retry replays before the checks below, which the first request
	// has made fail (its health-check exists now).
	var out Started
	if ok, err := idempotency.Replay(ctx, s.store, idem, nil, &out); ok || err != nil {
		return out, err
	}
	switch {
	case prev.Status != Submitted:
		return Started{}, failure.New(failure.Conflict, "Submit this assessment before starting a health-check from it.")
	case prev.PartnershipID == "":
		return s.reassess(ctx, prev, idem)
	}
	j, err := s.store.CurrentRound(ctx, prev.PartnershipID)
	if err != nil {
		return Started{}, err
	}
	if j.Round <= prev.Round {
		return Started{}, failure.New(failure.Conflict, "The partnership has not opened a new round since this assessment. Ask its administrator to open a health-check round.")
	}
	if prev.Seat != "" {
		// The seat names the council (it may have been renamed) and holds
		// the one active assessment per round.
		sj, err := s.store.ResolveSeat(ctx, prev.PartnershipID, prev.Seat)
		if failure.CodeOf(err) == failure.NotFound || (err == nil && sj.Withdrawn) {
			return Started{}, failure.New(failure.Conflict, "This council's seat in the partnership was withdrawn, so it has no health-check to start.")
		}
		if err != nil {
			return Started{}, err
		}
		return s.copyInto(ctx, prev, sj, HealthCheck, idem, nil)
	}
	b := s.lib.Current()
	now := s.now().UTC().Truncate(time.Millisecond)
	newToken := secret.NewToken()
	a := &Assessment{
		ID: secret.NewID(), Council: prev.Council, Respondent: prev.Respondent, Purpose: HealthCheck, Form: j.Form,
		Version: b.Version, Status: Draft, TokenHash: secret.Hash(newToken), CreatedAt: now, UpdatedAt: now,
		PartnershipID: j.PartnershipID, Round: j.Round, Prospective: prev.Prospective, CopiedFrom: prev.ID,
		Answers: CopyForward(b, prev.Version, j.Form, prev.Answers), Actions: CarryOwnActions(b, prev), Lang: LangOr(prev.Lang),
	}
	m := &Membership{PartnershipID: j.PartnershipID, Round: j.Round, Prospective: prev.Prospective}
	return s.create(ctx, idem, nil, a, m, Started{ID: a.ID, Token: newToken, Status: Draft, Version: a.Version, CreatedAt: now,
		PartnershipID: a.PartnershipID, Round: a.Round, Copied: len(a.Answers)})
}

// CopyForward maps answers given on bank version from to bank b, marking
// each stale. Questions retired in b are dropped.
func CopyForward(b *bank.Bank, from, form string, answers map[string]Answer) map[string]Answer {
	out := make(map[string]Answer, len(answers))
	for id, a := range answers {
		target, ok := b.Carried(from, id)
		if !ok {
			continue
		}
		q, _ := b.Question(target)
		// Questions merged into one carry the weaker answer, whatever the
		// order the map gives them in.
		if prev, seen := out[target]; seen && !weaker(a, prev) {
			continue
		}
		// A not-applicable answer carries only where the new version
		// still allows it for this form; a health-check asks again otherwise.
		if a.NotApplicable && !q.NotApplicableAllowed(form) {
			continue
		}
		a.Stale = true
		a.Why = "" // the reason was about colleagues who do not come with the copy
		out[target] = a
	}
	return out
}

// weaker reports whether answer a is weaker than b: don't know is weakest,
// then the lower score.
func weaker(a, b Answer) bool {
	switch {
	case b.Score == nil && !b.NotApplicable:
		return false
	case a.Score == nil && !a.NotApplicable:
		return true
	case a.Score != nil && b.Score != nil:
		return *a.Score < *b.Score
	}
	return a.Score != nil // a score is weaker than not applicable
}

// reassess starts a private self-review again from a submitted one: answers
// copied forward and marked to confirm, and its report then shows the change
// since. Each private review can be re-assessed once (re-assess the newer
// one next time), so a repeated request leaves no second draft behind.
func (s *Service) reassess(ctx context.Context, prev *Assessment, idem idempotency.Request) (Started, error) {
	b := s.lib.Current()
	now := s.now().UTC().Truncate(time.Millisecond)
	newToken := secret.NewToken()
	a := &Assessment{
		ID: secret.NewID(), Council: prev.Council, Respondent: prev.Respondent, Purpose: prev.Purpose, Form: prev.Form,
		Version: b.Version, Status: Draft, TokenHash: secret.Hash(newToken), CreatedAt: now, UpdatedAt: now,
		CopiedFrom: prev.ID, Answers: CopyForward(b, prev.Version, prev.Form, prev.Answers), Actions: CarryOwnActions(b, prev), Lang: LangOr(prev.Lang),
	}
	return s.create(ctx, idem, nil, a, nil, Started{ID: a.ID, Token: newToken, Status: Draft, Version: a.Version, CreatedAt: now, Copied: len(a.Answers)})
}
