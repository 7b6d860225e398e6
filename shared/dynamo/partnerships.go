package dynamo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/secret"
	"github.com/openrasp/rasp/shared/viewer"
)

var _ partnership.Store = (*Store)(nil)

// Key layout of a partnership:
//
//	P#<pid>      META               name, form, the first admin's token hash, admin count, current round, contact
//	P#<pid>      ADMIN#<id>         an administrator added since (admins.go)
//	P#<pid>      R#<nnnn>           a round
//	P#<pid>      R#<nnnn>#M#<aid>   a member (written by the assessment store)
//	P#<pid>      SEAT#<sid>         a member council's seat: name, GSS code, address, invitation hash
//	P#<pid>      SEATNAME#<hash>    guard: one seat per council name (NameKey, hashed)
//	P#<pid>      SLOT#<nnnn>#<sid>  guard: one active assessment per seat per round
//	P#<pid>      ACT#<id>           a joint action (actions.go)
//	P#<pid>      LOG#<at>#<id>      an administrator's act (seats.go)
//	JOINK#<key>  JOIN               the join code's key (secret.JoinKey), pointing at the partnership
//	JOIN#<code>  JOIN               the same, from before codes were stored as keys (read, then rotated away)
func partnershipPK(id string) string { return "P#" + id }

const kindPartnership = "partnership"

type partnershipItem struct {
	PK           string `dynamodbav:"pk"`
	SK           string `dynamodbav:"sk"`
	Kind         string `dynamodbav:"kind"`
	ID           string `dynamodbav:"id"`
	Name         string `dynamodbav:"name"`
	Form         string `dynamodbav:"form"`
	ContactEmail string `dynamodbav:"contactEmail,omitempty"`
	AdminHash    []byte `dynamodbav:"adminHash,omitempty"`
	// Lang is the contact's language for the mails (absent before
	// languages were kept: English).
	Lang string `dynamodbav:"lang,omitempty"`
	// JoinCode is a code in clear, from before codes were stored as
	// keys; JoinKey replaces it (rotation removes it).
	JoinCode      string `dynamodbav:"joinCode,omitempty"`
	JoinKey       string `dynamodbav:"joinKey,omitempty"`
	CadenceMonths int    `dynamodbav:"cadenceMonths"`
	CurrentRound  int    `dynamodbav:"currentRound"`
	CreatedAt     string `dynamodbav:"createdAt"`
	StopReminders bool   `dynamodbav:"stopReminders,omitempty"`
	// HasSeats marks partnerships whose councils have seats (all created
	// since seats, and older ones after make migrate).
	HasSeats bool   `dynamodbav:"hasSeats,omitempty"`
	DueShard string `dynamodbav:"dueShard,omitempty"`
	DueAt    string `dynamodbav:"dueAt,omitempty"`
	// IdemKeyHash names the Idempotency-Key record of the request that
	// created it, erased with the partnership.
	IdemKeyHash string `dynamodbav:"idemKeyHash,omitempty"`
}

type roundItem struct {
	PK       string `dynamodbav:"pk"`
	SK       string `dynamodbav:"sk"`
	Kind     string `dynamodbav:"kind"`
	Number   int    `dynamodbav:"number"`
	Purpose  string `dynamodbav:"purpose"`
	Status   string `dynamodbav:"status"`
	OpenedAt string `dynamodbav:"openedAt"`
	ClosedAt string `dynamodbav:"closedAt,omitempty"`
	// Expected are the seats the round waits for (absent before seats).
	Expected []string `dynamodbav:"expected,omitempty"`
	// Deadline is when the round closes by itself, if it has a deadline.
	Deadline string `dynamodbav:"deadline,omitempty"`
	// IdemKeyHash as on partnershipItem, for the request that opened it.
	IdemKeyHash string `dynamodbav:"idemKeyHash,omitempty"`
}

