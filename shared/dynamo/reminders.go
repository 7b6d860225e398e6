package dynamo

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/reminders"
	"github.com/openrasp/rasp/shared/tabledef"
)

var _ reminders.Store = (*Store)(nil)

// Reminder attributes, on the META item of an assessment or partnership:
//
//	dueShard, dueAt   the keys of the sparse "due" index (tabledef.IndexDue)
//	remindedFor       the dueAt whose reminder was claimed (sent) last
//	remindersSent     draft reminders sent (0..2)
//	nudgedAt          when the member of a round was nudged (once)
//	deadlineRemindedFor  on a seat: the last round whose deadline reminder it got
//	mailedTokenHash   hash of the resume token in the latest mail
//	stopHashes        hashes of the stop-reminders tokens of every mail sent (a binary set)
//	stopReminders     true once a stop link was used
//
// Every write below is one conditional UpdateItem (expiry: one transaction),
// so a claim and the move of its entry happen together or not at all.

// notStopped is true while reminders have not been stopped.
const notStopped = "(attribute_not_exists(stopReminders) OR stopReminders = :false)"

// DueReminders reads the due entries with one Query of the sparse index:
// the cost is the number of entries returned (keys only), whatever the size
// of the table. dueAt is an RFC 3339 string, so "≤ now" is string order; it
// matches time order to the second (a trailing fraction can sort either
// way within one second, which a daily job does not notice).
func (s *Store) DueReminders(ctx context.Context, now time.Time, limit int) ([]reminders.Entry, bool, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	out, err := s.db.Query(ctx, &dynamodb.QueryInput{
		TableName:                 &s.table,
		IndexName:                 aws.String(tabledef.IndexDue),
		KeyConditionExpression:    aws.String("#shard = :due AND #at <= :now"),
		ExpressionAttributeNames:  map[string]string{"#shard": tabledef.AttrDueShard, "#at": tabledef.AttrDueAt},
		ExpressionAttributeValues: map[string]types.AttributeValue{":due": str(DueShard), ":now": str(now.UTC().Format(timeFormat))},
		Limit:                     aws.Int32(int32(limit)),
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityIndexes,
	})
	if err != nil {
		return nil, false, storeErr(err, "query due reminders")
	}
	if out.ConsumedCapacity != nil {
		s.record("DueReminders", *out.ConsumedCapacity)
	}
	entries := make([]reminders.Entry, 0, len(out.Items))
	for _, item := range out.Items {
		pk, sk, dueAt := strAttr(item, tabledef.AttrPK), strAttr(item, tabledef.AttrSK), strAttr(item, tabledef.AttrDueAt)
		e := reminders.Entry{DueAt: dueAt}
		switch {
		case strings.HasPrefix(pk, "A#") && strings.HasPrefix(sk, colleaguePrefix) && !strings.Contains(sk, "#"+areaPrefix):
			e.Subject, e.ID = reminders.ColleagueSubject, reminders.ColleagueID(strings.TrimPrefix(pk, "A#"), strings.TrimPrefix(sk, colleaguePrefix))
		case strings.HasPrefix(pk, "P#") && strings.HasPrefix(sk, actionPrefix):
			e.Subject, e.ID, e.Action = reminders.ActionSubject, strings.TrimPrefix(pk, "P#"), strings.TrimPrefix(sk, actionPrefix)
		case sk != skMeta:
		case strings.HasPrefix(pk, "A#"):
			e.Subject, e.ID = reminders.AssessmentSubject, strings.TrimPrefix(pk, "A#")
		case strings.HasPrefix(pk, "P#"):
			e.Subject, e.ID = reminders.PartnershipSubject, strings.TrimPrefix(pk, "P#")
		}
		entries = append(entries, e)
	}
	return entries, out.LastEvaluatedKey != nil, nil
}

