package lambdas_test

import (
	"net/http"
	"testing"

	"github.com/openrasp/rasp/shared/api"
)

// A save changes only the fields it sends (issue 14, point 8): before, a
// note-only save set the score to "don't know", so a generated client that
// omits nil fields erased every untouched score.
func TestSaveChangesOnlyWhatItSends(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.start(startBody("Hackney", "collaborate"))
	const q = "vision.political-backing"
	steps := []struct {
		name      string
		body      string
		wantScore *int
		wantNote  string
		answered  bool
	}{
		{"score and note", `{"score":3,"note":"a"}`, intp(3), "a", true},
		{"note only keeps the score", `{"note":"b"}`, intp(3), "b", true},
		{"score only keeps the note", `{"score":1}`, intp(1), "b", true},
		{"null is don't know", `{"score":null}`, nil, "b", true},
		{"empty note clears the note", `{"note":""}`, nil, "", true},
		{"clear removes the answer", `{"clear":true}`, nil, "", false},
		{"clearing again changes nothing", `{"clear":true}`, nil, "", false},
		{"answered again", `{"score":4}`, intp(4), "", true},
	}
	for _, st := range steps {
		r := e.do("PUT", "/api/assessments/"+s.ID+"/answers", s.Token, `{"answers":{"`+q+`":`+st.body+`}}`)
		if r.status != http.StatusOK {
			t.Fatalf("%s: got %d %s, want 200", st.name, r.status, r.body)
		}
		var got api.Assessment
		e.do("GET", "/api/assessments/"+s.ID, s.Token, nil).json(t, &got)
		a, ok := got.Answers[q]
		switch {
		case ok != st.answered:
			t.Errorf("%s: answered %v, want %v", st.name, ok, st.answered)
		case (a.Score == nil) != (st.wantScore == nil) || a.Score != nil && *a.Score != *st.wantScore:
			t.Errorf("%s: got score %v, want %v", st.name, a.Score, st.wantScore)
		case a.Note != st.wantNote:
			t.Errorf("%s: got note %q, want %q", st.name, a.Note, st.wantNote)
		}
		if want := map[bool]int{true: 1, false: 0}[st.answered]; got.Progress.Answered != want {
			t.Errorf("%s: got %d answered, want %d", st.name, got.Progress.Answered, want)
		}
	}
}
