package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/csv"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/scoring"
)

// boardView is the board summary of a comparison, on the comparison page,
// on its own print view and in the committee-paper document.
type boardView struct {
	// Lang is the language it is written in, for the document's <html lang>.
	Lang                               locale.Lang
	Name, Form, Purpose                string
	Round                              int
	Opened, Closed, Submitted, Printed string
	Councils                           []string
	// Verdict is the partnership's verdict with the councils holding it
	// back (nil on v1, which has no verdict for a partnership).
	Verdict         *partnershipVerdictView
	FormMismatches  []string
	Divergent       []boardArea
	DivergentShown  int
	DivergentTotal  int
	SharedWeakness  []boardQuestionView
	Aligned         []string
	Comparison      string // the full comparison, where the rest are
	Print, Document string // the print view and the committee-paper download
	Workshop        string
	// Overdue and DoneNotImproved are the register's follow-up (at most
	// scoring.BoardFollowUpMax each); Register links to all of them.
	Overdue, DoneNotImproved           []boardActionView
	OverdueTotal, DoneNotImprovedTotal int
	Register                           string
}

// boardActionView is an action the board should chase.
type boardActionView struct {
	Title, Owners, Due string
	// Moves says how the linked questions' lowest scores moved, for an
	// action done whose questions did not improve.
	Moves string
}

func boardActionViews(l locale.Lang, as []scoring.BoardAction, round int) []boardActionView {
	out := make([]boardActionView, 0, len(as))
	for _, a := range as {
		owners := strings.Join(a.Owners, ", ")
		switch {
		case owners == "":
			owners = a.OwnerRole
		case a.OwnerRole != "":
			owners += " (" + a.OwnerRole + ")"
		}
		v := boardActionView{Title: a.Title, Owners: owners, Due: l.Date(a.Due)}
		moves := make([]string, 0, len(a.Moves))
		for _, m := range a.Moves {
			moves = append(moves, tl(l, "board.followUp.move", "Question", m.Text, "Then", m.ThenLow, "ThenRound", a.Round, "Now", m.NowLow, "Round", round))
		}
		v.Moves = strings.Join(moves, "; ")
		out = append(out, v)
	}
	return out
}

type boardArea struct {
	Title     string
	Questions []boardQuestionView
}

type boardQuestionView struct {
	Area, Text string
	// Short names the question in the printed board, where the full text
	// would not leave room for every council's words on one A4 page at a
	// readable size: its id's words ("vision.political-backing" →
	// "Political backing"). The workshop pack prints the full text.
	Short    string
	MustHave bool
	Answers  []answerView
}

type answerView struct {
	Council, Level, Wording, Note string
}

// shortName is a question's id as words: "vision.political-backing" is
// "Political backing". The ids are English: in another language the short
// name is the question's text.
func shortName(l locale.Lang, q scoring.BoardQuestion) string {
	if l != locale.English {
		return q.Text
	}
	id := q.Question
	_, slug, _ := strings.Cut(id, ".")
	words := strings.ReplaceAll(slug, "-", " ")
	if words == "" {
		return id
	}
	return strings.ToUpper(words[:1]) + words[1:]
}

// answerViews are the councils' answers in l: the level's words are the
// bank's (in l already), "don't know" and "not applicable" the catalogue's.
func answerViews(l locale.Lang, as []scoring.CouncilAnswer) []answerView {
	out := make([]answerView, 0, len(as))
	for _, a := range as {
		v := answerView{Council: a.Council, Level: "?", Wording: tl(l, "answer.dontKnow"), Note: a.Note}
		switch {
		case a.NotApplicable:
			v.Level, v.Wording = tl(l, "answer.notApplicableShort"), tl(l, "answer.notApplicable")
		case a.Score != nil:
			v.Level, v.Wording = fmt.Sprint(*a.Score), a.Wording
		}
		out = append(out, v)
	}
	return out
}

