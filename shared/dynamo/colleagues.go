package dynamo

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/reminders"
	"github.com/openrasp/rasp/shared/tabledef"
)

// Colleagues (issue 19) live in their assessment's partition, so the one
// Query that proves a lead's or a colleague's token also loads every
// colleague's answers (consolidation and scoring stay one Query):
//
//	A#<id>  RESP#<cid>                 the colleague: name, role, e-mail, token hash
//	A#<id>  RESP#<cid>#AREA#<area>     the colleague's answers of one area
//
// Every area item is written, empty, by the invitation (one transaction with
// an update of META conditioned on the draft), so a colleague's saves only
// ever update an item that exists, on condition that it does: a first save
// is one UpdateItem like any other, and once the colleague or the assessment
// is erased (which deletes every one of those items by key) a save fails its
// condition rather than re-creating an item nobody would erase.
const colleaguePrefix = "RESP#"

func colleagueSK(cid string) string           { return colleaguePrefix + cid }
func colleagueAreaSK(cid, area string) string { return colleaguePrefix + cid + "#" + areaPrefix + area }

type colleagueItem struct {
	PK          string `dynamodbav:"pk"`
	SK          string `dynamodbav:"sk"`
	Kind        string `dynamodbav:"kind"`
	ID          string `dynamodbav:"id"`
	Name        string `dynamodbav:"name"`
	Role        string `dynamodbav:"role"`
	Email       string `dynamodbav:"email,omitempty"`
	TokenHash   []byte `dynamodbav:"tokenHash"`
	InvitedAt   string `dynamodbav:"invitedAt"`
	UpdatedAt   string `dynamodbav:"updatedAt"`
	IdemKeyHash string `dynamodbav:"idemKeyHash,omitempty"`
	ExpiresAt   int64  `dynamodbav:"expiresAt,omitempty"`
	// Routing is the lead's choice when RoutingSet (an empty choice is
	// stored as no list); SeesSpread the lead's sharing of the spread.
	Routing    []string `dynamodbav:"routing,omitempty"`
	RoutingSet bool     `dynamodbav:"routingSet,omitempty"`
	SeesSpread bool     `dynamodbav:"seesSpread,omitempty"`
	// Asked are the questions routed to them, for the reminders job; a
	// colleague with an address is on the due index (dueShard, dueAt)
	// until their one reminder is claimed (remindedAt) or not needed.
	Asked         []string `dynamodbav:"asked,omitempty"`
	DueShard      string   `dynamodbav:"dueShard,omitempty"`
	DueAt         string   `dynamodbav:"dueAt,omitempty"`
	RemindedAt    string   `dynamodbav:"remindedAt,omitempty"`
	StopReminders bool     `dynamodbav:"stopReminders,omitempty"`
	MailedHash    []byte   `dynamodbav:"mailedTokenHash,omitempty"`
}

type colleagueAreaItem struct {
	PK        string              `dynamodbav:"pk"`
	SK        string              `dynamodbav:"sk"`
	Rev       int64               `dynamodbav:"rev"`
	UpdatedAt string              `dynamodbav:"updatedAt"`
	ExpiresAt int64               `dynamodbav:"expiresAt,omitempty"`
	Answers   map[string]answerAV `dynamodbav:"ans"`
}

