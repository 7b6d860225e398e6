package web

import (
	"errors"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/idempotency"
)

// formIdempotency is a creating form's Idempotency-Key, from its hidden
// "key" field (docs/design.md D2): a form sent twice creates one thing. A
// key that is not one of ours (too long, say) just makes the post an
// ordinary one.
func formIdempotency(req *httpapi.Request, key string) idempotency.Request {
	idem, err := req.Idempotency(key)
	if err != nil {
		return idempotency.Request{}
	}
	return idem
}

// keyReused reports whether err refuses a form's key because the form
// created something before and was sent again with other details (the
// back button): the page then offers the form again with a fresh key.
func keyReused(err error) bool {
	var f *failure.Error
	return errors.As(err, &f) && len(f.Fields) == 1 && f.Fields[0].Field == idempotency.Header
}
