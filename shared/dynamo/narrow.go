package dynamo

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// NewAPIFromConfig is NewClientFromConfig for a Lambda: the client reached
// only through the seven calls of API. The client sits in closures, never in
// an interface value or a struct field, so its type is not reachable at run
// time. That matters in a function that also links text/template (web and
// reminders): a template can call any method by name, so the linker keeps
// every exported method of every type that is, and *dynamodb.Client has
// some sixty (with the STS and sign-in clients behind them, about 0.5 MB of
// zip, docs/performance.md).
func NewAPIFromConfig(cfg aws.Config, endpoint string) API {
	c := NewClientFromConfig(cfg, endpoint)
	return calls{
		get:      c.GetItem,
		put:      c.PutItem,
		update:   c.UpdateItem,
		del:      c.DeleteItem,
		query:    c.Query,
		transact: c.TransactWriteItems,
		batch:    c.BatchWriteItem,
	}
}

// calls implements API with one function per call.
type calls struct {
	get      func(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	put      func(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	update   func(context.Context, *dynamodb.UpdateItemInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	del      func(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	query    func(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	transact func(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
	batch    func(context.Context, *dynamodb.BatchWriteItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
}

func (c calls) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	return c.get(ctx, in, o...)
}

func (c calls) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	return c.put(ctx, in, o...)
}

func (c calls) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, o ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	return c.update(ctx, in, o...)
}

func (c calls) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	return c.del(ctx, in, o...)
}

func (c calls) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	return c.query(ctx, in, o...)
}

func (c calls) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	return c.transact(ctx, in, o...)
}

func (c calls) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	return c.batch(ctx, in, o...)
}
