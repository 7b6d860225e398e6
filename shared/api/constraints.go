package api

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/scoring"
	"github.com/openrasp/rasp/shared/viewer"
)

// Fields of the JSON shapes name their closed set with an `enum:"…"` tag and
// their bounds with a `limit:"…"` tag. The names resolve here, to the one
// declaration of each (decision D4) and to the constants the domain
// validators enforce, so the OpenAPI document (shared/openapi) states what
// the server checks and a test compares them.

// Enum returns the values of the closed set a tag names: strings, or ints
// for cadence.
func Enum(name string) ([]any, bool) {
	var vs []string
	switch name {
	case "problem-type":
		vs = failure.Types()
	case "purpose":
		vs = assessment.Purpose("").Values()
	case "assessment-status":
		vs = assessment.Status("").Values()
	case "form":
		vs = bank.FormID("").Values()
	case "respondent-role":
		vs = bank.RoleID("").Values()
	case "routed-by":
		vs = assessment.RoutedBy("").Values()
	case "round-purpose":
		vs = partnership.RoundPurpose("").Values()
	case "round-status":
		vs = partnership.RoundStatus("").Values()
	case "member-status":
		vs = partnership.MemberStatus("").Values()
	case "act-kind":
		vs = partnership.ActKind("").Values()
	case "band":
		vs = scoring.BandValue("").Values()
	case "readiness":
		vs = scoring.ReadinessValue("").Values()
	case "question-status":
		vs = scoring.QuestionStatus("").Values()
	case "action-status":
		for _, v := range action.Values() {
			vs = append(vs, string(v))
		}
	case "cadence":
		var out []any
		for _, c := range partnership.Cadence(0).Values() {
			out = append(out, c)
		}
		return out, true
	default:
		return nil, false
	}
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out, true
}

// Limit bounds one request field as the domain validators do.
type Limit struct {
	MinLength, MaxLength int    // in characters (code points), 0 for none
	Pattern              string // ECMA-262, as JSON Schema reads it
	Format               string // "email"
	Minimum, Maximum     *int   // for numbers
	MinProperties        int    // for maps
	MaxItems             int    // for lists, 0 for none
	Description          string
}

// oneLine is what the validators accept as a name: one line of plain text
// with something other than spaces in it (they trim before checking).
const oneLine = `^[^\r\n\x00]*[^\s\x00][^\r\n\x00]*$`

