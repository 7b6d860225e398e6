package dynamo

import (
	"context"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/ratelimit"
)

var _ ratelimit.Counter = (*Store)(nil)

// CountUse adds one use to a rate-limit window (docs/design.md D8) with
// one conditional UpdateItem: its own partition per key and window, so
// counting never contends with a council's data, and TTL deletes it once
// the window has passed. Over the limit the condition fails and nothing
// changes, so a refused request costs the write's capacity and no more.
func (s *Store) CountUse(ctx context.Context, key string, window time.Time, limit int, expires time.Time) (bool, error) {
	out, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &s.table,
		Key:                       map[string]types.AttributeValue{"pk": str("RATE#" + key), "sk": str(strconv.FormatInt(window.Unix(), 10))},
		UpdateExpression:          aws.String("ADD uses :one SET kind = :kind, expiresAt = :exp"),
		ConditionExpression:       aws.String("attribute_not_exists(uses) OR uses < :limit"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":one": num(1), ":limit": num(int64(limit)), ":kind": str("rate-limit"), ":exp": num(expires.Unix())},
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
	})
	if isConditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, storeErr(err, "count a rate-limited use")
	}
	if out.ConsumedCapacity != nil {
		s.record("CountUse", *out.ConsumedCapacity)
	}
	return true, nil
}
