// Package mail sends e-mail: through Amazon SES in AWS, or into a folder of
// .eml files locally, behind one Mailer interface.
package mail

import "context"

// Message is one e-mail with plain-text and HTML parts.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
	// Unsubscribe is the stop-reminders URL, sent as List-Unsubscribe too.
	Unsubscribe string
}

// Mailer sends messages. Implementations never log addresses or bodies.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}