// LimitOf returns the bounds a `limit:"…"` tag names.
func LimitOf(name string) (Limit, bool) {
	switch name {
	case "name":
		return Limit{MinLength: 1, MaxLength: assessment.MaxName, Pattern: oneLine,
			Description: "One line of plain text; spaces around it are trimmed."}, true
	case "council-name":
		// Seat names are cleaned (partnership.CleanName) before they are
		// checked: white space collapses, invisible characters go.
		return Limit{MinLength: 1, MaxLength: assessment.MaxName, Pattern: `\S`,
			Description: "The council's name; runs of spaces and line breaks become one space and invisible characters are dropped."}, true
	case "admin-text":
		return Limit{MaxLength: partnership.MaxAdminText, Pattern: `^[^\r\n\x00]*$`, Description: "One line of plain text (optional)."}, true
	case "note":
		return Limit{MaxLength: assessment.MaxNote, Pattern: `^[^\x00]*$`, Description: "Plain text."}, true
	case "email":
		return Limit{MaxLength: assessment.MaxEmail, Format: "email", Pattern: `^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$`,
			Description: "One address, like name@council.gov.uk; only stored to send the link and reminders."}, true
	case "reason":
		return Limit{MaxLength: assessment.MaxReason, Pattern: `^[^\x00]*$`,
			Description: "Why the question does not apply (with notApplicable: true); plain text."}, true
	case "why":
		return Limit{MaxLength: assessment.MaxNote, Pattern: `^[^\x00]*$`,
			Description: "Why the council's answer differs from every colleague's answer to the question; plain text, seen only by the council."}, true
	case "gss-code":
		// The validator trims and upper-cases before it checks
		// partnership's gssCode (^[EKNSW][0-9]{8}$), and blank is "none".
		return Limit{Pattern: `^\s*([EKNSWeknsw][0-9]{8})?\s*$`,
			Description: "The council's ONS GSS code, like E09000028: a letter and 8 digits."}, true
	case "id":
		return Limit{Pattern: `^[a-z2-7]{26}$`, Description: "An id as the API returns it: 26 lower-case letters and digits."}, true
	case "token":
		return Limit{MinLength: 1, Description: "A token exactly as it was returned (or as it appears in the link)."}, true
	case "seats":
		return Limit{MaxItems: partnership.MaxSeats,
			Description: "The member councils, each named once (names are compared ignoring case and spacing); each gets a seat with its own invitation."}, true
	case "score":
		lo, hi := 0, bank.MaxScore
		return Limit{Minimum: &lo, Maximum: &hi, Description: "A level from 0 to 4 as the question's levels describe it; null means don't know. " +
			"In a save, a score left out keeps the stored one; a new answer needs one."}, true
	case "clear":
		return Limit{Description: "true removes the answer altogether; give it on its own, without a score, note or reason."}, true
	case "answers":
		return Limit{MinProperties: 1, Description: "Answers by question id (the ids of GET /api/questions for the assessment's questionVersion)."}, true
	case "action-title":
		return Limit{MinLength: 1, MaxLength: action.MaxTitle, Pattern: oneLine, Description: "What the action is: one line of plain text."}, true
	case "action-role":
		return Limit{MaxLength: action.MaxRole, Pattern: `^[^\r\n\x00]*$`, Description: "One line of plain text."}, true
	case "action-date":
		return Limit{Format: "date", Pattern: `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, Description: "A calendar date, YYYY-MM-DD, in the years 2000 to 2100."}, true
	case "action-questions":
		return Limit{MaxItems: action.MaxQuestions, Description: "Question ids of the current question bank (GET /api/questions)."}, true
	case "action-seats":
		return Limit{MaxItems: partnership.MaxSeats, Description: "Seat ids of the partnership's member councils (not withdrawn)."}, true
	case "action-note":
		return Limit{MinLength: 1, MaxLength: action.MaxNote, Pattern: `\S`, Description: "Plain text; it may span lines."}, true
	case "viewer-label":
		return Limit{MaxLength: viewer.MaxLabel, Pattern: `^[^\r\n\x00]*$`,
			Description: "Who the read-only link is for, to tell the links apart in the list (optional): one line of plain text."}, true
	case "viewer-date":
		return Limit{Format: "date", Pattern: `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`,
			Description: fmt.Sprintf("The last day the link works, YYYY-MM-DD: today at the earliest, %d days ahead at the latest; left out, %d days from today. It stops working at the end of that day (UTC).", viewer.MaxDays, viewer.DefaultDays)}, true
	case "round-deadline":
		return Limit{Format: "date", Pattern: `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`,
			Description: fmt.Sprintf("The last day councils may submit, YYYY-MM-DD (optional): at least %d days ahead, so each council that has not submitted is reminded a week before, and at most %d months ahead. The daily job closes the round at the end of that day (UTC).", partnership.MinDeadlineDays, partnership.MaxDeadlineMonths)}, true
	case "round-last-day":
		return Limit{Format: "date", Pattern: `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`,
			Description: "The round's deadline, YYYY-MM-DD: councils may submit until the end of that day (UTC), when the daily job closes the round."}, true
	case "viewer-round":
		lo := 0
		return Limit{Minimum: &lo, Description: "The round whose comparison the link shows, one of the partnership's; 0 or left out, the current round."}, true
	case "routed":
		return Limit{MaxItems: MaxRouted, Description: "Area ids and question ids of the assessment's question bank (GET /api/questions for its questionVersion): an area routes all its questions."}, true
	case "join-code":
		return Limit{MaxLength: 40, Pattern: `^[A-Za-z0-9 -]*$`,
			Description: "The partnership's join code, like K7M-Q2P-XWD; case, spaces and dashes do not matter."}, true
	}
	return Limit{}, false
}

// NullAllowed reports whether JSON null is a meaningful value for field f:
// one tagged nullable:"true" or a nullable.Nullable. The OpenAPI generator
// marks exactly these nullable (for a map, its values), and the decoder
// (httpapi) refuses null everywhere else, so the document and the server
// agree. A pointer without the tag only tells "left out" from a value.
func NullAllowed(f reflect.StructField) bool {
	return f.Tag.Get("nullable") == "true" || f.Type.PkgPath() == nullablePkg
}

const nullablePkg = "github.com/oapi-codegen/nullable"

// JSONField is a struct field's JSON name and whether it is omitempty; ok
// is false for fields JSON leaves out.
func JSONField(f reflect.StructField) (name string, omitempty, ok bool) {
	if !f.IsExported() {
		return "", false, false
	}
	name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return "", false, false
	}
	if name == "" {
		name = f.Name
	}
	opts = "," + opts + ","
	return name, strings.Contains(opts, ",omitempty,") || strings.Contains(opts, ",omitzero,"), true
}
