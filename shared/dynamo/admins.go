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
)

// A partnership's administrators (docs/design.md D1):
//
//	P#<pid>  META        adminHash: the first administrator's token hash (as before
//	                     there could be several); adminCount: how many there are
//	                     (absent: one)
//	P#<pid>  ADMIN#<id>  an administrator added since: name, role, address, token hash
//
// Partnerships written before several administrators have adminHash and no
// adminCount, which reads as one administrator: no migration is needed.
// Every add and remove updates adminCount on META in the same transaction,
// on condition of the count, so two administrators removing each other at
// once cannot leave the partnership with none.

const adminPrefix = "ADMIN#"

func adminSK(id string) string { return adminPrefix + id }

type adminItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Kind      string `dynamodbav:"kind"`
	ID        string `dynamodbav:"id"`
	Name      string `dynamodbav:"name,omitempty"`
	Role      string `dynamodbav:"role,omitempty"`
	Email     string `dynamodbav:"email,omitempty"`
	TokenHash []byte `dynamodbav:"tokenHash"`
	AddedAt   string `dynamodbav:"addedAt"`
	// IdemKeyHash names the record of the request that added the admin
	// (it holds the sealed token): erased with the partnership.
	IdemKeyHash string `dynamodbav:"idemKeyHash,omitempty"`
}

func unmarshalAdmin(item map[string]types.AttributeValue) (partnership.Admin, error) {
	var it adminItem
	if err := attributevalue.UnmarshalMap(item, &it); err != nil {
		return partnership.Admin{}, failure.Wrap(failure.Internal, err, "unmarshal admin")
	}
	a := partnership.Admin{ID: it.ID, Name: it.Name, Role: it.Role, Email: it.Email, TokenHash: it.TokenHash}
	a.AddedAt, _ = time.Parse(timeFormat, it.AddedAt)
	return a, nil
}

// AddAdmin writes the administrator, the raised count and the act in one
// transaction.
func (s *Store) AddAdmin(ctx context.Context, pid string, a partnership.Admin, act partnership.Act, idem *idempotency.Record) error {
	it := adminItem{PK: partnershipPK(pid), SK: adminSK(a.ID), Kind: "admin", ID: a.ID, Name: a.Name, Role: a.Role, Email: a.Email,
		TokenHash: a.TokenHash, AddedAt: a.AddedAt.UTC().Format(timeFormat)}
	if idem != nil {
		it.IdemKeyHash = idem.KeyHash
	}
	av, err := attributevalue.MarshalMap(it)
	if err != nil {
		return failure.Wrap(failure.Internal, err, "marshal admin")
	}
	logged, err := s.actPut(pid, act)
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{
		{Update: &types.Update{TableName: &s.table, Key: key(partnershipPK(pid), skMeta),
			UpdateExpression:    aws.String("SET adminCount = if_not_exists(adminCount, :one) + :one"),
			ConditionExpression: aws.String("attribute_exists(pk) AND (attribute_not_exists(adminCount) OR adminCount < :max)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":one": num(1),
				":max": num(int64(partnership.MaxAdmins))}}},
		{Put: &types.Put{TableName: &s.table, Item: av, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		logged,
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
		case idem != nil && codes[len(codes)-1] == "ConditionalCheckFailed":
			return idempotency.ErrKeyUsed
		case codes[0] == "ConditionalCheckFailed":
			return failure.Said(failure.Conflict, "error.partnership.admins.max", "MaxAdmins", partnership.MaxAdmins)
		}
	}
	return storeErr(err, "add admin")
}

// RemoveAdmin deletes administrator a and lowers the count in one
// transaction, on condition a's hash is still the one read and the count is
// above one. The first administrator's hash is removed from META; another's
// item is deleted.
func (s *Store) RemoveAdmin(ctx context.Context, pid string, a partnership.Admin, contact string, act partnership.Act) error {
	logged, err := s.actPut(pid, act)
	if err != nil {
		return err
	}
	vals := map[string]types.AttributeValue{":one": num(1)}
	set, remove, cond := "SET adminCount = adminCount - :one", "", "adminCount > :one"
	if contact != "" {
		set += ", contactEmail = :contact"
		vals[":contact"] = str(contact)
	} else {
		remove = "contactEmail"
	}
	items := []types.TransactWriteItem{}
	if a.ID == partnership.FirstAdmin {
		remove = join(remove, "adminHash")
		cond += " AND adminHash = :old"
		vals[":old"] = &types.AttributeValueMemberB{Value: a.TokenHash}
	} else {
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.table, Key: key(partnershipPK(pid), adminSK(a.ID)),
			ConditionExpression:       aws.String("tokenHash = :old"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":old": &types.AttributeValueMemberB{Value: a.TokenHash}}}})
	}
	update := set
	if remove != "" {
		update += " REMOVE " + remove
	}
	items = append([]types.TransactWriteItem{{Update: &types.Update{TableName: &s.table, Key: key(partnershipPK(pid), skMeta),
		UpdateExpression: aws.String(update), ConditionExpression: aws.String(cond), ExpressionAttributeValues: vals}}}, items...)
	items = append(items, logged)
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if codes, ok := cancelReasons(err); ok {
		switch {
		case a.ID != partnership.FirstAdmin && codes[1] == "ConditionalCheckFailed":
			return failure.New(failure.NotFound, "The partnership has no such administrator.")
		case codes[0] == "ConditionalCheckFailed":
			// The count (absent: one) or the first admin's hash moved:
			// either way reading again gives the true answer.
			return failure.New(failure.Conflict, "You cannot remove the only administrator: the partnership would have nobody to run it. Add another administrator first, then remove this one.")
		}
	}
	return storeErr(err, "remove admin")
}

func join(list, name string) string {
	if list == "" {
		return name
	}
	return list + ", " + name
}

// RotateAdmin replaces administrator id's token hash, on condition that it
// is still old: the first administrator's on META, another's on its item.
func (s *Store) RotateAdmin(ctx context.Context, pid, id string, old, hash []byte) error {
	if id == partnership.FirstAdmin {
		return s.rotate(ctx, key(partnershipPK(pid), skMeta), "SET adminHash = :new", "adminHash = :old", old, hash)
	}
	return s.rotate(ctx, key(partnershipPK(pid), adminSK(id)), "SET tokenHash = :new", "tokenHash = :old", old, hash)
}
