package mail

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"
)

// SESAPI is the part of the SES v2 client the mailer uses; *sesv2.Client
// satisfies it.
type SESAPI interface {
	SendEmail(ctx context.Context, in *sesv2.SendEmailInput, opts ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
}

var _ SESAPI = (*sesv2.Client)(nil)

// SES sends through Amazon SES v2 SendEmail with "simple" content: SES
// builds the MIME message from the subject, the text and HTML bodies and our
// List-Unsubscribe headers. Simple content needs only the ses:SendEmail
// permission (raw content would also need ses:SendRawEmail).
type SES struct {
	client SESAPI
	from   string
}

// NewSES returns a mailer sending as from, which must be an SES verified
// identity (MAIL_FROM).
func NewSES(client SESAPI, from string) *SES {
	return &SES{client: client, from: from}
}

// SESFromConfig sends through SES with an already loaded configuration, so a
// function loads the SDK configuration once for all its clients.
func SESFromConfig(cfg aws.Config, from string) *SES {
	return NewSES(sesv2.NewFromConfig(cfg), from)
}

// ErrRejected marks a message SES refused for good (a malformed or rejected
// recipient): sending it again would fail again. Other errors are worth
// retrying later.
var ErrRejected = errors.New("mail: rejected")

// Send sends one message. Errors carry SES's error code only, never its
// message text, which can quote the recipient's address.
func (s *SES) Send(ctx context.Context, m Message) error {
	fromAddr, to, err := checked(s.from, m)
	if err != nil {
		return err
	}
	_, err = s.client.SendEmail(ctx, sendEmailInput(fromAddr.String(), to.Address, m))
	return sesError(err)
}

func sendEmailInput(from, to string, m Message) *sesv2.SendEmailInput {
	utf8 := aws.String("UTF-8")
	msg := &types.Message{
		// SES wants 7-bit ASCII here: non-ASCII goes as an encoded-word.
		Subject: &types.Content{Data: aws.String(subjectHeader(m.Subject))},
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
			return fmt.Errorf("ses: send: %s: %w", api.ErrorCode(), ErrRejected)
		}
		return fmt.Errorf("ses: send: %s", api.ErrorCode())
	}
	// Transport errors (DNS, TLS, timeouts) name the endpoint, not the message.
	return fmt.Errorf("ses: send: %w", err)
}
