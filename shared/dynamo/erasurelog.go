package dynamo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/failure"
)

// The erasure log: every erasure writes, with the erasure itself, an item
// naming what was erased by its random id and nothing else:
//
//	ERASURE#<yyyy-mm>  <time>#<kind>#<id>   kind, id, erasedAt
//
// A point-in-time restore of the table brings back everything erased since
// the restore point, personal data included; the log of the table restored
// from lists those erasures, and Reerase repeats them on the restored table
// (docs/operations.md). The log holds no personal data, and each entry
// lives as long as the restore window plus a margin (ErasureLogKeep).
const ErasureLogKeep = 40 * 24 * time.Hour

// Erasure kinds.
const (
	ErasedAssessment  = "assessment"
	ErasedPartnership = "partnership"
	// ErasedColleague is a colleague removed from an assessment: its id is
	// "<assessment id>/<colleague id>".
	ErasedColleague = "colleague"
	// ErasedViewer is a read-only link revoked (issue 20): after a restore
	// it must stop working again. Its id is "<partition key>/<link id>".
	ErasedViewer = "viewer"
)

// Erasure is one entry of the log.
type Erasure struct {
	Kind, ID string
	At       time.Time
}

func erasurePK(at time.Time) string { return "ERASURE#" + at.UTC().Format("2006-01") }

// erasureLogPut is the log entry of one erasure, as a transaction item.
func (s *Store) erasureLogPut(kind, id string, at time.Time) types.TransactWriteItem {
	return types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: erasureItem(kind, id, at)}}
}

func erasureItem(kind, id string, at time.Time) map[string]types.AttributeValue {
	at = at.UTC()
	return map[string]types.AttributeValue{
		"pk": str(erasurePK(at)), "sk": str(at.Format(timeFormat) + "#" + kind + "#" + id),
		"kind": str("erasure-log"), "erased": str(kind), "id": str(id), "erasedAt": str(at.Format(timeFormat)),
		"expiresAt": num(at.Add(ErasureLogKeep).Unix()),
	}
}

// ErasedSince lists the erasures logged from since to now, oldest first:
// one Query per month.
func (s *Store) ErasedSince(ctx context.Context, since, now time.Time) ([]Erasure, error) {
	var out []Erasure
	for m := time.Date(since.Year(), since.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(now); m = m.AddDate(0, 1, 0) {
		p := dynamodb.NewQueryPaginator(s.db, &dynamodb.QueryInput{TableName: &s.table,
			KeyConditionExpression:    aws.String("pk = :pk AND sk >= :since"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(erasurePK(m)), ":since": str(since.UTC().Format(timeFormat))},
			ConsistentRead:            aws.Bool(true)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, storeErr(err, "read the erasure log")
			}
			for _, it := range page.Items {
				at, _ := time.Parse(timeFormat, strAttr(it, "erasedAt"))
				out = append(out, Erasure{Kind: strAttr(it, "erased"), ID: strAttr(it, "id"), At: at})
			}
		}
	}
	return out, nil
}

// Reerase erases again, on this (restored) table, what e names: every item
// of the assessment's or partnership's partition, with the assessment's
// membership and the idempotency records they name, and the partnership's
// join-code items. It is idempotent: what is already gone stays gone.
func (s *Store) Reerase(ctx context.Context, e Erasure) error {
	var pk string
	switch e.Kind {
	case ErasedColleague:
		return s.reeraseColleague(ctx, e)
	case ErasedViewer:
		return s.reeraseViewer(ctx, e)
	case ErasedAssessment:
		pk = assessmentPK(e.ID)
	case ErasedPartnership:
		pk = partnershipPK(e.ID)
	default:
		return failure.New(failure.Internal, "erasure log: unknown kind %q", e.Kind)
	}
	items, err := s.partition(ctx, pk, "Reerase")
	if err != nil {
		return err
	}
	var keys []map[string]types.AttributeValue
	for _, it := range items {
		keys = append(keys, map[string]types.AttributeValue{"pk": it["pk"], "sk": it["sk"]})
		if h := strAttr(it, "idemKeyHash"); h != "" {
			keys = append(keys, key(idemPK(h), skIdem))
		}
		if strAttr(it, "sk") != skMeta {
			continue
		}
		if p, round := strAttr(it, "partnership"), numAttr(it, "round"); e.Kind == ErasedAssessment && p != "" {
			keys = append(keys, key(partnershipPK(p), memberSK(int(round), e.ID)))
		}
		if k := strAttr(it, "joinKey"); k != "" {
			keys = append(keys, key(joinPK(k), "JOIN"))
		}
		if c := strAttr(it, "joinCode"); c != "" {
			keys = append(keys, key("JOIN#"+strings.NewReplacer("-", "", " ", "").Replace(strings.ToUpper(c)), "JOIN"))
		}
	}
	return s.batchDelete(ctx, keys, "re-erase "+e.Kind+" "+e.ID)
}

// batchDelete deletes keys 25 at a time (BatchWriteItem's limit), retrying
// what DynamoDB leaves unprocessed; what names the work in errors.
func (s *Store) batchDelete(ctx context.Context, keys []map[string]types.AttributeValue, what string) error {
	for len(keys) > 0 {
		n := min(len(keys), 25)
		reqs := make([]types.WriteRequest, 0, n)
		for _, k := range keys[:n] {
			reqs = append(reqs, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: k}})
		}
		keys = keys[n:]
		pending := map[string][]types.WriteRequest{s.table: reqs}
		for attempt := 0; len(pending) > 0; attempt++ {
			if attempt == 5 {
				return failure.New(failure.Unavailable, "%s: DynamoDB left items unprocessed; try again to finish.", what)
			}
			out, err := s.db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
			if err != nil {
				return storeErr(err, what)
			}
			pending = out.UnprocessedItems
			if len(pending) > 0 {
				time.Sleep(time.Duration(50<<attempt) * time.Millisecond)
			}
		}
	}
	return nil
}

func numAttr(item map[string]types.AttributeValue, name string) int64 {
	v, ok := item[name].(*types.AttributeValueMemberN)
	if !ok {
		return 0
	}
	var n int64
	_, _ = fmt.Sscan(v.Value, &n)
	return n
}

// reeraseColleague deletes a removed colleague's items (RESP#<cid> and its
// areas) and their invitation's idempotency record from the assessment's
// partition, which otherwise stays.
func (s *Store) reeraseColleague(ctx context.Context, e Erasure) error {
	aid, cid, ok := strings.Cut(e.ID, "/")
	if !ok || aid == "" || cid == "" {
		return failure.New(failure.Internal, "erasure log: colleague id %q is not <assessment>/<colleague>", e.ID)
	}
	items, err := s.partition(ctx, assessmentPK(aid), "Reerase")
	if err != nil {
		return err
	}
	var keys []map[string]types.AttributeValue
	own := colleagueSK(cid)
	for _, it := range items {
		sk := strAttr(it, "sk")
		if sk != own && !strings.HasPrefix(sk, own+"#") {
			continue
		}
		keys = append(keys, map[string]types.AttributeValue{"pk": it["pk"], "sk": it["sk"]})
		if h := strAttr(it, "idemKeyHash"); h != "" {
			keys = append(keys, key(idemPK(h), skIdem))
		}
	}
	return s.batchDelete(ctx, keys, "re-erase colleague "+e.ID)
}