func newBoardView(l locale.Lang, b *bank.Bank, name string, c scoring.Comparison, now time.Time) *boardView {
	if c.Board == nil {
		return nil
	}
	bd := c.Board
	v := &boardView{Lang: l, Name: name, Form: formTitle(b, c.IntendedForm), Purpose: purposeLabelIn(l, bd.Purpose), Round: bd.Round, Councils: c.Councils,
		Opened: l.Date(bd.OpenedAt), Printed: l.Date(now), DivergentShown: len(bd.Divergent), DivergentTotal: bd.DivergentTotal}
	if bd.ClosedAt != nil {
		v.Closed = l.Date(*bd.ClosedAt)
	}
	if bd.LastSubmittedAt != nil {
		v.Submitted = l.Date(*bd.LastSubmittedAt)
	}
	if c.V2 != nil {
		v.Verdict = newPartnershipVerdictViewIn(l, b, c.IntendedForm, c.V2)
	}
	for _, f := range bd.FormMismatches {
		v.FormMismatches = append(v.FormMismatches, tl(l, "board.formMismatch.council", "Council", f.Council, "Form", strings.ToLower(formTitle(b, f.Form)), "Intended", strings.ToLower(v.Form)))
	}
	// Grouped by area in the bank's order; within an area, the board's order.
	for _, area := range b.Areas {
		ba := boardArea{Title: area.Title}
		for _, q := range bd.Divergent {
			if q.Area == area.ID {
				ba.Questions = append(ba.Questions, boardQuestionView{Area: area.Title, Text: q.Text, Short: shortName(l, q), MustHave: q.MustHave, Answers: answerViews(l, q.Answers)})
			}
		}
		if len(ba.Questions) > 0 {
			v.Divergent = append(v.Divergent, ba)
		}
	}
	for _, q := range bd.SharedWeaknesses {
		v.SharedWeakness = append(v.SharedWeakness, boardQuestionView{Area: areaTitle(b, q.Area), Text: q.Text})
	}
	for _, id := range bd.Aligned {
		v.Aligned = append(v.Aligned, areaTitle(b, id))
	}
	f := bd.FollowUp
	v.Overdue, v.OverdueTotal = boardActionViews(l, f.Overdue, bd.Round), f.OverdueTotal
	v.DoneNotImproved, v.DoneNotImprovedTotal = boardActionViews(l, f.DoneNotImproved, bd.Round), f.DoneNotImprovedTotal
	return v
}

// comparisonFor reads the comparison of the round asked for (?round=n), or
// says why not: nil and a page to show (404, or the sealed page).
func (s *Site) comparisonFor(ctx context.Context, req *httpapi.Request, back string) (scoring.Comparison, *httpapi.Response, error) {
	n, ok := roundQuery(req)
	if !ok {
		return scoring.Comparison{}, s.notFound(ctx, req), nil
	}
	p := req.Principal.Partnership
	c, err := s.compareFor(req, n)
	var sealed *partnership.SealedError
	if errors.As(err, &sealed) {
		if isViewer(req) {
			back = ""
		}
		d := sealedData{Name: p.Name, Back: back, Round: sealed.Round, Submitted: sealed.Submitted, Members: sealed.Expected, Seats: sealed.Seats}
		if !sealed.LastDay.IsZero() {
			d.Deadline = lang(req).Date(sealed.LastDay)
		}
		return scoring.Comparison{}, s.render(ctx, req, http.StatusOK, "sealed", &page{Title: tr(req, "partnership.sealed.title"), Back: back, Data: d, ReadOnly: s.readOnly(req, "readOnly.what.comparison")}), nil
	}
	if err != nil {
		return scoring.Comparison{}, nil, err
	}
	if c.Board == nil { // a prospective partner's own view has no board
		return scoring.Comparison{}, s.notFound(ctx, req), nil
	}
	return c, nil, nil
}

// boardLinks sets the links of a board view under base (a partnership's or
// a member assessment's path).
func boardLinks(v *boardView, base scope, round int) {
	if base.viewer() {
		return
	}
	q := fmt.Sprintf("?round=%d", round)
	v.Comparison, v.Print, v.Document = base.at("Comparison")+q, base.at("Board")+q, base.at("BoardHTML")+q
	v.Workshop, v.Register = base.at("Workshop")+q, base.at("Actions")+q
}

// viewerBoardLinks keeps the links a read-only link has pages for: the
// comparison and the print view (no register, document or workshop pack).
func viewerBoardLinks(v *boardView, base scope) {
	v.Comparison, v.Print, v.Document, v.Workshop, v.Register = base.at("Comparison"), base.at("Board"), "", "", ""
}

// showBoard is the board summary on its own: the print view.
func (s *Site) showBoard(ctx context.Context, req *httpapi.Request, base scope) (*httpapi.Response, error) {
	back := base.at("Comparison")
	c, resp, err := s.comparisonFor(ctx, req, back)
	if resp != nil || err != nil {
		return resp, err
	}
	v := newBoardView(lang(req), s.current(req), req.Principal.Partnership.Name, c, s.now())
	boardLinks(v, base, c.Round)
	if isViewer(req) {
		viewerBoardLinks(v, base)
	}
	return s.render(ctx, req, http.StatusOK, "board", &page{Title: tr(req, "board.page.title", "Round", c.Round), Back: v.Comparison, Data: v, ReadOnly: s.readOnly(req, "readOnly.what.board")}), nil
}

// boardDocument is the board summary as a plain HTML file for a committee
// paper (docs/design.md, D11: why plain HTML).
func (s *Site) boardDocument(ctx context.Context, req *httpapi.Request, base scope) (*httpapi.Response, error) {
	c, resp, err := s.comparisonFor(ctx, req, base.at("Comparison"))
	if resp != nil || err != nil {
		return resp, err
	}
	v := newBoardView(lang(req), s.current(req), req.Principal.Partnership.Name, c, s.now())
	var buf strings.Builder
	if err := s.documents[v.Lang].ExecuteTemplate(&buf, "document", v); err != nil {
		return nil, failure.Wrap(failure.Internal, err, "render board document")
	}
	r := csvIn(v.Lang, httpapi.Text(http.StatusOK, "text/html; charset=utf-8", buf.String()))
	r.Headers["content-disposition"] = fmt.Sprintf(`attachment; filename="rasp-board-summary-round-%d.html"`, c.Round)
	return r, nil
}

