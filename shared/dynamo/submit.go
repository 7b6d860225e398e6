package dynamo

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/reminders"
	"github.com/openrasp/rasp/shared/secret"
)

// A submit freezes the answers without a transaction over the area items
// (issue 22): a transaction bills every item twice, and area items with
// notes are 1–2 KB each, so freezing five of them in the transaction cost
// 20 of submit's 25 WRU. It has two steps.
//
//  1. Seal. Each area item, in key order, one plain UpdateItem: status =
//     submitted, sealedBy = the submit's own id, sealedAt, on condition that
//     its revision is the one read and it is a draft. From then on every save
//     of the area fails its status = draft condition, as after a submit.
//  2. Commit. One transaction: META becomes submitted, on condition that it
//     is a draft and the submit's id is not in META's abortedSubmits, and the
//     membership gets the score snapshot.
//
// Until the commit META says draft, so every reader sees a draft with its
// answers unchanged (sealing changes no answer and no revision). Load reports
// a fresh seal as a hold, so a save that meets one is told to retry (503).
//
// A seal is lifted only after its submit has been aborted: abortSubmit adds
// the id to META's abortedSubmits (on condition that META is a draft), and
// only then puts the areas sealed with that id back to draft. The commit is
// conditioned on the id not being there, so an aborted submit can never
// commit, and a submit that committed can never be aborted (META is no longer
// a draft). Hence an acknowledged save either landed before its area was
// sealed — then the revision read includes it, or the seal's revision
// condition fails and the submit aborts — or it was refused.
//
// A submit aborts itself when a seal or the commit fails. One that died
// between the steps (or whose abort failed) leaves seals behind: Load lifts
// them once they are older than the lease, aborting the submit first. Its
// commit, if it still arrives, then fails.

// DefaultSubmitLease is how long a submit's seals hold saves off before Load
// takes them for the seals of a submit that died. It bounds only how long a
// draft can stay blocked; correctness never depends on it (see above).
const DefaultSubmitLease = assessment.SubmitHold

// SubmitLease sets how long a submit's seals are taken to be alive (tests
// shorten it to see a dead submit's seals lifted).
func SubmitLease(d time.Duration) Option {
	return func(s *Store) {
		if d > 0 {
			s.submitLease = d
		}
	}
}

func (s *Store) lease() time.Duration {
	if s.submitLease > 0 {
		return s.submitLease
	}
	return DefaultSubmitLease
}

// Submit seals every area item read, each conditioned on the revision
// scored, then marks the assessment submitted and copies the scores (and the
// notes shared) into the partnership membership in one transaction.
func (s *Store) Submit(ctx context.Context, a *assessment.Assessment, now time.Time, snapshot string, shared map[string]string) error {
	sid := secret.NewID()
	areas := make([]string, 0, len(a.Revisions))
	for area := range a.Revisions {
		areas = append(areas, area)
	}
	sort.Strings(areas)
	sealed := make([]string, 0, len(areas))
	for _, area := range areas {
		out, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName: &s.table, Key: key(assessmentPK(a.ID), areaPrefix+area),
			UpdateExpression:         aws.String("SET #st = :sub, sealedBy = :sid, sealedAt = :at REMOVE expiresAt"),
			ConditionExpression:      aws.String("rev = :rev AND #st = :draft"),
			ExpressionAttributeNames: map[string]string{"#st": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":sub": str(assessment.Submitted), ":draft": str(assessment.Draft),
				":sid": str(sid), ":at": num(time.Now().UnixMilli()), ":rev": num(a.Revisions[area])},
			ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
		})
		if err != nil {
			// A save landed since the read (or another submit sealed the
			// area first): give back what this submit sealed.
			s.abortSubmit(ctx, a.ID, sid, sealed)
			if isConditionFailed(err) {
				return assessment.ErrConditionFailed
			}
			return storeErr(err, "submit assessment")
		}
		if out.ConsumedCapacity != nil {
			s.record("Submit", *out.ConsumedCapacity)
		}
		sealed = append(sealed, area)
	}

	ts := now.Format(timeFormat)
	items := []types.TransactWriteItem{{Update: &types.Update{
		TableName: &s.table, Key: key(assessmentPK(a.ID), skMeta),
		// The due entry moves from the draft's reminders to the retention
		// warning, three years on less 30 days (reminders.RetentionDue).
		UpdateExpression:         aws.String("SET #st = :sub, submittedAt = :now, updatedAt = :now, shareNotes = :share, dueShard = :shard, dueAt = :ret REMOVE expiresAt, abortedSubmits"),
		ConditionExpression:      aws.String("#st = :draft AND (attribute_not_exists(abortedSubmits) OR NOT contains(abortedSubmits, :sid))"),
		ExpressionAttributeNames: map[string]string{"#st": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":sub": str(assessment.Submitted), ":draft": str(assessment.Draft), ":now": str(ts),
			":share": &types.AttributeValueMemberBOOL{Value: shared != nil}, ":shard": str(DueShard), ":ret": str(reminders.RetentionDue(now).UTC().Format(timeFormat)),
			":sid": str(sid)},
	}}}
	if a.PartnershipID != "" {
		update := "SET #st = :sub, submittedAt = :now, scores = :scores"
		values := map[string]types.AttributeValue{":sub": str(assessment.Submitted), ":now": str(ts), ":scores": str(snapshot)}
		if shared != nil {
			update += ", shareNotes = :share, notes = :notes"
			values[":share"], values[":notes"] = &types.AttributeValueMemberBOOL{Value: true}, notesAV(shared)
		}
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName: &s.table, Key: key(partnershipPK(a.PartnershipID), memberSK(a.Round, a.ID)),
			UpdateExpression:          aws.String(update),
			ConditionExpression:       aws.String("attribute_exists(pk)"),
			ExpressionAttributeNames:  map[string]string{"#st": "status"},
			ExpressionAttributeValues: values,
		}})
	}
	out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		// Whether it committed or not, aborting is safe: it is refused once
		// META is submitted, and then the seals stay.
		s.abortSubmit(ctx, a.ID, sid, sealed)
		if isConditionFailed(err) {
			return assessment.ErrConditionFailed
		}
		return storeErr(err, "submit assessment")
	}
	s.record("Submit", out.ConsumedCapacity...)
	return nil
}