func strAttr(item map[string]types.AttributeValue, name string) string {
	if v, ok := item[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// subjectKey is the META key of an assessment or partnership.
func subjectKey(s reminders.Subject, id string) map[string]types.AttributeValue {
	if s == reminders.ColleagueSubject {
		aid, cid, _ := strings.Cut(id, "/")
		return key(assessmentPK(aid), colleagueSK(cid))
	}
	if s == reminders.PartnershipSubject {
		return key(partnershipPK(id), skMeta)
	}
	if s == reminders.SeatSubject {
		pid, sid, _ := strings.Cut(id, "/")
		return key(partnershipPK(pid), seatSK(sid))
	}
	return key(assessmentPK(id), skMeta)
}

// reminderMeta is the part of an assessment's META the job reads.
type reminderMeta struct {
	ID            string `dynamodbav:"id"`
	Lang          string `dynamodbav:"lang"`
	Council       string `dynamodbav:"council"`
	Email         string `dynamodbav:"email"`
	Status        string `dynamodbav:"status"`
	UpdatedAt     string `dynamodbav:"updatedAt"`
	Partnership   string `dynamodbav:"partnership"`
	Round         int    `dynamodbav:"round"`
	IdemKeyHash   string `dynamodbav:"idemKeyHash"`
	DueAt         string `dynamodbav:"dueAt"`
	MailedHash    []byte `dynamodbav:"mailedTokenHash"`
	StopReminders bool   `dynamodbav:"stopReminders"`
	RemindersSent int    `dynamodbav:"remindersSent"`
	NudgedAt      string `dynamodbav:"nudgedAt"`
	// Retention of a submitted assessment.
	SubmittedAt        string `dynamodbav:"submittedAt"`
	CopiedForwardAt    string `dynamodbav:"copiedForwardAt"`
	RetentionWarnedFor string `dynamodbav:"retentionWarnedFor"`
	Seat               string `dynamodbav:"seat"`
	ViewSeq            int64  `dynamodbav:"viewSeq"`
}

// ReminderDraft reads the assessment's partition with one consistent
// Query, like Load: the last change is the latest updatedAt of META and
// the answers items.
func (s *Store) ReminderDraft(ctx context.Context, id string) (*reminders.Draft, error) {
	items, err := s.partition(ctx, assessmentPK(id), "ReminderDraft")
	if err != nil {
		return nil, err
	}
	var d *reminders.Draft
	areas, colleagues := map[string]string{}, map[string]string{}
	var idems, d0, viewIdems []string
	for _, item := range items {
		sk := strAttr(item, tabledef.AttrSK)
		switch {
		case sk == skMeta:
			var m reminderMeta
			if err := attributevalue.UnmarshalMap(item, &m); err != nil {
				return nil, failure.Wrap(failure.Internal, err, "unmarshal assessment")
			}
			d = &reminders.Draft{ID: m.ID, Council: m.Council, Email: m.Email, Status: m.Status, Stopped: m.StopReminders,
				Sent: m.RemindersSent, Nudged: m.NudgedAt != "", MailedTokenHash: m.MailedHash, PartnershipID: m.Partnership,
				Round: m.Round, DueAt: m.DueAt, IdempotencyKeyHash: m.IdemKeyHash, MetaUpdatedAt: m.UpdatedAt,
				RetentionWarnedFor: m.RetentionWarnedFor, Seat: m.Seat, ViewSeq: m.ViewSeq, Lang: locale.Stored(m.Lang)}
			d.SubmittedAt, _ = time.Parse(timeFormat, m.SubmittedAt)
			d.CopiedForwardAt, _ = time.Parse(timeFormat, m.CopiedForwardAt)
			d.LastTouched = laterOf(d.LastTouched, m.UpdatedAt)
		case strings.HasPrefix(sk, areaPrefix):
			areas[strings.TrimPrefix(sk, areaPrefix)] = strAttr(item, "updatedAt")
		case strings.HasPrefix(sk, viewerPrefix):
			// A read-only link keeps nothing alive: it goes with the draft.
			d0 = append(d0, sk)
			if h := strAttr(item, "idemKeyHash"); h != "" {
				viewIdems = append(viewIdems, h)
			}
		case strings.HasPrefix(sk, colleaguePrefix):
			colleagues[sk] = strAttr(item, "updatedAt")
			if h := strAttr(item, "idemKeyHash"); h != "" {
				idems = append(idems, h)
			}
		}
	}
	if d == nil {
		return nil, failure.New(failure.NotFound, "no such assessment")
	}
	for _, u := range areas {
		d.LastTouched = laterOf(d.LastTouched, u)
	}
	for _, u := range colleagues {
		d.LastTouched = laterOf(d.LastTouched, u)
	}
	d.Areas, d.Colleagues, d.ColleagueIdems, d.Viewers, d.ViewerIdems = areas, colleagues, idems, d0, viewIdems
	return d, nil
}

func laterOf(t time.Time, ts string) time.Time {
	if u, err := time.Parse(timeFormat, ts); err == nil && u.After(t) {
		return u
	}
	return t
}

// update is one conditional UpdateItem; a failed condition is ErrTaken.
func (s *Store) update(ctx context.Context, op string, in *dynamodb.UpdateItemInput) error {
	in.TableName = &s.table
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := s.db.UpdateItem(ctx, in)
	if err != nil {
		if isConditionFailed(err) {
			return reminders.ErrTaken
		}
		return storeErr(err, op)
	}
	if out.ConsumedCapacity != nil {
		s.record(op, *out.ConsumedCapacity)
	}
	return nil
}

func hashSet(h []byte) types.AttributeValue { return &types.AttributeValueMemberBS{Value: [][]byte{h}} }

// ClaimReminder records the mail as being sent, in one conditional write:
//
//   - a draft reminder moves the entry from c.Seen to c.Next and records
//     remindedFor = c.Seen, iff dueAt is still c.Seen and no claim for that
//     date exists, the assessment is a draft with an address and reminders
//     are not stopped;
//   - a health check takes the partnership off the index (until a round
//     opens) on the same conditions;
//   - a nudge sets nudgedAt, once per assessment (it is in one round).
//   - a deadline reminder is one transaction over the seat, the new link's
//     item and the round (claimDeadline).
//
// The resume token's hash (assessments) and the stop token's hash go in the
// same write, so the links in the mail work exactly when it is claimed.
func (s *Store) ClaimReminder(ctx context.Context, c reminders.Claim) error {
	if c.Kind == reminders.DeadlineReminder {
		return s.claimDeadline(ctx, c)
	}
	values := map[string]types.AttributeValue{":false": &types.AttributeValueMemberBOOL{Value: false}, ":stop": hashSet(c.StopHash)}
	in := &dynamodb.UpdateItemInput{ExpressionAttributeNames: map[string]string{}}
	switch c.Kind {
	case reminders.DraftFirst, reminders.DraftSecond:
		in.Key = key(assessmentPK(c.ID), skMeta)
		in.UpdateExpression = aws.String("SET dueAt = :next, expiresAt = :exp, remindedFor = :seen, remindersSent = :sent, mailedTokenHash = :tok ADD stopHashes :stop")
		values[":exp"] = num(metaExpiry(c.Next))
		in.ConditionExpression = aws.String("dueAt = :seen AND #st = :draft AND attribute_exists(email) AND " + notStopped +
			" AND (attribute_not_exists(remindedFor) OR remindedFor <> :seen)")
		in.ExpressionAttributeNames["#st"] = "status"
		values[":next"], values[":seen"], values[":sent"] = str(c.Next.UTC().Format(timeFormat)), str(c.Seen), num(int64(c.Sent))
		values[":tok"], values[":draft"] = &types.AttributeValueMemberB{Value: c.TokenHash}, str(assessment.Draft)
	case reminders.RetentionWarning:
		// Once per deadline: a copy forward moves the deadline on, and a
		// later warning is then due again.
		in.Key = key(assessmentPK(c.ID), skMeta)
		in.UpdateExpression = aws.String("SET dueAt = :next, retentionWarnedFor = :next, mailedTokenHash = :tok ADD stopHashes :stop")
		in.ConditionExpression = aws.String("dueAt = :seen AND #st = :sub AND attribute_exists(email) AND " + notStopped +
			" AND (attribute_not_exists(retentionWarnedFor) OR retentionWarnedFor <> :next)")
		in.ExpressionAttributeNames["#st"] = "status"
		values[":next"], values[":seen"] = str(c.Next.UTC().Format(timeFormat)), str(c.Seen)
		values[":tok"], values[":sub"] = &types.AttributeValueMemberB{Value: c.TokenHash}, str(assessment.Submitted)
	case reminders.HealthCheck:
		in.Key = key(partnershipPK(c.ID), skMeta)
		in.UpdateExpression = aws.String("SET remindedFor = :seen REMOVE dueShard, dueAt ADD stopHashes :stop")
		in.ConditionExpression = aws.String("dueAt = :seen AND attribute_exists(contactEmail) AND " + notStopped +
			" AND (attribute_not_exists(remindedFor) OR remindedFor <> :seen)")
		values[":seen"] = str(c.Seen)
	case reminders.ColleagueNudge:
		// Once: the claim takes the colleague off the due index.
		in.Key = subjectKey(reminders.ColleagueSubject, c.ID)
		in.UpdateExpression = aws.String("SET remindedAt = :at, mailedTokenHash = :tok REMOVE dueShard, dueAt ADD stopHashes :stop")
		in.ConditionExpression = aws.String("dueAt = :seen AND attribute_exists(email) AND " + notStopped + " AND attribute_not_exists(remindedAt)")
		values[":at"], values[":seen"], values[":tok"] = str(c.At.UTC().Format(timeFormat)), str(c.Seen), &types.AttributeValueMemberB{Value: c.TokenHash}
	case reminders.RoundNudge:
		in.Key = key(assessmentPK(c.ID), skMeta)
		in.UpdateExpression = aws.String("SET nudgedAt = :at, mailedTokenHash = :tok ADD stopHashes :stop")
		in.ConditionExpression = aws.String("#st = :draft AND attribute_exists(email) AND " + notStopped + " AND attribute_not_exists(nudgedAt)")
		in.ExpressionAttributeNames["#st"] = "status"
		values[":at"], values[":tok"], values[":draft"] = str(c.At.UTC().Format(timeFormat)), &types.AttributeValueMemberB{Value: c.TokenHash}, str(assessment.Draft)
	default:
		return failure.New(failure.Internal, "claim: unknown reminder kind %q", c.Kind)
	}
	if len(in.ExpressionAttributeNames) == 0 {
		in.ExpressionAttributeNames = nil
	}
	in.ExpressionAttributeValues = values
	return s.update(ctx, "ClaimReminder", in)
}

// ReleaseReminder undoes a claim whose mail was not sent: the entry goes
// back to c.Seen and the previous resume token is restored, iff the item is
// as the claim left it (else the user submitted, deleted or stopped since,
// and there is nothing to retry). Stop hashes stay: if the mail did go out
// after all, its stop link must work.
func (s *Store) ReleaseReminder(ctx context.Context, c reminders.Claim) error {
	if c.Kind == reminders.DeadlineReminder {
		return s.releaseDeadline(ctx, c)
	}
	values := map[string]types.AttributeValue{}
	in := &dynamodb.UpdateItemInput{}
	// The resume token of the mail that was not sent gives way to the one
	// of the mail before it, whose link then works again.
	restoreToken := func(set, remove []string) ([]string, []string) {
		values[":tok"] = &types.AttributeValueMemberB{Value: c.TokenHash}
		if len(c.PrevTokenHash) > 0 {
			values[":prevTok"] = &types.AttributeValueMemberB{Value: c.PrevTokenHash}
			return append(set, "mailedTokenHash = :prevTok"), remove
		}
		return set, append(remove, "mailedTokenHash")
	}
	switch c.Kind {
	case reminders.DraftFirst, reminders.DraftSecond:
		set, remove := restoreToken([]string{"dueAt = :seen", "remindersSent = :prev"}, []string{"remindedFor"})
		in.Key = key(assessmentPK(c.ID), skMeta)
		in.UpdateExpression = aws.String("SET " + strings.Join(set, ", ") + " REMOVE " + strings.Join(remove, ", "))
		in.ConditionExpression = aws.String("dueAt = :next AND remindedFor = :seen AND mailedTokenHash = :tok")
		values[":seen"], values[":next"], values[":prev"] = str(c.Seen), str(c.Next.UTC().Format(timeFormat)), num(int64(c.PrevSent))
	case reminders.RetentionWarning:
		set, remove := restoreToken([]string{"dueAt = :seen"}, []string{"retentionWarnedFor"})
		in.Key = key(assessmentPK(c.ID), skMeta)
		in.UpdateExpression = aws.String("SET " + strings.Join(set, ", ") + " REMOVE " + strings.Join(remove, ", "))
		in.ConditionExpression = aws.String("dueAt = :next AND retentionWarnedFor = :next AND mailedTokenHash = :tok")
		values[":seen"], values[":next"] = str(c.Seen), str(c.Next.UTC().Format(timeFormat))
	case reminders.HealthCheck:
		in.Key = key(partnershipPK(c.ID), skMeta)
		in.UpdateExpression = aws.String("SET dueShard = :due, dueAt = :seen REMOVE remindedFor")
		// A round opened since has set a new entry: leave it.
		in.ConditionExpression = aws.String("attribute_not_exists(dueAt) AND remindedFor = :seen")
		values[":seen"], values[":due"] = str(c.Seen), str(DueShard)
	case reminders.ColleagueNudge:
		set, remove := restoreToken([]string{"dueShard = :due", "dueAt = :seen"}, []string{"remindedAt"})
		in.Key = subjectKey(reminders.ColleagueSubject, c.ID)
		in.UpdateExpression = aws.String("SET " + strings.Join(set, ", ") + " REMOVE " + strings.Join(remove, ", "))
		in.ConditionExpression = aws.String("remindedAt = :at AND mailedTokenHash = :tok")
		values[":at"], values[":seen"], values[":due"] = str(c.At.UTC().Format(timeFormat)), str(c.Seen), str(DueShard)
	case reminders.RoundNudge:
		set, remove := restoreToken(nil, []string{"nudgedAt"})
		expr := "REMOVE " + strings.Join(remove, ", ")
		if len(set) > 0 {
			expr = "SET " + strings.Join(set, ", ") + " " + expr
		}
		in.Key = key(assessmentPK(c.ID), skMeta)
		in.UpdateExpression = aws.String(expr)
		in.ConditionExpression = aws.String("nudgedAt = :at AND mailedTokenHash = :tok")
		values[":at"] = str(c.At.UTC().Format(timeFormat))
	default:
		return failure.New(failure.Internal, "release: unknown reminder kind %q", c.Kind)
	}
	in.ExpressionAttributeValues = values
	return s.update(ctx, "ReleaseReminder", in)
}

// RescheduleReminder moves a due entry without sending anything, iff it
// still holds the dueAt read from the index.
func (s *Store) RescheduleReminder(ctx context.Context, e reminders.Entry, next time.Time) error {
	in := &dynamodb.UpdateItemInput{
		Key:                       subjectKey(e.Subject, e.ID),
		UpdateExpression:          aws.String("REMOVE dueShard, dueAt"),
		ConditionExpression:       aws.String("dueAt = :seen"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":seen": str(e.DueAt)},
	}
	if !next.IsZero() {
		in.UpdateExpression = aws.String("SET dueAt = :next")
		in.ExpressionAttributeValues[":next"] = str(next.UTC().Format(timeFormat))
		if e.Subject == reminders.AssessmentSubject {
			in.UpdateExpression = aws.String("SET dueAt = :next, expiresAt = :exp")
			in.ExpressionAttributeValues[":exp"] = num(metaExpiry(next))
		}
	}
	return s.update(ctx, "RescheduleReminder", in)
}

// metaExpiry keeps a draft's META alive while it has a due entry: saves
// refresh only the answers items' TTL (one write per save), so the META's
// TTL moves with the entry, to 180 days after the next check. The job erases
// an abandoned draft itself at 180 days untouched; TTL is only the backstop
// and must never fire first.
func metaExpiry(next time.Time) int64 {
	return next.Add(assessment.DraftExpiry).Unix()
}

// ExpireDraft erases an abandoned draft, or a submitted assessment at the
// end of its retention, as Delete does — META, answers, colleagues,
// membership and idempotency records in one transaction — but only if it
// is still as read: META still holds the due entry read (a copy forward
// moves it), has the status read, and no answers item changed since. Then
// it frees the seat's place in the round. Unlike Delete it leaves the
// seat's joint actions alone: the council is still in the partnership.
// For drafts the table's TTL is the backstop.
func (s *Store) ExpireDraft(ctx context.Context, d *reminders.Draft) error {
	if d.Status != assessment.Draft && d.Status != assessment.Submitted {
		return failure.New(failure.Internal, "expire: assessment %s is %q", d.ID, d.Status)
	}
	items := []types.TransactWriteItem{{Delete: &types.Delete{TableName: &s.table, Key: key(assessmentPK(d.ID), skMeta),
		// updatedAt moves on with an area's first save, so an area created
		// since the read (not in d.Areas) cancels the expiry instead of
		// outliving it.
		ConditionExpression:       aws.String("dueAt = :seen AND #st = :status AND updatedAt = :touched AND " + viewSeqCondition(d.ViewSeq)),
		ExpressionAttributeNames:  map[string]string{"#st": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":seen": str(d.DueAt), ":status": str(d.Status), ":touched": str(d.MetaUpdatedAt)},
	}}}
	if d.ViewSeq > 0 {
		items[0].Delete.ExpressionAttributeValues[":vseq"] = num(d.ViewSeq)
	}
	for area, updatedAt := range d.Areas {
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.table, Key: key(assessmentPK(d.ID), areaPrefix+area),
			ConditionExpression:       aws.String("updatedAt = :u"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":u": str(updatedAt)},
		}})
	}
	for sk, updatedAt := range d.Colleagues {
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.table, Key: key(assessmentPK(d.ID), sk),
			ConditionExpression:       aws.String("updatedAt = :u"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":u": str(updatedAt)},
		}})
	}
	for _, h := range d.ColleagueIdems {
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.table, Key: key(idemPK(h), skIdem)}})
	}
	if d.PartnershipID != "" {
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.table, Key: key(partnershipPK(d.PartnershipID), memberSK(d.Round, d.ID))}})
	}
	if d.IdempotencyKeyHash != "" {
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.table, Key: key(idemPK(d.IdempotencyKeyHash), skIdem)}})
	}
	items = append(items, s.erasureLogPut(ErasedAssessment, d.ID, time.Now()))
	out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		if isConditionFailed(err) {
			return reminders.ErrTaken
		}
		return storeErr(err, "expire draft")
	}
	s.record("ExpireDraft", out.ConsumedCapacity...)
	// The council's own actions, after META is gone (none can be added since).
	if err := s.sweepAssessment(ctx, d.ID); err != nil {
		return err
	}
	// The read-only links, after META: without it they prove nothing, so
	// a delete cut short leaves only what TTL removes anyway.
	var vkeys []map[string]types.AttributeValue
	for _, sk := range d.Viewers {
		vkeys = append(vkeys, key(assessmentPK(d.ID), sk))
	}
	for _, h := range d.ViewerIdems {
		vkeys = append(vkeys, key(idemPK(h), skIdem))
	}
	if err := s.batchDelete(ctx, vkeys, "erase read-only links"); err != nil {
		return err
	}
	if d.Seat != "" {
		// Conditional: the administrator may have released the slot, and
		// another assessment taken it.
		_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.table, Key: key(partnershipPK(d.PartnershipID), slotSK(d.Round, d.Seat)),
			ConditionExpression:       aws.String("assessment = :a"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":a": str(d.ID)}})
		if err != nil && !isConditionFailed(err) {
			return storeErr(err, "release seat slot")
		}
	}
	return nil
}

