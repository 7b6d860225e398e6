package dynamo

import (
	"context"

	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/reminders"
	"github.com/openrasp/rasp/shared/viewer"
)

var _ assessment.Store = (*Store)(nil)

// Key layout (one table, see tabledef.Rasp):
//
//	A#<id>          META            the assessment, its token hash and e-mail
//	A#<id>          AREA#<area>     answers of one area, with its own revision
//	P#<pid>         R#<nnnn>#M#<id> membership of a round, with a score snapshot at submit
//	IDEM#<hash>     IDEM            a start request's idempotency record (24 h TTL)
const (
	skMeta     = "META"
	areaPrefix = "AREA#"
	kindAssess = "assessment"
)

func assessmentPK(id string) string { return "A#" + id }
func memberSK(round int, id string) string {
	return fmt.Sprintf("%s#M#%s", roundSK(round), id)
}
func roundSK(n int) string { return fmt.Sprintf("R#%04d", n) }

const timeFormat = time.RFC3339Nano

type metaItem struct {
	PK          string `dynamodbav:"pk"`
	SK          string `dynamodbav:"sk"`
	Kind        string `dynamodbav:"kind"`
	ID          string `dynamodbav:"id"`
	Council     string `dynamodbav:"council"`
	Name        string `dynamodbav:"name"`
	Role        string `dynamodbav:"role"`
	Email       string `dynamodbav:"email,omitempty"`
	Purpose     string `dynamodbav:"purpose"`
	Form        string `dynamodbav:"form"`
	Version     string `dynamodbav:"version"`
	Status      string `dynamodbav:"status"`
	TokenHash   []byte `dynamodbav:"tokenHash"`
	MailedHash  []byte `dynamodbav:"mailedTokenHash,omitempty"`
	CreatedAt   string `dynamodbav:"createdAt"`
	UpdatedAt   string `dynamodbav:"updatedAt"`
	SubmittedAt string `dynamodbav:"submittedAt,omitempty"`
	Partnership string `dynamodbav:"partnership,omitempty"`
	Round       int    `dynamodbav:"round,omitempty"`
	Prospective bool   `dynamodbav:"prospective,omitempty"`
	IdemKeyHash string `dynamodbav:"idemKeyHash,omitempty"`
	CopiedFrom  string `dynamodbav:"copiedFrom,omitempty"`
	Seat        string `dynamodbav:"seat,omitempty"`
	Preferred   string `dynamodbav:"preferredForm,omitempty"`
	// Lang is the respondent's language for mails and reports (absent
	// before languages were kept: English).
	Lang string `dynamodbav:"lang,omitempty"`
	// SuccessorRound is the round whose health-check was started from this
	// assessment (see Create).
	SuccessorRound int `dynamodbav:"successorRound,omitempty"`
	// CopiedForwardAt is when a health-check or re-assessment was last
	// started from this submitted assessment: its retention restarts then
	// (reminders.RetentionDue). RetentionWarnedFor is the deadline whose
	// warning was mailed.
	CopiedForwardAt    string `dynamodbav:"copiedForwardAt,omitempty"`
	RetentionWarnedFor string `dynamodbav:"retentionWarnedFor,omitempty"`
	ExpiresAt          int64  `dynamodbav:"expiresAt,omitempty"`
	DueShard           string `dynamodbav:"dueShard,omitempty"`
	DueAt              string `dynamodbav:"dueAt,omitempty"`
	StopReminders      bool   `dynamodbav:"stopReminders,omitempty"`
	RemindersSent      int    `dynamodbav:"remindersSent,omitempty"`
	// ShareNotes is the council's choice to share its notes; the notes
	// themselves are copied onto its membership (memberItem.Notes).
	ShareNotes bool `dynamodbav:"shareNotes,omitempty"`
	// HeldUntil (Unix milliseconds) is a submit's hold on the answers, on
	// META and on every area item (HoldForSubmit).
	HeldUntil int64 `dynamodbav:"heldUntil,omitempty"`
	// ColleagueSeq counts invitations (issue 19): Delete is conditioned on
	// it, so it erases every colleague there is.
	ColleagueSeq int64 `dynamodbav:"colleagueSeq,omitempty"`
	// ViewSeq counts read-only links (issue 20), for the same reason.
	ViewSeq int64 `dynamodbav:"viewSeq,omitempty"`
	// AbortedSubmits are the ids of submits that can no longer commit, so
	// their seals on area items may be lifted (see Submit); removed when the
	// assessment is submitted.
	AbortedSubmits []string `dynamodbav:"abortedSubmits,stringset,omitempty"`
}

type answerAV struct {
	Score *int   `dynamodbav:"s"`
	Note  string `dynamodbav:"n,omitempty"`
	Stale bool   `dynamodbav:"st,omitempty"`
	// NA and Reason are a v2 "not applicable" answer; absent otherwise, so
	// v1 items read and write exactly as before.
	NA     bool   `dynamodbav:"na,omitempty"`
	Reason string `dynamodbav:"r,omitempty"`
	// Why is the lead's reason for a council answer that differs from
	// every colleague's (issue 19).
	Why string `dynamodbav:"w,omitempty"`
}

