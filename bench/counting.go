package main

import (
	"context"
	"math"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/tabledef"
)

// countingDB wraps the SDK client as dynamo.API. While counting, it counts
// calls per operation and works out what each call costs two ways:
//
//   - as DynamoDB Local reports it (ReturnConsumedCapacity=TOTAL, asked for
//     on calls whose input does not; the request is otherwise unchanged);
//   - by AWS's published rules, from the sizes of the items involved
//     (read before and after each write with extra consistent GetItems
//     that are not counted): 1 WRU per started KB of the larger of the
//     old and new item, 2× in a transaction (ConditionCheck counted like a
//     transactional write of the checked item: conservative); 1 WRU per
//     index write of the sparse KEYS_ONLY "due" index, never doubled;
//     reads 1 RRU per started 4 KB of all items returned, halved when
//     eventually consistent.
//
// Local's figures are shown for reference only: for transactions they do
// not follow AWS's rules (it reports 4 units for a transaction of one to
// eight one-line items). While not counting, the wrapper only forwards, so
// timings are not disturbed. dynamo.API has no Scan method, so the store
// cannot scan: the Scan count is 0 by construction.
type countingDB struct {
	db dynamo.API
	on atomic.Bool

	mu sync.Mutex
	m  callCounts
}

var _ dynamo.API = (*countingDB)(nil)

// callCounts is one measurement.
type callCounts struct {
	Calls    map[string]int `json:"calls"`
	RCU      float64        `json:"rcu"`      // read units by AWS's rules
	WCU      float64        `json:"wcu"`      // write units by AWS's rules, including index writes
	TxWCU    float64        `json:"txWcu"`    // the part of WCU in transactions
	IndexWCU float64        `json:"indexWcu"` // the part of WCU for the "due" index
	LocalRCU float64        `json:"localRcu"` // as DynamoDB Local reports it
	LocalWCU float64        `json:"localWcu"`
}

func (c *countingDB) start() {
	c.mu.Lock()
	c.m = callCounts{Calls: map[string]int{}}
	c.mu.Unlock()
	c.on.Store(true)
}

func (c *countingDB) stop() callCounts {
	c.on.Store(false)
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.m
	out.Calls = map[string]int{}
	for op, v := range c.m.Calls {
		out.Calls[op] = v
	}
	return out
}

// add records one call: its estimate and what Local reported.
func (c *countingDB) add(op string, est units, cc ...types.ConsumedCapacity) {
	var local float64
	for _, x := range cc {
		local += aws.ToFloat64(x.CapacityUnits)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m.Calls[op]++
	c.m.RCU += est.read
	c.m.WCU += est.write + est.index
	c.m.IndexWCU += est.index
	if op == "TransactWriteItems" {
		c.m.TxWCU += est.write
	}
	if est.read > 0 || op == "GetItem" || op == "Query" {
		c.m.LocalRCU += local
	} else {
		c.m.LocalWCU += local
	}
}

type units struct{ read, write, index float64 }

func total(r types.ReturnConsumedCapacity) types.ReturnConsumedCapacity {
	if r == "" || r == types.ReturnConsumedCapacityNone {
		return types.ReturnConsumedCapacityTotal
	}
	return r
}

// item reads an item as it is now, for sizing (not counted).
func (c *countingDB) item(ctx context.Context, table *string, k map[string]types.AttributeValue) map[string]types.AttributeValue {
	out, err := c.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: table, Key: k, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil
	}
	return out.Item
}

func primaryKey(item map[string]types.AttributeValue) map[string]types.AttributeValue {
	t := tabledef.Rasp()
	return map[string]types.AttributeValue{t.PartitionKey.Name: item[t.PartitionKey.Name], t.SortKey.Name: item[t.SortKey.Name]}
}

func (c *countingDB) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	if !c.on.Load() {
		return c.db.GetItem(ctx, in, opts...)
	}
	cp := *in
	cp.ReturnConsumedCapacity = total(cp.ReturnConsumedCapacity)
	out, err := c.db.GetItem(ctx, &cp, opts...)
	if err != nil {
		c.add("GetItem", units{})
		return out, err
	}
	full := out.Item
	if in.ProjectionExpression != nil { // capacity counts the whole item
		full = c.item(ctx, in.TableName, in.Key)
	}
	c.add("GetItem", units{read: readUnits(itemSize(full), aws.ToBool(in.ConsistentRead))}, deref(out.ConsumedCapacity)...)
	return out, nil
}

