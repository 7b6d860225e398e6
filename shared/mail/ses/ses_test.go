package ses_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/mail/ses"
)

// fakeSES stands in for the SES v2 endpoint: it records the SendEmail
// request bodies and answers with status and errorType.
type fakeSES struct {
	mu        sync.Mutex
	requests  []map[string]any
	paths     []string
	auth      []string
	status    int
	errorType string
	message   string
}

func sample() mail.Message {
	return mail.Message{
		To:          "pat@council.gov.uk",
		Subject:     "Your assessment for Ynys Môn is not finished",
		Text:        "Carry on:\nhttps://rasp.example/assessments/x/resume?token=t",
		HTML:        `<!DOCTYPE html><html lang="en-GB"><body><p>Carry on: <a href="https://rasp.example/assessments/x/resume?token=t">continue</a></p></body></html>`,
		Unsubscribe: "https://rasp.example/assessments/x/stop-reminders?token=s",
		Lang:        locale.English,
	}
}

func (f *fakeSES) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	_ = json.NewDecoder(r.Body).Decode(&body)
	f.mu.Lock()
	f.requests = append(f.requests, body)
	f.paths = append(f.paths, r.Method+" "+r.URL.Path)
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if f.status != 0 && f.status != http.StatusOK {
		w.Header().Set("X-Amzn-ErrorType", f.errorType)
		w.WriteHeader(f.status)
		_ = json.NewEncoder(w).Encode(map[string]string{"message": f.message})
		return
	}
	_, _ = w.Write([]byte(`{"MessageId":"0100018c-test"}`))
}

func sesClient(t *testing.T, f *fakeSES) ses.Endpoint {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return ses.Endpoint{
		URL:         srv.URL,
		Region:      "eu-west-2",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
	}
}

