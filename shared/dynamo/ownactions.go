package dynamo

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
)

// A council's own actions are ACT#<id> items of its assessment's partition
// (A#<id>), so Load reads them in its one Query and erasing the assessment
// (Delete, ExpireDraft, Reerase) erases them. They have no TTL: a draft's
// are erased by the job that expires the draft.

func ownActionItem(aid string, o assessment.OwnAction) actionItem {
	it := actionToItem(assessmentPK(aid), o.Action)
	if o.Then != nil {
		it.Carried, it.Then = true, map[string]int{}
		for q, v := range o.Then {
			it.Then[q] = -1
			if v != nil {
				it.Then[q] = *v
			}
		}
		if !o.ThenOn.IsZero() {
			it.ThenOn = o.ThenOn.Format(timeFormat)
		}
	}
	return it
}

func unmarshalOwnAction(item map[string]types.AttributeValue) (assessment.OwnAction, error) {
	var it actionItem
	if err := attributevalue.UnmarshalMap(item, &it); err != nil {
		return assessment.OwnAction{}, failure.Wrap(failure.Internal, err, "unmarshal own action")
	}
	o := assessment.OwnAction{Action: itemToAction(it)}
	if it.Carried {
		o.Then = map[string]*int{}
		for q, v := range it.Then {
			if v >= 0 {
				v := v
				o.Then[q] = &v
			} else {
				o.Then[q] = nil
			}
		}
		o.ThenOn, _ = time.Parse(timeFormat, it.ThenOn)
	}
	return o, nil
}

// ownActionPut is the Put of a new own action (never over an existing one).
func (s *Store) ownActionPut(aid string, o assessment.OwnAction, rec *idempotency.Record) (types.TransactWriteItem, error) {
	if err := o.Validate(); err != nil {
		return types.TransactWriteItem{}, err
	}
	it := ownActionItem(aid, o)
	if rec != nil {
		it.IdemKeyHash = rec.KeyHash
	}
	item, err := attributevalue.MarshalMap(it)
	if err != nil {
		return types.TransactWriteItem{}, failure.Wrap(failure.Internal, err, "marshal own action")
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")}}, nil
}

// CreateOwnAction writes a new own action into assessment aid's partition:
// a transaction with a check that META is still there (so an action can
// never outlive its assessment's erasure, which sweeps the partition after
// deleting META) and with the Idempotency-Key's record when there is one.
func (s *Store) CreateOwnAction(ctx context.Context, aid string, o assessment.OwnAction, rec *idempotency.Record) error {
	put, err := s.ownActionPut(aid, o, rec)
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{{ConditionCheck: &types.ConditionCheck{TableName: &s.table, Key: key(assessmentPK(aid), skMeta),
		ConditionExpression: aws.String("attribute_exists(pk)")}}}
	if rec != nil {
		idem, err := s.idemPut(rec)
		if err != nil {
			return err
		}
		items = append(items, idem)
	}
	items = append(items, put)
	out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err == nil {
		s.record("CreateOwnAction", out.ConsumedCapacity...)
		return nil
	}
	if codes, ok := cancelReasons(err); ok && rec != nil && len(codes) > 1 && codes[1] == "ConditionalCheckFailed" {
		return idempotency.ErrKeyUsed
	}
	if isConditionFailed(err) {
		return failure.New(failure.NotFound, "There is no assessment with this id and token.")
	}
	return storeErr(err, "create own action")
}

// PutOwnAction writes a change to an own action, conditioned on the
// revision read.
func (s *Store) PutOwnAction(ctx context.Context, aid string, o assessment.OwnAction) error {
	if err := o.Validate(); err != nil {
		return err
	}
	item, err := attributevalue.MarshalMap(ownActionItem(aid, o))
	if err != nil {
		return failure.Wrap(failure.Internal, err, "marshal own action")
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: item,
		ConditionExpression:       aws.String("rev = :old"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":old": num(int64(o.Rev - 1))}})
	if isConditionFailed(err) {
		return failure.New(failure.Conflict, "This action changed at the same time in another window. Open it again to see that change, then make yours.")
	}
	return storeErr(err, "update own action")
}

// sweepAssessment deletes what is left of assessment id's partition after
// its erasing transaction deleted META: its own actions and their
// idempotency records. Nothing new can appear there (every write checks
// META), so one Query finds everything.
func (s *Store) sweepAssessment(ctx context.Context, id string) error {
	items, err := s.partition(ctx, assessmentPK(id), "Sweep")
	if err != nil {
		return err
	}
	var keys []map[string]types.AttributeValue
	for _, it := range items {
		if !strings.HasPrefix(strAttr(it, "sk"), actionPrefix) {
			continue
		}
		keys = append(keys, map[string]types.AttributeValue{"pk": it["pk"], "sk": it["sk"]})
		if h := strAttr(it, "idemKeyHash"); h != "" {
			keys = append(keys, key(idemPK(h), skIdem))
		}
	}
	return s.batchDelete(ctx, keys, "erase own actions of "+id)
}
