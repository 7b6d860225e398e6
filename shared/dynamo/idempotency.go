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
)

// idemItem is an Idempotency-Key's record (docs/design.md D2), in its own
// partition: the creating request that wrote it does not know the id of
// what it creates until it runs. What it created names it (idemKeyHash), so
// erasure finds it.
type idemItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Kind      string `dynamodbav:"kind"`
	BodyHash  string `dynamodbav:"bodyHash"`
	Sealed    []byte `dynamodbav:"sealed"`
	ExpiresAt int64  `dynamodbav:"expiresAt"`
}

const skIdem = "IDEM"

func idemPK(keyHash string) string { return "IDEM#" + keyHash }

// idemPut is the transaction item that writes rec only if no record of the
// key exists; a cancellation on it means idempotency.ErrKeyUsed.
func (s *Store) idemPut(rec *idempotency.Record) (types.TransactWriteItem, error) {
	av, err := attributevalue.MarshalMap(idemItem{PK: idemPK(rec.KeyHash), SK: skIdem, Kind: "idempotency", BodyHash: rec.BodyHash,
		Sealed: rec.Sealed, ExpiresAt: rec.ExpiresAt.Unix()})
	if err != nil {
		return types.TransactWriteItem{}, failure.Wrap(failure.Internal, err, "marshal idempotency")
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: av, ConditionExpression: aws.String("attribute_not_exists(pk)")}}, nil
}

// Idempotency reads an Idempotency-Key's record; nil when there is none
// or it has expired (TTL deletes lazily, so expiry is checked here too).
func (s *Store) Idempotency(ctx context.Context, keyHash string) (*idempotency.Record, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(idemPK(keyHash), skIdem), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, storeErr(err, "read idempotency record")
	}
	if out.Item == nil {
		return nil, nil
	}
	var it idemItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return nil, failure.Wrap(failure.Internal, err, "unmarshal idempotency")
	}
	exp := time.Unix(it.ExpiresAt, 0)
	if !time.Now().Before(exp) {
		return nil, nil
	}
	return &idempotency.Record{KeyHash: keyHash, BodyHash: it.BodyHash, Sealed: it.Sealed, ExpiresAt: exp}, nil
}

// Reseal replaces the sealed result of an existing record.
func (s *Store) Reseal(ctx context.Context, rec *idempotency.Record) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.table, Key: key(idemPK(rec.KeyHash), skIdem),
		UpdateExpression:          aws.String("SET sealed = :s"),
		ConditionExpression:       aws.String("attribute_exists(pk) AND bodyHash = :b"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":s": &types.AttributeValueMemberB{Value: rec.Sealed}, ":b": str(rec.BodyHash)}})
	return storeErr(err, "reseal idempotency record")
}