func answerItem(a assessment.Answer) answerAV {
	return answerAV{Score: a.Score, Note: a.Note, Stale: a.Stale, NA: a.NotApplicable, Reason: a.Reason, Why: a.Why}
}

func (v answerAV) answer() assessment.Answer {
	return assessment.Answer{Score: v.Score, Note: v.Note, Stale: v.Stale, NotApplicable: v.NA, Reason: v.Reason, Why: v.Why}
}

type areaItem struct {
	PK        string              `dynamodbav:"pk"`
	SK        string              `dynamodbav:"sk"`
	Status    string              `dynamodbav:"status"`
	Rev       int64               `dynamodbav:"rev"`
	UpdatedAt string              `dynamodbav:"updatedAt"`
	ExpiresAt int64               `dynamodbav:"expiresAt,omitempty"`
	Answers   map[string]answerAV `dynamodbav:"ans"`
	// SealedBy and SealedAt (Unix milliseconds) are the submit that sealed
	// the area (status submitted) before committing on META (see Submit).
	SealedBy string `dynamodbav:"sealedBy,omitempty"`
	SealedAt int64  `dynamodbav:"sealedAt,omitempty"`
}

type memberItem struct {
	PK          string `dynamodbav:"pk"`
	SK          string `dynamodbav:"sk"`
	Kind        string `dynamodbav:"kind"`
	Assessment  string `dynamodbav:"assessment"`
	Council     string `dynamodbav:"council"`
	Status      string `dynamodbav:"status"`
	Prospective bool   `dynamodbav:"prospective,omitempty"`
	TokenHash   []byte `dynamodbav:"tokenHash"`
	Version     string `dynamodbav:"version"`
	JoinedAt    string `dynamodbav:"joinedAt"`
	SubmittedAt string `dynamodbav:"submittedAt,omitempty"`
	Snapshot    string `dynamodbav:"scores,omitempty"`
	// Seat is the member council's seat (absent on members from before seats).
	Seat          string `dynamodbav:"seat,omitempty"`
	PreferredForm string `dynamodbav:"preferredForm,omitempty"`
	// ShareNotes and Notes (question id → note) are the notes the council
	// chose to share with its partners, copied here so that the comparison
	// stays one Query of the partnership partition. Absent when not shared:
	// an unshared note never leaves the assessment's own partition.
	ShareNotes bool              `dynamodbav:"shareNotes,omitempty"`
	Notes      map[string]string `dynamodbav:"notes,omitempty"`
}

