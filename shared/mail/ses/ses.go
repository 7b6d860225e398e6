// Package ses sends mail through Amazon SES v2. It is its own package so that
// only the functions that send mail link the SES client (about 1.5 MB of zip,
// docs/design.md D7); everything else depends on the mail.Mailer interface.
package ses

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"

	"github.com/openrasp/rasp/shared/mail"
)

// API is the part of the SES v2 client the mailer uses; *sesv2.Client
// satisfies it.
type API interface {
	SendEmail(ctx context.Context, in *sesv2.SendEmailInput, opts ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
}

var _ API = (*sesv2.Client)(nil)

// Mailer sends through Amazon SES v2 SendEmail with "simple" content: SES
// builds the MIME message from the subject, the text and HTML bodies and our
// List-Unsubscribe headers. Simple content needs only the ses:SendEmail
// permission (raw content would also need ses:SendRawEmail).
type Mailer struct {
	client API
	from   string
	set    string
}

// WithConfigurationSet sends every message in the named SES configuration
// set (SES_CONFIGURATION_SET), whose event destination publishes bounces
// and complaints to EventBridge for the suppression list.
func (s *Mailer) WithConfigurationSet(name string) *Mailer {
	s.set = name
	return s
}

// New returns a mailer sending as from, which must be an SES verified
// identity (MAIL_FROM).
func New(client API, from string) *Mailer {
	return &Mailer{client: client, from: from}
}

// FromConfig sends through SES with an already loaded configuration, so a
// function loads the SDK configuration once for all its clients.
func FromConfig(cfg aws.Config, from string) *Mailer {
	return New(sesv2.NewFromConfig(cfg), from)
}

// Send sends one message. Errors carry SES's error code only, never its
// message text, which can quote the recipient's address.
func (s *Mailer) Send(ctx context.Context, m mail.Message) error {
	fromAddr, to, err := mail.Checked(s.from, m)
	if err != nil {
		return err
	}
	in := sendEmailInput(fromAddr.String(), to.Address, m)
	if s.set != "" {
		in.ConfigurationSetName = aws.String(s.set)
	}
	_, err = s.client.SendEmail(ctx, in)
	return sesError(err)
}

func sendEmailInput(from, to string, m mail.Message) *sesv2.SendEmailInput {
	utf8 := aws.String("UTF-8")
	msg := &types.Message{
		// SES wants 7-bit ASCII here: non-ASCII goes as an encoded-word.
		Subject: &types.Content{Data: aws.String(mail.SubjectHeader(m.Subject))},
		Body: &types.Body{
			Text: &types.Content{Data: aws.String(m.Text), Charset: utf8},
			Html: &types.Content{Data: aws.String(m.HTML), Charset: utf8},
		},
	}
	if m.Unsubscribe != "" {
		msg.Headers = []types.MessageHeader{
			{Name: aws.String("List-Unsubscribe"), Value: aws.String("<" + m.Unsubscribe + ">")},
			{Name: aws.String("List-Unsubscribe-Post"), Value: aws.String("List-Unsubscribe=One-Click")},
		}
	}
	return &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(from),
		Destination:      &types.Destination{ToAddresses: []string{to}},
		Content:          &types.EmailContent{Simple: msg},
	}
}

func sesError(err error) error {
	if err == nil {
		return nil
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "MessageRejected", "BadRequestException":
			return fmt.Errorf("ses: send: %s: %w", api.ErrorCode(), mail.ErrRejected)
		}
		return fmt.Errorf("ses: send: %s", api.ErrorCode())
	}
	// Transport errors (DNS, TLS, timeouts) name the endpoint, not the message.
	return fmt.Errorf("ses: send: %w", err)
}

var _ mail.Mailer = (*Mailer)(nil)