// abortSubmit makes the submit sid unable to commit, then lifts its seals on
// areas; it reports whether the submit is aborted. Best effort: a seal it
// cannot lift is lifted by Load later (see liftSeals). The abort is refused
// once the assessment is no longer a draft, and then every seal stays.
func (s *Store) abortSubmit(ctx context.Context, id, sid string, areas []string) bool {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.table, Key: key(assessmentPK(id), skMeta),
		UpdateExpression:          aws.String("ADD abortedSubmits :sids"),
		ConditionExpression:       aws.String("#st = :draft"),
		ExpressionAttributeNames:  map[string]string{"#st": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":sids": &types.AttributeValueMemberSS{Value: []string{sid}}, ":draft": str(assessment.Draft)}})
	if err != nil {
		return false
	}
	s.unseal(ctx, id, sid, areas)
	return true
}

// unseal puts areas sealed by the aborted submit sid back to draft, each on
// condition that sid still seals it (a missing item stays missing).
func (s *Store) unseal(ctx context.Context, id, sid string, areas []string) {
	exp := num(time.Now().Add(assessment.DraftExpiry).Unix())
	for _, area := range areas {
		_, _ = s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.table, Key: key(assessmentPK(id), areaPrefix+area),
			UpdateExpression:          aws.String("SET #st = :draft, expiresAt = :exp REMOVE sealedBy, sealedAt"),
			ConditionExpression:       aws.String("sealedBy = :sid"),
			ExpressionAttributeNames:  map[string]string{"#st": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":draft": str(assessment.Draft), ":exp": exp, ":sid": str(sid)}})
	}
}

// seal is an area item sealed by a submit that has not committed.
type seal struct {
	area string
	by   string
	at   time.Time
}

// liftSeals deals with the seals Load found on a draft: those of an aborted
// submit are lifted; those older than the lease are lifted after aborting
// their submit; fresh ones hold saves off until the lease ends, which it
// returns. changed reports whether anything was written (Load reads again);
// without write it only works out the hold.
func (s *Store) liftSeals(ctx context.Context, id string, seals []seal, aborted []string, write bool) (held time.Time, changed bool) {
	bySubmit := map[string][]seal{}
	for _, sl := range seals {
		bySubmit[sl.by] = append(bySubmit[sl.by], sl)
	}
	now := time.Now()
	for sid, list := range bySubmit {
		areas := make([]string, 0, len(list))
		latest := time.Time{}
		for _, sl := range list {
			areas = append(areas, sl.area)
			if sl.at.After(latest) {
				latest = sl.at
			}
		}
		sort.Strings(areas)
		until := latest.Add(s.lease())
		if write && slices.Contains(aborted, sid) {
			s.unseal(ctx, id, sid, areas)
			changed = true
			continue
		}
		if write && now.After(until) {
			// The submit died (or is far slower than any call may be): it
			// can no longer commit once aborted.
			s.abortSubmit(ctx, id, sid, areas)
			changed = true
			continue
		}
		if until.After(held) {
			held = until
		}
	}
	return held, changed
}