// The request SES receives: our sender, one recipient, UTF-8 text and HTML,
// an encoded subject and the List-Unsubscribe headers.
func TestSESSendsSimpleContent(t *testing.T) {
	t.Parallel()
	f := &fakeSES{}
	m := sample()
	err := ses.New(sesClient(t, f), "RASP <rasp@rasp.example>").Send(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.requests) != 1 {
		t.Fatalf("got %d requests, want 1", len(f.requests))
	}
	if got, want := f.paths[0], "POST /v2/email/outbound-emails"; got != want {
		t.Errorf("request: got %s, want %s", got, want)
	}
	// Signed with Signature Version 4 for SES in the mailer's region.
	if got := f.auth[0]; !strings.HasPrefix(got, "AWS4-HMAC-SHA256 Credential=AKIDTEST/") ||
		!strings.Contains(got, "/eu-west-2/ses/aws4_request") || !strings.Contains(got, "Signature=") {
		t.Errorf("Authorization: got %q, want a SigV4 signature for ses in eu-west-2", got)
	}
	raw, _ := json.Marshal(f.requests[0])
	var got struct {
		FromEmailAddress string
		Destination      struct{ ToAddresses []string }
		Content          struct {
			Simple struct {
				Subject struct{ Data string }
				Body    struct {
					Text, Html struct{ Data, Charset string }
				}
				Headers []struct{ Name, Value string }
			}
		}
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	s := got.Content.Simple
	checks := []struct{ name, got, want string }{
		{"from", got.FromEmailAddress, `"RASP" <rasp@rasp.example>`},
		{"to", strings.Join(got.Destination.ToAddresses, ","), m.To},
		{"subject", s.Subject.Data, "=?utf-8?q?Your_assessment_for_Ynys_M=C3=B4n_is_not_finished?="},
		{"text", s.Body.Text.Data, m.Text},
		{"text charset", s.Body.Text.Charset, "UTF-8"},
		{"html", s.Body.Html.Data, m.HTML},
		{"html charset", s.Body.Html.Charset, "UTF-8"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	headers := map[string]string{}
	for _, h := range s.Headers {
		headers[h.Name] = h.Value
	}
	if headers["List-Unsubscribe"] != "<"+m.Unsubscribe+">" || headers["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" {
		t.Errorf("headers: got %v, want List-Unsubscribe <%s> and List-Unsubscribe-Post", headers, m.Unsubscribe)
	}
	if headers["Content-Language"] != "en-GB" {
		t.Errorf("headers: got %v, want Content-Language en-GB", headers)
	}
}

// SES's refusals are classified (rejected: do not retry; others: retry
// later) and reported by code only: SES messages can quote the address.
func TestSESErrorsAreClassifiedWithoutAddresses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status       int
		errorType    string
		wantRejected bool
	}{
		{http.StatusBadRequest, "MessageRejected", true},
		{http.StatusBadRequest, "BadRequestException", true},
		{http.StatusTooManyRequests, "TooManyRequestsException", false},
		{http.StatusBadRequest, "SendingPausedException", false},
		{http.StatusInternalServerError, "InternalFailure", false},
	}
	for _, c := range cases {
		t.Run(c.errorType, func(t *testing.T) {
			t.Parallel()
			f := &fakeSES{status: c.status, errorType: c.errorType,
				message: "Email address is not verified. The following identities failed the check: pat@council.gov.uk"}
			err := ses.New(sesClient(t, f), "rasp@rasp.example").Send(context.Background(), sample())
			if err == nil {
				t.Fatal("got nil error")
			}
			if got := errors.Is(err, mail.ErrRejected); got != c.wantRejected {
				t.Errorf("errors.Is(%v, ErrRejected): got %v, want %v", err, got, c.wantRejected)
			}
			if strings.Contains(err.Error(), "pat@") {
				t.Errorf("error %q quotes the address", err)
			}
			if !strings.Contains(err.Error(), c.errorType) {
				t.Errorf("error %q does not name the code %s", err, c.errorType)
			}
		})
	}
}

// A message that could inject headers never reaches SES.
func TestSESRefusesBadMessageBeforeCalling(t *testing.T) {
	t.Parallel()
	f := &fakeSES{}
	m := sample()
	m.To = "pat@council.gov.uk\r\nBcc: eve@evil.example"
	if err := ses.New(sesClient(t, f), "rasp@rasp.example").Send(context.Background(), m); err == nil {
		t.Fatal("got nil error, want refusal")
	}
	if len(f.requests) != 0 {
		t.Errorf("got %d requests to SES, want 0", len(f.requests))
	}
}

// Busy or failing SES is tried three times in all; a refusal only once. The
// configuration set travels in the request.
func TestSESRetriesOnlyWhatMaySucceed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status    int
		errorType string
		calls     int
	}{
		{http.StatusInternalServerError, "InternalFailure", 3},
		{http.StatusTooManyRequests, "TooManyRequestsException", 3},
		{http.StatusBadRequest, "MessageRejected", 1},
		{http.StatusBadRequest, "SendingPausedException", 1},
	}
	for _, c := range cases {
		t.Run(c.errorType, func(t *testing.T) {
			t.Parallel()
			f := &fakeSES{status: c.status, errorType: c.errorType + ":http://internal.amazon.com/coral/com.amazonaws.sesv2/"}
			err := ses.New(sesClient(t, f), "rasp@rasp.example").WithConfigurationSet("rasp-mail").Send(context.Background(), sample())
			if err == nil || !strings.HasSuffix(strings.TrimSuffix(err.Error(), ": "+mail.ErrRejected.Error()), c.errorType) {
				t.Errorf("error %v; want one ending in the code %s", err, c.errorType)
			}
			if len(f.requests) != c.calls {
				t.Errorf("%d calls to SES, want %d", len(f.requests), c.calls)
			}
			if got := f.requests[0]["ConfigurationSetName"]; got != "rasp-mail" {
				t.Errorf("ConfigurationSetName %v, want rasp-mail", got)
			}
		})
	}
}

// In AWS the mailer calls the regional SES endpoint.
func TestSESFromConfigUsesTheRegionalEndpoint(t *testing.T) {
	t.Parallel()
	f := &fakeSES{}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	cfg := aws.Config{Region: "eu-west-2", Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", "")}
	if got := ses.EndpointURL(cfg); got != "https://email.eu-west-2.amazonaws.com" {
		t.Errorf("endpoint %q, want https://email.eu-west-2.amazonaws.com", got)
	}
	cfg.BaseEndpoint = aws.String(srv.URL)
	if err := ses.FromConfig(cfg, "rasp@rasp.example").Send(context.Background(), sample()); err != nil || len(f.requests) != 1 {
		t.Errorf("send through BaseEndpoint: %v, %d requests; want it sent once", err, len(f.requests))
	}
}
