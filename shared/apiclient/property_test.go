package apiclient_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/routes"
)

// casesPerOperation bounds the property test: this many bodies the document
// calls valid and as many it calls invalid, per operation with a body.
const casesPerOperation = 20

// For every operation with a JSON body, bodies generated from the document
// are sent to the server: each one the document says is valid is accepted
// (2xx), each one it says is invalid (one constraint broken: a required
// field left out, an unknown field, a wrong type, a value outside its
// closed set, a string too long, too short or off its pattern, a number out
// of range, an empty answers object, null where null is not allowed) is
// refused with 400 or 422 and writes nothing. kin-openapi confirms each
// body's verdict against the document first, so a generator bug cannot
// pass as a server bug.
func TestBodiesAsTheDocumentSays(t *testing.T) {
	t.Parallel()
	s := newService(t)
	doc := served(t)
	rng := rand.New(rand.NewPCG(17, 2026))
	b := lib().Current() // the version new assessments start on
	var questions []string
	for _, a := range b.Areas {
		for _, q := range a.Questions {
			questions = append(questions, q.ID)
		}
	}
	g := &generator{rng: rng, keys: questions}

	// The resources the operations act on.
	assess := startRaw(t, s, `{"council":"Ealing","respondent":{"name":"Sam","role":"Lead"},"purpose":"readiness","intendedForm":"combine"}`, "/api/assessments", "")
	partner := startRaw(t, s, `{"name":"West London","intendedForm":"collaborate"}`, "/api/partnerships", "")
	seat := firstSeat(t, s, `{"name":"South London","intendedForm":"collaborate","councils":[{"name":"Lambeth"}]}`)
	// A partnership whose seats the admin manages: added to, renamed,
	// withdrawn (once: only invalid bodies for that).
	managed := startRaw(t, s, `{"name":"East London","intendedForm":"collaborate","councils":[{"name":"Hackney"}]}`, "/api/partnerships", "")
	var managedSeat struct {
		Seats []struct {
			ID string `json:"id"`
		} `json:"seats"`
	}
	if status, body := send(t, s, "GET", "/api/partnerships/"+managed["id"], managed["adminToken"], ""); status != http.StatusOK {
		t.Fatalf("read the managed partnership: %d %s", status, body)
	} else if err := json.Unmarshal([]byte(body), &managedSeat); err != nil || len(managedSeat.Seats) == 0 {
		t.Fatalf("the managed partnership's seat: %v %s", err, body)
	}
	// A member that has submitted into a round still sealed (another
	// member has not), for the routes of a member's own partnership. Its
	// own partnership: openRound below closes the first one's round.
	sealed := startRaw(t, s, `{"name":"North London","intendedForm":"collaborate"}`, "/api/partnerships", "")
	member := startRaw(t, s, `{"council":"Brent","respondent":{"name":"Sam","role":"Lead"},"purpose":"readiness","intendedForm":"collaborate","joinCode":"`+sealed["joinCode"]+`"}`, "/api/assessments", "")
	startRaw(t, s, `{"council":"Harrow","respondent":{"name":"Kim","role":"Lead"},"purpose":"readiness","intendedForm":"collaborate","joinCode":"`+sealed["joinCode"]+`"}`, "/api/assessments", "")
	all := map[string]any{}
	for _, q := range questions {
		all[q] = map[string]any{"score": 2}
	}
	if status, body := send(t, s, "PUT", "/api/assessments/"+member["id"]+"/answers", member["token"], js(map[string]any{"answers": all})); status != http.StatusOK {
		t.Fatalf("answer the member's assessment: %d %s", status, body)
	}
	if status, body := send(t, s, "POST", "/api/assessments/"+member["id"]+"/submit", member["token"], ""); status != http.StatusOK {
		t.Fatalf("submit the member's assessment: %d %s", status, body)
	}
	// An action in the first partnership's register, for the routes of one action.
	status, reply := send(t, s, "POST", "/api/partnerships/"+partner["id"]+"/actions", partner["adminToken"], `{"title":"Agree a shared vision","due":"2027-03-31"}`)
	var act struct{ ID string }
	if err := json.Unmarshal([]byte(reply), &act); status != http.StatusCreated || err != nil {
		t.Fatalf("create an action: %d %s", status, reply)
	}
	// One of the first assessment's own actions, for the routes of one own action.
	status, reply = send(t, s, "POST", "/api/assessments/"+assess["id"]+"/own-actions", assess["token"], `{"title":"Agree a data-sharing protocol","due":"2027-03-31"}`)
	var own struct{ ID string }
	if err := json.Unmarshal([]byte(reply), &own); status != http.StatusCreated || err != nil {
		t.Fatalf("keep an own action: %d %s", status, reply)
	}
	// A colleague of the first assessment, for the routes of their own answers.
	status, reply = send(t, s, "POST", "/api/assessments/"+assess["id"]+"/respondents", assess["token"], `{"name":"Alex","role":"section-151-officer"}`)
	var colleague struct{ ID, Token string }
	if err := json.Unmarshal([]byte(reply), &colleague); status != http.StatusCreated || err != nil {
		t.Fatalf("invite a colleague: %d %s", status, reply)
	}
	// Fields whose valid value is what is stored, so valid bodies carry it.
	// An action's questions are the bank's and its owners the partnership's
	// seats (this one has none), and a due date is a real date.
	actionFill := map[string]any{"questions": []any{questions[0]}, "ownerSeats": []any{}, "due": "2027-03-31"}
	fills := map[string]map[string]any{
		"recoverLink":  {"assessment": assess["id"]},
		"bringIn":      {"partnership": seat.partnership, "seat": seat.id, "invitation": seat.token},
		"createAction": actionFill,
		"updateAction": actionFill,
		// A link's last day is within a year of today, and its round is
		// one the partnership has.
		"shareReport":     {"expires": time.Now().UTC().AddDate(0, 0, 10).Format("2006-01-02")},
		"shareComparison": {"expires": time.Now().UTC().AddDate(0, 0, 10).Format("2006-01-02"), "round": 1},
		// A round's deadline is 8 days to 6 months ahead.
		"openRound": {"deadline": time.Now().UTC().AddDate(0, 1, 0).Format("2006-01-02")},
		// An own action's questions are the assessment's bank's too.
		"createOwnAction": {"questions": []any{questions[0]}, "due": "2027-03-31"},
		"updateOwnAction": {"questions": []any{questions[0]}, "due": "2027-03-31"},
		// A colleague's routing names the bank's questions, and a change
		// changes something.
		"updateRespondent": {"routed": []any{questions[0]}, "routedDefault": false, "seesSpread": true},
		"handOverLead":     {"respondent": colleague.ID},
	}

	tested := 0
	for _, r := range routes.Table() {
		if r.Request == nil || r.Tag == "html" {
			continue
		}
		tested++
		op, _, ok := doc.operation(r.Method, concrete(r.Path))
		if !ok || op.RequestBody == nil {
			t.Errorf("%s: no request body in the document", r.Name)
			continue
		}
		schema := op.RequestBody.Value.Content.Get("application/json").Schema
		path, token := strings.NewReplacer("{id}", assess["id"], "{action}", own.ID, "{respondent}", colleague.ID).Replace(r.Path), assess["token"]
		if strings.HasPrefix(r.Path, "/api/partnerships/{id}") {
			path, token = strings.NewReplacer("{id}", partner["id"], "{action}", act.ID).Replace(r.Path), partner["adminToken"]
		}
		// A submit is valid once everything is answered, and again after
		// (it returns the first result): the member has submitted.
		if r.Auth == routes.Membership || r.Name == "submitAssessment" {
			path, token = strings.NewReplacer("{id}", member["id"]).Replace(r.Path), member["token"]
		}
		if strings.HasPrefix(r.Path, "/api/partnerships/{id}/seats") && r.Auth == routes.Admin {
			path, token = strings.NewReplacer("{id}", managed["id"], "{seat}", managedSeat.Seats[0].ID).Replace(r.Path), managed["adminToken"]
		}
		if r.Auth == routes.Seat {
			path, token = strings.NewReplacer("{id}", seat.partnership, "{seat}", seat.id).Replace(r.Path), seat.token
		}
		if r.Auth == routes.Respondent {
			path, token = strings.NewReplacer("{id}", assess["id"], "{respondent}", colleague.ID).Replace(r.Path), colleague.Token
		}
		if r.Auth == routes.Public {
			token = ""
		}
		for i := range casesPerOperation {
			if r.Name == "inviteRespondent" && i%(assessment.MaxColleagues-2) == 0 {
				// An assessment takes at most MaxColleagues colleagues.
				fresh := startRaw(t, s, `{"council":"Ealing","respondent":{"name":"Sam","role":"Lead"},"purpose":"readiness","intendedForm":"combine"}`, "/api/assessments", "")
				path, token = strings.NewReplacer("{id}", fresh["id"]).Replace(r.Path), fresh["token"]
			}
			if r.Name == "addAdmin" && i%3 == 0 {
				// A partnership takes at most 5 administrators (the first and 4 more).
				fresh := startRaw(t, s, `{"name":"Admins","intendedForm":"collaborate"}`, "/api/partnerships", "")
				path, token = strings.NewReplacer("{id}", fresh["id"]).Replace(r.Path), fresh["adminToken"]
			}
			valid := g.valid(schema.Value, "")
			for k, v := range fills[r.Name] {
				valid.(map[string]any)[k] = v
			}
			// A council's name is valid only once per partnership: each
			// case names another council.
			if r.Name == "addSeat" || r.Name == "renameSeat" {
				valid.(map[string]any)["name"] = fmt.Sprintf("Council %d of %s", i, r.Name)
			}
			if err := schema.Value.VisitJSON(roundTrip(valid)); err != nil {
				t.Fatalf("%s: generated a body the document refuses: %v\n%s", r.Name, err, js(valid))
			}
			if !onceOnly[r.Name] {
				if status, body := send(t, s, r.Method, path, token, js(valid)); status/100 != 2 {
					t.Errorf("%s: valid body %d refused with %d %s\n%s", r.Name, i, status, body, js(valid))
				}
			}

			broken, how := g.invalid(schema.Value, valid)
			if err := schema.Value.VisitJSON(roundTrip(broken)); err == nil {
				t.Fatalf("%s: %s, but the document accepts it:\n%s", r.Name, how, js(broken))
			}
			before := ddbtest.ItemCount(t, s.table)
			status, body := send(t, s, r.Method, path, token, js(broken))
			if status != http.StatusBadRequest && status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %s: got %d %s, want 400 or 422\n%s", r.Name, how, status, body, js(broken))
			}
			if after := ddbtest.ItemCount(t, s.table); after != before {
				t.Errorf("%s: %s: refused, but %d items were written", r.Name, how, after-before)
			}
		}
	}
	if tested < 4 {
		t.Errorf("only %d operations with a body", tested)
	}
}