type seatItem struct {
	PK          string `dynamodbav:"pk"`
	SK          string `dynamodbav:"sk"`
	Kind        string `dynamodbav:"kind"`
	ID          string `dynamodbav:"id"`
	Name        string `dynamodbav:"name"`
	GSSCode     string `dynamodbav:"gssCode,omitempty"`
	Email       string `dynamodbav:"email,omitempty"`
	TokenHash   []byte `dynamodbav:"tokenHash"`
	MailedHash  []byte `dynamodbav:"mailedTokenHash,omitempty"`
	AddedAt     string `dynamodbav:"addedAt"`
	WithdrawnAt string `dynamodbav:"withdrawnAt,omitempty"`
	Position    int    `dynamodbav:"position"`
	// Written by the reminders job only (reminders.go): never by a Put.
	StopReminders       bool `dynamodbav:"stopReminders,omitempty"`
	DeadlineRemindedFor int  `dynamodbav:"deadlineRemindedFor,omitempty"`
}

type guardItem struct {
	PK   string `dynamodbav:"pk"`
	SK   string `dynamodbav:"sk"`
	Kind string `dynamodbav:"kind"`
	// Seat or Assessment is who holds the guarded name or slot.
	Seat       string `dynamodbav:"seat,omitempty"`
	Assessment string `dynamodbav:"assessment,omitempty"`
}

func seatSK(sid string) string { return "SEAT#" + sid }

// seatNameSK is the uniqueness guard of a council name. The key is hashed
// so a long name cannot overflow the sort key.
func seatNameSK(name string) string {
	h := sha256.Sum256([]byte(partnership.NameKey(name)))
	return "SEATNAME#" + hex.EncodeToString(h[:16])
}

func slotSK(round int, sid string) string { return fmt.Sprintf("SLOT#%04d#%s", round, sid) }

func seatToItem(pid string, st partnership.Seat) seatItem {
	it := seatItem{PK: partnershipPK(pid), SK: seatSK(st.ID), Kind: "seat", ID: st.ID, Name: st.Name, GSSCode: st.GSSCode,
		Email: st.Email, TokenHash: st.TokenHash, MailedHash: st.MailedHash, AddedAt: st.AddedAt.Format(timeFormat), Position: st.Position}
	if st.WithdrawnAt != nil {
		it.WithdrawnAt = st.WithdrawnAt.Format(timeFormat)
	}
	return it
}

type joinItem struct {
	PK          string `dynamodbav:"pk"`
	SK          string `dynamodbav:"sk"`
	Partnership string `dynamodbav:"partnership"`
}

