package partnership

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/names"
	"github.com/openrasp/rasp/shared/secret"
)

// Admin is one administrator of a partnership (docs/design.md D1): a
// capability of its own, stored only as its hash. The administrator who
// created the partnership keeps the hash on the partnership's META item, as
// before there could be several (id FirstAdmin), so partnerships from then
// need no migration; every administrator added since has an ADMIN# item.
type Admin struct {
	ID string
	// Name and Role are optional: they only tell the administrators apart
	// on the administrators' page.
	Name, Role string
	// Email is where the admin's link goes and where "send me a new link"
	// sends a new one; optional. The first administrator's is the
	// partnership's contact address.
	Email     string
	TokenHash []byte
	AddedAt   time.Time
}

// FirstAdmin is the id of the administrator whose hash is on the
// partnership's META item: whoever created it, until they are removed.
const FirstAdmin = "first"

// MaxAdminText bounds an administrator's name and role.
const MaxAdminText = 100

// MaxAdmins bounds the administrators of one partnership: enough for a
// hand-over and a deputy, few enough that every link stays accounted for.
const MaxAdmins = 5

// Label is how the administrators' page names an admin, in English.
func (a Admin) Label() string { return a.LabelIn(locale.English) }

// LabelIn is how the administrators' page names an admin, in l: their name
// and role as given, else who they are.
func (a Admin) LabelIn(l locale.Lang) string {
	switch {
	case a.Name != "" && a.Role != "":
		return a.Name + ", " + a.Role
	case a.Name != "":
		return a.Name
	case a.Role != "":
		return a.Role
	case a.ID == FirstAdmin:
		return tr(l, "admins.first")
	}
	return tr(l, "admins.addedOn", "Date", l.Date(a.AddedAt))
}

// Admin returns the administrator with id.
func (p *Partnership) Admin(id string) (*Admin, bool) {
	for i := range p.Admins {
		if p.Admins[i].ID == id {
			return &p.Admins[i], true
		}
	}
	return nil, false
}

// AdminInput describes a new administrator; every field is optional.
type AdminInput struct {
	Name, Role, Email string
}

// Normalise cleans the fields as they are stored.
func (in *AdminInput) Normalise() {
	in.Name, _ = names.Clean(in.Name)
	in.Role, _ = names.Clean(in.Role)
	in.Email = strings.TrimSpace(in.Email)
}

// Validate checks the fields given.
func (in AdminInput) Validate() error {
	var errs []failure.FieldError
	for _, f := range []struct{ field, value, what string }{{"name", in.Name, "The name"}, {"role", in.Role, "The role"}} {
		if f.value == "" {
			continue
		}
		if _, reason := names.Clean(f.value); reason != "" {
			errs = append(errs, failure.FieldError{Field: f.field, Message: f.what + " " + reason})
		} else if utf8.RuneCountInString(f.value) > MaxAdminText {
			errs = append(errs, failure.Quoting(f.field, "error.partnership.admin."+f.field+".tooLong", "MaxAdminText", MaxAdminText))
		}
	}
	if e := in.Email; e != "" {
		if !mail.ValidAddress(e) {
			errs = append(errs, failure.FieldError{Field: "email", Message: "Enter an email address in the correct format, like name@council.gov.uk"})
		}
	}
	if len(errs) > 0 {
		return failure.Fields("Check the new administrator’s details.", errs...)
	}
	return nil
}

// AdminAdded is a new administrator with their link's token: shown once,
// mailed when an address was given.
type AdminAdded struct {
	Admin  string
	Token  string
	Mailed bool
}

// AdminStore is what managing administrators needs from storage.
type AdminStore interface {
	// AddAdmin writes the administrator and the act in one transaction,
	// on condition the partnership exists and has fewer than MaxAdmins;
	// conflict when it has as many, idempotency.ErrKeyUsed when idem's
	// record exists.
	AddAdmin(ctx context.Context, pid string, a Admin, act Act, idem *idempotency.Record) error
	// RemoveAdmin deletes administrator a (as read: its hash must still
	// be a.TokenHash) and logs act in one transaction, on condition it is
	// not the last one; contact becomes the partnership's contact address
	// when a's address was it ("" removes it). It returns conflict for the
	// last administrator, not_found when a is already gone.
	RemoveAdmin(ctx context.Context, pid string, a Admin, contact string, act Act) error
	// RotateAdmin replaces administrator id's token hash, on condition it
	// is old.
	RotateAdmin(ctx context.Context, pid, id string, old, hash []byte) error
}

