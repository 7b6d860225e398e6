package dynamo

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/reminders"
)

var _ reminders.ActionStore = (*Store)(nil)

// Reminder attributes of a joint action's item (P#<pid> ACT#<id>):
//
//	dueShard, dueAt         the due index's keys (action.NextReminder), set by every write
//	soonSent, overdueSent   the due date each reminder was claimed for
//	stopKeys                "<recipient>#<hash>" of every stop link mailed (a string set)
//	stoppedFor              the recipients who used theirs (a string set)
//
// Each write here is one conditional UpdateItem that also counts a write
// of the action (rev), so an edit read before it fails its rev condition
// instead of writing the old values back.

// openStatus is true while an action is planned or in progress.
const openStatus = "#st IN (:planned, :inprogress)"

func openValues(v map[string]types.AttributeValue) map[string]types.AttributeValue {
	v[":planned"], v[":inprogress"] = str(string(action.Planned)), str(string(action.InProgress))
	return v
}

// setOrRemove adds "name = :value" to set, or name to remove when value is "".
func setOrRemove(set, remove []string, values map[string]types.AttributeValue, name, value string) ([]string, []string) {
	if value == "" {
		return set, append(remove, name)
	}
	values[":"+name] = str(value)
	return append(set, name+" = :"+name), remove
}

func updateExpr(set, remove, add []string) string {
	expr := ""
	for _, part := range []struct {
		verb  string
		terms []string
	}{{"SET", set}, {"REMOVE", remove}, {"ADD", add}} {
		if len(part.terms) == 0 {
			continue
		}
		if expr != "" {
			expr += " "
		}
		expr += part.verb + " "
		for i, t := range part.terms {
			if i > 0 {
				expr += ", "
			}
			expr += t
		}
	}
	return expr
}

// ClaimActionReminder records c in one conditional write: the sent
// records, the entry moved to c.Next (or off the index), the stop keys
// added and rev moved on, iff the action is open, at revision c.Rev and its
// entry still at c.Seen.
func (s *Store) ClaimActionReminder(ctx context.Context, c reminders.ActionClaim) error {
	values := openValues(map[string]types.AttributeValue{":rev": num(int64(c.Rev)), ":seen": str(c.Seen), ":one": num(1)})
	var set, remove []string
	set, remove = setOrRemove(set, remove, values, "soonSent", c.SoonSent)
	set, remove = setOrRemove(set, remove, values, "overdueSent", c.OverdueSent)
	if c.Next.IsZero() {
		remove = append(remove, "dueShard", "dueAt")
	} else {
		set = append(set, "dueAt = :next")
		values[":next"] = str(c.Next.UTC().Format(timeFormat))
	}
	add := []string{"rev :one"}
	if len(c.StopKeys) > 0 {
		add = append(add, "stopKeys :keys")
		values[":keys"] = &types.AttributeValueMemberSS{Value: c.StopKeys}
	}
	return s.update(ctx, "ClaimActionReminder", &dynamodb.UpdateItemInput{
		Key:                       key(partnershipPK(c.Partnership), actionSK(c.Action)),
		UpdateExpression:          aws.String(updateExpr(set, remove, add)),
		ConditionExpression:       aws.String("rev = :rev AND dueAt = :seen AND " + openStatus),
		ExpressionAttributeNames:  map[string]string{"#st": "status"},
		ExpressionAttributeValues: values,
	})
}

// ReleaseActionReminder puts the sent records and the entry back as they
// were before c, iff nothing wrote the action since the claim. The stop
// keys stay: if a mail went out after all, its link must work.
func (s *Store) ReleaseActionReminder(ctx context.Context, c reminders.ActionClaim) error {
	values := map[string]types.AttributeValue{":claimed": num(int64(c.Rev + 1)), ":seen": str(c.Seen), ":due": str(DueShard), ":one": num(1)}
	set, remove := []string{"dueShard = :due", "dueAt = :seen"}, []string(nil)
	set, remove = setOrRemove(set, remove, values, "soonSent", c.PrevSoonSent)
	set, remove = setOrRemove(set, remove, values, "overdueSent", c.PrevOverdueSent)
	return s.update(ctx, "ReleaseActionReminder", &dynamodb.UpdateItemInput{
		Key:                       key(partnershipPK(c.Partnership), actionSK(c.Action)),
		UpdateExpression:          aws.String(updateExpr(set, remove, []string{"rev :one"})),
		ConditionExpression:       aws.String("rev = :claimed"),
		ExpressionAttributeValues: values,
	})
}

// ActionReminderStops reads an action's stop keys (one GetItem, 0.5 RCU).
func (s *Store) ActionReminderStops(ctx context.Context, pid, aid string) ([]string, []string, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(partnershipPK(pid), actionSK(aid)),
		ProjectionExpression: aws.String("pk, stopKeys, stoppedFor"), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		return nil, nil, storeErr(err, "read action stop links")
	}
	if out.ConsumedCapacity != nil {
		s.record("ActionReminderStops", *out.ConsumedCapacity)
	}
	if out.Item == nil {
		return nil, nil, failure.New(failure.NotFound, "no such action")
	}
	var v struct {
		StopKeys   []string `dynamodbav:"stopKeys,stringset"`
		StoppedFor []string `dynamodbav:"stoppedFor,stringset"`
	}
	if err := attributevalue.UnmarshalMap(out.Item, &v); err != nil {
		return nil, nil, failure.Wrap(failure.Internal, err, "unmarshal action stop links")
	}
	return v.StopKeys, v.StoppedFor, nil
}

// StopActionReminders adds recipient to the action's stoppedFor, iff
// stopKey is one of its stop keys: one conditional write, no read.
func (s *Store) StopActionReminders(ctx context.Context, pid, aid, recipient, stopKey string) error {
	err := s.update(ctx, "StopActionReminders", &dynamodb.UpdateItemInput{
		Key:                 key(partnershipPK(pid), actionSK(aid)),
		UpdateExpression:    aws.String("ADD stoppedFor :r, rev :one"),
		ConditionExpression: aws.String("contains(stopKeys, :k)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":r": &types.AttributeValueMemberSS{Value: []string{recipient}}, ":k": str(stopKey), ":one": num(1)},
	})
	if errors.Is(err, reminders.ErrTaken) {
		return failure.New(failure.NotFound, "no action with this stop link")
	}
	return err
}

// actionDueAt is when the reminders job next has something to do for a:
// action.NextReminder, nothing once it is done or dropped.
func actionDueAt(a action.Action) (time.Time, bool) { return a.NextReminder() }