// CreatePartnership writes the partnership, its join code and round 1.
func (s *Store) CreatePartnership(ctx context.Context, p *partnership.Partnership, idem *idempotency.Record) error {
	r := p.Rounds[0]
	idemHash := ""
	if idem != nil {
		idemHash = idem.KeyHash
	}
	meta, err := attributevalue.MarshalMap(partnershipItem{IdemKeyHash: idemHash, PK: partnershipPK(p.ID), SK: skMeta, Kind: kindPartnership, ID: p.ID, Name: p.Name,
		Form: p.Form, ContactEmail: p.ContactEmail, AdminHash: p.AdminHash, JoinKey: p.JoinKey, CadenceMonths: p.CadenceMonths,
		CurrentRound: p.CurrentRound, CreatedAt: p.CreatedAt.Format(timeFormat), HasSeats: len(p.Seats) > 0, Lang: string(p.Lang),
		// Round 1 is open: the reminders job looks at it from here.
		DueShard: DueShard, DueAt: p.Due.UTC().Format(timeFormat)})
	if err != nil {
		return failure.Wrap(failure.Internal, err, "marshal partnership")
	}
	round, err := attributevalue.MarshalMap(roundItem{PK: partnershipPK(p.ID), SK: roundSK(r.Number), Kind: "round", Number: r.Number,
		Purpose: r.Purpose, Status: r.Status, OpenedAt: r.OpenedAt.Format(timeFormat), Expected: r.Expected})
	if err != nil {
		return failure.Wrap(failure.Internal, err, "marshal round")
	}
	// Only the code's key: the code is shown once and never stored.
	join, err := attributevalue.MarshalMap(joinItem{PK: joinPK(p.JoinKey), SK: "JOIN", Partnership: p.ID})
	if err != nil {
		return failure.Wrap(failure.Internal, err, "marshal join code")
	}
	notExists := aws.String("attribute_not_exists(pk)")
	items := []types.TransactWriteItem{
		{Put: &types.Put{TableName: &s.table, Item: join, ConditionExpression: notExists}},
		{Put: &types.Put{TableName: &s.table, Item: meta, ConditionExpression: notExists}},
		{Put: &types.Put{TableName: &s.table, Item: round}},
	}
	for _, st := range p.Seats {
		seat, err := attributevalue.MarshalMap(seatToItem(p.ID, st))
		if err != nil {
			return failure.Wrap(failure.Internal, err, "marshal seat")
		}
		guard, err := attributevalue.MarshalMap(guardItem{PK: partnershipPK(p.ID), SK: seatNameSK(st.Name), Kind: "seat-name", Seat: st.ID})
		if err != nil {
			return failure.Wrap(failure.Internal, err, "marshal seat name")
		}
		// The domain checked the names are distinct; the guard makes the
		// table enforce it for seats added later too.
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: seat, ConditionExpression: notExists}},
			types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: guard, ConditionExpression: notExists}})
	}
	if idem != nil {
		put, err := s.idemPut(idem)
		if err != nil {
			return err
		}
		items = append(items, put)
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if codes, ok := cancelReasons(err); ok && codes[0] == "ConditionalCheckFailed" {
		return failure.New(failure.Conflict, "join code taken")
	}
	if codes, ok := cancelReasons(err); ok && idem != nil && codes[len(codes)-1] == "ConditionalCheckFailed" {
		return idempotency.ErrKeyUsed
	}
	if isConditionFailed(err) {
		return failure.Fields("Check the member councils.", failure.FieldError{Field: "councils", Message: "Each council can have only one seat: two names are the same council"})
	}
	return storeErr(err, "create partnership")
}

