package dynamo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// SuppressionKeep is how long an address stays suppressed after its last
// bounce or complaint: long enough that nobody is mailed against their
// wish, short enough that a mailbox that comes back (a council reuses an
// address) is not shut out for ever. docs/operations.md says so.
const SuppressionKeep = 2 * 365 * 24 * time.Hour

// suppressionPK is the address's own partition, by a hash: the table holds
// no address in the list, only whether a given one is on it.
func suppressionPK(address string) string {
	h := sha256.Sum256([]byte("rasp-suppress\x00" + strings.ToLower(strings.TrimSpace(address))))
	return "SUPPRESS#" + hex.EncodeToString(h[:])
}

// Suppress puts an address on the suppression list (a permanent bounce or
// a complaint), or renews it; one PutItem.
func (s *Store) Suppress(ctx context.Context, address, reason string, at time.Time) error {
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: map[string]types.AttributeValue{
		"pk": str(suppressionPK(address)), "sk": str("SUPPRESS"), "kind": str("suppression"),
		"reason": str(reason), "at": str(at.UTC().Format(timeFormat)), "expiresAt": num(at.Add(SuppressionKeep).Unix()),
	}})
	return storeErr(err, "suppress an address")
}

// Suppressed reports whether an address is on the suppression list: one
// eventually consistent GetItem (0.5 RCU), as a bounce recorded a moment
// ago matters no more than one recorded a second later.
func (s *Store) Suppressed(ctx context.Context, address string) (bool, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(suppressionPK(address), "SUPPRESS"),
		ProjectionExpression: aws.String("expiresAt")})
	if err != nil {
		return false, storeErr(err, "read the suppression list")
	}
	if out.Item == nil {
		return false, nil
	}
	// TTL deletes lazily: an entry past its time no longer counts.
	if v, ok := out.Item["expiresAt"].(*types.AttributeValueMemberN); ok {
		if secs, err := strconv.ParseInt(v.Value, 10, 64); err == nil && time.Now().Unix() >= secs {
			return false, nil
		}
	}
	return true, nil
}
