package dynamo

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
)

// Key layout of an action: in the partition of what it belongs to, so the
// one Query that loads a partnership (or an assessment) loads its actions.
//
//	P#<pid>  ACT#<id>  a joint action of the partnership
//	A#<id>   ACT#<id>  one of a council's own actions (ownactions.go)
const actionPrefix = "ACT#"

func actionSK(id string) string { return actionPrefix + id }

type actionItem struct {
	PK         string     `dynamodbav:"pk"`
	SK         string     `dynamodbav:"sk"`
	Kind       string     `dynamodbav:"kind"`
	ID         string     `dynamodbav:"id"`
	Title      string     `dynamodbav:"title"`
	Questions  []string   `dynamodbav:"questions,omitempty"`
	OwnerSeats []string   `dynamodbav:"ownerSeats,omitempty"`
	OwnerRole  string     `dynamodbav:"ownerRole,omitempty"`
	Owner      string     `dynamodbav:"owner,omitempty"`
	Due        string     `dynamodbav:"due"`
	Status     string     `dynamodbav:"status"`
	Round      int        `dynamodbav:"round"`
	CreatedAt  string     `dynamodbav:"createdAt"`
	UpdatedAt  string     `dynamodbav:"updatedAt"`
	Notes      []noteItem `dynamodbav:"notes,omitempty"`
	Rev        int        `dynamodbav:"rev"`
	SoonSent   string     `dynamodbav:"soonSent,omitempty"`
	Overdue    string     `dynamodbav:"overdueSent,omitempty"`
	// StopKeys and StoppedFor are string sets: the reminders job ADDs to them.
	StopKeys   []string `dynamodbav:"stopKeys,stringset,omitempty"`
	StoppedFor []string `dynamodbav:"stoppedFor,stringset,omitempty"`
	DueShard   string   `dynamodbav:"dueShard,omitempty"`
	DueAt      string   `dynamodbav:"dueAt,omitempty"`
	// IdemKeyHash names the Idempotency-Key record of the request that
	// created the action (erased with it).
	IdemKeyHash string `dynamodbav:"idemKeyHash,omitempty"`
	// Then and ThenOn are an own action's linked questions' scores in the
	// assessment it was kept on (-1: don't know), once carried forward.
	Then   map[string]int `dynamodbav:"then,omitempty"`
	ThenOn string         `dynamodbav:"thenOn,omitempty"`
	// Carried marks an own action copied forward (Then may be empty).
	Carried bool `dynamodbav:"carried,omitempty"`
}

type noteItem struct {
	At   string `dynamodbav:"at"`
	Text string `dynamodbav:"text"`
	By   string `dynamodbav:"by,omitempty"`
}

func actionToItem(pk string, a action.Action) actionItem {
	it := actionItem{PK: pk, SK: actionSK(a.ID), Kind: "action", ID: a.ID, Title: a.Title, Questions: a.Questions,
		OwnerSeats: a.OwnerSeats, OwnerRole: a.OwnerRole, Owner: a.Owner, Due: a.Due.Format(action.DateLayout), Status: string(a.Status),
		Round: a.Round, CreatedAt: a.CreatedAt.Format(timeFormat), UpdatedAt: a.UpdatedAt.Format(timeFormat), Rev: a.Rev,
		SoonSent: a.SoonSent, Overdue: a.OverdueSent, StopKeys: a.StopKeys, StoppedFor: a.StoppedFor}
	for _, n := range a.Notes {
		it.Notes = append(it.Notes, noteItem{At: n.At.Format(timeFormat), Text: n.Text, By: n.By})
	}
	// Only joint actions get reminders; a council's private ones do not.
	if at, ok := actionDueAt(a); ok && strings.HasPrefix(pk, "P#") {
		it.DueShard, it.DueAt = DueShard, at.Format(timeFormat)
	}
	return it
}

func itemToAction(it actionItem) action.Action {
	a := action.Action{ID: it.ID, Title: it.Title, Questions: it.Questions, OwnerSeats: it.OwnerSeats, OwnerRole: it.OwnerRole,
		Owner: it.Owner, Status: action.Status(it.Status), Round: it.Round, Rev: it.Rev, SoonSent: it.SoonSent, OverdueSent: it.Overdue,
		StopKeys: it.StopKeys, StoppedFor: it.StoppedFor}
	a.Due, _ = time.Parse(action.DateLayout, it.Due)
	a.CreatedAt, _ = time.Parse(timeFormat, it.CreatedAt)
	a.UpdatedAt, _ = time.Parse(timeFormat, it.UpdatedAt)
	for _, n := range it.Notes {
		at, _ := time.Parse(timeFormat, n.At)
		a.Notes = append(a.Notes, action.Note{At: at, Text: n.Text, By: n.By})
	}
	return a
}

