package dynamo

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/viewer"
)

// A read-only link (issue 20, docs/design.md D1) is one item on the
// partition it shows: A#<id> VIEW#<vid> for a report, P#<pid> VIEW#<vid>
// for a round's comparison. So the Query that loads the report or the
// comparison proves the link too, revoking it is one delete, and expiry is
// checked on read (expiresAt, the table's TTL attribute, deletes it later).
const viewerPrefix = "VIEW#"

func viewerSK(vid string) string { return viewerPrefix + vid }

type viewerItem struct {
	PK          string `dynamodbav:"pk"`
	SK          string `dynamodbav:"sk"`
	Kind        string `dynamodbav:"kind"`
	ID          string `dynamodbav:"id"`
	TokenHash   []byte `dynamodbav:"tokenHash"`
	Label       string `dynamodbav:"label,omitempty"`
	Round       int    `dynamodbav:"round,omitempty"`
	CreatedAt   string `dynamodbav:"createdAt"`
	Expires     string `dynamodbav:"expires"`
	ExpiresAt   int64  `dynamodbav:"expiresAt"`
	IdemKeyHash string `dynamodbav:"idemKeyHash,omitempty"`
}

func unmarshalViewer(item map[string]types.AttributeValue) (viewer.Link, error) {
	var v viewerItem
	if err := attributevalue.UnmarshalMap(item, &v); err != nil {
		return viewer.Link{}, failure.Wrap(failure.Internal, err, "unmarshal read-only link")
	}
	l := viewer.Link{ID: v.ID, TokenHash: v.TokenHash, Label: v.Label, Round: v.Round, IdemKeyHash: v.IdemKeyHash}
	l.CreatedAt, _ = time.Parse(timeFormat, v.CreatedAt)
	l.Expires, _ = time.Parse(timeFormat, v.Expires)
	return l, nil
}

func viewerPK(o viewer.Owner) string {
	if o.Subject == viewer.Comparison {
		return partnershipPK(o.ID)
	}
	return assessmentPK(o.ID)
}

// CreateViewer writes the link in one transaction with its idempotency
// record and, on the owner's META, a check that it exists: for a report an
// update that moves viewSeq on (Delete is conditioned on it, so a link made
// after the erasure's read is not left behind), for a partnership a
// condition check (its erasure deletes the whole partition).
func (s *Store) CreateViewer(ctx context.Context, o viewer.Owner, l viewer.Link, idem *idempotency.Record) error {
	pk := viewerPK(o)
	var items []types.TransactWriteItem
	item := viewerItem{PK: pk, SK: viewerSK(l.ID), Kind: "viewer", ID: l.ID, TokenHash: l.TokenHash, Label: l.Label, Round: l.Round,
		CreatedAt: l.CreatedAt.Format(timeFormat), Expires: l.Expires.Format(timeFormat), ExpiresAt: l.Expires.Unix()}
	if idem != nil {
		item.IdemKeyHash = idem.KeyHash
		put, err := s.idemPut(idem)
		if err != nil {
			return err
		}
		items = append(items, put)
	}
	if o.Subject == viewer.Comparison {
		items = append(items, types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{TableName: &s.table, Key: key(pk, skMeta),
			ConditionExpression: aws.String("attribute_exists(pk)")}})
	} else {
		items = append(items, types.TransactWriteItem{Update: &types.Update{TableName: &s.table, Key: key(pk, skMeta),
			UpdateExpression:          aws.String("ADD viewSeq :one"),
			ConditionExpression:       aws.String("attribute_exists(pk)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":one": num(1)}}})
	}
	av, err := attributevalue.MarshalMap(item)
	if err != nil {
		return failure.Wrap(failure.Internal, err, "marshal read-only link")
	}
	items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: av, ConditionExpression: aws.String("attribute_not_exists(pk)")}})
	out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err == nil {
		s.record("CreateViewer", out.ConsumedCapacity...)
		return nil
	}
	if codes, ok := cancelReasons(err); ok {
		if idem != nil && codes[0] == "ConditionalCheckFailed" {
			return idempotency.ErrKeyUsed
		}
		return viewer.ErrGone
	}
	return storeErr(err, "create read-only link")
}

// RevokeViewer deletes the link: one write, a transaction of the delete,
// its idempotency record's (whose sealed reply holds the token) and an
// entry of the erasure log, so that a point-in-time restore followed by the
// re-erasure revokes it again.
func (s *Store) RevokeViewer(ctx context.Context, o viewer.Owner, l viewer.Link) error {
	pk := viewerPK(o)
	items := []types.TransactWriteItem{{Delete: &types.Delete{TableName: &s.table, Key: key(pk, viewerSK(l.ID))}}}
	if l.IdemKeyHash != "" {
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.table, Key: key(idemPK(l.IdemKeyHash), skIdem)}})
	}
	items = append(items, s.erasureLogPut(ErasedViewer, pk+"/"+l.ID, time.Now()))
	_, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	return storeErr(err, "revoke read-only link")
}

// reeraseViewer deletes a revoked link again, with its idempotency record.
func (s *Store) reeraseViewer(ctx context.Context, e Erasure) error {
	pk, vid, ok := strings.Cut(e.ID, "/")
	if !ok || (!strings.HasPrefix(pk, "A#") && !strings.HasPrefix(pk, "P#")) || vid == "" {
		return failure.New(failure.Internal, "erasure log: read-only link id %q is not <partition>/<link>", e.ID)
	}
	k := key(pk, viewerSK(vid))
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: k, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return storeErr(err, "re-erase read-only link")
	}
	keys := []map[string]types.AttributeValue{k}
	if h := strAttr(out.Item, "idemKeyHash"); h != "" {
		keys = append(keys, key(idemPK(h), skIdem))
	}
	return s.batchDelete(ctx, keys, "re-erase read-only link "+e.ID)
}

// viewerKeys are the keys of an assessment's links and their records.
func viewerKeys(pk string, links []viewer.Link) []map[string]types.AttributeValue {
	var keys []map[string]types.AttributeValue
	for _, l := range links {
		keys = append(keys, key(pk, viewerSK(l.ID)))
		if l.IdemKeyHash != "" {
			keys = append(keys, key(idemPK(l.IdemKeyHash), skIdem))
		}
	}
	return keys
}

// viewSeqCondition is META's condition that no link was made since the
// count seq was read (:vseq holds seq when it is not zero).
func viewSeqCondition(seq int64) string {
	if seq == 0 {
		return "attribute_not_exists(viewSeq)"
	}
	return "viewSeq = :vseq"
}