func (c *countingDB) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	if !c.on.Load() {
		return c.db.Query(ctx, in, opts...)
	}
	cp := *in
	cp.ReturnConsumedCapacity = total(cp.ReturnConsumedCapacity)
	out, err := c.db.Query(ctx, &cp, opts...)
	if err != nil {
		c.add("Query", units{})
		return out, err
	}
	size := 0
	for _, it := range out.Items { // the store's queries have no filter or projection
		size += itemSize(it)
	}
	c.add("Query", units{read: readUnits(size, aws.ToBool(in.ConsistentRead))}, deref(out.ConsumedCapacity)...)
	return out, nil
}

func (c *countingDB) PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	if !c.on.Load() {
		return c.db.PutItem(ctx, in, opts...)
	}
	before := c.item(ctx, in.TableName, primaryKey(in.Item))
	cp := *in
	cp.ReturnConsumedCapacity = total(cp.ReturnConsumedCapacity)
	out, err := c.db.PutItem(ctx, &cp, opts...)
	if err != nil {
		c.add("PutItem", units{})
		return out, err
	}
	c.add("PutItem", writeCost(before, in.Item, 1), deref(out.ConsumedCapacity)...)
	return out, nil
}

func (c *countingDB) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	if !c.on.Load() {
		return c.db.UpdateItem(ctx, in, opts...)
	}
	before := c.item(ctx, in.TableName, in.Key)
	cp := *in
	cp.ReturnConsumedCapacity = total(cp.ReturnConsumedCapacity)
	out, err := c.db.UpdateItem(ctx, &cp, opts...)
	if err != nil {
		c.add("UpdateItem", units{})
		return out, err
	}
	c.add("UpdateItem", writeCost(before, c.item(ctx, in.TableName, in.Key), 1), deref(out.ConsumedCapacity)...)
	return out, nil
}

func (c *countingDB) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	if !c.on.Load() {
		return c.db.DeleteItem(ctx, in, opts...)
	}
	before := c.item(ctx, in.TableName, in.Key)
	cp := *in
	cp.ReturnConsumedCapacity = total(cp.ReturnConsumedCapacity)
	out, err := c.db.DeleteItem(ctx, &cp, opts...)
	if err != nil {
		c.add("DeleteItem", units{})
		return out, err
	}
	c.add("DeleteItem", writeCost(before, nil, 1), deref(out.ConsumedCapacity)...)
	return out, nil
}

func (c *countingDB) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	if !c.on.Load() {
		return c.db.TransactWriteItems(ctx, in, opts...)
	}
	type target struct {
		table *string
		key   map[string]types.AttributeValue
		put   map[string]types.AttributeValue
		kind  string
	}
	targets := make([]target, len(in.TransactItems))
	befores := make([]map[string]types.AttributeValue, len(in.TransactItems))
	for i, it := range in.TransactItems {
		switch {
		case it.Put != nil:
			targets[i] = target{it.Put.TableName, primaryKey(it.Put.Item), it.Put.Item, "put"}
		case it.Update != nil:
			targets[i] = target{it.Update.TableName, it.Update.Key, nil, "update"}
		case it.Delete != nil:
			targets[i] = target{it.Delete.TableName, it.Delete.Key, nil, "delete"}
		case it.ConditionCheck != nil:
			targets[i] = target{it.ConditionCheck.TableName, it.ConditionCheck.Key, nil, "check"}
		}
		befores[i] = c.item(ctx, targets[i].table, targets[i].key)
	}
	cp := *in
	cp.ReturnConsumedCapacity = total(cp.ReturnConsumedCapacity)
	out, err := c.db.TransactWriteItems(ctx, &cp, opts...)
	if err != nil {
		c.add("TransactWriteItems", units{})
		return out, err
	}
	var est units
	for i, tg := range targets {
		var after map[string]types.AttributeValue
		switch tg.kind {
		case "put":
			after = tg.put
		case "update":
			after = c.item(ctx, tg.table, tg.key)
		case "check":
			after = befores[i]
		}
		u := writeCost(befores[i], after, 2)
		est.write += u.write
		est.index += u.index
	}
	c.add("TransactWriteItems", est, out.ConsumedCapacity...)
	return out, nil
}

func deref(cc *types.ConsumedCapacity) []types.ConsumedCapacity {
	if cc == nil {
		return nil
	}
	return []types.ConsumedCapacity{*cc}
}