// LoadPartnership reads the whole partnership partition in one Query:
// rounds, members and their score snapshots, which is all a comparison
// (with trend) needs.
func (s *Store) LoadPartnership(ctx context.Context, id string) (*partnership.Partnership, error) {
	items, err := s.partition(ctx, partnershipPK(id), "LoadPartnership")
	if err != nil {
		return nil, err
	}
	var p *partnership.Partnership
	rounds := map[int]*partnership.Round{}
	var order []int
	var members []memberItem
	var seats []partnership.Seat
	var actions []action.Action
	var acts []partnership.Act
	var viewers []viewer.Link
	var admins []partnership.Admin
	for _, item := range items {
		sk := item["sk"].(*types.AttributeValueMemberS).Value
		switch {
		case strings.HasPrefix(sk, viewerPrefix):
			l, err := unmarshalViewer(item)
			if err != nil {
				return nil, err
			}
			viewers = append(viewers, l)
		case strings.HasPrefix(sk, adminPrefix):
			a, err := unmarshalAdmin(item)
			if err != nil {
				return nil, err
			}
			admins = append(admins, a)
		case strings.HasPrefix(sk, logPrefix):
			a, err := unmarshalAct(item)
			if err != nil {
				return nil, err
			}
			acts = append(acts, a) // sort keys begin with the time: oldest first
		case sk == skMeta:
			var m partnershipItem
			if err := attributevalue.UnmarshalMap(item, &m); err != nil {
				return nil, failure.Wrap(failure.Internal, err, "unmarshal partnership")
			}
			p = &partnership.Partnership{ID: m.ID, Name: m.Name, Form: m.Form, ContactEmail: m.ContactEmail, AdminHash: m.AdminHash,
				JoinCode: m.JoinCode, JoinKey: m.JoinKey, CadenceMonths: m.CadenceMonths, CurrentRound: m.CurrentRound, StopReminders: m.StopReminders,
				Lang: locale.Stored(m.Lang)}
			p.CreatedAt, _ = time.Parse(timeFormat, m.CreatedAt)
		case strings.Contains(sk, "#M#"):
			var m memberItem
			if err := attributevalue.UnmarshalMap(item, &m); err != nil {
				return nil, failure.Wrap(failure.Internal, err, "unmarshal member")
			}
			members = append(members, m)
		case strings.HasPrefix(sk, actionPrefix):
			a, err := unmarshalAction(item)
			if err != nil {
				return nil, err
			}
			actions = append(actions, a)
		case strings.HasPrefix(sk, "SEAT#"):
			var si seatItem
			if err := attributevalue.UnmarshalMap(item, &si); err != nil {
				return nil, failure.Wrap(failure.Internal, err, "unmarshal seat")
			}
			st := partnership.Seat{ID: si.ID, Name: si.Name, GSSCode: si.GSSCode, Email: si.Email, TokenHash: si.TokenHash, MailedHash: si.MailedHash, Position: si.Position,
				StopReminders: si.StopReminders, DeadlineRemindedFor: si.DeadlineRemindedFor}
			st.AddedAt, _ = time.Parse(timeFormat, si.AddedAt)
			if si.WithdrawnAt != "" {
				t, _ := time.Parse(timeFormat, si.WithdrawnAt)
				st.WithdrawnAt = &t
			}
			seats = append(seats, st)
		case strings.HasPrefix(sk, "R#"):
			var r roundItem
			if err := attributevalue.UnmarshalMap(item, &r); err != nil {
				return nil, failure.Wrap(failure.Internal, err, "unmarshal round")
			}
			pr := &partnership.Round{Number: r.Number, Purpose: r.Purpose, Status: r.Status, Expected: r.Expected}
			pr.OpenedAt, _ = time.Parse(timeFormat, r.OpenedAt)
			if r.ClosedAt != "" {
				t, _ := time.Parse(timeFormat, r.ClosedAt)
				pr.ClosedAt = &t
			}
			if r.Deadline != "" {
				pr.Deadline, _ = time.Parse(timeFormat, r.Deadline)
			}
			rounds[r.Number] = pr
			order = append(order, r.Number)
		}
	}
	if p == nil {
		return nil, failure.New(failure.NotFound, "There is no partnership with this id and token.")
	}
	// Seats in the order the admin listed them (their ids are random).
	sort.SliceStable(seats, func(i, j int) bool { return seats[i].Position < seats[j].Position })
	p.Seats = seats
	// Actions oldest first (their ids are random).
	sort.SliceStable(actions, func(i, j int) bool { return actions[i].CreatedAt.Before(actions[j].CreatedAt) })
	p.Actions = actions
	p.Acts = acts
	p.Viewers = viewers
	p.Admins = nil
	if len(p.AdminHash) > 0 {
		// The administrator who created the partnership, on META as before
		// there could be several: no migration needed.
		p.Admins = append(p.Admins, partnership.Admin{ID: partnership.FirstAdmin, Email: p.ContactEmail, TokenHash: p.AdminHash, AddedAt: p.CreatedAt})
	}
	sort.SliceStable(admins, func(i, j int) bool { return admins[i].AddedAt.Before(admins[j].AddedAt) })
	p.Admins = append(p.Admins, admins...)
	for _, m := range members {
		var n int
		if _, err := fmtSscanRound(m.SK, &n); err != nil {
			continue
		}
		r, ok := rounds[n]
		if !ok {
			continue
		}
		pm := partnership.Member{Assessment: m.Assessment, Council: m.Council, Status: m.Status, Prospective: m.Prospective,
			TokenHash: m.TokenHash, Version: m.Version, Snapshot: m.Snapshot, Seat: m.Seat, PreferredForm: m.PreferredForm}
		if m.ShareNotes {
			pm.Notes = m.Notes
		}
		pm.JoinedAt, _ = time.Parse(timeFormat, m.JoinedAt)
		if m.SubmittedAt != "" {
			t, _ := time.Parse(timeFormat, m.SubmittedAt)
			pm.SubmittedAt = &t
		}
		r.Members = append(r.Members, pm)
	}
	for _, n := range order { // sort keys R#0001 < R#0002: already in order
		r := rounds[n]
		// Members in the order they joined, not by their random ids.
		sort.SliceStable(r.Members, func(i, j int) bool { return r.Members[i].JoinedAt.Before(r.Members[j].JoinedAt) })
		p.Rounds = append(p.Rounds, *r)
	}
	return p, nil
}

