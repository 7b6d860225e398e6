package lambdas_test

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/routes"
)

// A creating request is one the route table marks Idempotent; each case
// sets up what its request needs and returns the request.
type creatingPost struct {
	route string
	setup func(e *env) (path, token string, body any)
}

var creatingPosts = []creatingPost{
	{"startAssessment", func(e *env) (string, string, any) {
		return "/api/assessments", "", startBody("Brent", "combine")
	}},
	{"createPartnership", func(e *env) (string, string, any) {
		return "/api/partnerships", "", api.CreatePartnership{Name: "West London", IntendedForm: "collaborate",
			Councils: []api.NewSeat{{Name: "Ealing"}, {Name: "Hounslow"}}}
	}},
	{"openRound", func(e *env) (string, string, any) {
		p := e.partnership("North London", "Camden", "Islington")
		return "/api/partnerships/" + p.ID + "/rounds", p.AdminToken, api.OpenRound{Purpose: "health-check", After: 1}
	}},
	{"startHealthCheck", func(e *env) (string, string, any) {
		p := e.partnership("East London", "Hackney", "Newham")
		prev := e.submittedMember(p, "Hackney", 3)
		if r := e.openRound(p, 1); r.status != http.StatusCreated {
			e.t.Fatalf("open round: %d %s", r.status, r.body)
		}
		return "/api/assessments/" + prev.ID + "/health-check", prev.Token, nil
	}},
	{"startSeatAssessment", func(e *env) (string, string, any) {
		p := e.partnership("South London", "Lambeth", "Wandsworth")
		s := seat(e.t.(*testing.T), p, "Lambeth")
		return "/api/partnerships/" + p.ID + "/seats/" + s.Seat + "/assessments", s.Token,
			api.StartSeatAssessment{Respondent: api.Respondent{Name: "Sam Lead", Role: "Programme manager"}}
	}},
	{"addSeat", func(e *env) (string, string, any) {
		p := e.partnership("Outer London", "Barnet", "Enfield")
		return "/api/partnerships/" + p.ID + "/seats", p.AdminToken, api.NewSeat{Name: "Haringey", GSSCode: "E09000014"}
	}},
	{"addAdmin", func(e *env) (string, string, any) {
		p := e.partnership("Outer London admins", "Barnet")
		return "/api/partnerships/" + p.ID + "/admins", p.AdminToken, api.NewAdmin{Name: "Priya Shah", Email: "priya@barnet.gov.uk"}
	}},
	{"bringIn", func(e *env) (string, string, any) {
		private := e.start(startBody("Merton", "coordinate"))
		e.answerAll(private, func(bank.Question) *int { return intp(2) })
		e.submit(private)
		p := e.partnership("South West London", "Merton", "Sutton")
		inv := seat(e.t.(*testing.T), p, "Merton")
		return "/api/assessments/" + private.ID + "/join", private.Token, api.BringIn{Partnership: p.ID, Seat: inv.Seat, Invitation: inv.Token}
	}},
	{"inviteRespondent", func(e *env) (string, string, any) {
		s := e.start(startBody("Lewisham", "collaborate"))
		return "/api/assessments/" + s.ID + "/respondents", s.Token, api.InviteRespondent{Name: "Sue Adeyemi", Role: "section-151-officer"}
	}},
	{"shareReport", func(e *env) (string, string, any) {
		s := e.start(startBody("Lewisham", "collaborate"))
		return "/api/assessments/" + s.ID + "/viewers", s.Token, api.ShareReport{Label: "Audit committee"}
	}},
	{"shareComparison", func(e *env) (string, string, any) {
		p := e.partnership("Central London", "Westminster")
		return "/api/partnerships/" + p.ID + "/viewers", p.AdminToken, api.ShareComparison{Label: "Joint scrutiny"}
	}},
	{"createAction", func(e *env) (string, string, any) {
		p := e.partnership("Central London", "Westminster", "Kensington and Chelsea")
		return "/api/partnerships/" + p.ID + "/actions", p.AdminToken, api.NewJointAction{Title: "Appoint a communications specialist",
			OwnerRole: "Head of communications", Due: "2027-03-31"}
	}},
	{"createOwnAction", func(e *env) (string, string, any) {
		s := e.start(startBody("Bexley", "collaborate"))
		return "/api/assessments/" + s.ID + "/own-actions", s.Token, api.NewOwnAction{Title: "Agree a data-sharing protocol",
			Owner: "Head of ICT", Due: "2027-03-31"}
	}},
}