// onceOnly operations succeed once per state (one start per seat and round,
// one bring-in per seat): the journey and shared/lambdas test their valid
// bodies; here only the invalid ones are sent, built from a valid body.
var onceOnly = map[string]bool{"startSeatAssessment": true, "bringIn": true, "withdrawSeat": true,
	// A hand-over replaces the lead's token the other operations use.
	"handOverLead": true}

// seatOf is a seat of a new partnership with its invitation.
type seatOf struct{ partnership, id, token string }

func firstSeat(t *testing.T, s *service, body string) seatOf {
	t.Helper()
	status, reply := send(t, s, "POST", "/api/partnerships", "", body)
	var out struct {
		ID    string `json:"id"`
		Seats []struct {
			Seat, Token string
		} `json:"seats"`
	}
	if err := json.Unmarshal([]byte(reply), &out); status != http.StatusCreated || err != nil || len(out.Seats) == 0 {
		t.Fatalf("create a partnership with a seat: %d %s", status, reply)
	}
	return seatOf{out.ID, out.Seats[0].Seat, out.Seats[0].Token}
}

func concrete(path string) string { return routes.Placeholder.ReplaceAllString(path, "x") }

func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// roundTrip turns a value into what encoding/json decodes it to, which is
// what kin-openapi validates.
func roundTrip(v any) any {
	var out any
	if err := json.Unmarshal([]byte(js(v)), &out); err != nil {
		panic(err)
	}
	return out
}