// ReminderStopHashes reads the stop-token hashes of an assessment or
// partnership (0.5 RCU).
func (s *Store) ReminderStopHashes(ctx context.Context, subject reminders.Subject, id string) ([][]byte, bool, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:              &s.table,
		Key:                    subjectKey(subject, id),
		ProjectionExpression:   aws.String("pk, stopHashes, stopReminders"),
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	})
	if err != nil {
		return nil, false, storeErr(err, "read stop links")
	}
	if out.ConsumedCapacity != nil {
		s.record("ReminderStopHashes", *out.ConsumedCapacity)
	}
	if out.Item == nil {
		return nil, false, failure.Said(failure.NotFound, noSuchSubject[subject])
	}
	var v struct {
		StopHashes    [][]byte `dynamodbav:"stopHashes"`
		StopReminders bool     `dynamodbav:"stopReminders"`
	}
	if err := attributevalue.UnmarshalMap(out.Item, &v); err != nil {
		return nil, false, failure.Wrap(failure.Internal, err, "unmarshal stop links")
	}
	return v.StopHashes, v.StopReminders, nil
}

// noSuchSubject and noStopLink are the catalogue's keys for a reminder's
// subject that is not there, or whose stop link is not one of its own.
var (
	noSuchSubject = map[reminders.Subject]string{
		reminders.ActionSubject: "error.store.noSuch.action", reminders.AssessmentSubject: "error.store.noSuch.assessment",
		reminders.ColleagueSubject: "error.store.noSuch.colleague", reminders.PartnershipSubject: "error.store.noSuch.partnership",
		reminders.SeatSubject: "error.store.noSuch.seat",
	}
	noStopLink = map[reminders.Subject]string{
		reminders.ActionSubject: "error.store.stopLink.action", reminders.AssessmentSubject: "error.store.stopLink.assessment",
		reminders.ColleagueSubject: "error.store.stopLink.colleague", reminders.PartnershipSubject: "error.store.stopLink.partnership",
		reminders.SeatSubject: "error.store.stopLink.seat",
	}
)

