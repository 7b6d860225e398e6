package mail_test

import (
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/locale"
	rmail "github.com/openrasp/rasp/shared/mail"
)

var _ rmail.Mailer = (*rmail.Outbox)(nil)

func sample() rmail.Message {
	return rmail.Message{
		To:          "pat@council.gov.uk",
		Subject:     "Your assessment for Ynys Môn is not finished",
		Text:        "Carry on:\nhttps://rasp.example/assessments/x/resume?token=t\n\nA line that is long enough to need a soft line break in quoted-printable, which wraps at 76 characters.",
		HTML:        `<!DOCTYPE html><html lang="en-GB"><body><p>Carry on: <a href="https://rasp.example/assessments/x/resume?token=t">continue</a></p></body></html>`,
		Unsubscribe: "https://rasp.example/assessments/x/stop-reminders?token=s",
		Lang:        locale.Welsh,
	}
}

// The outbox writes one complete MIME message per send that a mail client
// (here net/mail and mime/multipart) reads back exactly.
func TestOutboxWritesMultipartAlternative(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "outbox")
	date := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	o := rmail.NewOutbox(dir, "RASP <rasp@rasp.example>", func() time.Time { return date })
	m := sample()
	if err := o.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 1 || !strings.HasSuffix(files[0], ".eml") || !strings.HasPrefix(filepath.Base(files[0]), "20261201T090000.000Z-") {
		t.Fatalf("got files %v, want one 20261201T090000.000Z-*.eml", files)
	}
	if strings.Contains(files[0], "pat") {
		t.Errorf("file name %s contains the address", files[0])
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ReplaceAll(string(raw), "\r\n", ""), "\n") {
		t.Error("message has bare LF line endings; want CRLF throughout")
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Header
	subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, got, want string }{
		{"From", h.Get("From"), `"RASP" <rasp@rasp.example>`},
		{"To", h.Get("To"), "<pat@council.gov.uk>"},
		{"Subject", subject, m.Subject},
		{"Date", h.Get("Date"), "Tue, 01 Dec 2026 09:00:00 +0000"},
		{"MIME-Version", h.Get("MIME-Version"), "1.0"},
		{"List-Unsubscribe", h.Get("List-Unsubscribe"), "<" + m.Unsubscribe + ">"},
		{"List-Unsubscribe-Post", h.Get("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click"},
		{"Content-Language", h.Get("Content-Language"), "cy"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if id := h.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@rasp.example>") {
		t.Errorf("Message-ID: got %q, want <...@rasp.example>", id)
	}
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type: got %q (%v), want multipart/alternative", h.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var types, bodies []string
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Header.Get("Content-Transfer-Encoding"); got != "quoted-printable" {
			t.Errorf("part encoding: got %q, want quoted-printable", got)
		}
		b, err := io.ReadAll(quotedprintable.NewReader(p))
		if err != nil {
			t.Fatal(err)
		}
		types = append(types, p.Header.Get("Content-Type"))
		bodies = append(bodies, strings.ReplaceAll(string(b), "\r\n", "\n"))
	}
	wantTypes := []string{"text/plain; charset=utf-8", "text/html; charset=utf-8"}
	if strings.Join(types, ",") != strings.Join(wantTypes, ",") {
		t.Errorf("parts: got %v, want %v", types, wantTypes)
	}
	if len(bodies) == 2 && (bodies[0] != m.Text || bodies[1] != m.HTML) {
		t.Errorf("bodies: got %q, want %q and %q", bodies, m.Text, m.HTML)
	}
}

// Nothing the caller passes can add a header (a Bcc, say), and a bad
// message is refused without its address in the error.
func TestOutboxRefusesBadMessages(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	o := rmail.NewOutbox(dir, "RASP <rasp@rasp.example>", time.Now)
	cases := map[string]func(*rmail.Message){
		"header in address":    func(m *rmail.Message) { m.To = "pat@council.gov.uk\r\nBcc: eve@evil.example" },
		"named recipient":      func(m *rmail.Message) { m.To = "Pat <pat@council.gov.uk>" },
		"no subject":           func(m *rmail.Message) { m.Subject = " " },
		"no html":              func(m *rmail.Message) { m.HTML = "" },
		"relative unsubscribe": func(m *rmail.Message) { m.Unsubscribe = "/stop" },
		"unsubscribe breakout": func(m *rmail.Message) { m.Unsubscribe = "https://x.example/>\r\nBcc: eve@evil.example" },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			m := sample()
			mutate(&m)
			err := o.Send(context.Background(), m)
			if err == nil {
				t.Fatal("got nil error, want refusal")
			}
			if strings.Contains(err.Error(), "pat@") || strings.Contains(err.Error(), "eve@") {
				t.Errorf("error %q quotes an address", err)
			}
		})
	}
	// A subject with a line break is encoded, so it cannot start a header.
	m := sample()
	m.Subject = "Hello\r\nBcc: eve@evil.example"
	if err := o.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != 1 {
		t.Fatalf("got %d files, want 1", len(files))
	}
	raw, _ := os.ReadFile(files[0])
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	if got := msg.Header.Get("Bcc"); got != "" {
		t.Errorf("Bcc header injected: %q", got)
	}
}

func TestOutboxHonoursCancelledContext(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := rmail.NewOutbox(dir, "rasp@rasp.example", time.Now).Send(ctx, sample()); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 0 {
		t.Errorf("got files %v, want none", files)
	}
}
