package main

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/secret"
)

// bare does what each route does to DynamoDB with the SDK alone: the same
// calls, keys, items and expressions as shared/dynamo (see the key layout in
// assessments.go and partnerships.go), written by hand, and nothing else:
// no event, JSON, validation, domain model, scoring or logging. The gap
// between a handler and its bare loop is the cost of everything else.
type bare struct {
	db    dynamo.API
	table string
	areas []string // sorted area ids of the current bank
	ver   string   // current bank version
	qids  []string // question ids in bank order, for the score snapshot
}

func avS(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func avN(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": avS(pk), "sk": avS(sk)}
}

const (
	draftExpiry = 180 * 24 * time.Hour
	firstRemind = 7 * 24 * time.Hour
)

// start creates an assessment: one transaction putting the meta item (area
// items are created by their first save); with a join code, it first resolves the code and
// the partnership's current round (two GetItems) and also puts the
// membership and checks the round is open.
func (b *bare) start(ctx context.Context, council, joinCode string) error {
	var pid string
	var round int64
	if joinCode != "" {
		j, err := b.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &b.table, Key: key("JOINK#"+secret.JoinKey(secret.NormaliseJoinCode(joinCode)), "JOIN")})
		if err != nil {
			return err
		}
		pv, ok := j.Item["partnership"].(*types.AttributeValueMemberS)
		if !ok {
			return errors.New("join code not found")
		}
		pid = pv.Value
		m, err := b.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &b.table, Key: key("P#"+pid, "META"), ConsistentRead: aws.Bool(true)})
		if err != nil {
			return err
		}
		rv, ok := m.Item["currentRound"].(*types.AttributeValueMemberN)
		if !ok {
			return errors.New("partnership not found")
		}
		if round, err = strconv.ParseInt(rv.Value, 10, 64); err != nil {
			return err
		}
	}
	id, token := secret.NewID(), secret.NewToken()
	hash := secret.Hash(token)
	now := time.Now().UTC().Truncate(time.Millisecond)
	ts := now.Format(time.RFC3339Nano)
	expires := avN(now.Add(draftExpiry).Unix())
	meta := map[string]types.AttributeValue{
		"pk": avS("A#" + id), "sk": avS("META"), "kind": avS("assessment"), "id": avS(id), "council": avS(council),
		"name": avS("Sam Patel"), "role": avS("Programme manager"), "purpose": avS("readiness"), "form": avS("collaborate"),
		"version": avS(b.ver), "status": avS("draft"), "tokenHash": &types.AttributeValueMemberB{Value: hash},
		"createdAt": avS(ts), "updatedAt": avS(ts), "expiresAt": expires,
		"dueShard": avS("due"), "dueAt": avS(now.Add(firstRemind).Format(time.RFC3339Nano)),
	}
	if pid != "" {
		meta["partnership"], meta["round"] = avS(pid), avN(round)
	}
	items := []types.TransactWriteItem{{Put: &types.Put{TableName: &b.table, Item: meta, ConditionExpression: aws.String("attribute_not_exists(pk)")}}}
	if pid != "" {
		rsk := fmt.Sprintf("R#%04d", round)
		items = append(items,
			types.TransactWriteItem{Put: &types.Put{TableName: &b.table, Item: map[string]types.AttributeValue{
				"pk": avS("P#" + pid), "sk": avS(rsk + "#M#" + id), "kind": avS("member"), "assessment": avS(id), "council": avS(council),
				"status": avS("draft"), "tokenHash": &types.AttributeValueMemberB{Value: hash}, "version": avS(b.ver), "joinedAt": avS(ts),
			}}},
			types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{TableName: &b.table, Key: key("P#"+pid, rsk),
				ConditionExpression:       aws.String("#st = :open"),
				ExpressionAttributeNames:  map[string]string{"#st": "status"},
				ExpressionAttributeValues: map[string]types.AttributeValue{":open": avS("open")},
			}})
	}
	_, err := b.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	return err
}

// load is the one consistent Query of an assessment's partition.
func (b *bare) load(ctx context.Context, id string) (*dynamodb.QueryOutput, error) {
	return b.db.Query(ctx, &dynamodb.QueryInput{
		TableName:                 &b.table,
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": avS("A#" + id)},
		ConsistentRead:            aws.Bool(true),
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
	})
}

