package dynamo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/openrasp/rasp/shared/failure"
)

// API is the part of the DynamoDB client the store uses; *dynamodb.Client
// satisfies it, and benchmarks wrap it to count calls.
type API interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
	BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
}

// Store keeps RASP's data in one DynamoDB table.
type Store struct {
	db    API
	table string

	mu       sync.Mutex
	capacity func(op string, cc []types.ConsumedCapacity)

	callTimeout time.Duration
	submitLease time.Duration
}

// NewStore returns a store on the named table. Every call carries a
// deadline (DefaultCallTimeout unless CallTimeout says otherwise).
func NewStore(db API, table string, opts ...Option) *Store {
	s := &Store{table: table, callTimeout: DefaultCallTimeout}
	for _, o := range opts {
		o(s)
	}
	s.db = deadlineAPI{API: db, d: s.callTimeout}
	return s
}

// OnCapacity registers a function that receives the consumed capacity of
// every call (integration tests and benchmarks measure WCU/RCU with it).
func (s *Store) OnCapacity(f func(op string, cc []types.ConsumedCapacity)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.capacity = f
}

func (s *Store) record(op string, cc ...types.ConsumedCapacity) {
	s.mu.Lock()
	f := s.capacity
	s.mu.Unlock()
	if f != nil {
		f(op, cc)
	}
}

// Ping checks that the table answers (used by /healthz): a GetItem on a key
// that never exists, so it needs only read permission and costs 0.5 RCU.
func (s *Store) Ping(ctx context.Context) error {
	_, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(s.table),
		Key:       key("HEALTH", "HEALTH"),
	})
	if err != nil {
		return storeErr(err, "ping")
	}
	return nil
}

// partition reads every item of one partition with consistent reads, in
// sort-key order, recording the capacity under op. It is the one Query that
// loads an assessment or a partnership.
func (s *Store) partition(ctx context.Context, pk, op string) ([]map[string]types.AttributeValue, error) {
	in := &dynamodb.QueryInput{
		TableName:                 &s.table,
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(pk)},
		ConsistentRead:            aws.Bool(true),
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
	}
	var items []map[string]types.AttributeValue
	for {
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, storeErr(err, op)
		}
		if out.ConsumedCapacity != nil {
			s.record(op, *out.ConsumedCapacity)
		}
		items = append(items, out.Items...)
		if out.LastEvaluatedKey == nil {
			return items, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: pk},
		"sk": &types.AttributeValueMemberS{Value: sk},
	}
}

func str(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func num(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: fmt.Sprint(v)}
}

// storeErr classifies an SDK error by its type, never by its text:
// throttling, a deadline, and every transport fault (reset, EOF, refused,
// DNS, a reply cut short) are unavailable (503 + Retry-After: for a write the
// outcome is unknown and the client retries); anything else is internal.
// The message names the operation only; keys may identify councils.
func storeErr(err error, op string) error {
	if err == nil {
		return nil
	}
	if _, ok := failure.As(err); ok {
		return err
	}
	if transient(err) {
		return failure.Wrap(failure.Unavailable, err, "%s: the database did not answer; a change may or may not have been saved, so retry the same request", op)
	}
	return failure.Wrap(failure.Internal, err, "%s", op)
}

// throttleCodes are the error codes DynamoDB uses for "busy, try again":
// some are modelled types (matched with errors.As below), the others only
// codes on a generic API error.
var throttleCodes = map[string]bool{
	"ProvisionedThroughputExceededException": true, "ThrottlingException": true, "RequestLimitExceeded": true,
	"InternalServerError": true, "ServiceUnavailable": true, "TransactionInProgressException": true,
	"TransactionConflictException": true, "LimitExceededException": true, "ThrottlingError": true,
}

// transient reports whether err is a fault worth retrying later.
func transient(err error) bool {
	var (
		netErr    net.Error
		opErr     *net.OpError
		dnsErr    *net.DNSError
		sendErr   *smithyhttp.RequestSendError
		deserErr  *smithy.DeserializationError
		canceled  *smithy.CanceledError
		quota     *ratelimit.QuotaExceededError
		maxTries  *retry.MaxAttemptsError
		respErr   *awshttp.ResponseError
		throttled *types.ProvisionedThroughputExceededException
		limited   *types.RequestLimitExceeded
		internal  *types.InternalServerError
		inFlight  *types.TransactionInProgressException
		conflict  *types.TransactionConflictException
		api       smithy.APIError
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EPIPE),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.ETIMEDOUT), errors.Is(err, syscall.EHOSTUNREACH),
		errors.Is(err, syscall.ENETUNREACH):
		return true
	case errors.As(err, &netErr), errors.As(err, &opErr), errors.As(err, &dnsErr),
		errors.As(err, &sendErr), errors.As(err, &deserErr), errors.As(err, &canceled), errors.As(err, &quota):
		return true
	case errors.As(err, &throttled), errors.As(err, &limited), errors.As(err, &internal),
		errors.As(err, &inFlight), errors.As(err, &conflict):
		return true
	case errors.As(err, &api) && throttleCodes[api.ErrorCode()]:
		return true
	case errors.As(err, &respErr) && respErr.HTTPStatusCode() >= 500:
		return true
	case errors.As(err, &maxTries):
		// Retries ran out on errors the retryer found retryable.
		return true
	}
	// A transaction cancelled only for throttling or a conflict with
	// another transaction is busy, not wrong.
	if codes, ok := cancelReasons(err); ok {
		busy := false
		for _, c := range codes {
			switch c {
			case "ThrottlingError", "TransactionConflict", "ProvisionedThroughputExceeded":
				busy = true
			case "None", "":
			default:
				return false
			}
		}
		return busy
	}
	return false
}

// cancelReasons returns the codes of a cancelled transaction, one per item.
func cancelReasons(err error) ([]string, bool) {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		return nil, false
	}
	codes := make([]string, len(tce.CancellationReasons))
	for i, r := range tce.CancellationReasons {
		codes[i] = aws.ToString(r.Code)
	}
	return codes, true
}

func isConditionFailed(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	var tc *types.TransactionConflictException
	if errors.As(err, &ccf) || errors.As(err, &tc) {
		return true
	}
	codes, ok := cancelReasons(err)
	if !ok {
		return false
	}
	for _, c := range codes {
		if c == "ConditionalCheckFailed" || c == "TransactionConflict" {
			return true
		}
	}
	return false
}

// DueShard is the one partition of the sparse "due" index. Reminders are few
// (tens a day), far below a partition's limits, and one partition lets the
// job read everything due with a single Query ordered by time.
const DueShard = "due"