func send(t *testing.T, s *service, method, path, token, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(got)
}

func startRaw(t *testing.T, s *service, body, path, token string) map[string]string {
	t.Helper()
	status, reply := send(t, s, "POST", path, token, body)
	if status != http.StatusCreated {
		t.Fatalf("POST %s: %d %s", path, status, reply)
	}
	out := map[string]string{}
	var m map[string]any
	_ = json.NewDecoder(bytes.NewReader([]byte(reply))).Decode(&m)
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

// generator makes instances of request schemas.
type generator struct {
	rng  *rand.Rand
	keys []string // the keys of a map: question ids
}

// stateful fields are valid or not by what is stored (a join code names a
// live partnership), which no schema can say: valid bodies leave them out.
// So are clearing an answer (valid only on its own), a not-applicable answer (allowed only where the question's profile
// allows it for the form), the round a new one follows, and the ids of a
// recovery request (filled in from what is stored, one of the two).
var stateful = map[string]bool{"joinCode": true, "notApplicable": true, "reason": true, "after": true, "clear": true,
	"assessment": true, "partnership": true, "seat": true, "invitation": true}

// needed fields are optional only for what is stored: a new answer needs a
// score (left out, a save keeps the stored one), so valid bodies give it.
var needed = map[string]bool{"score": true}

const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéøł "

func (g *generator) valid(s *openapi3.Schema, name string) any {
	if len(s.AllOf) == 1 {
		return g.valid(s.AllOf[0].Value, name)
	}
	if s.Nullable && g.rng.IntN(5) == 0 {
		return nil
	}
	if len(s.Enum) > 0 {
		return s.Enum[g.rng.IntN(len(s.Enum))]
	}
	switch {
	case s.Type.Is(openapi3.TypeString):
		if s.Format == "email" {
			return fmt.Sprintf("lead%d@council%d.gov.uk", g.rng.IntN(1000), g.rng.IntN(100))
		}
		if s.Format == "date" {
			return fmt.Sprintf("20%02d-%02d-%02d", 27+g.rng.IntN(10), 1+g.rng.IntN(12), 1+g.rng.IntN(28))
		}
		if s.Pattern == "^[a-z2-7]{26}$" { // an id: 26 of its own letters
			r := make([]byte, 26)
			for i := range r {
				r[i] = "abcdefghijklmnopqrstuvwxyz234567"[g.rng.IntN(32)]
			}
			return string(r)
		}
		if name == "gssCode" { // a pattern random letters never meet
			return fmt.Sprintf("%c%08d", "EKNSWeknsw"[g.rng.IntN(10)], g.rng.IntN(1e8))
		}
		return g.text(s)
	case s.Type.Is(openapi3.TypeInteger):
		lo, hi := 0, 1000
		if s.Min != nil {
			lo = int(*s.Min)
		}
		if s.Max != nil {
			hi = int(*s.Max)
		}
		return lo + g.rng.IntN(hi-lo+1)
	case s.Type.Is(openapi3.TypeBoolean):
		return g.rng.IntN(2) == 0
	case s.Type.Is(openapi3.TypeArray):
		hi := 3
		if s.MaxItems != nil {
			hi = min(hi, int(*s.MaxItems))
		}
		out := []any{}
		for i := range int(s.MinItems) + g.rng.IntN(hi-int(s.MinItems)+1) {
			item := g.valid(s.Items.Value, "")
			if obj, ok := item.(map[string]any); ok {
				// Member councils are named once each: end each name
				// with its own letter.
				if name, ok := obj["name"].(string); ok {
					r := []rune(name)
					r[len(r)-1] = rune('a' + i)
					obj["name"] = string(r)
				}
			}
			out = append(out, item)
		}
		return out
	case s.Type.Is(openapi3.TypeObject):
		out := map[string]any{}
		if ap := s.AdditionalProperties.Schema; ap != nil {
			n := max(1, int(s.MinProps)) + g.rng.IntN(3)
			for range n {
				out[g.keys[g.rng.IntN(len(g.keys))]] = g.valid(ap.Value, "")
			}
		}
		for _, k := range sortedKeys(s.Properties) {
			required := contains(s.Required, k)
			if !required && !needed[k] && (stateful[k] || g.rng.IntN(2) == 0) {
				continue
			}
			if stateful[k] {
				out[k] = "" // filled in from what is stored
				continue
			}
			out[k] = g.valid(s.Properties[k].Value, k)
		}
		return out
	}
	panic(fmt.Sprintf("no generator for %v", s.Type))
}

// text is a string within the schema's bounds and pattern, at a bound one
// time in four (counted in characters, so "é" is one).
func (g *generator) text(s *openapi3.Schema) string {
	hi := 40
	if s.MaxLength != nil {
		hi = int(*s.MaxLength)
	}
	lo := int(s.MinLength)
	n := lo + g.rng.IntN(min(hi, 40)-lo+1)
	switch g.rng.IntN(8) {
	case 0:
		n = hi
	case 1:
		n = max(lo, 1)
	}
	var re *regexp.Regexp
	if s.Pattern != "" {
		re = regexp.MustCompile(s.Pattern)
	}
	alphabet := []rune(letters)
	for range 100 {
		r := make([]rune, n)
		for i := range r {
			r[i] = alphabet[g.rng.IntN(len(alphabet))]
		}
		if n > 0 {
			r[0] = 'K' // a name has something other than spaces
		}
		if re == nil || re.MatchString(string(r)) {
			return string(r)
		}
	}
	panic("no text for pattern " + s.Pattern)
}

// invalid breaks one constraint of a valid instance and says which.
func (g *generator) invalid(s *openapi3.Schema, valid any) (any, string) {
	var sites []func() (any, string)
	g.sites(s, valid, "body", func(v any) any { return v }, &sites)
	return sites[g.rng.IntN(len(sites))]()
}

// sites lists the ways to break the instance v of s at path; set rebuilds
// the whole body with v replaced.
func (g *generator) sites(s *openapi3.Schema, v any, path string, set func(any) any, out *[]func() (any, string)) {
	if len(s.AllOf) == 1 {
		s = s.AllOf[0].Value
	}
	add := func(how string, bad any) {
		*out = append(*out, func() (any, string) { return set(bad), path + ": " + how })
	}
	if !s.Nullable {
		add("null where null is not allowed", nil)
	}
	switch {
	case len(s.Enum) > 0:
		if _, number := s.Enum[0].(float64); number {
			add("a number outside the closed set", 5)
		} else {
			add("a value outside the closed set", "not-"+fmt.Sprint(s.Enum[0]))
		}
	case s.Type.Is(openapi3.TypeString):
		add("a number instead of a string", 7)
		if s.MaxLength != nil {
			add("one character too long", strings.Repeat("é", int(*s.MaxLength)+1))
		}
		if s.MinLength > 0 {
			add("empty", "")
		}
		if s.Pattern != "" {
			for _, bad := range []string{"Two\nlines", "nul\x00", "   ", "not an address", "K7M!Q2P"} {
				if !regexp.MustCompile(s.Pattern).MatchString(bad) && (s.MaxLength == nil || len([]rune(bad)) <= int(*s.MaxLength)) {
					add(fmt.Sprintf("%q is off the pattern", bad), bad)
					break
				}
			}
		}
	case s.Type.Is(openapi3.TypeInteger):
		add("a string instead of a number", "3")
		if s.Max != nil {
			add("above the maximum", int(*s.Max)+1)
		}
		if s.Min != nil {
			add("below the minimum", int(*s.Min)-1)
		}
	case s.Type.Is(openapi3.TypeArray):
		list, ok := v.([]any)
		if !ok {
			return
		}
		add("an object instead of an array", map[string]any{})
		if s.MaxItems != nil && len(list) > 0 {
			long := make([]any, int(*s.MaxItems)+1)
			for i := range long {
				long[i] = list[0]
			}
			add("one item too many", long)
		}
		for i := range list {
			i := i
			g.sites(s.Items.Value, list[i], fmt.Sprintf("%s[%d]", path, i), func(bad any) any {
				c := append([]any{}, list...)
				c[i] = bad
				return set(c)
			}, out)
		}
	case s.Type.Is(openapi3.TypeObject):
		obj, ok := v.(map[string]any)
		if !ok {
			return
		}
		add("an array instead of an object", []any{})
		with := func(k string, val any) map[string]any {
			c := make(map[string]any, len(obj)+1)
			for kk, vv := range obj {
				c[kk] = vv
			}
			if val == deleted {
				delete(c, k)
			} else {
				c[k] = val
			}
			return c
		}
		if s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has {
			add("an unknown field", with("colour", "blue"))
		}
		for _, k := range s.Required {
			add("required "+k+" left out", with(k, deleted))
		}
		if ap := s.AdditionalProperties.Schema; ap != nil {
			if s.MinProps > 0 {
				add("no entries", map[string]any{})
			}
			for _, k := range sortedKeys(obj) {
				k := k
				g.sites(ap.Value, obj[k], path+"."+k, func(bad any) any { return set(with(k, bad)) }, out)
			}
		}
		for _, k := range sortedKeys(obj) {
			p := s.Properties[k]
			if p == nil {
				continue
			}
			k := k
			g.sites(p.Value, obj[k], path+"."+k, func(bad any) any { return set(with(k, bad)) }, out)
		}
	}
}

// deleted marks a key to leave out in with.
var deleted = &struct{}{}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
