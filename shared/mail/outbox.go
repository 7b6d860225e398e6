package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Outbox "sends" each message by writing it as an .eml file into a folder,
// so `make remind` shows locally exactly what would go out. The file is a
// complete MIME message (multipart/alternative, text and HTML) that any mail
// client opens.
type Outbox struct {
	dir  string
	from string
	now  func() time.Time
}

// NewOutbox returns a mailer writing into dir (created when missing) with
// from as the sender; now dates the messages.
func NewOutbox(dir, from string, now func() time.Time) *Outbox {
	return &Outbox{dir: dir, from: from, now: now}
}

// Send writes the message as <date>-<id>.eml. The name holds no address,
// and the file appears whole or not at all.
func (o *Outbox) Send(ctx context.Context, m Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	date := o.now().UTC()
	raw, id, err := compose(o.from, m, date)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(o.dir, 0o700); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	tmp, err := os.CreateTemp(o.dir, ".sending-*")
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return fmt.Errorf("outbox: write: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("outbox: write: %w", err)
	}
	name := filepath.Join(o.dir, date.Format("20060102T150405.000Z")+"-"+id[:12]+".eml")
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

// errInvalid reports a message that cannot be sent as given. It names the
// field, never its value (an address is personal data).
var errInvalid = errors.New("mail: invalid message")

// Checked validates a message and returns its recipient and sender in
// header form. Addresses go through net/mail, which refuses line breaks, so
// no header can be injected.
func Checked(from string, m Message) (fromAddr, to *mail.Address, err error) {
	fromAddr, err = mail.ParseAddress(from)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: sender (MAIL_FROM) is not an address", errInvalid)
	}
	to, err = mail.ParseAddress(m.To)
	if err != nil || to.Name != "" {
		return nil, nil, fmt.Errorf("%w: recipient is not a bare address", errInvalid)
	}
	if strings.TrimSpace(m.Subject) == "" || m.Text == "" || m.HTML == "" {
		return nil, nil, fmt.Errorf("%w: subject, text and HTML are all needed", errInvalid)
	}
	if m.Unsubscribe != "" {
		u, err := url.Parse(m.Unsubscribe)
		if err != nil || !u.IsAbs() || strings.ContainsAny(m.Unsubscribe, "<>\r\n \t") {
			return nil, nil, fmt.Errorf("%w: unsubscribe link is not an absolute URL", errInvalid)
		}
	}
	return fromAddr, to, nil
}

// SubjectHeader encodes a subject for a header: unchanged when plain ASCII,
// else an RFC 2047 encoded-word (Welsh council names have accents). Line
// breaks always force encoding, so they cannot start a new header.
func SubjectHeader(s string) string { return mime.QEncoding.Encode("utf-8", s) }

// compose builds the RFC 5322 message: headers, then a multipart/alternative
// body with the text part first (clients show the last part they can).
func compose(from string, m Message, date time.Time) (raw []byte, id string, err error) {
	fromAddr, to, err := Checked(from, m)
	if err != nil {
		return nil, "", err
	}
	idBytes := make([]byte, 16)
	_, _ = rand.Read(idBytes)
	id = hex.EncodeToString(idBytes)
	domain := fromAddr.Address[strings.LastIndex(fromAddr.Address, "@")+1:]

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range []struct{ ctype, content string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		part, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {p.ctype + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, "", fmt.Errorf("compose: %w", err)
		}
		qp := quotedprintable.NewWriter(part)
		if _, err := qp.Write([]byte(p.content)); err != nil {
			return nil, "", fmt.Errorf("compose: %w", err)
		}
		if err := qp.Close(); err != nil {
			return nil, "", fmt.Errorf("compose: %w", err)
		}
	}
	if err := mw.Close(); err != nil {
		return nil, "", fmt.Errorf("compose: %w", err)
	}

	var out bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&out, "%s: %s\r\n", k, v) }
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", "<"+id+"@"+domain+">")
	header("From", fromAddr.String())
	header("To", to.String())
	header("Subject", SubjectHeader(m.Subject))
	header("MIME-Version", "1.0")
	if m.Lang != "" {
		header("Content-Language", m.Lang.Tag())
	}
	if m.Unsubscribe != "" {
		// RFC 2369 and RFC 8058: mail clients offer "unsubscribe", and may
		// POST List-Unsubscribe=One-Click to the link, which stops reminders.
		header("List-Unsubscribe", "<"+m.Unsubscribe+">")
		header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	header("Content-Type", `multipart/alternative; boundary="`+mw.Boundary()+`"`)
	out.WriteString("\r\n")
	out.Write(body.Bytes())
	return out.Bytes(), id, nil
}
