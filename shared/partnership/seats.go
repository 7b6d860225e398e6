package partnership

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/names"
)

// Seat is a council's standing place in a partnership (docs/design.md D1). It
// outlives rounds: each round's assessment of the council is a member of the
// seat, and the council's name in every comparison comes from the seat, never
// from what someone typed when starting an assessment, so one council cannot
// take another's row.
type Seat struct {
	ID   string
	Name string
	// GSSCode is the council's ONS Government Statistical Service code
	// (e.g. E09000028), optional.
	GSSCode string
	// Email is where the seat's invitation, round openings and unsealing
	// go; optional.
	Email string
	// TokenHash is the hash of the seat's invitation token: its lead uses it
	// to start or bring in the council's assessment for a round.
	TokenHash []byte
	// MailedHash is the hash of the token in the latest round-opened mail.
	MailedHash  []byte
	AddedAt     time.Time
	WithdrawnAt *time.Time
	// Position orders the seats as the admin listed them.
	Position int
	// StopReminders is set once the seat's address used the stop link of
	// a deadline reminder; DeadlineRemindedFor is the last round whose
	// deadline reminder was sent to it (0 for none).
	StopReminders       bool
	DeadlineRemindedFor int
}

// Withdrawn reports whether the admin withdrew the seat. A withdrawn seat is
// no longer expected in any open or later round; its past rounds stay in
// past comparisons, named as withdrawn.
func (s Seat) Withdrawn() bool { return s.WithdrawnAt != nil }

// Label is the seat's name as comparisons show it, in English: the API's.
func (s Seat) Label() string { return s.LabelIn(locale.English) }

// LabelIn is the seat's name as comparisons show it in l: a withdrawn
// seat's says so, which also keeps it apart from a seat added later under
// the same name. A comparison's councils are keyed by it, so a comparison
// read in Welsh has Welsh keys and the API's stay as they were.
func (s Seat) LabelIn(l locale.Lang) string {
	if s.Withdrawn() {
		return tr(l, "seat.label.withdrawn", "Council", s.Name)
	}
	return s.Name
}

// MaxSeats bounds a partnership: creating it writes every seat in one
// transaction (DynamoDB allows 100 items; each seat costs two).
const MaxSeats = 40

// SeatInput names one member council.
type SeatInput struct {
	Name    string
	GSSCode string
	Email   string
}

// gssCode is the ONS GSS code format: one letter for the country (E, W, S,
// N, or K for cross-border areas), two digits for the entity type, six for
// the instance. See the GSS Coding and Naming Policy,
// https://www.gov.uk/government/publications/geography-coding-and-naming-policy
var gssCode = regexp.MustCompile(`^[EKNSW][0-9]{8}$`)

// NameKey is what makes two council names the same: case, runs of spaces,
// compatibility forms (full-width letters, ligatures) and invisible
// characters (zero-width spaces and joiners, direction marks) do not count,
// so "Brent", " brent " and "Bre\u200bnt" are one council.
func NameKey(name string) string {
	n := norm.NFKC.String(name)
	var b strings.Builder
	space := false
	for _, r := range n {
		switch {
		case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Cc, r) && !unicode.IsSpace(r):
			// Format and control characters are invisible: drop them.
		case unicode.IsSpace(r):
			space = b.Len() > 0
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(unicode.ToLower(unicode.ToUpper(r)))
		}
	}
	return b.String()
}

// CleanName is the name as shown: trimmed, inner spaces collapsed, invisible
// characters dropped, case kept.
func CleanName(name string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFC.String(name) {
		switch {
		case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Cc, r) && !unicode.IsSpace(r):
		case unicode.IsSpace(r):
			space = b.Len() > 0
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Normalise cleans the seat's fields as they will be stored.
func (in *SeatInput) Normalise() {
	in.Name = CleanName(in.Name)
	in.GSSCode = strings.ToUpper(strings.TrimSpace(in.GSSCode))
	in.Email = strings.TrimSpace(in.Email)
}

// validateSeats checks the member councils; field names are
// councils[i].name etc., as in the JSON body. taken holds the name keys of
// seats that exist already (when adding one later).
func validateSeats(seats []SeatInput, taken map[string]bool, field string) []failure.FieldError {
	var errs []failure.FieldError
	seen := map[string]int{}
	for k := range taken {
		seen[k] = -1
	}
	for i, s := range seats {
		f := fmt.Sprintf("%s[%d]", field, i)
		key := NameKey(s.Name)
		_, reason := names.Clean(s.Name)
		switch {
		case reason != "":
			errs = append(errs, failure.FieldError{Field: f + ".name", Message: "The council's name " + reason})
		case s.Name == "":
			errs = append(errs, failure.FieldError{Field: f + ".name", Message: "Enter the name of the council"})
		case utf8.RuneCountInString(s.Name) > 200 || key == "":
			errs = append(errs, failure.FieldError{Field: f + ".name", Message: "Council name must be one line of 200 characters or fewer"})
		default:
			if j, dup := seen[key]; dup {
				key := "error.partnership.council.taken"
				if j >= 0 {
					key = "error.partnership.council.twice"
				}
				errs = append(errs, failure.Quoting(f+".name", key, "Council", s.Name))
			}
			seen[key] = i
		}
		if s.GSSCode != "" && !gssCode.MatchString(s.GSSCode) {
			errs = append(errs, failure.FieldError{Field: f + ".gssCode", Message: "Enter the GSS code as a letter and 8 digits, like E09000028, or leave it blank"})
		}
		if e := s.Email; e != "" {
			if !mail.ValidAddress(e) {
				errs = append(errs, failure.FieldError{Field: f + ".email", Message: "Enter an email address in the correct format, like name@council.gov.uk"})
			}
		}
	}
	return errs
}

// Seat returns the seat with id sid.
func (p *Partnership) Seat(sid string) (*Seat, bool) {
	for i := range p.Seats {
		if p.Seats[i].ID == sid {
			return &p.Seats[i], true
		}
	}
	return nil, false
}

// activeSeats lists the seats not withdrawn, in the order they were added.
func (p *Partnership) activeSeats() []string {
	var out []string
	for _, s := range p.Seats {
		if !s.Withdrawn() {
			out = append(out, s.ID)
		}
	}
	return out
}