func answerAV(a api.AnswerChange) types.AttributeValue {
	m := map[string]types.AttributeValue{"s": &types.AttributeValueMemberNULL{Value: true}}
	if a.Score.Value != nil {
		m["s"] = avN(int64(*a.Score.Value))
	}
	if a.Note != nil && *a.Note != "" {
		m["n"] = avS(*a.Note)
	}
	return &types.AttributeValueMemberM{Value: m}
}

// saveArea reads the assessment (the service checks token and status
// first) and updates the one area item, creating it on the area's first save.
func (b *bare) saveArea(ctx context.Context, id, area string, body api.SaveAnswers) error {
	out, err := b.load(ctx, id)
	if err != nil {
		return err
	}
	exists := false
	for _, item := range out.Items {
		if item["sk"].(*types.AttributeValueMemberS).Value == "AREA#"+area {
			exists = true
		}
	}
	now := time.Now().UTC()
	names := map[string]string{"#st": "status"}
	values := map[string]types.AttributeValue{
		":draft": avS("draft"), ":now": avS(now.Format(time.RFC3339Nano)), ":one": avN(1), ":exp": avN(now.Add(draftExpiry).Unix()),
	}
	qids := make([]string, 0, len(body.Answers))
	for q := range body.Answers {
		qids = append(qids, q)
	}
	sort.Strings(qids)
	var set strings.Builder
	set.WriteString("SET updatedAt = :now, expiresAt = :exp")
	for i, q := range qids {
		nk, vk := "#q"+strconv.Itoa(i), ":a"+strconv.Itoa(i)
		names[nk], values[vk] = q, answerAV(body.Answers[q])
		set.WriteString(", ans." + nk + " = " + vk)
	}
	set.WriteString(" ADD rev :one")
	cond := "#st = :draft"
	if !exists {
		ans := map[string]types.AttributeValue{}
		for q, a := range body.Answers {
			ans[q] = answerAV(a)
		}
		for k := range names {
			if k != "#st" {
				delete(names, k)
			}
		}
		for k := range values {
			if strings.HasPrefix(k, ":a") {
				delete(values, k)
			}
		}
		values[":ans"] = &types.AttributeValueMemberM{Value: ans}
		set.Reset()
		set.WriteString("SET ans = :ans, #st = :draft, updatedAt = :now, expiresAt = :exp ADD rev :one")
		cond = "attribute_not_exists(pk)"
	}
	if !exists {
		// An area's first save is a transaction with META (the erasure
		// guard), as in the store.
		_, err = b.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
			{Update: &types.Update{TableName: &b.table, Key: key("A#"+id, "AREA#"+area),
				UpdateExpression: aws.String(set.String()), ConditionExpression: aws.String(cond),
				ExpressionAttributeNames: names, ExpressionAttributeValues: values}},
			{Update: &types.Update{TableName: &b.table, Key: key("A#"+id, "META"),
				UpdateExpression:         aws.String("SET updatedAt = :now"),
				ConditionExpression:      aws.String("#st = :draft AND (attribute_not_exists(heldUntil) OR heldUntil < :nowms)"),
				ExpressionAttributeNames: map[string]string{"#st": "status"},
				ExpressionAttributeValues: map[string]types.AttributeValue{":draft": avS("draft"), ":now": avS(now.Format(time.RFC3339Nano)),
					":nowms": avN(now.UnixMilli())}}},
		}, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
		return err
	}
	_, err = b.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &b.table, Key: key("A#"+id, "AREA#"+area),
		UpdateExpression: aws.String(set.String()), ConditionExpression: aws.String(cond),
		ExpressionAttributeNames: names, ExpressionAttributeValues: values,
		ReturnValues: types.ReturnValueUpdatedNew, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	})
	return err
}

