package action

import (
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/failure"
)

func sp(s string) *string { return &s }

func TestApply(t *testing.T) {
	t.Parallel()
	rules := Rules{Question: func(id string) bool { return id == "vision.political-backing" }, Seat: func(id string) bool { return id == "s1" }}
	for _, tc := range []struct {
		name   string
		in     Input
		create bool
		fields []string // the fields refused; none: accepted
	}{
		{"a whole new action", Input{Title: sp("Appoint a communications specialist"), Due: sp("2027-03-31"), Questions: &[]string{"vision.political-backing"}, OwnerSeats: &[]string{"s1"}}, true, nil},
		{"nothing given", Input{}, true, []string{"title", "due"}},
		{"not a date", Input{Title: sp("x"), Due: sp("2027-02-30")}, true, []string{"due"}},
		{"an unknown question", Input{Title: sp("x"), Due: sp("2027-02-01"), Questions: &[]string{"no.such"}}, true, []string{"questions"}},
		{"an unknown seat", Input{Title: sp("x"), Due: sp("2027-02-01"), OwnerSeats: &[]string{"s2"}}, true, []string{"ownerSeats"}},
		{"a bad status", Input{Status: sp("finished")}, false, []string{"status"}},
		{"a hidden character in the title", Input{Title: sp("Hire\u200b a change manager")}, false, []string{"title"}},
		{"a change of status only", Input{Status: sp("done")}, false, nil},
	} {
		a := Action{ID: "a1", Title: "Before", Status: Planned}
		err := tc.in.Apply(&a, tc.create, rules)
		fe, _ := failure.As(err)
		var got []string
		if fe != nil {
			for _, f := range fe.Fields {
				got = append(got, f.Field)
			}
		}
		if len(got) != len(tc.fields) {
			t.Errorf("%s: got fields %v (%v), want %v", tc.name, got, err, tc.fields)
			continue
		}
		for i := range got {
			if got[i] != tc.fields[i] {
				t.Errorf("%s: got fields %v, want %v", tc.name, got, tc.fields)
			}
		}
		if err != nil && a.Title != "Before" {
			t.Errorf("%s: a refused input changed the action: %+v", tc.name, a)
		}
	}
}

func TestOverdueAndErased(t *testing.T) {
	t.Parallel()
	due := time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	a := Action{ID: "a1", Title: "x", Due: due, Status: InProgress, Owner: "Sam", Notes: []Note{{Text: "Sam rang Jo"}}}
	if a.Overdue(due.Add(23 * time.Hour)) {
		t.Error("overdue on its due day")
	}
	if !a.Overdue(due.AddDate(0, 0, 1)) {
		t.Error("not overdue the day after")
	}
	a.Status = Done
	if a.Overdue(due.AddDate(0, 0, 1)) {
		t.Error("a done action is overdue")
	}
	e := a.Erased()
	if e.HasPersonalData() || e.Title != "x" || !a.HasPersonalData() {
		t.Errorf("erased: got %+v", e)
	}
}