// writeCost is a write by AWS's rules: the larger of the item before and
// after, per started KB, times mult (2 in a transaction), plus the index
// writes, which transactions do not double.
func writeCost(before, after map[string]types.AttributeValue, mult float64) units {
	size := max(itemSize(before), itemSize(after))
	u := units{write: mult * math.Max(1, math.Ceil(float64(size)/1024))}
	for _, ix := range tabledef.Rasp().Indexes {
		b, a := indexEntry(ix, before), indexEntry(ix, after)
		switch {
		case b == nil && a == nil:
		case b == nil || a == nil:
			u.index += math.Max(1, math.Ceil(float64(max(itemSize(a), itemSize(b)))/1024))
		case !sameValues(b, a):
			u.index += math.Max(1, math.Ceil(float64(itemSize(a))/1024))
		}
	}
	return u
}

// indexEntry is the item as projected into a KEYS_ONLY or ALL index; nil
// when the item is not in the index.
func indexEntry(ix tabledef.Index, item map[string]types.AttributeValue) map[string]types.AttributeValue {
	if item == nil || item[ix.PartitionKey.Name] == nil || (ix.SortKey.Name != "" && item[ix.SortKey.Name] == nil) {
		return nil
	}
	if ix.Projection == "ALL" {
		return item
	}
	t := tabledef.Rasp()
	out := map[string]types.AttributeValue{}
	for _, k := range append([]string{t.PartitionKey.Name, t.SortKey.Name, ix.PartitionKey.Name, ix.SortKey.Name}, ix.NonKeyAttributes...) {
		if v, ok := item[k]; ok && k != "" {
			out[k] = v
		}
	}
	return out
}

func sameValues(a, b map[string]types.AttributeValue) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || !sameValue(v, w) {
			return false
		}
	}
	return true
}

func sameValue(a, b types.AttributeValue) bool {
	switch x := a.(type) {
	case *types.AttributeValueMemberS:
		y, ok := b.(*types.AttributeValueMemberS)
		return ok && x.Value == y.Value
	case *types.AttributeValueMemberN:
		y, ok := b.(*types.AttributeValueMemberN)
		return ok && x.Value == y.Value
	}
	return false // index keys are strings or numbers
}

// readUnits is 1 per started 4 KB (at least 1), halved when eventually
// consistent.
func readUnits(size int, consistent bool) float64 {
	u := math.Max(1, math.Ceil(float64(size)/4096))
	if !consistent {
		u /= 2
	}
	return u
}

// itemSize is an item's size by DynamoDB's published rules ("DynamoDB item
// sizes and formats"): names plus values; numbers 1 byte per two
// significant digits plus 1; lists and maps 3 bytes plus 1 per element.
func itemSize(item map[string]types.AttributeValue) int {
	n := 0
	for name, v := range item {
		n += len(name) + valueSize(v)
	}
	return n
}

func valueSize(v types.AttributeValue) int {
	switch t := v.(type) {
	case *types.AttributeValueMemberS:
		return len(t.Value)
	case *types.AttributeValueMemberN:
		return numberSize(t.Value)
	case *types.AttributeValueMemberB:
		return len(t.Value)
	case *types.AttributeValueMemberBOOL, *types.AttributeValueMemberNULL:
		return 1
	case *types.AttributeValueMemberM:
		n := 3
		for k, e := range t.Value {
			n += len(k) + valueSize(e) + 1
		}
		return n
	case *types.AttributeValueMemberL:
		n := 3
		for _, e := range t.Value {
			n += valueSize(e) + 1
		}
		return n
	case *types.AttributeValueMemberSS:
		n := 0
		for _, e := range t.Value {
			n += len(e)
		}
		return n
	case *types.AttributeValueMemberNS:
		n := 0
		for _, e := range t.Value {
			n += numberSize(e)
		}
		return n
	case *types.AttributeValueMemberBS:
		n := 0
		for _, e := range t.Value {
			n += len(e)
		}
		return n
	}
	return 0
}

func numberSize(s string) int {
	mant, _, _ := strings.Cut(strings.ToLower(s), "e")
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, mant)
	digits = strings.TrimRight(strings.TrimLeft(digits, "0"), "0")
	return (len(digits)+1)/2 + 1
}

// BatchWriteItem is only used to erase a partnership, which no measured
// route does; it is counted, not costed.
func (c *countingDB) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	out, err := c.db.BatchWriteItem(ctx, in, opts...)
	if c.on.Load() {
		c.add("BatchWriteItem", units{})
	}
	return out, err
}