// StopReminders sets stopReminders, iff tokenHash is in the item's set of
// stop hashes: one conditional write, no read.
func (s *Store) StopReminders(ctx context.Context, subject reminders.Subject, id string, tokenHash []byte) error {
	err := s.update(ctx, "StopReminders", &dynamodb.UpdateItemInput{
		Key:                 subjectKey(subject, id),
		UpdateExpression:    aws.String("SET stopReminders = :true"),
		ConditionExpression: aws.String("contains(stopHashes, :h)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":true": &types.AttributeValueMemberBOOL{Value: true}, ":h": &types.AttributeValueMemberB{Value: tokenHash}},
	})
	if errors.Is(err, reminders.ErrTaken) {
		return failure.Said(failure.NotFound, noStopLink[subject])
	}
	return err
}

// claimDeadline records a deadline reminder to seat c.Seat of partnership
// c.ID as being sent, in one transaction: on the seat, deadlineRemindedFor
// = c.Round (iff it is not yet, the seat has an address, is not withdrawn
// and its reminders are not stopped) with the stop token's hash; the new
// link's hash as the seat's mailed token, or, when the seat started an
// assessment (c.Assessment), as the assessment's (iff still a draft); and a
// check that the round is still open. Of two runs only one claims it.
func (s *Store) claimDeadline(ctx context.Context, c reminders.Claim) error {
	tok := &types.AttributeValueMemberB{Value: c.TokenHash}
	seat := &types.Update{TableName: &s.table, Key: key(partnershipPK(c.ID), seatSK(c.Seat)),
		UpdateExpression: aws.String("SET deadlineRemindedFor = :n ADD stopHashes :stop"),
		ConditionExpression: aws.String("attribute_exists(pk) AND attribute_not_exists(withdrawnAt) AND attribute_exists(email) AND " + notStopped +
			" AND (attribute_not_exists(deadlineRemindedFor) OR deadlineRemindedFor < :n)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":n": num(int64(c.Round)), ":stop": hashSet(c.StopHash),
			":false": &types.AttributeValueMemberBOOL{Value: false}}}
	items := []types.TransactWriteItem{
		{ConditionCheck: &types.ConditionCheck{TableName: &s.table, Key: key(partnershipPK(c.ID), roundSK(c.Round)),
			ConditionExpression: aws.String("#st = :open"), ExpressionAttributeNames: map[string]string{"#st": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":open": str(partnership.Open)}}},
		{Update: seat},
	}
	if c.Assessment == "" {
		seat.UpdateExpression = aws.String("SET deadlineRemindedFor = :n, mailedTokenHash = :tok ADD stopHashes :stop")
		seat.ExpressionAttributeValues[":tok"] = tok
	} else {
		items = append(items, types.TransactWriteItem{Update: &types.Update{TableName: &s.table, Key: key(assessmentPK(c.Assessment), skMeta),
			UpdateExpression: aws.String("SET mailedTokenHash = :tok"), ConditionExpression: aws.String("#st = :draft"),
			ExpressionAttributeNames:  map[string]string{"#st": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":tok": tok, ":draft": str(assessment.Draft)}}})
	}
	return s.transact(ctx, "ClaimReminder", items)
}

// releaseDeadline undoes claimDeadline after a failed send, iff the items
// are as the claim left them: the seat is no longer marked reminded for the
// round, and the mailed token before it is restored.
func (s *Store) releaseDeadline(ctx context.Context, c reminders.Claim) error {
	values := func() map[string]types.AttributeValue {
		v := map[string]types.AttributeValue{":tok": &types.AttributeValueMemberB{Value: c.TokenHash}}
		if len(c.PrevTokenHash) > 0 {
			v[":prev"] = &types.AttributeValueMemberB{Value: c.PrevTokenHash}
		}
		return v
	}
	restore, drop := "SET mailedTokenHash = :prev", "REMOVE mailedTokenHash"
	if len(c.PrevTokenHash) == 0 {
		restore = drop
	}
	seat := &types.Update{TableName: &s.table, Key: key(partnershipPK(c.ID), seatSK(c.Seat)),
		UpdateExpression: aws.String("REMOVE deadlineRemindedFor"), ConditionExpression: aws.String("deadlineRemindedFor = :n"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":n": num(int64(c.Round))}}
	items := []types.TransactWriteItem{{Update: seat}}
	if c.Assessment == "" {
		seat.ConditionExpression = aws.String("deadlineRemindedFor = :n AND mailedTokenHash = :tok")
		seat.ExpressionAttributeValues = values()
		seat.ExpressionAttributeValues[":n"] = num(int64(c.Round))
		if restore == drop {
			seat.UpdateExpression = aws.String("REMOVE deadlineRemindedFor, mailedTokenHash")
		} else {
			seat.UpdateExpression = aws.String(restore + " REMOVE deadlineRemindedFor")
		}
	} else {
		items = append(items, types.TransactWriteItem{Update: &types.Update{TableName: &s.table, Key: key(assessmentPK(c.Assessment), skMeta),
			UpdateExpression: aws.String(restore), ConditionExpression: aws.String("mailedTokenHash = :tok"), ExpressionAttributeValues: values()}})
	}
	return s.transact(ctx, "ReleaseReminder", items)
}

// transact is one TransactWriteItems; a failed condition is ErrTaken.
func (s *Store) transact(ctx context.Context, op string, items []types.TransactWriteItem) error {
	out, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		if isConditionFailed(err) {
			return reminders.ErrTaken
		}
		return storeErr(err, op)
	}
	s.record(op, out.ConsumedCapacity...)
	return nil
}
