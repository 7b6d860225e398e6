package reminders_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
)

// A draft worked on for longer than 180 days must not lose its META to the
// table's TTL: saves refresh only the answers' TTL, so the job moves the
// META's TTL on with the due entry whenever it looks at the draft.
func TestActiveDraftMetaOutlivesCreationTTL(t *testing.T) {
	w := newWorld(t)
	const day = 24 * time.Hour
	s := w.start(now, "Barnet", "", "", "")
	metaExpiry := func() time.Time {
		out, err := ddbtest.Client().GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(w.table),
			Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "A#" + s.ID}, "sk": &types.AttributeValueMemberS{Value: "META"}}})
		if err != nil || out.Item == nil {
			t.Fatalf("read META: %v (item %v)", err, out.Item)
		}
		n, _ := strconv.ParseInt(out.Item["expiresAt"].(*types.AttributeValueMemberN).Value, 10, 64)
		return time.Unix(n, 0)
	}
	// Work on it every few days for 200 days, with the daily job running.
	for d := 1; d <= 200; d++ {
		at := now.Add(time.Duration(d) * day)
		if d%5 == 0 {
			w.answer(at, s, false)
		}
		w.run(at.Add(time.Hour))
		if exp := metaExpiry(); !exp.After(at.Add(150 * day)) {
			t.Fatalf("day %d: META expires %s, only %s after the last change", d, exp, exp.Sub(at))
		}
	}
	if _, err := w.auth.Assessment(context.Background(), s.ID, s.Token); err != nil {
		t.Fatalf("draft after 200 active days: %v", err)
	}
}