// Invite writes the colleague and an empty answers item per area in one
// transaction with META (draft only; its colleagueSeq moves on, which
// Delete is conditioned on) and the idempotency record.
func (s *Store) Invite(ctx context.Context, a *assessment.Assessment, c *assessment.Colleague, areas []string, idem *idempotency.Record) error {
	now := c.InvitedAt.Format(timeFormat)
	// A draft's items carry the TTL backstop of the draft (180 days after
	// the last change); a colleague's saves move their own on.
	exp := c.InvitedAt.Add(assessment.DraftExpiry).Unix()
	var items []types.TransactWriteItem
	item := colleagueItem{PK: assessmentPK(a.ID), SK: colleagueSK(c.ID), Kind: "colleague", ID: c.ID, Name: c.Name, Role: c.Role,
		Email: c.Email, TokenHash: c.TokenHash, InvitedAt: now, UpdatedAt: now, ExpiresAt: exp, Asked: c.Asked}
	if c.Email != "" {
		item.DueShard, item.DueAt = DueShard, c.InvitedAt.Add(reminders.ColleagueAfter).Format(timeFormat)
	}
	if idem != nil {
		item.IdemKeyHash = idem.KeyHash
		put, err := s.idemPut(idem)
		if err != nil {
			return err
		}
		items = append(items, put)
	}
	items = append(items, types.TransactWriteItem{Update: &types.Update{TableName: &s.table, Key: key(assessmentPK(a.ID), skMeta),
		UpdateExpression:          aws.String("SET updatedAt = :now ADD colleagueSeq :one"),
		ConditionExpression:       aws.String("#st = :draft"),
		ExpressionAttributeNames:  map[string]string{"#st": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":draft": str(assessment.Draft), ":now": str(now), ":one": num(1)}}})
	av, err := attributevalue.MarshalMap(item)
	if err != nil {
		return failure.Wrap(failure.Internal, err, "marshal colleague")
	}
	items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: av, ConditionExpression: aws.String("attribute_not_exists(pk)")}})
	for _, area := range areas {
		av, err := attributevalue.MarshalMap(colleagueAreaItem{PK: assessmentPK(a.ID), SK: colleagueAreaSK(c.ID, area), UpdatedAt: now, ExpiresAt: exp,
			Answers: map[string]answerAV{}})
		if err != nil {
			return failure.Wrap(failure.Internal, err, "marshal colleague area")
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: av, ConditionExpression: aws.String("attribute_not_exists(pk)")}})
	}
	out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err == nil {
		s.record("Invite", out.ConsumedCapacity...)
		return nil
	}
	if codes, ok := cancelReasons(err); ok {
		if idem != nil && codes[0] == "ConditionalCheckFailed" {
			return idempotency.ErrKeyUsed
		}
		return assessment.ErrConditionFailed
	}
	return storeErr(err, "invite colleague")
}

// SaveColleague sets whole answers in (and removes cleared ones from) the
// colleague's area items. One area is one UpdateItem of an item the
// invitation wrote, on condition that it still exists; several areas are
// one transaction of the same updates (nothing half-applied).
func (s *Store) SaveColleague(ctx context.Context, id, cid string, answers map[string]map[string]assessment.Answer, cleared map[string][]string, now time.Time) error {
	touched := map[string]bool{}
	for area := range answers {
		touched[area] = true
	}
	for area := range cleared {
		touched[area] = true
	}
	areas := make([]string, 0, len(touched))
	for area := range touched {
		areas = append(areas, area)
	}
	sort.Strings(areas)
	updates := make([]*types.Update, 0, len(areas))
	for _, area := range areas {
		u, err := colleagueAreaUpdate(s.table, id, cid, area, answers[area], cleared[area], now)
		if err != nil {
			return err
		}
		updates = append(updates, u)
	}
	switch len(updates) {
	case 0:
		return nil
	case 1:
		u := updates[0]
		out, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: u.TableName, Key: u.Key, UpdateExpression: u.UpdateExpression,
			ConditionExpression: u.ConditionExpression, ExpressionAttributeNames: u.ExpressionAttributeNames,
			ExpressionAttributeValues: u.ExpressionAttributeValues, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
		if isConditionFailed(err) {
			return assessment.ErrConditionFailed
		}
		if err != nil {
			return storeErr(err, "save colleague's answers")
		}
		if out.ConsumedCapacity != nil {
			s.record("SaveColleague", *out.ConsumedCapacity)
		}
		return nil
	}
	items := make([]types.TransactWriteItem, 0, len(updates))
	for _, u := range updates {
		items = append(items, types.TransactWriteItem{Update: u})
	}
	out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if isConditionFailed(err) {
		return assessment.ErrConditionFailed
	}
	if err != nil {
		return storeErr(err, "save colleague's answers")
	}
	s.record("SaveColleague", out.ConsumedCapacity...)
	return nil
}

func colleagueAreaUpdate(table, id, cid, area string, answers map[string]assessment.Answer, cleared []string, now time.Time) (*types.Update, error) {
	names := map[string]string{}
	values := map[string]types.AttributeValue{":now": str(now.Format(timeFormat)), ":one": num(1),
		":exp": num(now.Add(assessment.DraftExpiry).Unix())}
	qids := make([]string, 0, len(answers))
	for q := range answers {
		qids = append(qids, q)
	}
	sort.Strings(qids)
	set := "updatedAt = :now, expiresAt = :exp"
	for i, q := range qids {
		av, err := attributevalue.Marshal(answerItem(answers[q]))
		if err != nil {
			return nil, failure.Wrap(failure.Internal, err, "marshal answer")
		}
		n, v := fmt.Sprintf("#q%d", i), fmt.Sprintf(":a%d", i)
		names[n], values[v] = q, av
		set += fmt.Sprintf(", ans.%s = %s", n, v)
	}
	var remove []string
	for i, q := range cleared {
		n := fmt.Sprintf("#c%d", i)
		names[n] = q
		remove = append(remove, "ans."+n)
	}
	expr := "SET " + set
	if len(remove) > 0 {
		expr += " REMOVE " + strings.Join(remove, ", ")
	}
	u := &types.Update{TableName: aws.String(table), Key: key(assessmentPK(id), colleagueAreaSK(cid, area)),
		UpdateExpression: aws.String(expr + " ADD rev :one"), ConditionExpression: aws.String("attribute_exists(pk)"),
		ExpressionAttributeValues: values}
	if len(names) > 0 {
		u.ExpressionAttributeNames = names
	}
	return u, nil
}