// ErrLastAdmin is why the last administrator cannot be removed.
func errLastAdmin() error {
	return failure.New(failure.Conflict, "You cannot remove the only administrator: the partnership would have nobody to run it. Add another administrator first, then remove this one.")
}

// AddAdmin adds an administrator (admin only) and returns their link's
// token, mailed to their address when given, shown once otherwise. It
// returns invalid (name, role or address), conflict when the partnership
// has MaxAdmins already, forbidden for anyone but an admin.
func (s *Service) AddAdmin(ctx context.Context, p *Partnership, access Access, in AdminInput, idem idempotency.Request) (AdminAdded, error) {
	if access != AdminAccess {
		return AdminAdded{}, forbidden("error.partnership.forbidden.addAdmin")
	}
	in.Normalise()
	if err := in.Validate(); err != nil {
		return AdminAdded{}, err
	}
	var out AdminAdded
	if ok, err := idempotency.Replay(ctx, s.store, idem, in, &out); ok || err != nil {
		return out, err
	}
	if len(p.Admins) >= MaxAdmins {
		return AdminAdded{}, tooManyAdmins()
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	token := secret.NewToken()
	a := Admin{ID: secret.NewID(), Name: in.Name, Role: in.Role, Email: in.Email, TokenHash: secret.Hash(token), AddedAt: now}
	out = AdminAdded{Admin: a.ID, Token: token}
	mailed := out
	mailed.Mailed = s.mail != nil && a.Email != ""
	rec, err := idem.Seal(in, mailed, now)
	if err != nil {
		return AdminAdded{}, err
	}
	if err := s.store.AddAdmin(ctx, p.ID, a, Act{At: now, Kind: ActAddAdmin}, rec); err != nil {
		if errors.Is(err, idempotency.ErrKeyUsed) {
			var won AdminAdded
			return won, idempotency.Raced(ctx, s.store, idem, in, &won)
		}
		return AdminAdded{}, err
	}
	if a.Email != "" && s.mail != nil {
		out.Mailed = s.send(ctx, message(p.Lang, a.Email, tr(p.Lang, "mail.partnership.adminLink.subject", "Partnership", p.Name),
			tr(p.Lang, "mail.partnership.adminLink.added", "Partnership", p.Name),
			s.links.Admin(p.ID, token), tr(p.Lang, "mail.partnership.keepSecret")), p.ID)
	}
	return out, nil
}

func tooManyAdmins() error {
	return failure.Said(failure.Conflict, "error.partnership.admins.max", "MaxAdmins", MaxAdmins)
}

// RemoveAdmin removes administrator id (admin only): their link stops
// working at once. An administrator may remove themself, which with
// AddAdmin first is how the role is handed over. When the removed admin's
// address was the partnership's contact (where its notices go), the next
// administrator with an address becomes the contact. It returns conflict
// for the last administrator, not_found for an unknown one, forbidden for
// anyone but an admin.
func (s *Service) RemoveAdmin(ctx context.Context, p *Partnership, access Access, id string) error {
	if access != AdminAccess {
		return forbidden("error.partnership.forbidden.removeAdmin")
	}
	a, ok := p.Admin(id)
	if !ok {
		return failure.New(failure.NotFound, "The partnership has no such administrator.")
	}
	if len(p.Admins) <= 1 {
		return errLastAdmin()
	}
	// While the first administrator stays, the contact is theirs (their
	// address is stored as it). Otherwise it follows the administrators
	// who remain.
	contact := p.ContactEmail
	_, firstStays := p.Admin(FirstAdmin)
	firstStays = firstStays && a.ID != FirstAdmin
	if !firstStays && (a.ID == FirstAdmin || contact == "" || strings.EqualFold(a.Email, contact)) {
		contact = ""
		for _, other := range p.Admins {
			if other.ID != a.ID && other.Email != "" {
				contact = other.Email
				break
			}
		}
	}
	act := Act{At: s.now().UTC().Truncate(time.Millisecond), Kind: ActRemoveAdmin}
	return s.store.RemoveAdmin(ctx, p.ID, *a, contact, act)
}