// OpenRound closes the current round and opens the next, r, conditioned on
// no one else having moved the partnership on first, and puts the
// partnership on the due index at due.
func (s *Store) OpenRound(ctx context.Context, p *partnership.Partnership, after int, r partnership.Round, due time.Time, idem *idempotency.Record, act partnership.Act) error {
	ts := r.OpenedAt.UTC().Format(timeFormat)
	ri := roundItem{PK: partnershipPK(p.ID), SK: roundSK(r.Number), Kind: "round", Number: r.Number,
		Purpose: r.Purpose, Status: partnership.Open, OpenedAt: ts, Expected: r.Expected}
	if r.HasDeadline() {
		ri.Deadline = r.Deadline.UTC().Format(timeFormat)
	}
	if idem != nil {
		ri.IdemKeyHash = idem.KeyHash
	}
	round, err := attributevalue.MarshalMap(ri)
	if err != nil {
		return failure.Wrap(failure.Internal, err, "marshal round")
	}
	items := []types.TransactWriteItem{
		{Update: &types.Update{TableName: &s.table, Key: key(partnershipPK(p.ID), skMeta),
			UpdateExpression:    aws.String("SET currentRound = :next, dueShard = :due, dueAt = :at"),
			ConditionExpression: aws.String("currentRound = :cur"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":next": num(int64(r.Number)), ":cur": num(int64(after)),
				":due": str(DueShard), ":at": str(due.UTC().Format(timeFormat))}}},
		{Update: &types.Update{TableName: &s.table, Key: key(partnershipPK(p.ID), roundSK(after)),
			UpdateExpression:          aws.String("SET #st = :closed, closedAt = if_not_exists(closedAt, :now)"),
			ExpressionAttributeNames:  map[string]string{"#st": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":closed": str(partnership.Closed), ":now": str(ts)}}},
		{Put: &types.Put{TableName: &s.table, Item: round, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
	}
	logged, err := s.actPut(p.ID, act)
	if err != nil {
		return err
	}
	items = append(items, logged)
	if idem != nil {
		put, err := s.idemPut(idem)
		if err != nil {
			return err
		}
		items = append(items, put)
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if codes, ok := cancelReasons(err); ok && idem != nil && codes[len(codes)-1] == "ConditionalCheckFailed" {
		return idempotency.ErrKeyUsed
	}
	if isConditionFailed(err) {
		return failure.New(failure.Conflict, "Another round was opened at the same time. Reload the partnership.")
	}
	return storeErr(err, "open round")
}

// CloseRound closes round n if it is open, logging act in the same
// transaction.
func (s *Store) CloseRound(ctx context.Context, id string, n int, act partnership.Act) error {
	logged, err := s.actPut(id, act)
	if err != nil {
		return err
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: &types.Update{TableName: &s.table, Key: key(partnershipPK(id), roundSK(n)),
			UpdateExpression:          aws.String("SET #st = :closed, closedAt = :now"),
			ConditionExpression:       aws.String("#st = :open"),
			ExpressionAttributeNames:  map[string]string{"#st": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":closed": str(partnership.Closed), ":open": str(partnership.Open), ":now": str(act.At.UTC().Format(timeFormat))},
		}},
		logged,
	}})
	if isConditionFailed(err) {
		return failure.Said(failure.Conflict, "error.partnership.round.closed", "Round", n)
	}
	return storeErr(err, "close round")
}

