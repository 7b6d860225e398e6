package dynamo

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/secret"
)

// Seat management and the administrators' acts log:
//
//	P#<pid>  LOG#<at>#<id>  one administrator's act (open, close, add, rename, withdraw, admins)
//
// Each act is written in the same transaction as the change it records, so
// the log has an entry exactly when the change happened, and it is read in
// the partnership's one Query.

const logPrefix = "LOG#"

// sortableTime has a fixed width, so sort keys order as times do
// (RFC3339Nano drops trailing zeros: ".57" would sort after ".571").
const sortableTime = "2006-01-02T15:04:05.000000000Z"

type actItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Kind      string `dynamodbav:"kind"`
	Act       string `dynamodbav:"act"`
	At        string `dynamodbav:"at"`
	Round     int    `dynamodbav:"round,omitempty"`
	Seat      string `dynamodbav:"seat,omitempty"`
	Council   string `dynamodbav:"council,omitempty"`
	Previous  string `dynamodbav:"previous,omitempty"`
	Erased    bool   `dynamodbav:"erased,omitempty"`
	Automatic bool   `dynamodbav:"automatic,omitempty"`
}

// actPut is the Put of act into the log of partnership pid. Its sort key
// begins with the time, so the log reads oldest first; the random tail
// keeps two acts of one millisecond apart.
func (s *Store) actPut(pid string, a partnership.Act) (types.TransactWriteItem, error) {
	at := a.At.UTC().Format(timeFormat)
	av, err := attributevalue.MarshalMap(actItem{PK: partnershipPK(pid), SK: logPrefix + a.At.UTC().Format(sortableTime) + "#" + secret.NewID(), Kind: "act", Act: a.Kind, At: at,
		Round: a.Round, Seat: a.Seat, Council: a.Council, Previous: a.Previous, Erased: a.Erased, Automatic: a.Automatic})
	if err != nil {
		return types.TransactWriteItem{}, failure.Wrap(failure.Internal, err, "marshal act")
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: av, ConditionExpression: aws.String("attribute_not_exists(pk)")}}, nil
}

func unmarshalAct(item map[string]types.AttributeValue) (partnership.Act, error) {
	var it actItem
	if err := attributevalue.UnmarshalMap(item, &it); err != nil {
		return partnership.Act{}, failure.Wrap(failure.Internal, err, "unmarshal act")
	}
	a := partnership.Act{Kind: it.Act, Round: it.Round, Seat: it.Seat, Council: it.Council, Previous: it.Previous, Erased: it.Erased, Automatic: it.Automatic}
	a.At, _ = time.Parse(timeFormat, it.At)
	return a, nil
}

var errNameTaken = failure.Fields("Check the member council.", failure.FieldError{Field: "name", Message: "Another member council of this partnership already has this name"})

