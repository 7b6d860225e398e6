package dynamo

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/reminders"
	"github.com/openrasp/rasp/shared/secret"
)

// Scanner is the one Scan the migration needs. The store's API has no Scan
// on purpose (no request path may read the whole table); a one-off backfill,
// run by an operator, is the exception, so it is handed the client itself.
type Scanner interface {
	Scan(ctx context.Context, in *dynamodb.ScanInput, opts ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
}

// SeatPlan is what the seat migration does (or would do) to one partnership.
type SeatPlan struct {
	Partnership string
	Name        string
	// Seats are the member councils found in its rounds, one per NameKey,
	// named as first typed.
	Seats []PlannedSeat
	// Skipped says why nothing is done (already has seats, too many councils).
	Skipped string
}

// PlannedSeat is one seat the migration creates.
type PlannedSeat struct {
	ID, Council string
	Members     int // memberships (assessments in rounds) that get this seat
	// Invitation is the seat's new invitation token, set only when applied:
	// it is shown once to the operator to pass on (only its hash is kept).
	Invitation string
}

// MigrateSeats turns the member councils of partnerships from before seats
// into seats (docs/design.md D9): one seat per council name (by
// partnership.NameKey) among the non-prospective members of every round,
// each membership and its assessment given the seat, each round the seats
// it expects (the open round every seat; a closed round the councils that
// were in it), and one slot per seat and round. Without apply it only
// plans. It is safe to run again: partnerships with seats are skipped, and
// every write is conditional.
func (s *Store) MigrateSeats(ctx context.Context, scan Scanner, apply bool, now time.Time) ([]SeatPlan, error) {
	ids, err := s.partnershipIDs(ctx, scan)
	if err != nil {
		return nil, err
	}
	var plans []SeatPlan
	for _, id := range ids {
		p, err := s.LoadPartnership(ctx, id)
		if failure.CodeOf(err) == failure.NotFound {
			continue // erased since the scan
		}
		if err != nil {
			return plans, err
		}
		plan := SeatPlan{Partnership: p.ID, Name: p.Name}
		if len(p.Seats) > 0 {
			plan.Skipped = "already has seats"
			plans = append(plans, plan)
			continue
		}
		seatOf := map[string]int{} // NameKey → index in plan.Seats
		for _, r := range p.Rounds {
			for _, m := range r.Members {
				if m.Prospective {
					continue
				}
				k := partnership.NameKey(m.Council)
				i, ok := seatOf[k]
				if !ok {
					i = len(plan.Seats)
					seatOf[k] = i
					plan.Seats = append(plan.Seats, PlannedSeat{ID: secret.NewID(), Council: partnership.CleanName(m.Council)})
				}
				plan.Seats[i].Members++
			}
		}
		if len(plan.Seats) > partnership.MaxSeats {
			plan.Skipped = fmt.Sprintf("%d councils: more than %d seats", len(plan.Seats), partnership.MaxSeats)
		}
		if apply && plan.Skipped == "" && len(plan.Seats) > 0 {
			if err := s.applySeats(ctx, p, &plan, seatOf, now); err != nil {
				return plans, fmt.Errorf("partnership %s: %w", p.ID, err)
			}
		}
		plans = append(plans, plan)
	}
	return plans, nil
}

// partnershipIDs lists every partnership's id with a paginated Scan of the
// META items (a filter: the read costs the whole table, once).
func (s *Store) partnershipIDs(ctx context.Context, scan Scanner) ([]string, error) {
	in := &dynamodb.ScanInput{TableName: &s.table, ConsistentRead: aws.Bool(true),
		FilterExpression:          aws.String("sk = :meta AND kind = :p"),
		ProjectionExpression:      aws.String("id"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":meta": str(skMeta), ":p": str(kindPartnership)}}
	var ids []string
	for {
		out, err := scan.Scan(ctx, in)
		if err != nil {
			return nil, storeErr(err, "scan partnerships")
		}
		for _, it := range out.Items {
			if v, ok := it["id"].(*types.AttributeValueMemberS); ok {
				ids = append(ids, v.Value)
			}
		}
		if out.LastEvaluatedKey == nil {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	sort.Strings(ids)
	return ids, nil
}

// applySeats writes one partnership's seats: first, in one transaction, the
// seats, their name guards and the partnership's hasSeats mark (on condition
// it has none: a concurrent run loses cleanly); then, item by item and each
// conditional, the memberships, assessments, rounds and slots.
func (s *Store) applySeats(ctx context.Context, p *partnership.Partnership, plan *SeatPlan, seatOf map[string]int, now time.Time) error {
	notExists := aws.String("attribute_not_exists(pk)")
	items := []types.TransactWriteItem{{Update: &types.Update{TableName: &s.table, Key: key(partnershipPK(p.ID), skMeta),
		UpdateExpression:          aws.String("SET hasSeats = :t"),
		ConditionExpression:       aws.String("attribute_exists(pk) AND attribute_not_exists(hasSeats)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":t": &types.AttributeValueMemberBOOL{Value: true}}}}}
	for i := range plan.Seats {
		ps := &plan.Seats[i]
		ps.Invitation = secret.NewToken()
		seat, err := attributevalue.MarshalMap(seatToItem(p.ID, partnership.Seat{ID: ps.ID, Name: ps.Council,
			TokenHash: secret.Hash(ps.Invitation), AddedAt: now, Position: i}))
		if err != nil {
			return failure.Wrap(failure.Internal, err, "marshal seat")
		}
		guard, err := attributevalue.MarshalMap(guardItem{PK: partnershipPK(p.ID), SK: seatNameSK(ps.Council), Kind: "seat-name", Seat: ps.ID})
		if err != nil {
			return failure.Wrap(failure.Internal, err, "marshal seat name")
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: seat, ConditionExpression: notExists}},
			types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: guard, ConditionExpression: notExists}})
	}
	if _, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items}); err != nil {
		if isConditionFailed(err) {
			return failure.New(failure.Conflict, "seats were added meanwhile; run the migration again")
		}
		return storeErr(err, "migrate seats")
	}
	for _, r := range p.Rounds {
		expected := []string{}
		seen := map[string]bool{}
		// The latest member of a seat in a round holds its slot.
		slot := map[string]string{}
		latest := map[string]time.Time{}
		for _, m := range r.Members {
			if m.Prospective {
				continue
			}
			sid := plan.Seats[seatOf[partnership.NameKey(m.Council)]].ID
			if err := s.setSeat(ctx, partnershipPK(p.ID), memberSK(r.Number, m.Assessment), sid); err != nil {
				return err
			}
			if err := s.setSeat(ctx, assessmentPK(m.Assessment), skMeta, sid); err != nil {
				return err
			}
			if !seen[sid] {
				seen[sid] = true
				expected = append(expected, sid)
			}
			if m.JoinedAt.After(latest[sid]) || slot[sid] == "" {
				slot[sid], latest[sid] = m.Assessment, m.JoinedAt
			}
		}
		if r.Status == partnership.Open {
			// The open round waits for every member council, as new rounds do.
			expected = expected[:0]
			for _, ps := range plan.Seats {
				expected = append(expected, ps.ID)
			}
		}
		ev, err := attributevalue.Marshal(expected)
		if err != nil {
			return failure.Wrap(failure.Internal, err, "marshal expected")
		}
		_, err = s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.table, Key: key(partnershipPK(p.ID), roundSK(r.Number)),
			UpdateExpression: aws.String("SET expected = :e"), ConditionExpression: aws.String("attribute_exists(pk) AND attribute_not_exists(expected)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":e": ev}})
		if err != nil && !isConditionFailed(err) {
			return storeErr(err, "migrate round")
		}
		for sid, aid := range slot {
			g, err := attributevalue.MarshalMap(guardItem{PK: partnershipPK(p.ID), SK: slotSK(r.Number, sid), Kind: "seat-slot", Assessment: aid})
			if err != nil {
				return failure.Wrap(failure.Internal, err, "marshal slot")
			}
			_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: g, ConditionExpression: notExists})
			if err != nil && !isConditionFailed(err) {
				return storeErr(err, "migrate slot")
			}
		}
	}
	return nil
}