// RemoveColleague deletes the colleague, every one of their area items and
// their invitation's idempotency record in one transaction; their token
// stops proving anything once the item is gone.
func (s *Store) RemoveColleague(ctx context.Context, id, cid string, areas []string) error {
	keys := colleagueKeys(id, cid, areas)
	got, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: keys[0], ProjectionExpression: aws.String("idemKeyHash"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return storeErr(err, "remove colleague")
	}
	if got.Item == nil {
		return failure.New(failure.NotFound, "There is no colleague with this id. They may have been removed already.")
	}
	if v, ok := got.Item["idemKeyHash"].(*types.AttributeValueMemberS); ok {
		keys = append(keys, key(idemPK(v.Value), skIdem))
	}
	items := make([]types.TransactWriteItem, 0, len(keys)+1)
	for _, k := range keys {
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.table, Key: k}})
	}
	// The erasure log names the colleague by ids only, so a re-erasure
	// after a point-in-time restore removes them again.
	items = append(items, s.erasureLogPut(ErasedColleague, id+"/"+cid, time.Now()))
	out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		return storeErr(err, "remove colleague")
	}
	s.record("RemoveColleague", out.ConsumedCapacity...)
	return nil
}

// UpdateColleague writes the lead's routing and spread sharing for c.
func (s *Store) UpdateColleague(ctx context.Context, id string, c *assessment.Colleague) error {
	vals := map[string]types.AttributeValue{
		":set":    &types.AttributeValueMemberBOOL{Value: c.RoutingSet},
		":spread": &types.AttributeValueMemberBOOL{Value: c.SeesSpread},
		":now":    &types.AttributeValueMemberS{Value: time.Now().UTC().Format(timeFormat)},
	}
	set, remove := []string{"routingSet = :set", "seesSpread = :spread", "updatedAt = :now"}, []string{}
	for _, l := range []struct {
		attr string
		ids  []string
	}{{"routing", c.Routing}, {"asked", c.Asked}} {
		if len(l.ids) == 0 {
			remove = append(remove, l.attr)
			continue
		}
		list, err := attributevalue.Marshal(l.ids)
		if err != nil {
			return failure.Wrap(failure.Internal, err, "marshal %s", l.attr)
		}
		vals[":"+l.attr] = list
		set = append(set, l.attr+" = :"+l.attr)
	}
	expr := "SET " + strings.Join(set, ", ")
	if len(remove) > 0 {
		expr += " REMOVE " + strings.Join(remove, ", ")
	}
	out, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.table, Key: key(assessmentPK(id), colleagueSK(c.ID)),
		UpdateExpression: aws.String(expr), ConditionExpression: aws.String("attribute_exists(pk)"),
		ExpressionAttributeValues: vals, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if isConditionFailed(err) {
		return assessment.ErrConditionFailed
	}
	if err != nil {
		return storeErr(err, "update colleague")
	}
	if out.ConsumedCapacity != nil {
		s.record("UpdateColleague", *out.ConsumedCapacity)
	}
	return nil
}

// RotateColleagueToken replaces colleague cid's token hash when it is old.
func (s *Store) RotateColleagueToken(ctx context.Context, id, cid string, old, hash []byte) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.table, Key: key(assessmentPK(id), colleagueSK(cid)),
		UpdateExpression: aws.String("SET tokenHash = :new REMOVE mailedTokenHash"), ConditionExpression: aws.String("tokenHash = :old"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":new": &types.AttributeValueMemberB{Value: hash}, ":old": &types.AttributeValueMemberB{Value: old}}})
	if isConditionFailed(err) {
		return assessment.ErrConditionFailed
	}
	return storeErr(err, "rotate colleague token")
}