// AddSeat writes the seat, its name guard and the act in one transaction,
// with the partnership's existence checked, and when round > 0 adds the seat
// to that round's expected seats on condition the round is still open.
func (s *Store) AddSeat(ctx context.Context, pid string, st partnership.Seat, round int, act partnership.Act, idem *idempotency.Record) error {
	seat, err := attributevalue.MarshalMap(seatToItem(pid, st))
	if err != nil {
		return failure.Wrap(failure.Internal, err, "marshal seat")
	}
	guard, err := attributevalue.MarshalMap(guardItem{PK: partnershipPK(pid), SK: seatNameSK(st.Name), Kind: "seat-name", Seat: st.ID})
	if err != nil {
		return failure.Wrap(failure.Internal, err, "marshal seat name")
	}
	logged, err := s.actPut(pid, act)
	if err != nil {
		return err
	}
	notExists := aws.String("attribute_not_exists(pk)")
	items := []types.TransactWriteItem{
		// A partnership created without seats gets them with its first:
		// from then on member councils join through invitations (D9).
		{Update: &types.Update{TableName: &s.table, Key: key(partnershipPK(pid), skMeta),
			UpdateExpression: aws.String("SET hasSeats = :t"), ConditionExpression: aws.String("attribute_exists(pk)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":t": &types.AttributeValueMemberBOOL{Value: true}}}},
		{Put: &types.Put{TableName: &s.table, Item: guard, ConditionExpression: notExists}},
		{Put: &types.Put{TableName: &s.table, Item: seat, ConditionExpression: notExists}},
		logged,
	}
	if round > 0 {
		items = append(items, types.TransactWriteItem{Update: &types.Update{TableName: &s.table, Key: key(partnershipPK(pid), roundSK(round)),
			UpdateExpression:          aws.String("SET expected = list_append(expected, :sid)"),
			ConditionExpression:       aws.String("#st = :open"),
			ExpressionAttributeNames:  map[string]string{"#st": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":sid": &types.AttributeValueMemberL{Value: []types.AttributeValue{str(st.ID)}}, ":open": str(partnership.Open)}}})
	}
	if idem != nil {
		put, err := s.idemPut(idem)
		if err != nil {
			return err
		}
		items = append(items, put)
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if codes, ok := cancelReasons(err); ok {
		switch {
		case codes[0] == "ConditionalCheckFailed":
			return failure.New(failure.NotFound, "There is no partnership with this id and token.")
		case codes[1] == "ConditionalCheckFailed":
			return errNameTaken
		case idem != nil && codes[len(codes)-1] == "ConditionalCheckFailed":
			return idempotency.ErrKeyUsed
		case round > 0 && codes[4] == "ConditionalCheckFailed":
			return failure.Said(failure.Conflict, "error.store.roundClosedMeanwhile", "Round", round)
		}
	}
	return storeErr(err, "add seat")
}

// RenameSeat renames seat st on condition its name is still the one read,
// moving its name guard when the name key changes (a change of case or
// spacing keeps the guard).
func (s *Store) RenameSeat(ctx context.Context, pid string, st partnership.Seat, name string, act partnership.Act) error {
	logged, err := s.actPut(pid, act)
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{
		{Update: &types.Update{TableName: &s.table, Key: key(partnershipPK(pid), seatSK(st.ID)),
			UpdateExpression:          aws.String("SET #name = :new"),
			ConditionExpression:       aws.String("#name = :old AND attribute_not_exists(withdrawnAt)"),
			ExpressionAttributeNames:  map[string]string{"#name": "name"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":new": str(name), ":old": str(st.Name)}}},
		logged,
	}
	if moved := seatNameSK(name) != seatNameSK(st.Name); moved {
		guard, err := attributevalue.MarshalMap(guardItem{PK: partnershipPK(pid), SK: seatNameSK(name), Kind: "seat-name", Seat: st.ID})
		if err != nil {
			return failure.Wrap(failure.Internal, err, "marshal seat name")
		}
		items = append(items,
			types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: guard, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
			types.TransactWriteItem{Delete: &types.Delete{TableName: &s.table, Key: key(partnershipPK(pid), seatNameSK(st.Name))}})
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if codes, ok := cancelReasons(err); ok {
		switch {
		case codes[0] == "ConditionalCheckFailed":
			return failure.Said(failure.Conflict, "error.store.seatChanged", "Council", st.Name)
		case len(codes) > 2 && codes[2] == "ConditionalCheckFailed":
			return errNameTaken
		}
	}
	return storeErr(err, "rename seat")
}

// maxTransact is DynamoDB's limit of items in one transaction.
const maxTransact = 100

// WithdrawSeat marks the seat withdrawn, frees its name and removes the
// shared notes from its memberships, with the act, in one transaction; a
// seat with more memberships carrying notes than one transaction holds has
// the rest removed just after (REMOVE is safe to repeat).
func (s *Store) WithdrawSeat(ctx context.Context, p *partnership.Partnership, sid string, act partnership.Act) error {
	st, ok := p.Seat(sid)
	if !ok {
		return failure.New(failure.NotFound, "The partnership has no such member council.")
	}
	logged, err := s.actPut(p.ID, act)
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{
		{Update: &types.Update{TableName: &s.table, Key: key(partnershipPK(p.ID), seatSK(sid)),
			// The mailed token goes too: a withdrawn seat's links stop working.
			UpdateExpression:          aws.String("SET withdrawnAt = :at REMOVE mailedTokenHash"),
			ConditionExpression:       aws.String("attribute_exists(pk) AND attribute_not_exists(withdrawnAt)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":at": str(act.At.UTC().Format(timeFormat))}}},
		logged,
		{Delete: &types.Delete{TableName: &s.table, Key: key(partnershipPK(p.ID), seatNameSK(st.Name)),
			ConditionExpression: aws.String("attribute_not_exists(pk) OR seat = :sid"), ExpressionAttributeValues: map[string]types.AttributeValue{":sid": str(sid)}}},
	}
	// Past comparisons keep the council's scores but not its words
	// (docs/design.md D10).
	var rest []types.TransactWriteItem
	for _, r := range p.Rounds {
		for _, m := range r.Members {
			if m.Seat != sid || len(m.Notes) == 0 {
				continue
			}
			u := types.TransactWriteItem{Update: &types.Update{TableName: &s.table, Key: key(partnershipPK(p.ID), memberSK(r.Number, m.Assessment)),
				UpdateExpression: aws.String("REMOVE notes, shareNotes"), ConditionExpression: aws.String("attribute_exists(pk)")}}
			if len(items) < maxTransact {
				items = append(items, u)
			} else {
				rest = append(rest, u)
			}
		}
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if codes, ok := cancelReasons(err); ok && codes[0] == "ConditionalCheckFailed" {
		return failure.Said(failure.Conflict, "error.partnership.seat.alreadyWithdrawn", "Council", st.Name)
	}
	if err != nil {
		return storeErr(err, "withdraw seat")
	}
	for _, u := range rest {
		_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.table, Key: u.Update.Key,
			UpdateExpression: u.Update.UpdateExpression, ConditionExpression: u.Update.ConditionExpression})
		if err != nil && !isConditionFailed(err) {
			return storeErr(err, "remove withdrawn seat's notes")
		}
	}
	return nil
}
