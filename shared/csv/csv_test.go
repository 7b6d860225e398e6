package csv

import (
	stdcsv "encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/scoring"
)

func TestSafeCell(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"", ""},
		{"Brent", "Brent"},
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+1+1", "'+1+1"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"a=1", "a=1"},         // only the first character matters
		{"'quoted", "'quoted"}, // already text
		{"Ørsted", "Ørsted"},   // a multi-byte first rune is never a formula
	}
	for _, c := range cases {
		if got := safeCell(c.in); got != c.want {
			t.Errorf("safeCell(%q): got %q, want %q", c.in, got, c.want)
		}
	}
}

func library(t *testing.T) *bank.Bank {
	t.Helper()
	lib, err := bank.Compiled()
	if err != nil {
		t.Fatal(err)
	}
	return lib.Current()
}

func read(t *testing.T, s string) [][]string {
	t.Helper()
	rows, err := stdcsv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, s)
	}
	return rows
}

func intp(i int) *int { return &i }

func TestAssessment(t *testing.T) {
	t.Parallel()
	b := library(t)
	qs := b.Questions()
	a := &assessment.Assessment{Council: "=cmd|' /C calc'!A0", Answers: map[string]assessment.Answer{
		qs[0].ID: {Score: intp(3), Note: "-1 evidence, see minutes"},
		qs[1].ID: {Score: nil, Note: "plain"},
	}}
	rows := read(t, Assessment(locale.English, b, a))
	if got, want := len(rows), 1+len(qs); got != want {
		t.Fatalf("rows: got %d, want %d (header + one per question)", got, want)
	}
	if got, want := strings.Join(rows[0], ","), "council,area,question_id,question,score,dont_know,note"; got != want {
		t.Errorf("header: got %q, want %q", got, want)
	}
	cases := []struct {
		row                                int
		council, id, score, dontKnow, note string
	}{
		{1, "'=cmd|' /C calc'!A0", qs[0].ID, "3", "", "'-1 evidence, see minutes"},
		{2, "'=cmd|' /C calc'!A0", qs[1].ID, "", "yes", "plain"},
		{3, "'=cmd|' /C calc'!A0", qs[2].ID, "", "", ""},
	}
	for _, c := range cases {
		r := rows[c.row]
		got := []string{r[0], r[2], r[4], r[5], r[6]}
		want := []string{c.council, c.id, c.score, c.dontKnow, c.note}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("row %d: got %q, want %q", c.row, got, want)
		}
	}
}

func TestComparison(t *testing.T) {
	t.Parallel()
	c := scoring.Comparison{Round: 2, Councils: []string{"Brent", "@Evil"}, Questions: []scoring.ComparedQuestion{
		{ID: "vision.a", Text: "Q A", Area: "vision", Spread: 3, Status: scoring.Divergent,
			Scores: map[string]*int{"Brent": intp(4), "@Evil": intp(1)}, Notes: map[string]string{"@Evil": "=cmd note"}},
		{ID: "vision.b", Text: "Q B", Area: "vision", Spread: 0, Status: scoring.Aligned,
			Scores: map[string]*int{"Brent": nil, "@Evil": intp(0)}},
	}}
	got := read(t, Comparison(locale.English, c))
	want := [][]string{
		{"round", "area", "question_id", "question", "council", "score", "spread", "status", "shared_note"},
		{"2", "vision", "vision.a", "Q A", "Brent", "4", "3", "divergent", ""},
		{"2", "vision", "vision.a", "Q A", "'@Evil", "1", "3", "divergent", "'=cmd note"},
		{"2", "vision", "vision.b", "Q B", "Brent", "dont_know", "0", "aligned", ""},
		{"2", "vision", "vision.b", "Q B", "'@Evil", "0", "0", "aligned", ""},
	}
	if len(got) != len(want) {
		t.Fatalf("rows: got %d, want %d", len(got), len(want))
	}
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d: got %q, want %q", i, got[i], want[i])
		}
	}
	if got, want := ComparisonFilename(2), "rasp-comparison-round-2.csv"; got != want {
		t.Errorf("filename: got %q, want %q", got, want)
	}
}