func (s *Site) board(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	return s.showBoard(ctx, req, adminScope(req.Principal.Partnership.ID))
}

func (s *Site) memberBoard(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	return s.showBoard(ctx, req, memberScope(req.Principal.Assessment.ID))
}

func (s *Site) boardHTML(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	return s.boardDocument(ctx, req, adminScope(req.Principal.Partnership.ID))
}

func (s *Site) memberBoardHTML(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	return s.boardDocument(ctx, req, memberScope(req.Principal.Assessment.ID))
}

// workshopView is the workshop pack of a comparison: the agenda for a
// partners' workshop, printable, with room to write the decision and owner.
type workshopView struct {
	Name, Form       string
	Round            int
	Printed          string
	Councils         []string
	Items            []agendaView
	CSV, Comparison  string
	Board            string
	SharedNotesCount int
}

type agendaView struct {
	Number             int
	Area, Text         string
	MustHave           bool
	StatusLabel, Tag   string
	Answers            []answerView
	Prompts            []string
	Required           string // "Level 3: …", empty without a required level
	Short              string // the councils below it
	Do, Evidence       string
	Shortfall, Spread  string
	HasNotes, HasShort bool
}

func newWorkshopView(l locale.Lang, b *bank.Bank, name string, c scoring.Comparison, now time.Time) workshopView {
	v := workshopView{Name: name, Form: formTitle(b, c.IntendedForm), Round: c.Round, Printed: l.Date(now), Councils: c.Councils}
	for i, it := range scoring.Workshop(b, c) {
		av := agendaView{Number: i + 1, Area: areaTitle(b, it.Area), Text: it.Text, MustHave: it.MustHave, Answers: answerViews(l, it.Answers),
			Prompts: it.Prompts, Short: strings.Join(it.Short, ", "), HasShort: len(it.Short) > 0, Do: it.Next.Do, Evidence: it.Next.Evidence,
			Shortfall: fmt.Sprintf("%.1f", it.Shortfall), Spread: fmt.Sprint(it.Spread)}
		av.StatusLabel, av.Tag = statusLabel(l, it.Status)
		if it.Required >= 0 {
			av.Required = tl(l, "workshop.level", "Level", it.Required, "Wording", it.RequiredWording)
		}
		for _, a := range av.Answers {
			if a.Note != "" {
				av.HasNotes = true
				v.SharedNotesCount++
			}
		}
		v.Items = append(v.Items, av)
	}
	return v
}

// statusLabel is a question status across councils as the pages show it,
// in l.
func statusLabel(l locale.Lang, status string) (label, tag string) {
	switch status {
	case scoring.Divergent:
		return tl(l, "comparison.status.divergent"), "govuk-tag--orange"
	case scoring.SharedWeakness:
		return tl(l, "comparison.status.shared"), "govuk-tag--red"
	case scoring.Unknown:
		return tl(l, "comparison.status.unknown"), "govuk-tag--blue"
	}
	return tl(l, "comparison.status.aligned"), "govuk-tag--grey"
}

func (s *Site) showWorkshop(ctx context.Context, req *httpapi.Request, base scope) (*httpapi.Response, error) {
	c, resp, err := s.comparisonFor(ctx, req, base.at("Comparison"))
	if resp != nil || err != nil {
		return resp, err
	}
	v := newWorkshopView(lang(req), s.current(req), req.Principal.Partnership.Name, c, s.now())
	q := fmt.Sprintf("?round=%d", c.Round)
	v.CSV, v.Comparison, v.Board = base.at("WorkshopCSV")+q, base.at("Comparison")+q, base.at("Board")+q
	return s.render(ctx, req, http.StatusOK, "workshop", &page{Title: tr(req, "workshop.title", "Round", c.Round), Back: v.Comparison, Data: v}), nil
}

func (s *Site) workshopDownload(ctx context.Context, req *httpapi.Request, base scope) (*httpapi.Response, error) {
	c, resp, err := s.comparisonFor(ctx, req, base.at("Comparison"))
	if resp != nil || err != nil {
		return resp, err
	}
	r := csvIn(lang(req), httpapi.Text(http.StatusOK, "text/csv; charset=utf-8", csv.Workshop(lang(req), s.current(req), c)))
	r.Headers["content-disposition"] = fmt.Sprintf(`attachment; filename="%s"`, csv.WorkshopFilename(c.Round))
	return r, nil
}

func (s *Site) workshop(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	return s.showWorkshop(ctx, req, adminScope(req.Principal.Partnership.ID))
}

func (s *Site) memberWorkshop(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	return s.showWorkshop(ctx, req, memberScope(req.Principal.Assessment.ID))
}

func (s *Site) workshopCSV(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	return s.workshopDownload(ctx, req, adminScope(req.Principal.Partnership.ID))
}

func (s *Site) memberWorkshopCSV(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	return s.workshopDownload(ctx, req, memberScope(req.Principal.Assessment.ID))
}