// colleagueKeys are the keys of a colleague's items, the colleague first.
func colleagueKeys(id, cid string, areas []string) []map[string]types.AttributeValue {
	keys := []map[string]types.AttributeValue{key(assessmentPK(id), colleagueSK(cid))}
	for _, area := range areas {
		keys = append(keys, key(assessmentPK(id), colleagueAreaSK(cid, area)))
	}
	return keys
}

// loadColleagueItem adds one RESP# item of the assessment's partition to
// byID (the colleague, or one area of their answers).
func loadColleagueItem(sk string, item map[string]types.AttributeValue, byID map[string]*assessment.Colleague) error {
	rest := strings.TrimPrefix(sk, colleaguePrefix)
	cid, area, isArea := strings.Cut(rest, "#"+areaPrefix)
	c := byID[cid]
	if c == nil {
		c = &assessment.Colleague{ID: cid, Answers: map[string]assessment.Answer{}, Revisions: map[string]int64{}}
		byID[cid] = c
	}
	if isArea {
		var ai colleagueAreaItem
		if err := attributevalue.UnmarshalMap(item, &ai); err != nil {
			return failure.Wrap(failure.Internal, err, "unmarshal colleague's answers")
		}
		c.Revisions[area] = ai.Rev
		for q, v := range ai.Answers {
			c.Answers[q] = v.answer()
		}
		return nil
	}
	var ci colleagueItem
	if err := attributevalue.UnmarshalMap(item, &ci); err != nil {
		return failure.Wrap(failure.Internal, err, "unmarshal colleague")
	}
	c.Name, c.Role, c.Email, c.TokenHash, c.IdemKeyHash = ci.Name, ci.Role, ci.Email, ci.TokenHash, ci.IdemKeyHash
	c.Routing, c.RoutingSet, c.SeesSpread, c.Asked, c.MailedTokenHash = ci.Routing, ci.RoutingSet, ci.SeesSpread, ci.Asked, ci.MailedHash
	c.InvitedAt, _ = time.Parse(timeFormat, ci.InvitedAt)
	return nil
}

// colleaguesInOrder lists the colleagues loaded, in invitation order. Area
// items without their colleague's item (none should exist) are left out:
// nobody can prove them.
func colleaguesInOrder(byID map[string]*assessment.Colleague) []assessment.Colleague {
	out := make([]assessment.Colleague, 0, len(byID))
	for _, c := range byID {
		if c.TokenHash != nil {
			out = append(out, *c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].InvitedAt.Equal(out[j].InvitedAt) {
			return out[i].InvitedAt.Before(out[j].InvitedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// ReminderColleague reads what the reminders job needs of colleague cid:
// one consistent Query of the assessment's partition (META, the
// colleague's item and their answers).
func (s *Store) ReminderColleague(ctx context.Context, id, cid string) (*reminders.Colleague, error) {
	items, err := s.partition(ctx, assessmentPK(id), "ReminderColleague")
	if err != nil {
		return nil, err
	}
	out := &reminders.Colleague{Assessment: id, ID: cid, Answered: map[string]bool{}}
	var meta, found bool
	for _, item := range items {
		sk := strAttr(item, tabledef.AttrSK)
		switch {
		case sk == skMeta:
			meta = true
			out.Council, out.Lead, out.Status = strAttr(item, "council"), strAttr(item, "name"), strAttr(item, "status")
			out.Lang = locale.Stored(strAttr(item, "lang"))
		case sk == colleagueSK(cid):
			var ci colleagueItem
			if err := attributevalue.UnmarshalMap(item, &ci); err != nil {
				return nil, failure.Wrap(failure.Internal, err, "unmarshal colleague")
			}
			found = true
			out.Name, out.Email, out.Stopped, out.DueAt, out.Asked, out.MailedTokenHash = ci.Name, ci.Email, ci.StopReminders, ci.DueAt, ci.Asked, ci.MailedHash
			out.InvitedAt, _ = time.Parse(timeFormat, ci.InvitedAt)
		case strings.HasPrefix(sk, colleagueSK(cid)+"#"+areaPrefix):
			var ai colleagueAreaItem
			if err := attributevalue.UnmarshalMap(item, &ai); err != nil {
				return nil, failure.Wrap(failure.Internal, err, "unmarshal colleague's answers")
			}
			for q := range ai.Answers {
				out.Answered[q] = true
			}
		}
	}
	if !meta || !found {
		return nil, failure.New(failure.NotFound, "no such colleague")
	}
	return out, nil
}