// Create writes a new assessment in one transaction.
func (s *Store) Create(ctx context.Context, a *assessment.Assessment, m *assessment.Membership, idem *idempotency.Record) error {
	meta := metaItem{
		PK: assessmentPK(a.ID), SK: skMeta, Kind: kindAssess, ID: a.ID, Council: a.Council,
		Name: a.Respondent.Name, Role: a.Respondent.Role, Email: a.Respondent.Email,
		Purpose: a.Purpose, Form: a.Form, Version: a.Version, Status: a.Status, TokenHash: a.TokenHash,
		CreatedAt: a.CreatedAt.Format(timeFormat), UpdatedAt: a.UpdatedAt.Format(timeFormat),
		Partnership: a.PartnershipID, Round: a.Round, Prospective: a.Prospective, CopiedFrom: a.CopiedFrom,
		Seat: a.Seat, Preferred: a.PreferredForm, Lang: string(a.Lang),
		ExpiresAt: a.CreatedAt.Add(assessment.DraftExpiry).Unix(),
		// Every draft has an entry on the sparse "due" index, at the time
		// the reminders job decides: it sends draft reminders from it and
		// expires abandoned drafts.
		DueShard: DueShard,
	}
	due := reminders.FirstCheck(a.CreatedAt, a.Respondent.Email != "")
	meta.DueAt = due.Format(timeFormat)
	if a.Respondent.Email == "" {
		// The META's TTL stays 180 days after its next check (metaExpiry).
		meta.ExpiresAt = metaExpiry(due)
	}
	var items []types.TransactWriteItem
	if idem != nil {
		meta.IdemKeyHash = idem.KeyHash
		put, err := s.idemPut(idem)
		if err != nil {
			return err
		}
		items = append(items, put)
	}
	av, err := attributevalue.MarshalMap(meta)
	if err != nil {
		return failure.Wrap(failure.Internal, err, "marshal assessment")
	}
	items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: av,
		ConditionExpression: aws.String("attribute_not_exists(pk)")}})
	// Area items are created by their first save, except for answers copied
	// forward from a previous round; question ids are "<area>.<slug>".
	initial := map[string]map[string]answerAV{}
	for q, ans := range a.Answers {
		area, _, _ := strings.Cut(q, ".")
		if initial[area] == nil {
			initial[area] = map[string]answerAV{}
		}
		initial[area][q] = answerItem(ans)
	}
	areas := make([]string, 0, len(initial))
	for area := range initial {
		areas = append(areas, area)
	}
	sort.Strings(areas)
	for _, area := range areas {
		av, err := attributevalue.MarshalMap(areaItem{PK: assessmentPK(a.ID), SK: areaPrefix + area, Status: a.Status,
			UpdatedAt: meta.CreatedAt, ExpiresAt: meta.ExpiresAt, Answers: initial[area]})
		if err != nil {
			return failure.Wrap(failure.Internal, err, "marshal area")
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: av}})
	}
	// The own actions carried forward come with it.
	for _, o := range a.Actions {
		put, err := s.ownActionPut(a.ID, o, nil)
		if err != nil {
			return err
		}
		items = append(items, put)
	}
	successor, source := -1, -1
	// A private review brought into a partnership round stays as it was:
	// only a health-check or a re-assessment carries its source on.
	broughtIn := a.PartnershipID != "" && a.Purpose != assessment.HealthCheck
	if a.CopiedFrom != "" && !broughtIn {
		// The source's retention restarts: its due entry moves to the
		// warning three years on (reminders.RetentionDue), which also
		// cancels an erasure the job may be about to make (conditioned on
		// the entry it read).
		values := map[string]types.AttributeValue{":now": str(meta.CreatedAt), ":shard": str(DueShard),
			":ret": str(reminders.RetentionDue(a.CreatedAt).UTC().Format(timeFormat)), ":sub": str(assessment.Submitted)}
		update := &types.Update{TableName: &s.table, Key: key(assessmentPK(a.CopiedFrom), skMeta),
			UpdateExpression:          aws.String("SET copiedForwardAt = :now, dueShard = :shard, dueAt = :ret"),
			ConditionExpression:       aws.String("attribute_exists(pk) AND #st = :sub"),
			ExpressionAttributeNames:  map[string]string{"#st": "status"},
			ExpressionAttributeValues: values}
		source = len(items)
		// With a seat, the round's slot below is the one-per-round guard (and a
		// private review brought into a partnership keeps its own successor free).
		if m == nil || m.Seat == "" {
			// One health-check per round from a given assessment.
			successor = source
			update.UpdateExpression = aws.String("SET copiedForwardAt = :now, dueShard = :shard, dueAt = :ret, successorRound = :r")
			update.ConditionExpression = aws.String("attribute_exists(pk) AND #st = :sub AND (attribute_not_exists(successorRound) OR successorRound < :r)")
			values[":r"] = num(int64(a.Round))
		}
		items = append(items, types.TransactWriteItem{Update: update})
	}
	roundCheck, slot, seatCheck := -1, -1, -1
	if m != nil {
		av, err := attributevalue.MarshalMap(memberItem{PK: partnershipPK(m.PartnershipID), SK: memberSK(m.Round, a.ID), Kind: "member",
			Assessment: a.ID, Council: a.Council, Status: a.Status, Prospective: m.Prospective, TokenHash: a.TokenHash,
			Version: a.Version, JoinedAt: meta.CreatedAt, Seat: m.Seat, PreferredForm: a.PreferredForm})
		if err != nil {
			return failure.Wrap(failure.Internal, err, "marshal member")
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: av}})
		roundCheck = len(items)
		items = append(items, types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{TableName: &s.table,
			Key:                       key(partnershipPK(m.PartnershipID), roundSK(m.Round)),
			ConditionExpression:       aws.String("#st = :open"),
			ExpressionAttributeNames:  map[string]string{"#st": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":open": str("open")},
		}})
		if m.Seat != "" {
			guard, err := attributevalue.MarshalMap(guardItem{PK: partnershipPK(m.PartnershipID), SK: slotSK(m.Round, m.Seat), Kind: "seat-slot", Assessment: a.ID})
			if err != nil {
				return failure.Wrap(failure.Internal, err, "marshal seat slot")
			}
			slot = len(items)
			items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: guard, ConditionExpression: aws.String("attribute_not_exists(pk)")}})
			seatCheck = len(items)
			items = append(items, types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{TableName: &s.table,
				Key: key(partnershipPK(m.PartnershipID), seatSK(m.Seat)), ConditionExpression: aws.String("attribute_exists(pk) AND attribute_not_exists(withdrawnAt)")}})
		}
	}
	out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err == nil {
		s.record("Create", out.ConsumedCapacity...)
		return nil
	}
	if codes, ok := cancelReasons(err); ok {
		if idem != nil && codes[0] == "ConditionalCheckFailed" {
			return idempotency.ErrKeyUsed
		}
		if successor < 0 && source >= 0 && codes[source] == "ConditionalCheckFailed" {
			return failure.New(failure.NotFound, "The assessment to start from has been deleted.")
		}
		if successor >= 0 && codes[successor] == "ConditionalCheckFailed" {
			if a.Round == 0 {
				return failure.New(failure.Conflict, "This self-review has already been re-assessed. Carry on with the private link you were given then, or re-assess the newer one.")
			}
			return failure.Said(failure.Conflict, "error.store.healthCheckStarted", "Round", a.Round)
		}
		if slot >= 0 && codes[slot] == "ConditionalCheckFailed" {
			return failure.Said(failure.Conflict, "error.seat.started", "Council", a.Council, "Round", a.Round)
		}
		if seatCheck >= 0 && codes[seatCheck] == "ConditionalCheckFailed" {
			return failure.New(failure.Conflict, "This council's seat in the partnership was withdrawn.")
		}
		if roundCheck >= 0 && codes[roundCheck] == "ConditionalCheckFailed" {
			return failure.New(failure.Conflict, "The partnership's current round is closed. Ask the partnership's administrator to open a new round.")
		}
	}
	return storeErr(err, "create assessment")
}

