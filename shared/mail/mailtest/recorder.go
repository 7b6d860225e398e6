// Package mailtest records mail for tests, as net/http/httptest records
// responses: a Recorder is a mail.Mailer that keeps every message it is
// given, so a test can read what the service would have sent.
package mailtest

import (
	"context"
	"sync"

	"github.com/openrasp/rasp/shared/mail"
)

// Recorder keeps the messages sent through it. Its zero value is ready.
type Recorder struct {
	mu   sync.Mutex
	sent []mail.Message
}

var _ mail.Mailer = (*Recorder)(nil)

// Send keeps m. It honours a cancelled context as a real mailer would.
func (r *Recorder) Send(ctx context.Context, m mail.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, m)
	return nil
}

// Messages are the messages sent so far, oldest first.
func (r *Recorder) Messages() []mail.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]mail.Message(nil), r.sent...)
}
