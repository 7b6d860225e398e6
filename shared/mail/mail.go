// Package mail sends e-mail behind one Mailer interface: into a folder of
// .eml files locally (Outbox), or through Amazon SES in AWS (package
// mail/ses, kept apart so that only the functions that send link SES).
package mail

import (
	"context"
	"errors"

	"github.com/openrasp/rasp/shared/locale"
)

// ErrRejected marks a message the provider refused for good (a malformed or
// rejected recipient): sending it again would fail again. Other errors are
// worth retrying later.
var ErrRejected = errors.New("mail: rejected")

// Message is one e-mail with plain-text and HTML parts.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
	// Unsubscribe is the stop-reminders URL, sent as List-Unsubscribe too.
	Unsubscribe string
	// Lang is the language the message is written in, sent as
	// Content-Language; empty for none said.
	Lang locale.Lang
}

// Mailer sends messages. Implementations never log addresses or bodies.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}
