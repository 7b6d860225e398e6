package dynamo

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// DefaultCallTimeout bounds one DynamoDB call, SDK retries included, when
// the store is built without CallTimeout: no call may wait for ever on a
// hung connection. It is API Gateway's whole integration limit, a backstop
// for tools and tests; the functions pass the configured, much shorter
// deadline (config.DefaultCallTimeout, 3 s).
const DefaultCallTimeout = 30 * time.Second

// Option configures a Store.
type Option func(*Store)

// CallTimeout sets the deadline of each DynamoDB call (all its SDK attempts
// together). A call also ends when its request's context ends first.
func CallTimeout(d time.Duration) Option {
	return func(s *Store) {
		if d > 0 {
			s.callTimeout = d
		}
	}
}

// deadlineAPI gives every call its own deadline. The SDK retries inside
// the call, so the deadline bounds the attempts and their back-off together.
type deadlineAPI struct {
	API
	d time.Duration
}

func (a deadlineAPI) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	ctx, cancel := context.WithTimeout(ctx, a.d)
	defer cancel()
	return a.API.GetItem(ctx, in, opts...)
}

func (a deadlineAPI) PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	ctx, cancel := context.WithTimeout(ctx, a.d)
	defer cancel()
	return a.API.PutItem(ctx, in, opts...)
}

func (a deadlineAPI) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	ctx, cancel := context.WithTimeout(ctx, a.d)
	defer cancel()
	return a.API.UpdateItem(ctx, in, opts...)
}

func (a deadlineAPI) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	ctx, cancel := context.WithTimeout(ctx, a.d)
	defer cancel()
	return a.API.DeleteItem(ctx, in, opts...)
}

func (a deadlineAPI) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	ctx, cancel := context.WithTimeout(ctx, a.d)
	defer cancel()
	return a.API.Query(ctx, in, opts...)
}

func (a deadlineAPI) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	ctx, cancel := context.WithTimeout(ctx, a.d)
	defer cancel()
	return a.API.TransactWriteItems(ctx, in, opts...)
}

func (a deadlineAPI) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	ctx, cancel := context.WithTimeout(ctx, a.d)
	defer cancel()
	return a.API.BatchWriteItem(ctx, in, opts...)
}