// Load reads an assessment and all its answers with one consistent Query.
// On a draft it also deals with submits' seals on area items (see Submit):
// a fresh one is reported as a hold (HeldUntil); a dead submit's are lifted,
// and the assessment is read again.
func (s *Store) Load(ctx context.Context, id string) (*assessment.Assessment, error) {
	return s.load(ctx, id, true)
}

func (s *Store) load(ctx context.Context, id string, lift bool) (*assessment.Assessment, error) {
	items, err := s.partition(ctx, assessmentPK(id), "Load")
	if err != nil {
		return nil, err
	}
	var a *assessment.Assessment
	answers := map[string]assessment.Answer{}
	revs := map[string]int64{}
	colleagues := map[string]*assessment.Colleague{}
	var viewers []viewer.Link
	var latest time.Time
	var actions []assessment.OwnAction
	var seals []seal
	var aborted []string
	for _, item := range items {
		sk := item["sk"].(*types.AttributeValueMemberS).Value
		switch {
		case strings.HasPrefix(sk, actionPrefix):
			o, err := unmarshalOwnAction(item)
			if err != nil {
				return nil, err
			}
			actions = append(actions, o)
		case strings.HasPrefix(sk, colleaguePrefix):
			if err := loadColleagueItem(sk, item, colleagues); err != nil {
				return nil, err
			}
		case strings.HasPrefix(sk, viewerPrefix):
			l, err := unmarshalViewer(item)
			if err != nil {
				return nil, err
			}
			viewers = append(viewers, l)
		case sk == skMeta:
			var m metaItem
			if err := attributevalue.UnmarshalMap(item, &m); err != nil {
				return nil, failure.Wrap(failure.Internal, err, "unmarshal assessment")
			}
			a = metaToAssessment(m)
			aborted = m.AbortedSubmits
		case len(sk) > len(areaPrefix) && sk[:len(areaPrefix)] == areaPrefix:
			var ai areaItem
			if err := attributevalue.UnmarshalMap(item, &ai); err != nil {
				return nil, failure.Wrap(failure.Internal, err, "unmarshal answers")
			}
			revs[sk[len(areaPrefix):]] = ai.Rev
			if ai.SealedBy != "" && ai.Status == assessment.Submitted {
				seals = append(seals, seal{area: sk[len(areaPrefix):], by: ai.SealedBy, at: time.UnixMilli(ai.SealedAt)})
			}
			for q, v := range ai.Answers {
				answers[q] = v.answer()
			}
			if t, err := time.Parse(timeFormat, ai.UpdatedAt); err == nil && t.After(latest) {
				latest = t
			}
		}
	}
	if a == nil {
		return nil, failure.New(failure.NotFound, "There is no assessment with this id and token.")
	}
	if a.Status == assessment.Draft && len(seals) > 0 {
		// A submit is under way, or died between sealing and committing.
		held, changed := s.liftSeals(ctx, id, seals, aborted, lift)
		if changed {
			return s.load(ctx, id, false)
		}
		if held.After(a.HeldUntil) {
			a.HeldUntil = held.UTC()
		}
	}
	a.Answers, a.Revisions, a.Colleagues, a.Viewers = answers, revs, colleaguesInOrder(colleagues), viewers
	// In the order they were kept (ids are random).
	sort.SliceStable(actions, func(i, j int) bool { return actions[i].CreatedAt.Before(actions[j].CreatedAt) })
	a.Actions = actions
	if latest.After(a.UpdatedAt) {
		a.UpdatedAt = latest
	}
	return a, nil
}

func metaToAssessment(m metaItem) *assessment.Assessment {
	a := &assessment.Assessment{
		ID: m.ID, Council: m.Council, Respondent: assessment.Respondent{Name: m.Name, Role: m.Role, Email: m.Email},
		Purpose: m.Purpose, Form: m.Form, Version: m.Version, Status: m.Status, TokenHash: m.TokenHash, MailedTokenHash: m.MailedHash,
		PartnershipID: m.Partnership, Round: m.Round, Prospective: m.Prospective, StopReminders: m.StopReminders, CopiedFrom: m.CopiedFrom, ShareNotes: m.ShareNotes,
		Seat: m.Seat, PreferredForm: m.Preferred, ColleagueSeq: m.ColleagueSeq, ViewSeq: m.ViewSeq,
		Lang: locale.Stored(m.Lang),
	}
	a.CreatedAt, _ = time.Parse(timeFormat, m.CreatedAt)
	a.UpdatedAt, _ = time.Parse(timeFormat, m.UpdatedAt)
	if m.HeldUntil > 0 {
		a.HeldUntil = time.UnixMilli(m.HeldUntil).UTC()
	}
	if m.SubmittedAt != "" {
		t, _ := time.Parse(timeFormat, m.SubmittedAt)
		a.SubmittedAt = &t
	}
	return a
}