// The workshop pack's CSV: one row per agenda item, answers in words, a
// shared note guarded against formulas, empty decision and owner columns.
func TestWorkshop(t *testing.T) {
	t.Parallel()
	b := library(t)
	q := b.Questions()[0]
	c := scoring.Comparison{Round: 3, IntendedForm: "collaborate", Councils: []string{"Brent", "Lewisham"}, Questions: []scoring.ComparedQuestion{
		{ID: q.ID, Text: q.Text, Area: q.Area, Spread: 4, Status: scoring.Divergent,
			Scores: map[string]*int{"Brent": intp(0), "Lewisham": intp(4)}, Notes: map[string]string{"Lewisham": "=HYPERLINK(1)"}},
	}}
	got := read(t, Workshop(locale.English, b, c))
	if len(got) != 2 {
		t.Fatalf("rows: got %d, want a header and one item", len(got))
	}
	head, row := got[0], got[1]
	col := map[string]string{}
	for i, h := range head {
		col[h] = row[i]
	}
	if want := "Brent: 0. " + q.Levels[0] + "\nLewisham: 4. " + q.Levels[4]; col["answers"] != want {
		t.Errorf("answers: got %q, want %q", col["answers"], want)
	}
	// The cell starts with the council's name, so it is never a formula.
	if col["shared_notes"] != "Lewisham: =HYPERLINK(1)" {
		t.Errorf("shared notes: got %q", col["shared_notes"])
	}
	if col["item"] != "1" || col["round"] != "3" || col["decision"] != "" || col["owner"] != "" || col["prompts"] == "" {
		t.Errorf("row: got %v", col)
	}
	if got, want := WorkshopFilename(3), "rasp-workshop-round-3.csv"; got != want {
		t.Errorf("filename: got %q, want %q", got, want)
	}
}

// In Welsh the header row and the yes/no and don't-know values come from
// the Welsh catalogue (issue 21); question ids, scores, statuses and what
// councils typed are the same in both languages.
func TestWelshHeadersAndValues(t *testing.T) {
	t.Parallel()
	b := library(t)
	qs := b.Questions()
	a := &assessment.Assessment{Council: "Conwy", Answers: map[string]assessment.Answer{qs[0].ID: {Score: nil, Note: "dim cofnodion"}}}
	rows := read(t, Assessment(locale.Welsh, b, a))
	if got, want := strings.Join(rows[0], ","), "cyngor,maes,id_cwestiwn,cwestiwn,sgor,ddim_yn_gwybod,nodyn"; got != want {
		t.Errorf("assessment header: got %q, want %q", got, want)
	}
	if got := rows[1][5]; got != "ie" {
		t.Errorf("don't know: got %q, want ie", got)
	}
	c := scoring.Comparison{Round: 1, Councils: []string{"Conwy"}, Questions: []scoring.ComparedQuestion{
		{ID: "vision.a", Text: "Q A", Area: "vision", Status: scoring.Unknown, Scores: map[string]*int{"Conwy": nil}}}}
	got := read(t, Comparison(locale.Welsh, c))
	if h, r := strings.Join(got[0], ","), strings.Join(got[1], ","); h != "cylch,maes,id_cwestiwn,cwestiwn,cyngor,sgor,gwasgariad,statws,nodyn_a_rennir" ||
		r != "1,vision,vision.a,Q A,Conwy,ddim_yn_gwybod,0,"+string(scoring.Unknown)+"," {
		t.Errorf("comparison: got %q / %q", h, r)
	}
	english := map[string]bool{}
	for _, h := range read(t, Workshop(locale.English, b, c))[0] {
		english[h] = true
	}
	for _, h := range read(t, Workshop(locale.Welsh, b, c))[0] {
		if english[h] {
			t.Errorf("workshop header %q is the English column name", h)
		}
	}
	// A council's "don't know" in the workshop pack is the catalogue's.
	four := 4
	d := scoring.Comparison{Round: 1, Councils: []string{"Conwy", "Gwynedd"}, Questions: []scoring.ComparedQuestion{
		{ID: qs[0].ID, Text: "Q A", Area: qs[0].Area, Status: scoring.Divergent, Spread: 4, Scores: map[string]*int{"Conwy": nil, "Gwynedd": &four}}}}
	rows = read(t, Workshop(locale.Welsh, b, d))
	if len(rows) < 2 || !strings.Contains(rows[1][9], "Conwy: ?. Ddim yn gwybod") || strings.Contains(rows[1][9], "Don't know") {
		t.Errorf("workshop answers in Welsh: got %q", rows)
	}
}

// The register's download signs the administrator's notes in the reader's
// language, with the Welsh header row; a council's notes keep its name.
func TestWelshActions(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC)
	p := &partnership.Partnership{}
	as := []action.Action{{ID: "a1", Title: "Cytuno ar brotocol", Due: now, Status: action.Planned, Notes: []action.Note{
		{At: now, By: partnership.AdminName, Text: "Wedi dechrau"}, {At: now, By: "Conwy", Text: "Drafft"}}}}
	for _, c := range []struct {
		l            locale.Lang
		header, note string
	}{
		{locale.Welsh, "id_cam_gweithredu", "2027-01-05 Gweinyddwr: Wedi dechrau\n2027-01-05 Conwy: Drafft"},
		{locale.English, "action_id", "2027-01-05 Administrator: Wedi dechrau\n2027-01-05 Conwy: Drafft"},
	} {
		rows := read(t, Actions(c.l, p, as, now))
		if rows[0][0] != c.header || rows[1][10] != c.note {
			t.Errorf("%s: header %q, notes %q; want %q, %q", c.l, rows[0][0], rows[1][10], c.header, c.note)
		}
	}
}
