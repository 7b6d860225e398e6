// Package storetest is the storage contract: one table of cases that any
// store of assessments and partnerships must pass. It runs against the
// in-memory store (shared/memstore, unit tier) and against shared/dynamo on
// DynamoDB Local (integration tier), so the fake the domain's unit tests
// use cannot drift from the real conditions unnoticed.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/secret"
)

// Store is what the contract covers: both domains' stores.
type Store interface {
	assessment.Store
	partnership.Store
}

func intp(i int) *int { return &i }

var ctx = context.Background()

func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

func draft(t time.Time) *assessment.Assessment {
	return &assessment.Assessment{ID: secret.NewID(), Council: "Brent", Respondent: assessment.Respondent{Name: "Sam", Role: "PM"},
		Purpose: assessment.Readiness, Form: "collaborate", Version: "v1", Status: assessment.Draft, TokenHash: secret.Hash(secret.NewToken()),
		CreatedAt: t, UpdatedAt: t}
}

func answer(score int) map[string]map[string]assessment.Answer {
	return map[string]map[string]assessment.Answer{"vision": {"vision.political-backing": {Score: intp(score), Note: "noted"}}}
}

func mustCreate(t *testing.T, s Store, a *assessment.Assessment, m *assessment.Membership) {
	t.Helper()
	if err := s.Create(ctx, a, m, nil); err != nil {
		t.Fatalf("create: %v", err)
	}
}

func mustLoad(t *testing.T, s Store, id string) *assessment.Assessment {
	t.Helper()
	a, err := s.Load(ctx, id)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return a
}

func save(s Store, id string, score int, current map[string]int64, exact bool) (map[string]int64, error) {
	return s.SaveAnswers(ctx, id, assessment.SaveRequest{Answers: answer(score)}, now(), current, exact)
}

// firstSave saves an answer into vision (creating its item) and returns
// the assessment as read afterwards.
func firstSave(t *testing.T, s Store, id string, score int) *assessment.Assessment {
	t.Helper()
	if _, err := save(s, id, score, map[string]int64{"vision": assessment.NoItem}, false); err != nil {
		t.Fatalf("first save: %v", err)
	}
	return mustLoad(t, s, id)
}

func record(body string) *idempotency.Record {
	return &idempotency.Record{KeyHash: secret.NewID(), BodyHash: body, Sealed: []byte("sealed " + body), ExpiresAt: time.Now().Add(time.Hour)}
}

// newPartnership is a partnership with round 1 open and seats for names.
func newPartnership(t time.Time, names ...string) *partnership.Partnership {
	p := &partnership.Partnership{ID: secret.NewID(), Name: "West Shared Services", Form: "collaborate", ContactEmail: "admin@example.gov.uk",
		AdminHash: secret.Hash(secret.NewToken()), JoinKey: secret.NewID(), CadenceMonths: 12, CurrentRound: 1, CreatedAt: t,
		Rounds: []partnership.Round{{Number: 1, Purpose: partnership.Readiness, Status: partnership.Open, OpenedAt: t}}}
	for i, n := range names {
		st := partnership.Seat{ID: secret.NewID(), Name: n, TokenHash: secret.Hash(secret.NewToken()), AddedAt: t, Position: i}
		p.Seats = append(p.Seats, st)
		p.Rounds[0].Expected = append(p.Rounds[0].Expected, st.ID)
	}
	return p
}

func mustCreatePartnership(t *testing.T, s Store, p *partnership.Partnership) {
	t.Helper()
	if err := s.CreatePartnership(ctx, p, nil); err != nil {
		t.Fatalf("create partnership: %v", err)
	}
}

func wantCode(t *testing.T, what string, err error, want failure.Code) {
	t.Helper()
	if got := failure.CodeOf(err); err == nil || got != want {
		t.Errorf("%s: got %v (%v), want %s", what, err, got, want)
	}
}

func wantCondition(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, assessment.ErrConditionFailed) {
		t.Errorf("%s: got %v, want ErrConditionFailed", what, err)
	}
}

// Case is one rule of the contract, run on a fresh store.
type Case struct {
	Name string
	Run  func(t *testing.T, s Store)
}