// SaveAnswers writes the answers of each area into its item. One area is
// one UpdateItem (≤ 2 WCU for a typical area), which creates the item on the
// area's first save; several areas, or a save with If-Match (exact), go in
// one transaction so nothing is half-applied.
func (s *Store) SaveAnswers(ctx context.Context, id string, req assessment.SaveRequest, now time.Time, current map[string]int64, exact bool) (map[string]int64, error) {
	byArea := req.Answers
	touched := map[string]bool{}
	for a := range byArea {
		touched[a] = true
	}
	for a := range req.Partial {
		touched[a] = true
	}
	for a := range req.Cleared {
		// Nothing to remove from an area that has no item yet.
		if current[a] != assessment.NoItem {
			touched[a] = true
		}
	}
	areas := make([]string, 0, len(touched))
	for a := range touched {
		areas = append(areas, a)
	}
	sort.Strings(areas)
	updates := make([]*types.Update, 0, len(areas))
	for _, area := range areas {
		u, err := areaUpdate(s.table, id, area, byArea[area], req.Partial[area], req.Cleared[area], now, current[area], exact)
		if err != nil {
			return nil, err
		}
		updates = append(updates, u)
	}
	if len(updates) == 0 {
		return map[string]int64{}, nil
	}
	// An area created by this save must not outlive an erasure: the first
	// save of an area goes in a transaction with a check that the
	// assessment still exists as a draft (Delete erases every area of the
	// bank, present or not, so a first save that commits before the erasure
	// is erased with it, and one after it fails this check). Later saves of
	// the area stay one UpdateItem: their own item's "status = draft"
	// condition fails once it is erased.
	creates := false
	for _, area := range areas {
		creates = creates || current[area] == assessment.NoItem
	}
	if len(updates) == 1 && !exact && !creates {
		u := updates[0]
		out, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName: u.TableName, Key: u.Key, UpdateExpression: u.UpdateExpression, ConditionExpression: u.ConditionExpression,
			ExpressionAttributeNames: u.ExpressionAttributeNames, ExpressionAttributeValues: u.ExpressionAttributeValues,
			ReturnValues: types.ReturnValueUpdatedNew, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
		})
		if err != nil {
			if isConditionFailed(err) {
				return nil, assessment.ErrConditionFailed
			}
			return nil, storeErr(err, "save answers")
		}
		if out.ConsumedCapacity != nil {
			s.record("SaveAnswers", *out.ConsumedCapacity)
		}
		rev := int64(0)
		if n, ok := out.Attributes["rev"].(*types.AttributeValueMemberN); ok {
			rev, _ = strconv.ParseInt(n.Value, 10, 64)
		}
		return map[string]int64{areas[0]: rev}, nil
	}
	items := make([]types.TransactWriteItem, 0, len(current)+1)
	for _, u := range updates {
		items = append(items, types.TransactWriteItem{Update: u})
	}
	if creates {
		// An update rather than a bare condition check (the same 2 WCU):
		// moving META's updatedAt on also cancels a reminders-job expiry
		// that read the draft before this area existed (ExpireDraft).
		items = append(items, types.TransactWriteItem{Update: &types.Update{TableName: &s.table,
			Key:                       key(assessmentPK(id), skMeta),
			UpdateExpression:          aws.String("SET updatedAt = :now"),
			ConditionExpression:       aws.String("#st = :draft AND " + notHeld),
			ExpressionAttributeNames:  map[string]string{"#st": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":draft": str(assessment.Draft), ":now": str(now.Format(timeFormat)), ":nowms": num(now.UnixMilli())},
		}})
	}
	// With If-Match, areas not being written must not have changed either.
	if exact {
		for area, rev := range current {
			if touched[area] {
				continue
			}
			check := &types.ConditionCheck{TableName: &s.table, Key: key(assessmentPK(id), areaPrefix+area),
				ConditionExpression: aws.String("rev = :rev"), ExpressionAttributeValues: map[string]types.AttributeValue{":rev": num(rev)}}
			if rev == assessment.NoItem {
				check.ConditionExpression, check.ExpressionAttributeValues = aws.String("attribute_not_exists(pk)"), nil
			}
			items = append(items, types.TransactWriteItem{ConditionCheck: check})
		}
	}
	out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		if isConditionFailed(err) {
			return nil, assessment.ErrConditionFailed
		}
		return nil, storeErr(err, "save answers")
	}
	s.record("SaveAnswers", out.ConsumedCapacity...)
	// A transaction returns no values; each touched item moved on by one
	// from the revision it was conditioned on (or was read at).
	revs := map[string]int64{}
	for _, area := range areas {
		revs[area] = max(current[area], 0) + 1
	}
	return revs, nil
}