// submit reads the assessment, seals every area (each conditioned on the
// revision read), then in one transaction marks it submitted and copies the
// scores into its membership.
func (b *bare) submit(ctx context.Context, id string) error {
	out, err := b.load(ctx, id)
	if err != nil {
		return err
	}
	revs := map[string]types.AttributeValue{}
	scores := map[string]string{}
	var pid string
	var round int64
	for _, item := range out.Items {
		sk := item["sk"].(*types.AttributeValueMemberS).Value
		if sk == "META" {
			if p, ok := item["partnership"].(*types.AttributeValueMemberS); ok {
				pid = p.Value
				round, _ = strconv.ParseInt(item["round"].(*types.AttributeValueMemberN).Value, 10, 64)
			}
			continue
		}
		area, ok := strings.CutPrefix(sk, "AREA#")
		if !ok {
			continue
		}
		revs[area] = item["rev"]
		if ans, ok := item["ans"].(*types.AttributeValueMemberM); ok {
			for q, a := range ans.Value {
				switch v := a.(*types.AttributeValueMemberM).Value["s"].(type) {
				case *types.AttributeValueMemberN:
					scores[q] = v.Value
				default:
					scores[q] = "?"
				}
			}
		}
	}
	ts := time.Now().UTC().Truncate(time.Millisecond).Format(time.RFC3339Nano)
	st := map[string]string{"#st": "status"}
	// Seal each area with one plain update, then commit META (and the
	// membership) in one transaction, as the store does.
	sid := fmt.Sprintf("bare%d", time.Now().UnixNano())
	areas := make([]string, 0, len(revs))
	for area := range revs {
		areas = append(areas, area)
	}
	sort.Strings(areas)
	for _, area := range areas {
		_, err := b.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName: &b.table, Key: key("A#"+id, "AREA#"+area),
			UpdateExpression:         aws.String("SET #st = :sub, sealedBy = :sid, sealedAt = :at REMOVE expiresAt"),
			ConditionExpression:      aws.String("rev = :rev AND #st = :draft"),
			ExpressionAttributeNames: st,
			ExpressionAttributeValues: map[string]types.AttributeValue{":sub": avS("submitted"), ":draft": avS("draft"), ":rev": revs[area],
				":sid": avS(sid), ":at": &types.AttributeValueMemberN{Value: strconv.FormatInt(time.Now().UnixMilli(), 10)}},
			ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
		})
		if err != nil {
			return err
		}
	}
	items := []types.TransactWriteItem{{Update: &types.Update{
		TableName: &b.table, Key: key("A#"+id, "META"),
		UpdateExpression:          aws.String("SET #st = :sub, submittedAt = :now, updatedAt = :now REMOVE expiresAt, dueShard, dueAt, abortedSubmits"),
		ConditionExpression:       aws.String("#st = :draft AND (attribute_not_exists(abortedSubmits) OR NOT contains(abortedSubmits, :sid))"),
		ExpressionAttributeNames:  st,
		ExpressionAttributeValues: map[string]types.AttributeValue{":sub": avS("submitted"), ":draft": avS("draft"), ":now": avS(ts), ":sid": avS(sid)},
	}}}
	if pid != "" {
		var snap strings.Builder
		for _, q := range b.qids {
			if v, ok := scores[q]; ok {
				snap.WriteString(v)
			} else {
				snap.WriteByte('.')
			}
		}
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName: &b.table, Key: key("P#"+pid, fmt.Sprintf("R#%04d#M#%s", round, id)),
			UpdateExpression:          aws.String("SET #st = :sub, submittedAt = :now, scores = :scores"),
			ConditionExpression:       aws.String("attribute_exists(pk)"),
			ExpressionAttributeNames:  st,
			ExpressionAttributeValues: map[string]types.AttributeValue{":sub": avS("submitted"), ":now": avS(ts), ":scores": avS(snap.String())},
		}})
	}
	_, err = b.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	return err
}

// score is the one Query of the assessment.
func (b *bare) score(ctx context.Context, id string) error {
	_, err := b.load(ctx, id)
	return err
}

// compare reads the partnership's partition (one Query, paged past 1 MB).
func (b *bare) compare(ctx context.Context, pid string) error {
	in := &dynamodb.QueryInput{
		TableName:                 &b.table,
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": avS("P#" + pid)},
		ConsistentRead:            aws.Bool(true),
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
	}
	for {
		out, err := b.db.Query(ctx, in)
		if err != nil {
			return err
		}
		if out.LastEvaluatedKey == nil {
			return nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}