func unmarshalAction(item map[string]types.AttributeValue) (action.Action, error) {
	var it actionItem
	if err := attributevalue.UnmarshalMap(item, &it); err != nil {
		return action.Action{}, failure.Wrap(failure.Internal, err, "unmarshal action")
	}
	return itemToAction(it), nil
}

// CreateAction writes a new joint action into the partnership's partition:
// a transaction with a check that the partnership's META is still there, so
// an action can never outlive its partnership's erasure, and with the
// Idempotency-Key's record when the request has one (docs/design.md D2).
func (s *Store) CreateAction(ctx context.Context, pid string, a action.Action, rec *idempotency.Record) error {
	if err := a.Validate(); err != nil {
		return err
	}
	it := actionToItem(partnershipPK(pid), a)
	items := []types.TransactWriteItem{
		{ConditionCheck: &types.ConditionCheck{TableName: &s.table, Key: key(partnershipPK(pid), skMeta),
			ConditionExpression: aws.String("attribute_exists(pk)")}},
	}
	if rec != nil {
		// The action names its key's record, so erasing the partnership
		// erases the record with the actions.
		it.IdemKeyHash = rec.KeyHash
		put, err := s.idemPut(rec)
		if err != nil {
			return err
		}
		items = append(items, put)
	}
	item, err := attributevalue.MarshalMap(it)
	if err != nil {
		return failure.Wrap(failure.Internal, err, "marshal action")
	}
	items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")}})
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if codes, ok := cancelReasons(err); ok && rec != nil && len(codes) > 1 && codes[1] == "ConditionalCheckFailed" {
		return idempotency.ErrKeyUsed
	}
	if isConditionFailed(err) {
		return failure.New(failure.NotFound, "There is no partnership with this id and token.")
	}
	return storeErr(err, "create action")
}

// PutAction writes a change to a joint action, conditioned on the revision
// read, so two editors never overwrite each other unseen.
func (s *Store) PutAction(ctx context.Context, pid string, a action.Action) error {
	if err := a.Validate(); err != nil {
		return err
	}
	item, err := attributevalue.MarshalMap(actionToItem(partnershipPK(pid), a))
	if err != nil {
		return failure.Wrap(failure.Internal, err, "marshal action")
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: item,
		ConditionExpression:       aws.String("rev = :old"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":old": num(int64(a.Rev - 1))}})
	if isConditionFailed(err) {
		return failure.New(failure.Conflict, "Someone changed this action at the same time. Open it again to see their change, then make yours.")
	}
	return storeErr(err, "update action")
}

// EraseSeatActions removes the personal data — the owner's name and the
// progress notes — from every joint action of partnership pid that seat
// sid owns (one Query of the partition, then one conditional update per
// action that has any). Withdrawing the seat or erasing its assessment
// calls it; erasing the partnership deletes the actions outright.
func (s *Store) EraseSeatActions(ctx context.Context, pid, sid string) error {
	items, err := s.partition(ctx, partnershipPK(pid), "EraseSeatActions")
	if err != nil {
		return err
	}
	for _, item := range items {
		if !strings.HasPrefix(strAttr(item, "sk"), actionPrefix) {
			continue
		}
		a, err := unmarshalAction(item)
		if err != nil {
			return err
		}
		if !slices.Contains(a.OwnerSeats, sid) || !a.HasPersonalData() {
			continue
		}
		_, err = s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.table, Key: key(partnershipPK(pid), actionSK(a.ID)),
			// rev moves on, so an edit read before the erasure cannot
			// write the name or the notes back.
			UpdateExpression:          aws.String("REMOVE #owner, notes ADD rev :one"),
			ConditionExpression:       aws.String("attribute_exists(pk)"),
			ExpressionAttributeNames:  map[string]string{"#owner": "owner"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":one": num(1)}})
		if err != nil && !isConditionFailed(err) {
			return storeErr(err, "erase action personal data")
		}
	}
	return nil
}