// areaUpdate writes answers into one area item. An existing item gets each
// answer set in its map (so tabs saving other questions are not
// overwritten) while it is a draft; a missing one is created with the map,
// on condition that it is still missing (else the caller re-reads).
func areaUpdate(table, id, area string, answers map[string]assessment.Answer, partial map[string]assessment.Edit, cleared []string, now time.Time, rev int64, exact bool) (*types.Update, error) {
	names := map[string]string{"#st": "status"}
	values := map[string]types.AttributeValue{
		":draft": str(assessment.Draft), ":now": str(now.Format(timeFormat)), ":one": num(1),
		":exp": num(now.Add(assessment.DraftExpiry).Unix()),
	}
	qids := make([]string, 0, len(answers))
	for q := range answers {
		qids = append(qids, q)
	}
	sort.Strings(qids)
	if rev == assessment.NoItem {
		m := make(map[string]answerAV, len(answers))
		for q, a := range answers {
			m[q] = answerItem(a)
		}
		av, err := attributevalue.Marshal(m)
		if err != nil {
			return nil, failure.Wrap(failure.Internal, err, "marshal answers")
		}
		values[":ans"] = av
		return &types.Update{
			TableName: aws.String(table), Key: key(assessmentPK(id), areaPrefix+area),
			UpdateExpression:         aws.String("SET ans = :ans, #st = :draft, updatedAt = :now, expiresAt = :exp ADD rev :one"),
			ConditionExpression:      aws.String("attribute_not_exists(pk)"),
			ExpressionAttributeNames: names, ExpressionAttributeValues: values,
		}, nil
	}
	// A submit that kept losing to saves holds the answers for a moment
	// (HoldForSubmit); saves wait for it rather than starve it. (A new area
	// item is held by its transaction's META update instead.)
	values[":nowms"] = num(now.UnixMilli())
	set := "updatedAt = :now, expiresAt = :exp"
	for i, q := range qids {
		a := answers[q]
		av, err := attributevalue.Marshal(answerItem(a))
		if err != nil {
			return nil, failure.Wrap(failure.Internal, err, "marshal answer")
		}
		n, v := fmt.Sprintf("#q%d", i), fmt.Sprintf(":a%d", i)
		names[n], values[v] = q, av
		set += fmt.Sprintf(", ans.%s = %s", n, v)
	}
	// A partial change sets only the fields sent, on condition that the
	// answer still exists (else it was cleared meanwhile: the service reads
	// again and writes it whole).
	pids := make([]string, 0, len(partial))
	for q := range partial {
		pids = append(pids, q)
	}
	sort.Strings(pids)
	var exists []string
	var unstale []string
	for i, q := range pids {
		c := partial[q]
		n := fmt.Sprintf("#p%d", i)
		names[n] = q
		if c.SetScore {
			// A score makes the answer applicable again.
			unstale = append(unstale, "ans."+n+".na", "ans."+n+".r")
			v := fmt.Sprintf(":ps%d", i)
			values[v] = &types.AttributeValueMemberNULL{Value: true}
			if c.Score != nil {
				values[v] = num(int64(*c.Score))
			}
			set += fmt.Sprintf(", ans.%s.s = %s", n, v)
		}
		if c.Note != nil {
			v := fmt.Sprintf(":pn%d", i)
			values[v] = str(*c.Note)
			set += fmt.Sprintf(", ans.%s.n = %s", n, v)
		}
		switch {
		case c.Why != nil && strings.TrimSpace(*c.Why) != "":
			v := fmt.Sprintf(":pw%d", i)
			values[v] = str(strings.TrimSpace(*c.Why))
			set += fmt.Sprintf(", ans.%s.w = %s", n, v)
		case c.Why != nil || c.SetScore:
			unstale = append(unstale, "ans."+n+".w") // a new level needs its own reason
		}
		exists = append(exists, "attribute_exists(ans."+n+")")
		unstale = append(unstale, "ans."+n+".st")
	}
	remove := ""
	if len(unstale) > 0 {
		remove = " REMOVE " + strings.Join(unstale, ", ") // saving an answer confirms it
	}
	for i, q := range cleared {
		n := fmt.Sprintf("#c%d", i)
		names[n] = q
		if remove == "" {
			remove = " REMOVE "
		} else {
			remove += ", "
		}
		remove += "ans." + n
	}
	cond := strings.Join(append([]string{"#st = :draft", notHeld}, exists...), " AND ")
	if exact {
		cond += " AND rev = :rev"
		values[":rev"] = num(rev)
	}
	return &types.Update{
		TableName: aws.String(table), Key: key(assessmentPK(id), areaPrefix+area),
		UpdateExpression: aws.String("SET " + set + remove + " ADD rev :one"), ConditionExpression: aws.String(cond),
		ExpressionAttributeNames: names, ExpressionAttributeValues: values,
	}, nil
}

// notesAV is a map of shared notes as an attribute value (an empty map is
// a valid DynamoDB map: the council shares, but wrote no notes).
func notesAV(notes map[string]string) types.AttributeValue {
	m := make(map[string]types.AttributeValue, len(notes))
	for q, n := range notes {
		m[q] = str(n)
	}
	return &types.AttributeValueMemberM{Value: m}
}

