package apiclient_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/openrasp/rasp/shared/apiclient"
	"github.com/openrasp/rasp/shared/locale"
)

// inWelsh asks for Welsh on a request the generated client makes, as a
// Welsh council's own software would.
func inWelsh(_ context.Context, req *http.Request) error {
	req.Header.Set("Accept-Language", "cy")
	return nil
}

// A client generated from the API document gets the question bank and the
// problem documents in Welsh when it asks for them (issue 21), with
// Content-Language saying so, and English when it does not.
func TestWelshThroughTheGeneratedClient(t *testing.T) {
	t.Parallel()
	s := newService(t)
	ctx := context.Background()
	welsh := lib().Current().In(locale.Welsh)
	english := lib().Current()

	cy := "cy"
	q := must(s.client.GetQuestionsWithResponse(ctx, &apiclient.GetQuestionsParams{AcceptLanguage: &cy}))
	if q.JSON200 == nil {
		t.Fatalf("questions in Welsh: %d %s", q.StatusCode(), q.Body)
	}
	en := must(s.client.GetQuestionsWithResponse(ctx, &apiclient.GetQuestionsParams{}))
	if en.JSON200 == nil {
		t.Fatalf("questions: %d %s", en.StatusCode(), en.Body)
	}
	got, want := q.JSON200.Areas[0], welsh.Areas[0]
	for _, c := range []struct{ name, got, want string }{
		{"Content-Language (Welsh)", q.HTTPResponse.Header.Get("Content-Language"), "cy"},
		{"Content-Language (English)", en.HTTPResponse.Header.Get("Content-Language"), "en-GB"},
		{"area title", got.Title, want.Title},
		{"first question", got.Questions[0].Text, want.Questions[0].Text},
		{"English area title", en.JSON200.Areas[0].Title, english.Areas[0].Title},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if got.Title == en.JSON200.Areas[0].Title {
		t.Errorf("the Welsh area title is the English one: %q", got.Title)
	}
	if !slices.Contains(q.JSON200.Languages, "cy") {
		t.Errorf("languages %v do not include cy", q.JSON200.Languages)
	}

	key := "welsh-no-council"
	in := apiclient.StartAssessment{Council: "", Purpose: apiclient.PurposeReadiness, IntendedForm: apiclient.Collaborate,
		Respondent: apiclient.Respondent{Name: "Siân Jones", Role: "Rheolwr rhaglen"}}
	r := must(s.client.StartAssessmentWithResponse(ctx, &apiclient.StartAssessmentParams{IdempotencyKey: &key}, in, inWelsh))
	p := r.ApplicationproblemJSON422
	if p == nil {
		t.Fatalf("start with no council, in Welsh: %d %s", r.StatusCode(), r.Body)
	}
	if lang := r.HTTPResponse.Header.Get("Content-Language"); lang != "cy" {
		t.Errorf("problem Content-Language %q, want cy", lang)
	}
	if p.Errors == nil || len(*p.Errors) == 0 {
		t.Fatalf("no field errors: %s", r.Body)
	}
	fe := (*p.Errors)[0]
	if wantMsg := locale.Messages().T(locale.Welsh, "error.council.missing", nil); fe.Field != "council" || fe.Message != wantMsg {
		t.Errorf("field error %+v, want council: %q", fe, wantMsg)
	}
}
