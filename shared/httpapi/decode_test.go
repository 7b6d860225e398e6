package httpapi_test

import (
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
)

func TestDecodeJSONBytes(t *testing.T) {
	cases := []struct {
		name      string
		body      string
		wantCode  failure.Code
		wantField string
	}{
		{"valid", `{"council":"Brent"}`, "", ""},
		{"whitespace around", " \n{\"council\":\"Brent\"}\n ", "", ""},
		{"empty", ``, failure.BadRequest, ""},
		{"array", `[]`, failure.BadRequest, ""},
		{"string", `"x"`, failure.BadRequest, ""},
		{"truncated", `{"council":"Br`, failure.BadRequest, ""},
		{"trailing garbage", `{"council":"Brent"} x`, failure.BadRequest, ""},
		{"unknown field", `{"county":"Kent"}`, failure.Invalid, "county"},
		{"wrong type", `{"council":1}`, failure.Invalid, "council"},
		{"nested wrong type", `{"respondent":{"name":false}}`, failure.Invalid, "respondent.name"},
		{"too large", `{"council":"` + strings.Repeat("a", httpapi.MaxJSONBody) + `"}`, failure.TooLarge, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var v api.StartAssessment
			err := httpapi.DecodeJSONBytes([]byte(c.body), &v)
			if got := failure.CodeOf(err); got != c.wantCode {
				t.Fatalf("code: got %q (%v), want %q", got, err, c.wantCode)
			}
			if c.wantField != "" {
				fe, _ := failure.As(err)
				if len(fe.Fields) != 1 || fe.Fields[0].Field != c.wantField {
					t.Errorf("fields: got %+v, want %s", fe.Fields, c.wantField)
				}
			}
		})
	}
}

// fuzzDecode checks the decoder's contract on any input: it never panics,
// and it either fills v or returns a coded, user-safe error.
func fuzzDecode[T any](f *testing.F, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var v T
		err := httpapi.DecodeJSONBytes(body, &v)
		if err == nil {
			return
		}
		fe, ok := failure.As(err)
		if !ok {
			t.Fatalf("uncoded error %v", err)
		}
		switch fe.Code {
		case failure.BadRequest, failure.Invalid, failure.TooLarge:
		default:
			t.Fatalf("unexpected code %s for %q", fe.Code, body)
		}
		if fe.Message == "" {
			t.Fatalf("empty message for %q", body)
		}
	})
}

func FuzzDecodeStartAssessment(f *testing.F) {
	fuzzDecode[api.StartAssessment](f,
		`{"council":"Brent","respondent":{"name":"Sam","role":"PM","email":"sam@brent.gov.uk"},"purpose":"readiness","intendedForm":"collaborate","joinCode":"ABC-DEF-GHJ"}`,
		`{"council":7}`, `[]`, `{"respondent":null}`, "{\"council\":\"\u00e9\\u0000\"}")
}

func FuzzDecodeSaveAnswers(f *testing.F) {
	fuzzDecode[api.SaveAnswers](f,
		`{"answers":{"vision.political-backing":{"score":3,"note":"ok"}}}`,
		`{"answers":{"x":{"score":null}}}`, `{"answers":{"x":{"score":1.5}}}`, `{"answers":[]}`)
}

func FuzzDecodeCreatePartnership(f *testing.F) {
	fuzzDecode[api.CreatePartnership](f, `{"name":"North","intendedForm":"combine","contactEmail":"a@b.gov.uk","cadenceMonths":6}`, `{"cadenceMonths":"6"}`)
}