// ShareNotes records a submitted assessment's choice on its meta item and
// rewrites the copy on its membership in one transaction: shared non-nil
// copies those notes, nil removes the copy. Both writes are conditional (a
// submitted meta item, an existing membership), so an erasure racing the
// change leaves no notes behind.
func (s *Store) ShareNotes(ctx context.Context, a *assessment.Assessment, shared map[string]string) error {
	share := &types.AttributeValueMemberBOOL{Value: shared != nil}
	member := &types.Update{TableName: &s.table, Key: key(partnershipPK(a.PartnershipID), memberSK(a.Round, a.ID)),
		UpdateExpression:          aws.String("SET shareNotes = :share REMOVE notes"),
		ConditionExpression:       aws.String("attribute_exists(pk)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":share": share}}
	if shared != nil {
		member.UpdateExpression = aws.String("SET shareNotes = :share, notes = :notes")
		member.ExpressionAttributeValues[":notes"] = notesAV(shared)
	}
	items := []types.TransactWriteItem{{Update: &types.Update{TableName: &s.table, Key: key(assessmentPK(a.ID), skMeta),
		UpdateExpression:          aws.String("SET shareNotes = :share"),
		ConditionExpression:       aws.String("#st = :sub"),
		ExpressionAttributeNames:  map[string]string{"#st": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":share": share, ":sub": str(assessment.Submitted)}}}, {Update: member}}
	out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if isConditionFailed(err) {
		return failure.New(failure.NotFound, "The assessment or its membership has been erased.")
	}
	if err != nil {
		return storeErr(err, "share notes")
	}
	s.record("ShareNotes", out.ConsumedCapacity...)
	return nil
}

// Delete erases every item of the assessment, its idempotency record and
// its membership, in one transaction (GDPR erasure: all or nothing). areas
// lists every area of the assessment's bank: each is deleted whether it was
// read or not, because an area's first save may create its item after the
// assessment was read; that save checks the meta item in its own
// transaction, so it either commits before this one (and is erased here)
// or fails after it.
func (s *Store) Delete(ctx context.Context, a *assessment.Assessment, areas []string) error {
	keys := []map[string]types.AttributeValue{key(assessmentPK(a.ID), skMeta)}
	seen := map[string]bool{}
	for _, area := range areas {
		seen[area] = true
		keys = append(keys, key(assessmentPK(a.ID), areaPrefix+area))
	}
	for area := range a.Revisions {
		if !seen[area] { // an area of another bank version, copied forward
			keys = append(keys, key(assessmentPK(a.ID), areaPrefix+area))
		}
	}
	if a.PartnershipID != "" {
		keys = append(keys, key(partnershipPK(a.PartnershipID), memberSK(a.Round, a.ID)))
	}
	// Every colleague read, with every area item the invitation wrote and
	// the invitation's record; META's condition below makes sure no
	// colleague was invited since the read.
	for _, c := range a.Colleagues {
		keys = append(keys, colleagueKeys(a.ID, c.ID, areas)...)
	}
	// The idempotency record's key is on the meta item only.
	meta, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: keys[0], ProjectionExpression: aws.String("idemKeyHash")})
	if err != nil {
		return storeErr(err, "delete assessment")
	}
	if v, ok := meta.Item["idemKeyHash"].(*types.AttributeValueMemberS); ok {
		keys = append(keys, key(idemPK(v.Value), skIdem))
	}
	for _, c := range a.Colleagues {
		if c.IdemKeyHash != "" {
			keys = append(keys, key(idemPK(c.IdemKeyHash), skIdem))
		}
	}
	items := make([]types.TransactWriteItem, 0, len(keys))
	for _, k := range keys {
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.table, Key: k}})
	}
	// The erasure log names it (by id only), for a re-erasure after a
	// point-in-time restore.
	items = append(items, s.erasureLogPut(ErasedAssessment, a.ID, time.Now()))
	items[0].Delete.ConditionExpression = aws.String("attribute_not_exists(colleagueSeq) AND " + viewSeqCondition(a.ViewSeq))
	items[0].Delete.ExpressionAttributeValues = map[string]types.AttributeValue{}
	if a.ColleagueSeq > 0 {
		items[0].Delete.ConditionExpression = aws.String("colleagueSeq = :seq AND " + viewSeqCondition(a.ViewSeq))
		items[0].Delete.ExpressionAttributeValues[":seq"] = num(a.ColleagueSeq)
	}
	if a.ViewSeq > 0 {
		items[0].Delete.ExpressionAttributeValues[":vseq"] = num(a.ViewSeq)
	}
	if len(items[0].Delete.ExpressionAttributeValues) == 0 {
		items[0].Delete.ExpressionAttributeValues = nil
	}
	if _, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items}); err != nil {
		if isConditionFailed(err) {
			return assessment.ErrConditionFailed
		}
		return storeErr(err, "delete assessment")
	}
	// Its own actions: after META is gone, so none can be added meanwhile.
	if err := s.sweepAssessment(ctx, a.ID); err != nil {
		return err
	}
	// The read-only links (issue 20), after META: without it they prove
	// nothing. META's condition above made sure none was made since the
	// read; kept out of the transaction, which colleagues fill.
	if err := s.batchDelete(ctx, viewerKeys(assessmentPK(a.ID), a.Viewers), "erase read-only links"); err != nil {
		return err
	}
	if a.Seat != "" {
		// Erasing the seat's assessment frees its place in the round, so
		// the council can start again. Conditional: the slot may already
		// have been released and taken by another assessment.
		_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.table, Key: key(partnershipPK(a.PartnershipID), slotSK(a.Round, a.Seat)),
			ConditionExpression:       aws.String("assessment = :a"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":a": str(a.ID)}})
		if err != nil && !isConditionFailed(err) {
			return storeErr(err, "release seat slot")
		}
		// The council erased its assessment: the joint actions its seat
		// owns lose their personal data (owner's name, progress notes).
		if err := s.EraseSeatActions(ctx, a.PartnershipID, a.Seat); err != nil {
			return err
		}
	}
	if a.CopiedFrom != "" {
		// Erasing a health-check lets the council start it again from the
		// previous round. Conditional, so a deleted source is not re-created.
		_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.table, Key: key(assessmentPK(a.CopiedFrom), skMeta),
			UpdateExpression:          aws.String("REMOVE successorRound"),
			ConditionExpression:       aws.String("successorRound = :r"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":r": num(int64(a.Round))}})
		if err != nil && !isConditionFailed(err) {
			return storeErr(err, "release health-check")
		}
	}
	return nil
}