// setSeat gives an existing item its seat, unless it has one (or is gone).
func (s *Store) setSeat(ctx context.Context, pk, sk, sid string) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.table, Key: key(pk, sk),
		UpdateExpression:          aws.String("SET seat = :s"),
		ConditionExpression:       aws.String("attribute_exists(pk) AND attribute_not_exists(seat)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":s": str(sid)}})
	if err != nil && !isConditionFailed(err) {
		return storeErr(err, "migrate seat")
	}
	return nil
}

// MigrateRetention puts each submitted assessment from before retention
// (docs/operations.md, "Retention") on the due index for it: its warning
// three years after it was submitted or last copied forward, less 30 days
// (reminders.RetentionDue). Without apply it only counts them. Safe to run
// again: each write is conditioned on the assessment being submitted and
// not yet on the index.
func (s *Store) MigrateRetention(ctx context.Context, scan Scanner, apply bool) (int, error) {
	in := &dynamodb.ScanInput{TableName: &s.table, ConsistentRead: aws.Bool(true),
		FilterExpression:          aws.String("sk = :meta AND kind = :a AND #st = :sub AND attribute_not_exists(dueAt)"),
		ProjectionExpression:      aws.String("id, submittedAt, copiedForwardAt"),
		ExpressionAttributeNames:  map[string]string{"#st": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":meta": str(skMeta), ":a": str(kindAssess), ":sub": str(assessment.Submitted)}}
	n := 0
	for {
		out, err := scan.Scan(ctx, in)
		if err != nil {
			return n, storeErr(err, "scan submitted assessments")
		}
		for _, it := range out.Items {
			var m struct {
				ID              string `dynamodbav:"id"`
				SubmittedAt     string `dynamodbav:"submittedAt"`
				CopiedForwardAt string `dynamodbav:"copiedForwardAt"`
			}
			if err := attributevalue.UnmarshalMap(it, &m); err != nil {
				return n, failure.Wrap(failure.Internal, err, "unmarshal assessment")
			}
			from, err := time.Parse(timeFormat, m.SubmittedAt)
			if err != nil {
				return n, failure.Wrap(failure.Internal, err, "assessment %s: submittedAt", m.ID)
			}
			if cf, err := time.Parse(timeFormat, m.CopiedForwardAt); err == nil && cf.After(from) {
				from = cf
			}
			n++
			if !apply {
				continue
			}
			_, err = s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.table, Key: key(assessmentPK(m.ID), skMeta),
				UpdateExpression:         aws.String("SET dueShard = :shard, dueAt = :due"),
				ConditionExpression:      aws.String("#st = :sub AND attribute_not_exists(dueAt)"),
				ExpressionAttributeNames: map[string]string{"#st": "status"},
				ExpressionAttributeValues: map[string]types.AttributeValue{":shard": str(DueShard), ":sub": str(assessment.Submitted),
					":due": str(reminders.RetentionDue(from).UTC().Format(timeFormat))}})
			if err != nil && !isConditionFailed(err) {
				return n, storeErr(err, "put on the due index")
			}
		}
		if out.LastEvaluatedKey == nil {
			return n, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}
