package mailtest

import (
	"context"
	"errors"
	"testing"

	"github.com/openrasp/rasp/shared/mail"
)

func TestRecorderKeepsWhatIsSent(t *testing.T) {
	var r Recorder
	if err := r.Send(context.Background(), mail.Message{To: "a@council.gov.uk", Subject: "one"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Send(ctx, mail.Message{Subject: "two"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled send: got %v, want context.Canceled", err)
	}
	got := r.Messages()
	if len(got) != 1 || got[0].Subject != "one" {
		t.Fatalf("got %+v, want the one message sent", got)
	}
	got[0].Subject = "changed"
	if r.Messages()[0].Subject != "one" {
		t.Error("Messages hands out the recorder's own slice")
	}
}