// notHeld is the condition a save puts on each item it writes: no submit
// holds it (:nowms is the save's time in Unix milliseconds).
const notHeld = "(attribute_not_exists(heldUntil) OR heldUntil < :nowms)"

// HoldForSubmit marks META and every area item of a draft as held by a
// submit until until, in one transaction: saves (which check notHeld) fail
// until then, so the submit that follows sees revisions that stay put. It
// writes no answer and changes no revision. It returns
// assessment.ErrConditionFailed when the assessment is no longer a draft.
func (s *Store) HoldForSubmit(ctx context.Context, a *assessment.Assessment, until time.Time) error {
	hold := map[string]types.AttributeValue{":until": num(until.UnixMilli()), ":draft": str(assessment.Draft)}
	items := []types.TransactWriteItem{{Update: &types.Update{TableName: &s.table, Key: key(assessmentPK(a.ID), skMeta),
		UpdateExpression: aws.String("SET heldUntil = :until"), ConditionExpression: aws.String("#st = :draft"),
		ExpressionAttributeNames: map[string]string{"#st": "status"}, ExpressionAttributeValues: hold}}}
	areas := make([]string, 0, len(a.Revisions))
	for area := range a.Revisions {
		areas = append(areas, area)
	}
	sort.Strings(areas)
	for _, area := range areas {
		items = append(items, types.TransactWriteItem{Update: &types.Update{TableName: &s.table, Key: key(assessmentPK(a.ID), areaPrefix+area),
			UpdateExpression: aws.String("SET heldUntil = :until"), ConditionExpression: aws.String("#st = :draft"),
			ExpressionAttributeNames: map[string]string{"#st": "status"}, ExpressionAttributeValues: hold}})
	}
	out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		if isConditionFailed(err) {
			return assessment.ErrConditionFailed
		}
		return storeErr(err, "hold for submit")
	}
	s.record("HoldForSubmit", out.ConsumedCapacity...)
	return nil
}

// RotateToken replaces an assessment's token hash on its meta item and on
// its membership (every copy of the hash, docs/design.md D1) in one
// transaction, on condition that the hash is still the one read; the
// mailed reminder token is dropped with it, so every old link stops working.
func (s *Store) RotateToken(ctx context.Context, a *assessment.Assessment, hash []byte) error {
	return s.replaceLead(ctx, a, hash, nil)
}

// HandOver replaces the lead's token hash as RotateToken does and, in the
// same transaction, the respondent the assessment records (issue 19).
func (s *Store) HandOver(ctx context.Context, a *assessment.Assessment, hash []byte, lead assessment.Respondent) error {
	return s.replaceLead(ctx, a, hash, &lead)
}

func (s *Store) replaceLead(ctx context.Context, a *assessment.Assessment, hash []byte, lead *assessment.Respondent) error {
	meta := &types.Update{TableName: &s.table, Key: key(assessmentPK(a.ID), skMeta),
		UpdateExpression:    aws.String("SET tokenHash = :new REMOVE mailedTokenHash"),
		ConditionExpression: aws.String("tokenHash = :old"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":new": &types.AttributeValueMemberB{Value: hash}, ":old": &types.AttributeValueMemberB{Value: a.TokenHash}}}
	if lead != nil {
		// name and role are reserved words in DynamoDB's expressions.
		meta.ExpressionAttributeNames = map[string]string{"#name": "name", "#role": "role"}
		meta.ExpressionAttributeValues[":name"] = &types.AttributeValueMemberS{Value: lead.Name}
		meta.ExpressionAttributeValues[":role"] = &types.AttributeValueMemberS{Value: lead.Role}
		if lead.Email != "" {
			meta.ExpressionAttributeValues[":email"] = &types.AttributeValueMemberS{Value: lead.Email}
			meta.UpdateExpression = aws.String("SET tokenHash = :new, #name = :name, #role = :role, email = :email REMOVE mailedTokenHash")
		} else {
			meta.UpdateExpression = aws.String("SET tokenHash = :new, #name = :name, #role = :role REMOVE mailedTokenHash, email")
		}
	}
	items := []types.TransactWriteItem{{Update: meta}}
	if a.PartnershipID != "" {
		items = append(items, types.TransactWriteItem{Update: &types.Update{TableName: &s.table, Key: key(partnershipPK(a.PartnershipID), memberSK(a.Round, a.ID)),
			UpdateExpression:          aws.String("SET tokenHash = :new"),
			ConditionExpression:       aws.String("attribute_exists(pk)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":new": &types.AttributeValueMemberB{Value: hash}}}})
	}
	_, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if isConditionFailed(err) {
		return failure.New(failure.Conflict, "The link was changed at the same time; ask again.")
	}
	return storeErr(err, "rotate token")
}