// Cases are the contract's cases.
var Cases = []Case{
	{"CreateThenLoad", func(t *testing.T, s Store) {
		at := now()
		a := draft(at)
		a.Answers = map[string]assessment.Answer{"vision.political-backing": {Score: intp(3), Note: "carried"}}
		mustCreate(t, s, a, nil)
		got := mustLoad(t, s, a.ID)
		if got.Council != a.Council || got.Status != assessment.Draft || !bytes.Equal(got.TokenHash, a.TokenHash) || !got.CreatedAt.Equal(at) {
			t.Errorf("loaded %+v, want what was created %+v", got, a)
		}
		if ans := got.Answers["vision.political-backing"]; ans.Score == nil || *ans.Score != 3 || ans.Note != "carried" {
			t.Errorf("copied-forward answer: got %+v, want score 3 with its note", ans)
		}
		if rev, ok := got.Revisions["vision"]; !ok || rev != 0 {
			t.Errorf("copied-forward area revision: got %d (present %v), want 0", rev, ok)
		}
		if _, err := s.Load(ctx, secret.NewID()); failure.CodeOf(err) != failure.NotFound {
			t.Errorf("load of a missing id: got %v, want not_found", err)
		}
	}},
	// An assessment and a partnership keep their language; one written
	// without (as every item was before languages were kept) reads as English.
	{"LanguageRoundTrips", func(t *testing.T, s Store) {
		cy, old := draft(now()), draft(now())
		cy.Lang = locale.Welsh
		mustCreate(t, s, cy, nil)
		mustCreate(t, s, old, nil)
		if got := mustLoad(t, s, cy.ID).Lang; got != locale.Welsh {
			t.Errorf("Welsh assessment: got language %q, want cy", got)
		}
		if got := mustLoad(t, s, old.ID).Lang; got != locale.English {
			t.Errorf("assessment stored without a language: got %q, want en", got)
		}
		pcy, pold := newPartnership(now(), "Gwynedd"), newPartnership(now())
		pcy.Lang = locale.Welsh
		mustCreatePartnership(t, s, pcy)
		mustCreatePartnership(t, s, pold)
		for _, c := range []struct {
			p    *partnership.Partnership
			want locale.Lang
		}{{pcy, locale.Welsh}, {pold, locale.English}} {
			got, err := s.LoadPartnership(ctx, c.p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Lang != c.want {
				t.Errorf("partnership stored with %q: got language %q, want %q", c.p.Lang, got.Lang, c.want)
			}
		}
	}},
	{"LoadedValueIsACopy", func(t *testing.T, s Store) {
		a := draft(now())
		mustCreate(t, s, a, nil)
		read := firstSave(t, s, a.ID, 2)
		*read.Answers["vision.political-backing"].Score = 4
		read.TokenHash[0] ^= 0xff
		a.Council = "Changed after create"
		got := mustLoad(t, s, a.ID)
		if *got.Answers["vision.political-backing"].Score != 2 || got.Council != "Brent" || bytes.Equal(got.TokenHash, read.TokenHash) {
			t.Errorf("stored state changed through a caller's value: %+v", got)
		}
	}},
	{"SaveCountsRevisions", func(t *testing.T, s Store) {
		a := draft(now())
		mustCreate(t, s, a, nil)
		revs, err := save(s, a.ID, 1, map[string]int64{"vision": assessment.NoItem}, false)
		if err != nil || revs["vision"] != 1 {
			t.Fatalf("first save: got %v, %v, want vision at 1", revs, err)
		}
		revs, err = save(s, a.ID, 2, map[string]int64{"vision": 1}, true)
		if err != nil || revs["vision"] != 2 {
			t.Fatalf("exact save at the current revision: got %v, %v, want vision at 2", revs, err)
		}
		if got := mustLoad(t, s, a.ID); got.Revisions["vision"] != 2 || *got.Answers["vision.political-backing"].Score != 2 {
			t.Errorf("after two saves: got revision %d score %d, want 2 and 2", got.Revisions["vision"], *got.Answers["vision.political-backing"].Score)
		}
	}},
	{"FirstSaveOfAnExistingAreaRefused", func(t *testing.T, s Store) {
		a := draft(now())
		mustCreate(t, s, a, nil)
		firstSave(t, s, a.ID, 1)
		_, err := save(s, a.ID, 2, map[string]int64{"vision": assessment.NoItem}, false)
		wantCondition(t, "a second 'first save' of an area", err)
	}},
	{"SaveWithStaleRevisionRefused", func(t *testing.T, s Store) {
		a := draft(now())
		mustCreate(t, s, a, nil)
		read := firstSave(t, s, a.ID, 1)
		if _, err := save(s, a.ID, 2, read.Revisions, true); err != nil {
			t.Fatalf("save at the read revision: %v", err)
		}
		_, err := save(s, a.ID, 3, read.Revisions, true)
		wantCondition(t, "exact save at a stale revision", err)
		if got := mustLoad(t, s, a.ID); *got.Answers["vision.political-backing"].Score != 2 {
			t.Errorf("a refused save wrote: score %d, want 2", *got.Answers["vision.political-backing"].Score)
		}
	}},
	{"SaveOfOneAreaChecksTheOthersWhenExact", func(t *testing.T, s Store) {
		a := draft(now())
		mustCreate(t, s, a, nil)
		read := firstSave(t, s, a.ID, 1)
		current := map[string]int64{"vision": read.Revisions["vision"], "finance": assessment.NoItem}
		other := map[string]map[string]assessment.Answer{"finance": {"finance.budget": {Score: intp(2)}}}
		if _, err := s.SaveAnswers(ctx, a.ID, assessment.SaveRequest{Answers: other}, now(), current, false); err != nil {
			t.Fatalf("save of another area: %v", err)
		}
		_, err := save(s, a.ID, 3, current, true)
		wantCondition(t, "exact save when another area changed since the read", err)
	}},
	{"SaveAfterSubmitRefused", func(t *testing.T, s Store) {
		a := draft(now())
		mustCreate(t, s, a, nil)
		read := firstSave(t, s, a.ID, 1)
		if err := s.Submit(ctx, read, now(), "snapshot", nil); err != nil {
			t.Fatalf("submit: %v", err)
		}
		_, err := save(s, a.ID, 4, read.Revisions, false)
		wantCondition(t, "save after submit", err)
		_, err = s.SaveAnswers(ctx, a.ID, assessment.SaveRequest{Answers: map[string]map[string]assessment.Answer{"finance": {"finance.budget": {Score: intp(2)}}}},
			now(), map[string]int64{"finance": assessment.NoItem}, false)
		wantCondition(t, "first save of a new area after submit", err)
		got := mustLoad(t, s, a.ID)
		if got.Status != assessment.Submitted || got.SubmittedAt == nil || *got.Answers["vision.political-backing"].Score != 1 {
			t.Errorf("after submit: got status %s score %d, want submitted with score 1", got.Status, *got.Answers["vision.political-backing"].Score)
		}
		wantCondition(t, "second submit", s.Submit(ctx, got, now(), "again", nil))
	}},
	{"SubmitAfterAnAreaChangedRefused", func(t *testing.T, s Store) {
		a := draft(now())
		mustCreate(t, s, a, nil)
		read := firstSave(t, s, a.ID, 1)
		if _, err := save(s, a.ID, 4, read.Revisions, false); err != nil { // lands after the read
			t.Fatal(err)
		}
		wantCondition(t, "submit on a stale read", s.Submit(ctx, read, now(), "stale", nil))
		got := mustLoad(t, s, a.ID)
		if got.Status != assessment.Draft {
			t.Errorf("status after a refused submit: got %s, want draft", got.Status)
		}
		if err := s.Submit(ctx, got, now(), "fresh", nil); err != nil {
			t.Errorf("submit on a fresh read: %v", err)
		}
	}},
	{"HoldStopsSavesNotSubmit", func(t *testing.T, s Store) {
		a := draft(now())
		mustCreate(t, s, a, nil)
		read := firstSave(t, s, a.ID, 1)
		if err := s.HoldForSubmit(ctx, read, time.Now().Add(time.Minute)); err != nil {
			t.Fatalf("hold: %v", err)
		}
		_, err := save(s, a.ID, 2, read.Revisions, false)
		wantCondition(t, "save while held", err)
		if err := s.Submit(ctx, read, now(), "held", nil); err != nil {
			t.Errorf("submit while held: %v", err)
		}
		wantCondition(t, "hold after submit", s.HoldForSubmit(ctx, read, time.Now().Add(time.Minute)))
	}},
	{"IdempotencyKeyReplayAndUse", func(t *testing.T, s Store) {
		rec := record("body-1")
		a := draft(now())
		if err := s.Create(ctx, a, nil, rec); err != nil {
			t.Fatalf("create with a key: %v", err)
		}
		got, err := s.Idempotency(ctx, rec.KeyHash)
		if err != nil || got == nil || got.BodyHash != "body-1" || !bytes.Equal(got.Sealed, rec.Sealed) {
			t.Fatalf("the record: got %+v, %v, want it as sealed", got, err)
		}
		twin := draft(now())
		if err := s.Create(ctx, twin, nil, rec); !errors.Is(err, idempotency.ErrKeyUsed) {
			t.Errorf("second create with the key: got %v, want ErrKeyUsed", err)
		}
		if _, err := s.Load(ctx, twin.ID); failure.CodeOf(err) != failure.NotFound {
			t.Errorf("a refused create wrote its assessment: %v", err)
		}
		if none, err := s.Idempotency(ctx, secret.NewID()); none != nil || err != nil {
			t.Errorf("an unknown key: got %+v, %v, want nil, nil", none, err)
		}
	}},
	{"RotateTokenOnAStaleHashRefused", func(t *testing.T, s Store) {
		a := draft(now())
		mustCreate(t, s, a, nil)
		read := mustLoad(t, s, a.ID)
		first := secret.Hash(secret.NewToken())
		if err := s.RotateToken(ctx, read, first); err != nil {
			t.Fatalf("rotate: %v", err)
		}
		wantCode(t, "rotate on the hash read before", s.RotateToken(ctx, read, secret.Hash(secret.NewToken())), failure.Conflict)
		if got := mustLoad(t, s, a.ID); !bytes.Equal(got.TokenHash, first) {
			t.Errorf("token hash after a refused rotation: want the first rotation's")
		}
	}},
	{"PartnershipCreateAndRounds", func(t *testing.T, s Store) {
		at := now()
		p := newPartnership(at, "Brent", "Harrow")
		mustCreatePartnership(t, s, p)
		got, err := s.LoadPartnership(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != p.Name || got.CurrentRound != 1 || len(got.Rounds) != 1 || got.Rounds[0].Status != partnership.Open || len(got.Seats) != 2 || got.Seats[0].Name != "Brent" {
			t.Fatalf("loaded partnership %+v, want round 1 open with seats Brent, Harrow", got)
		}
		if j, err := s.ResolveJoinCode(ctx, "no-such-code"); err == nil {
			t.Errorf("unknown join code resolved to %+v", j)
		}
		twin := newPartnership(at)
		twin.JoinKey = p.JoinKey
		wantCode(t, "a second partnership with the join code", s.CreatePartnership(ctx, twin, nil), failure.Conflict)

		act := partnership.Act{At: at, Kind: "round-opened", Round: 2}
		if err := s.OpenRound(ctx, got, 1, partnership.Round{Number: 2, Purpose: partnership.HealthCheck, OpenedAt: at, Expected: []string{p.Seats[0].ID}}, at, nil, act); err != nil {
			t.Fatalf("open round 2: %v", err)
		}
		wantCode(t, "a second open after round 1", s.OpenRound(ctx, got, 1, partnership.Round{Number: 2, Purpose: partnership.HealthCheck, OpenedAt: at, Expected: nil}, at, nil, act), failure.Conflict)
		got, _ = s.LoadPartnership(ctx, p.ID)
		if got.CurrentRound != 2 || len(got.Rounds) != 2 || got.Rounds[0].Status != partnership.Closed || got.Rounds[0].ClosedAt == nil || got.Rounds[1].Status != partnership.Open {
			t.Fatalf("after opening round 2: %+v", got.Rounds)
		}
		closing := partnership.Act{At: at.Add(time.Second), Kind: "round-closed", Round: 2}
		if err := s.CloseRound(ctx, p.ID, 2, closing); err != nil {
			t.Fatalf("close round 2: %v", err)
		}
		wantCode(t, "closing round 2 again", s.CloseRound(ctx, p.ID, 2, closing), failure.Conflict)
		got, _ = s.LoadPartnership(ctx, p.ID)
		if len(got.Acts) != 2 {
			t.Errorf("acts logged: got %d, want 2 (the refused ones write none)", len(got.Acts))
		}
	}},
	{"OpenRoundIdempotencyKeyUsed", func(t *testing.T, s Store) {
		at := now()
		p := newPartnership(at, "Brent")
		mustCreatePartnership(t, s, p)
		rec := record("open")
		act := partnership.Act{At: at, Kind: "round-opened", Round: 2}
		if err := s.OpenRound(ctx, p, 1, partnership.Round{Number: 2, Purpose: partnership.HealthCheck, OpenedAt: at, Expected: nil}, at, rec, act); err != nil {
			t.Fatal(err)
		}
		if err := s.OpenRound(ctx, p, 2, partnership.Round{Number: 3, Purpose: partnership.HealthCheck, OpenedAt: at, Expected: nil}, at, rec, act); !errors.Is(err, idempotency.ErrKeyUsed) {
			t.Errorf("open with a used key: got %v, want ErrKeyUsed", err)
		}
		if got, _ := s.LoadPartnership(ctx, p.ID); got.CurrentRound != 2 {
			t.Errorf("current round after a refused open: got %d, want 2", got.CurrentRound)
		}
	}},
	{"MemberJoinsOpenRoundOncePerSeat", func(t *testing.T, s Store) {
		at := now()
		p := newPartnership(at, "Brent")
		mustCreatePartnership(t, s, p)
		seat := p.Seats[0].ID
		a := draft(at)
		a.PartnershipID, a.Round, a.Seat = p.ID, 1, seat
		mustCreate(t, s, a, &assessment.Membership{PartnershipID: p.ID, Round: 1, Seat: seat})
		b := draft(at)
		b.PartnershipID, b.Round, b.Seat = p.ID, 1, seat
		wantCode(t, "a second assessment for the seat's round", s.Create(ctx, b, &assessment.Membership{PartnershipID: p.ID, Round: 1, Seat: seat}, nil), failure.Conflict)

		read := firstSave(t, s, a.ID, 3)
		if err := s.Submit(ctx, read, at, "snap", map[string]string{"vision.political-backing": "shared"}); err != nil {
			t.Fatal(err)
		}
		got, _ := s.LoadPartnership(ctx, p.ID)
		if ms := got.Rounds[0].Members; len(ms) != 1 || ms[0].Status != partnership.Submitted || ms[0].Snapshot != "snap" || ms[0].Notes["vision.political-backing"] != "shared" || ms[0].Seat != seat {
			t.Errorf("members after submit: %+v, want one submitted with its snapshot and shared note", ms)
		}
		if err := s.CloseRound(ctx, p.ID, 1, partnership.Act{At: at, Kind: "round-closed", Round: 1}); err != nil {
			t.Fatal(err)
		}
		c := draft(at)
		c.PartnershipID, c.Round = p.ID, 1
		wantCode(t, "joining a closed round", s.Create(ctx, c, &assessment.Membership{PartnershipID: p.ID, Round: 1, Prospective: true}, nil), failure.Conflict)
	}},
	{"RotateSeatOnAStaleHashRefused", func(t *testing.T, s Store) {
		p := newPartnership(now(), "Brent")
		mustCreatePartnership(t, s, p)
		st := p.Seats[0]
		next := secret.Hash(secret.NewToken())
		if err := s.RotateSeat(ctx, p.ID, st.ID, st.TokenHash, next); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "rotating the seat on its old hash", s.RotateSeat(ctx, p.ID, st.ID, st.TokenHash, secret.Hash(secret.NewToken())), failure.Conflict)
		j, err := s.ResolveSeat(ctx, p.ID, st.ID)
		if err != nil || !bytes.Equal(j.TokenHash, next) || j.Council != "Brent" || j.Round != 1 {
			t.Errorf("seat after rotation: %+v, %v", j, err)
		}
	}},
}

// Run runs every case, each on a store from newStore.
func Run(t *testing.T, newStore func(t *testing.T) Store) {
	for _, c := range Cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			c.Run(t, newStore(t))
		})
	}
}
