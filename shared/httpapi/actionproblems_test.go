package httpapi_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/partnership"
)

// actionErrors are the errors the action register's domain gives for bad
// input: every field with every reason it can be refused for.
func actionErrors(t *testing.T) []error {
	t.Helper()
	s := func(v string) *string { return &v }
	yes := func(string) bool { return true }
	var errs []error
	for _, bad := range []string{"", "a\nb", "a\x00b", "a\u202eb", "a\u200bb", "a\xffb", strings.Repeat("x", action.MaxTitle+1)} {
		role, owner := bad, bad
		if bad == "" || len(bad) > action.MaxTitle {
			role, owner = strings.Repeat("x", action.MaxRole+1), strings.Repeat("x", action.MaxRole+1)
		}
		in := action.Input{Title: s(bad), OwnerRole: s(role), Owner: s(owner), Due: s(""), Status: s("finished")}
		errs = append(errs, in.Apply(&action.Action{}, true, action.Rules{Question: yes}))
	}
	many := make([]string, action.MaxQuestions+1)
	for i := range many {
		many[i] = "q" + strconv.Itoa(i)
	}
	for _, in := range []action.Input{
		{Title: s("Agree a protocol"), Due: s("2027-02-30"), Questions: &[]string{"no.such"}, OwnerSeats: &[]string{"seat"}},
		{Title: s("Agree a protocol"), Due: s("1999-12-31"), Questions: &many},
	} {
		errs = append(errs, in.Apply(&action.Action{}, true, action.Rules{Private: true, Question: func(q string) bool { return q != "no.such" }}))
	}
	full := action.Action{Notes: make([]action.Note, action.MaxNotes)}
	for _, n := range []struct {
		a    action.Action
		text string
	}{{action.Action{}, " "}, {action.Action{}, "\xff"}, {action.Action{}, strings.Repeat("x", action.MaxNote+1)}, {full, "More"}} {
		_, err := action.NewNote(n.a, n.text, "", time.Now())
		errs = append(errs, err)
	}
	_, err := partnership.ReadActions(&partnership.Partnership{}, partnership.NoAccess)
	return append(errs, err)
}

// TestActionProblemsInWelsh: every message the action register gives for
// bad input reads in Welsh in a Welsh problem document, its limits filled
// in, and as the domain wrote it in an English one.
func TestActionProblemsInWelsh(t *testing.T) {
	t.Parallel()
	n := 0
	for _, err := range actionErrors(t) {
		fe, ok := failure.As(err)
		if !ok {
			t.Fatalf("%v is not a failure", err)
		}
		var cy, en api.Problem
		if err := json.Unmarshal([]byte(httpapi.Problem(err, "r", locale.Welsh).Body), &cy); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(httpapi.Problem(err, "r", locale.English).Body), &en); err != nil {
			t.Fatal(err)
		}
		if en.Detail != fe.Message || cy.Detail == fe.Message || len(cy.Errors) != len(fe.Fields) {
			t.Errorf("detail %q: English %q, Welsh %q (%d field messages, want %d)", fe.Message, en.Detail, cy.Detail, len(cy.Errors), len(fe.Fields))
			continue
		}
		for i, f := range fe.Fields {
			n++
			got := cy.Errors[i].Message
			if got == f.Message || strings.Contains(got, "no value") || en.Errors[i].Message != f.Message {
				t.Errorf("%s: %q reads %q in Welsh", f.Field, f.Message, got)
			}
			for _, limit := range []int{action.MaxTitle, action.MaxRole, action.MaxNote, action.MaxQuestions} {
				if l := strconv.Itoa(limit); strings.Contains(f.Message, l) && !strings.Contains(got, l) {
					t.Errorf("%s: %q reads %q in Welsh, without its limit", f.Field, f.Message, got)
				}
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d field messages checked", n)
	}
}