// ResolveJoinCode finds the partnership and its current round for a code.
// code is normalised; it is looked up by its key, then (for a partnership
// from before keys) as itself.
func (s *Store) ResolveJoinCode(ctx context.Context, code string) (*assessment.Join, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(joinPK(secret.JoinKey(code)), "JOIN")})
	if err == nil && out.Item == nil {
		out, err = s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key("JOIN#"+code, "JOIN")})
	}
	if err != nil {
		return nil, storeErr(err, "resolve join code")
	}
	if out.Item == nil {
		return nil, failure.New(failure.NotFound, "no partnership has this join code")
	}
	var j joinItem
	if err := attributevalue.UnmarshalMap(out.Item, &j); err != nil {
		return nil, failure.Wrap(failure.Internal, err, "unmarshal join code")
	}
	return s.CurrentRound(ctx, j.Partnership)
}

// CurrentRound returns a partnership's current round and intended form.
func (s *Store) CurrentRound(ctx context.Context, partnershipID string) (*assessment.Join, error) {
	meta, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(partnershipPK(partnershipID), skMeta), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, storeErr(err, "resolve join code")
	}
	if meta.Item == nil {
		return nil, failure.New(failure.NotFound, "no partnership has this join code")
	}
	var p partnershipItem
	if err := attributevalue.UnmarshalMap(meta.Item, &p); err != nil {
		return nil, failure.Wrap(failure.Internal, err, "unmarshal partnership")
	}
	return &assessment.Join{PartnershipID: p.ID, Round: p.CurrentRound, Form: p.Form, HasSeats: p.HasSeats}, nil
}

// ResolveSeat reads a seat and its partnership's current round (two
// consistent GetItems: a seat just created or withdrawn must be seen).
func (s *Store) ResolveSeat(ctx context.Context, pid, sid string) (*assessment.SeatJoin, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(partnershipPK(pid), seatSK(sid)), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, storeErr(err, "resolve seat")
	}
	if out.Item == nil {
		return nil, failure.New(failure.NotFound, "no such seat")
	}
	var si seatItem
	if err := attributevalue.UnmarshalMap(out.Item, &si); err != nil {
		return nil, failure.Wrap(failure.Internal, err, "unmarshal seat")
	}
	j, err := s.CurrentRound(ctx, pid)
	if err != nil {
		return nil, err
	}
	return &assessment.SeatJoin{Join: *j, Seat: si.ID, Council: si.Name, TokenHash: si.TokenHash, MailedHash: si.MailedHash, Withdrawn: si.WithdrawnAt != ""}, nil
}

// fmtSscanRound reads the round number from a member sort key R#nnnn#M#id.
func fmtSscanRound(sk string, n *int) (int, error) {
	return fmt.Sscanf(sk, "R#%04d#", n)
}

// DeletePartnership erases the partnership partition and its join code. The
// join code goes first, in the same batch as the meta item, so no council can
// join while the rest is being deleted; a partition larger than one batch is
// deleted in batches of 25 (BatchWriteItem's limit), retrying what DynamoDB
// leaves unprocessed.
func (s *Store) DeletePartnership(ctx context.Context, p *partnership.Partnership) error {
	items, err := s.partition(ctx, partnershipPK(p.ID), "DeletePartnership")
	if err != nil {
		return err
	}
	keys := joinKeys(p)
	for _, it := range items {
		keys = append(keys, map[string]types.AttributeValue{"pk": it["pk"], "sk": it["sk"]})
		// The replies sealed for the requests that created it hold its
		// tokens: they go with it.
		if h, ok := it["idemKeyHash"].(*types.AttributeValueMemberS); ok {
			keys = append(keys, key(idemPK(h.Value), skIdem))
		}
	}
	// Logged first: a delete cut short is then finished by a retry or by
	// a re-erasure after a restore.
	if _, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: erasureItem(ErasedPartnership, p.ID, time.Now())}); err != nil {
		return storeErr(err, "log the erasure")
	}
	return s.batchDelete(ctx, keys, "The partnership was partly deleted")
}