// Every creating POST retried with the same Idempotency-Key returns the
// same body and creates nothing more; a different body with that key is
// 422 and writes nothing; and no item of the table holds a token of the
// reply in readable form (docs/design.md D2).
func TestEveryCreatingPostReplays(t *testing.T) {
	var want []string
	for _, r := range routes.Table() {
		if r.Idempotent {
			want = append(want, r.Name)
		}
	}
	var got []string
	for _, c := range creatingPosts {
		got = append(got, c.route)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("creating posts tested %v, route table marks %v", got, want)
	}
	for _, c := range creatingPosts {
		t.Run(c.route, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			path, token, body := c.setup(e)
			first := e.do("POST", path, token, body, "Idempotency-Key", "retry-"+c.route)
			if first.status != http.StatusCreated {
				t.Fatalf("first: %d %s", first.status, first.body)
			}
			items := e.itemCount()
			again := e.do("POST", path, token, body, "Idempotency-Key", "retry-"+c.route)
			if again.status != http.StatusCreated || !bytes.Equal(again.body, first.body) {
				t.Errorf("retry: got %d %s\nwant 201 %s", again.status, again.body, first.body)
			}
			if n := e.itemCount(); n != items {
				t.Errorf("items after the retry: got %d, want %d", n, items)
			}
			for _, tok := range tokensIn(first.body) {
				if where := itemHolding(t, e.table, tok); where != "" {
					t.Errorf("a token of the reply is readable in item %s", where)
				}
			}
		})
	}
}

// A key used by another principal, or on another route, is another
// request: it never replays someone else's reply.
func TestIdempotencyKeyIsScopedToItsPrincipal(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.partnership("North", "Barnet", "Enfield")
	b := e.partnership("South", "Bromley", "Bexley")
	ra := e.do("POST", "/api/partnerships/"+a.ID+"/rounds", a.AdminToken, api.OpenRound{Purpose: "health-check", After: 1}, "Idempotency-Key", "same")
	rb := e.do("POST", "/api/partnerships/"+b.ID+"/rounds", b.AdminToken, api.OpenRound{Purpose: "health-check", After: 1}, "Idempotency-Key", "same")
	if ra.status != http.StatusCreated || rb.status != http.StatusCreated {
		t.Fatalf("two partnerships, one key: got %d %s and %d %s", ra.status, ra.body, rb.status, rb.body)
	}
	var pb api.Partnership
	e.do("GET", "/api/partnerships/"+b.ID, b.AdminToken, nil).json(t, &pb)
	if len(pb.Rounds) != 2 {
		t.Errorf("second partnership: got %d rounds, want 2 (its own round opened)", len(pb.Rounds))
	}
	// The same key with another body is refused and opens nothing.
	if r := e.do("POST", "/api/partnerships/"+a.ID+"/rounds", a.AdminToken, api.OpenRound{Purpose: "readiness", After: 1}, "Idempotency-Key", "same"); r.status != http.StatusUnprocessableEntity {
		t.Errorf("same key, other body: got %d %s, want 422", r.status, r.body)
	}
	// A stale request with a fresh key is refused, not replayed.
	if r := e.do("POST", "/api/partnerships/"+a.ID+"/rounds", a.AdminToken, api.OpenRound{Purpose: "health-check", After: 1}, "Idempotency-Key", "fresh"); r.status != http.StatusConflict {
		t.Errorf("stale round with a new key: got %d, want 409", r.status)
	}
}

func TestIdempotencyKeyMustBePrintableASCII(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, key := range []string{string(bytes.Repeat([]byte("k"), 256)), "tab\there", "caf\u00e9"} {
		r := e.do("POST", "/api/assessments", "", startBody("Brent", "combine"), "Idempotency-Key", key)
		if r.status != http.StatusUnprocessableEntity || !bytes.Contains(r.body, []byte("Idempotency-Key")) {
			t.Errorf("key %.20q: got %d %s, want 422 naming Idempotency-Key", key, r.status, r.body)
		}
	}
	if n := e.itemCount(); n != 0 {
		t.Errorf("items after refused keys: got %d, want 0", n)
	}
}

// tokensIn finds the tokens (and links carrying them) of a reply.
func tokensIn(body []byte) []string {
	var out []string
	for _, m := range regexp.MustCompile(`"(?:token|adminToken)":"([^"]+)"`).FindAllSubmatch(body, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

// itemHolding names the first item with an attribute containing s.
func itemHolding(t *testing.T, table, s string) string {
	t.Helper()
	p := dynamodb.NewScanPaginator(ddbtest.Client(), &dynamodb.ScanInput{TableName: &table})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.Items {
			for name, v := range it {
				if containsString(v, s) {
					return attrString(it["pk"]) + " " + attrString(it["sk"]) + " ." + name
				}
			}
		}
	}
	return ""
}

func containsString(v types.AttributeValue, s string) bool {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return bytes.Contains([]byte(v.Value), []byte(s))
	case *types.AttributeValueMemberB:
		return bytes.Contains(v.Value, []byte(s))
	case *types.AttributeValueMemberM:
		for _, x := range v.Value {
			if containsString(x, s) {
				return true
			}
		}
	case *types.AttributeValueMemberL:
		for _, x := range v.Value {
			if containsString(x, s) {
				return true
			}
		}
	case *types.AttributeValueMemberSS:
		for _, x := range v.Value {
			if bytes.Contains([]byte(x), []byte(s)) {
				return true
			}
		}
	}
	return false
}

func attrString(v types.AttributeValue) string {
	if s, ok := v.(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return "?"
}
