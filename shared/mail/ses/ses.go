// Package ses sends mail through Amazon SES v2's SendEmail operation. It
// makes the one HTTPS call itself, signed with the AWS SDK's Signature
// Version 4 signer and the function's own credentials, rather than linking
// the SDK's SES v2 client: that client alone was about 1.5 MB of every zip
// that linked it (docs/design.md D7, docs/performance.md). Everything else
// depends on the mail.Mailer interface.
package ses

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/openrasp/rasp/shared/mail"
)

// Endpoint is where and as whom the mailer calls SES.
type Endpoint struct {
	URL         string // e.g. https://email.eu-west-2.amazonaws.com
	Region      string
	Credentials aws.CredentialsProvider
	HTTP        *http.Client // nil: a client with a 10 s timeout
}

// Mailer sends through Amazon SES v2 SendEmail with "simple" content: SES
// builds the MIME message from the subject, the text and HTML bodies and our
// List-Unsubscribe headers. Simple content needs only the ses:SendEmail
// permission (raw content would also need ses:SendRawEmail).
type Mailer struct {
	ep     Endpoint
	from   string
	set    string
	signer *v4.Signer
	now    func() time.Time
}

// WithConfigurationSet sends every message in the named SES configuration
// set (SES_CONFIGURATION_SET), whose event destination publishes bounces
// and complaints to EventBridge for the suppression list.
func (s *Mailer) WithConfigurationSet(name string) *Mailer {
	s.set = name
	return s
}

// New returns a mailer calling SES at ep, sending as from, which must be an
// SES verified identity (MAIL_FROM).
func New(ep Endpoint, from string) *Mailer {
	if ep.HTTP == nil {
		ep.HTTP = &http.Client{Timeout: 10 * time.Second}
	}
	ep.URL = strings.TrimSuffix(ep.URL, "/")
	return &Mailer{ep: ep, from: from, signer: v4.NewSigner(), now: time.Now}
}

// FromConfig sends through SES in the configuration's region with its
// credentials, so a function loads the SDK configuration once for all its
// clients. The configuration's BaseEndpoint, when set, replaces SES's
// regional endpoint.
func FromConfig(cfg aws.Config, from string) *Mailer {
	return New(Endpoint{URL: EndpointURL(cfg), Region: cfg.Region, Credentials: cfg.Credentials}, from)
}

// EndpointURL is SES's endpoint for cfg: its BaseEndpoint when set, else
// the regional one.
func EndpointURL(cfg aws.Config) string {
	if cfg.BaseEndpoint != nil && *cfg.BaseEndpoint != "" {
		return *cfg.BaseEndpoint
	}
	return "https://email." + cfg.Region + ".amazonaws.com"
}

// The SendEmail request body (SES API v2, POST /v2/email/outbound-emails).
type (
	sendEmail struct {
		FromEmailAddress     string       `json:"FromEmailAddress"`
		Destination          destination  `json:"Destination"`
		Content              emailContent `json:"Content"`
		ConfigurationSetName string       `json:"ConfigurationSetName,omitempty"`
	}
	destination  struct{ ToAddresses []string }
	emailContent struct{ Simple message }
	message      struct {
		Subject content  `json:"Subject"`
		Body    body     `json:"Body"`
		Headers []header `json:"Headers,omitempty"`
	}
	body struct {
		Text content `json:"Text"`
		Html content `json:"Html"`
	}
	content struct {
		Data    string `json:"Data"`
		Charset string `json:"Charset,omitempty"`
	}
	header struct{ Name, Value string }
)

// attempts is how often a send is tried when SES is busy or unreachable
// (as the SDK's standard retryer did).
const attempts = 3

// Send sends one message. Errors carry SES's error code only, never its
// message text, which can quote the recipient's address.
func (s *Mailer) Send(ctx context.Context, m mail.Message) error {
	fromAddr, to, err := mail.Checked(s.from, m)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(sendEmailInput(fromAddr.String(), to.Address, s.set, m))
	if err != nil {
		return fmt.Errorf("ses: send: %w", err)
	}
	for try := 1; ; try++ {
		retry, err := s.send(ctx, payload)
		if err == nil || !retry || try == attempts {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("ses: send: %w", ctx.Err())
		case <-time.After(time.Duration(try*try) * 100 * time.Millisecond):
		}
	}
}

// send makes one signed call; retry says whether another try may succeed.
func (s *Mailer) send(ctx context.Context, payload []byte) (retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.ep.URL+"/v2/email/outbound-emails", bytes.NewReader(payload))
	if err != nil {
		return false, fmt.Errorf("ses: send: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256(payload)
	creds, err := s.ep.Credentials.Retrieve(ctx)
	if err != nil {
		return false, fmt.Errorf("ses: credentials: %w", err)
	}
	if err := s.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "ses", s.ep.Region, s.now().UTC()); err != nil {
		return false, fmt.Errorf("ses: sign: %w", err)
	}
	resp, err := s.ep.HTTP.Do(req)
	if err != nil {
		// Transport errors (DNS, TLS, timeouts) name the endpoint, not the message.
		return ctx.Err() == nil, fmt.Errorf("ses: send: %w", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 == 2 {
		return false, nil
	}
	code := errorCode(resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), raw)
	switch code {
	case "MessageRejected", "BadRequestException":
		return false, fmt.Errorf("ses: send: %s: %w", code, mail.ErrRejected)
	}
	busy := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	return busy, fmt.Errorf("ses: send: %s", code)
}

// errorCode is the error's type as SES names it: the X-Amzn-ErrorType header
// (e.g. "MessageRejected:http://internal.amazon.com/…"), else the body's
// "__type" or "code", else the HTTP status.
func errorCode(status int, headerValue string, raw []byte) string {
	code, _, _ := strings.Cut(headerValue, ":")
	if code == "" {
		var b struct {
			Type string `json:"__type"`
			Code string `json:"code"`
		}
		_ = json.Unmarshal(raw, &b)
		code = b.Type
		if code == "" {
			code = b.Code
		}
		if i := strings.LastIndexByte(code, '#'); i >= 0 {
			code = code[i+1:]
		}
	}
	if code == "" {
		return fmt.Sprintf("HTTP %d", status)
	}
	return code
}

func sendEmailInput(from, to, set string, m mail.Message) sendEmail {
	msg := message{
		// SES wants 7-bit ASCII here: non-ASCII goes as an encoded-word.
		Subject: content{Data: mail.SubjectHeader(m.Subject)},
		Body: body{
			Text: content{Data: m.Text, Charset: "UTF-8"},
			Html: content{Data: m.HTML, Charset: "UTF-8"},
		},
	}
	if m.Unsubscribe != "" {
		msg.Headers = []header{
			{Name: "List-Unsubscribe", Value: "<" + m.Unsubscribe + ">"},
			{Name: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click"},
		}
	}
	if m.Lang != "" {
		msg.Headers = append(msg.Headers, header{Name: "Content-Language", Value: m.Lang.Tag()})
	}
	return sendEmail{
		FromEmailAddress:     from,
		Destination:          destination{ToAddresses: []string{to}},
		Content:              emailContent{Simple: msg},
		ConfigurationSetName: set,
	}
}

var _ mail.Mailer = (*Mailer)(nil)