// SetSeatMailedHash stores the hash of the token mailed to a seat, on
// condition that the seat exists and is not withdrawn.
func (s *Store) SetSeatMailedHash(ctx context.Context, pid, sid string, hash []byte) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.table, Key: key(partnershipPK(pid), seatSK(sid)),
		UpdateExpression:          aws.String("SET mailedTokenHash = :h"),
		ConditionExpression:       aws.String("attribute_exists(pk) AND attribute_not_exists(withdrawnAt)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":h": &types.AttributeValueMemberB{Value: hash}}})
	if isConditionFailed(err) {
		return failure.New(failure.NotFound, "The partnership has no such seat.")
	}
	return storeErr(err, "set seat token")
}

// RotateSeat replaces a seat's invitation hash and drops its mailed token,
// on condition that the invitation is still old and the seat not withdrawn.
func (s *Store) RotateSeat(ctx context.Context, pid, sid string, old, hash []byte) error {
	return s.rotate(ctx, key(partnershipPK(pid), seatSK(sid)), "SET tokenHash = :new REMOVE mailedTokenHash",
		"tokenHash = :old AND attribute_not_exists(withdrawnAt)", old, hash)
}

func (s *Store) rotate(ctx context.Context, k map[string]types.AttributeValue, update, cond string, old, hash []byte) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.table, Key: k,
		UpdateExpression: aws.String(update), ConditionExpression: aws.String(cond),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":new": &types.AttributeValueMemberB{Value: hash}, ":old": &types.AttributeValueMemberB{Value: old}}})
	if isConditionFailed(err) {
		return failure.New(failure.Conflict, "The link was changed at the same time; ask again.")
	}
	return storeErr(err, "rotate token")
}

func joinPK(joinKey string) string { return "JOINK#" + joinKey }

// joinKeys are the keys of p's join-code items: its key's, and a code in
// clear from before keys.
func joinKeys(p *partnership.Partnership) []map[string]types.AttributeValue {
	var keys []map[string]types.AttributeValue
	if p.JoinKey != "" {
		keys = append(keys, key(joinPK(p.JoinKey), "JOIN"))
	}
	if c := secret.NormaliseJoinCode(p.JoinCode); c != "" && p.JoinKey == "" {
		keys = append(keys, key("JOIN#"+c, "JOIN"))
	}
	return keys
}

// RotateJoinCode replaces p's join code with newKey in one transaction: the
// new key's item (on condition it is free), the META's key (a code in clear
// removed), and the old items deleted, so exactly one code works at any time.
func (s *Store) RotateJoinCode(ctx context.Context, p *partnership.Partnership, newKey string) error {
	join, err := attributevalue.MarshalMap(joinItem{PK: joinPK(newKey), SK: "JOIN", Partnership: p.ID})
	if err != nil {
		return failure.Wrap(failure.Internal, err, "marshal join code")
	}
	items := []types.TransactWriteItem{
		{Put: &types.Put{TableName: &s.table, Item: join, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		{Update: &types.Update{TableName: &s.table, Key: key(partnershipPK(p.ID), skMeta),
			UpdateExpression:          aws.String("SET joinKey = :k REMOVE joinCode"),
			ConditionExpression:       aws.String("attribute_exists(pk)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":k": str(newKey)}}},
	}
	for _, k := range joinKeys(p) {
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.table, Key: k}})
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if codes, ok := cancelReasons(err); ok {
		switch {
		case codes[0] == "ConditionalCheckFailed":
			return failure.New(failure.Conflict, "that join code is taken")
		case codes[1] == "ConditionalCheckFailed":
			return failure.New(failure.NotFound, "There is no partnership with this id and token.")
		}
	}
	return storeErr(err, "rotate join code")
}
