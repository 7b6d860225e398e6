// Package listpage cuts a list into pages for the API's list routes: a
// `limit` of items per page and an opaque `cursor` that names where the
// next page starts (issue 17, docs/api-contract.md "Lists").
//
// A cursor names the last item of the page before (by its id), not an
// offset, so an item added while a client pages through is neither skipped
// nor repeated: items are listed in an order where new ones come last. The
// cursor is opaque to clients (base64url of a versioned string) so its
// form can change without breaking them.
package listpage

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/openrasp/rasp/shared/failure"
)

// The page sizes a client may ask for.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// cursorPrefix versions the cursor's form.
const cursorPrefix = "after:"

// Request is a page asked for: up to Limit items after the item whose id
// is After ("" for the first page).
type Request struct {
	Limit int
	After string
}

// Parse reads the limit and cursor query values ("" when absent).
func Parse(limit, cursor string) (Request, error) {
	r := Request{Limit: DefaultLimit}
	var errs []failure.FieldError
	if limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 || n > MaxLimit {
			errs = append(errs, failure.Quoting("limit", "error.listpage.limit", "MaxLimit", MaxLimit))
		}
		r.Limit = n
	}
	if cursor != "" {
		after, ok := decode(cursor)
		if !ok {
			errs = append(errs, failure.FieldError{Field: "cursor", Message: "is not a cursor this list gave: start again without it"})
		}
		r.After = after
	}
	if len(errs) > 0 {
		return Request{}, failure.Fields("Check the page you asked for.", errs...)
	}
	return r, nil
}

// Cursor is the cursor of the page that follows the item with this id.
func Cursor(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + id))
}

func decode(cursor string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return "", false
	}
	id, ok := strings.CutPrefix(string(b), cursorPrefix)
	return id, ok && id != ""
}

// Of returns r's page of items (each named by id) and the cursor of the
// next page, "" when this page is the last. A cursor naming no item of the
// list (erased since) is refused rather than silently restarting, which
// would repeat items.
func Of[T any](items []T, id func(T) string, r Request) (page []T, next string, err error) {
	start := 0
	if r.After != "" {
		start = -1
		for i, it := range items {
			if id(it) == r.After {
				start = i + 1
				break
			}
		}
		if start < 0 {
			return nil, "", failure.Fields("Check the page you asked for.",
				failure.FieldError{Field: "cursor", Message: "names an item that is no longer in the list: start again without it"})
		}
	}
	end := min(start+r.Limit, len(items))
	page = items[start:end]
	if end < len(items) {
		next = Cursor(id(items[end-1]))
	}
	return page, next, nil
}
