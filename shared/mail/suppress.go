package mail

import (
	"context"
	"errors"
	"fmt"
)

// ErrSuppressed marks a message not sent because its address bounced for
// good or complained before (SES bounce and complaint events, recorded by
// the reminders function): mailing it again would hurt the sender's
// reputation and, for a complaint, go against the person's wish.
var ErrSuppressed = errors.New("mail: address suppressed after a bounce or complaint")

// SuppressionList says whether an address may no longer be mailed.
type SuppressionList interface {
	Suppressed(ctx context.Context, address string) (bool, error)
}

// Suppressing sends through next unless the list suppresses the address.
// Every sender is built with it, so no mail of any kind goes to an address
// that bounced or complained.
func Suppressing(next Mailer, list SuppressionList) Mailer {
	if next == nil {
		return nil
	}
	return suppressing{next: next, list: list}
}

type suppressing struct {
	next Mailer
	list SuppressionList
}

func (s suppressing) Send(ctx context.Context, m Message) error {
	blocked, err := s.list.Suppressed(ctx, m.To)
	if err != nil {
		return fmt.Errorf("mail: check the suppression list: %w", err)
	}
	if blocked {
		return ErrSuppressed
	}
	return s.next.Send(ctx, m)
}
