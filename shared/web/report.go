package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/scoring"
)

// bandsIn are the bands in display order, with how they read in lg.
func bandsIn(lg locale.Lang) []struct{ ID, Label string } {
	return []struct{ ID, Label string }{
		{scoring.Strength, tl(lg, "report.band.strength")},
		{scoring.Developing, tl(lg, "report.band.developing")},
		{scoring.Weakness, tl(lg, "report.band.weakness")},
	}
}

// bandLabel is a band in English, for pages not yet in Welsh; bandLabelIn
// is in lg.
func bandLabel(id string) string { return bandLabelIn(locale.English, id) }

func bandLabelIn(lg locale.Lang, id string) string {
	if id == scoring.NoneApplicable {
		return tl(lg, "report.band.notAsked")
	}
	for _, b := range bandsIn(lg) {
		if b.ID == id {
			return b.Label
		}
	}
	return id
}

// verdict is the readiness verdict in words.
type verdict struct {
	Title, Text, Class string
}

func verdictFor(lg locale.Lang, readiness, form string) verdict {
	switch readiness {
	case scoring.Ready:
		return verdict{tl(lg, "report.verdict.ready"), tl(lg, "report.verdict.v1.ready", "Form", form), scoring.Strength}
	case scoring.NotReady:
		return verdict{tl(lg, "report.verdict.notReady"), tl(lg, "report.verdict.v1.notReady", "Form", form), scoring.Weakness}
	}
	return verdict{tl(lg, "report.verdict.gaps"), tl(lg, "report.verdict.v1.gaps", "Form", form), scoring.Developing}
}

// Chart geometry (SVG user units). Colours are presentation attributes, so
// the chart reads the same without the stylesheet and in print.
const (
	chartWidth     = 640
	chartLeft      = 190 // bars start here; area titles sit to the left
	chartScale     = 4   // px per score point: 100 -> 400 px
	chartRow       = 46
	chartBarHeight = 24
	chartTop       = 8
	chartLegend    = 56
)

type chartBar struct {
	Title, Band, BandLabel, Fill string
	Score, Target                int
	Y, TextY, Width, TargetX     int
	ValueX                       int
	TargetTop, TargetBottom      int
}

type chartTick struct {
	X     int
	Label string
}

type chart struct {
	Width, Height, Left, AxisY, AxisTextY, Right int
	LegendY, LegendTextY                         int
	Label                                        string
	Targets                                      bool // v1 draws each area's target; v2 has none
	Bars                                         []chartBar
	Ticks                                        []chartTick
}

func barFill(band string) string {
	switch band {
	case scoring.Strength:
		return "#0f7a52"
	case scoring.Developing:
		return "url(#rasp-pattern-developing)"
	}
	return "url(#rasp-pattern-weakness)"
}

func newChart(lg locale.Lang, areas []scoring.Area, targets bool) chart {
	c := chart{Width: chartWidth, Left: chartLeft, Right: chartLeft + 100*chartScale, Targets: targets}
	var parts []string
	for i, a := range areas {
		y := chartTop + i*chartRow
		c.Bars = append(c.Bars, chartBar{
			Title: a.Title, Band: a.Band, BandLabel: bandLabelIn(lg, a.Band), Fill: barFill(a.Band), Score: a.Score, Target: a.Target,
			Y: y, TextY: y + chartBarHeight/2 + 5, Width: max(a.Score*chartScale, 1), TargetX: chartLeft + a.Target*chartScale,
			ValueX: chartLeft + a.Score*chartScale + 8, TargetTop: y - 6, TargetBottom: y + chartBarHeight + 6,
		})
		if targets {
			parts = append(parts, tl(lg, "report.chart.partTarget", "Area", a.Title, "Score", a.Score, "Target", a.Target, "Band", strings.ToLower(bandLabelIn(lg, a.Band))))
		} else {
			parts = append(parts, tl(lg, "report.chart.part", "Area", a.Title, "Score", a.Score, "Band", strings.ToLower(bandLabelIn(lg, a.Band))))
		}
	}
	c.AxisY = chartTop + len(areas)*chartRow
	c.AxisTextY = c.AxisY + 18
	for v := 0; v <= 100; v += 25 {
		c.Ticks = append(c.Ticks, chartTick{X: chartLeft + v*chartScale, Label: fmt.Sprint(v)})
	}
	c.LegendY = c.AxisTextY + 16
	c.LegendTextY = c.LegendY + 13
	c.Height = c.LegendY + chartLegend - 20
	c.Label = tl(lg, "report.chart.labelTarget", "Parts", strings.Join(parts, "; "))
	if !targets {
		c.Label = tl(lg, "report.chart.label", "Parts", strings.Join(parts, "; "))
	}
	return c
}

// mapRow is one area of the strengths and weaknesses map.
type mapRow struct {
	Title, Band, BandLabel string
	Score, Target, Gap     int
}

type weakView struct {
	Text, Area, Answer, Action string
	Keep                       *keepLink
}

type reportData struct {
	ID, Council, Form, Purpose string
	Provisional                bool
	Submitted                  string
	Overall                    int
	Verdict                    verdict
	Chart                      chart
	Areas                      []scoring.Area
	Map                        []mapRow
	Bands                      []struct{ ID, Label string }
	DevelopingGap              int
	Weakest                    []weakView
	Unknown                    []string
	JSON, CSV, Delete          string
	Partnership                *memberView
	V2                         *v2View         // the v2 verdict; nil for v1 assessments
	Explain                    explanation     // how the score is worked out
	AnswerMap                  []answerSection // every answer with its note
	// Trend is the change since the council's previous assessment.
	Trend *trendView
	// OwnActions are the council's own actions; OwnActionsHref their list.
	OwnActions     []ownActionView
	OwnActionsHref string
	// Agreement is how far the council's colleagues agreed (issue 19):
	// on the lead's own report only.
	Agreement *agreementView
	// ReadOnly is the report seen through a read-only link: no forms, no
	// links to the council's own pages. Share is the lead's link to make one.
	ReadOnly bool
	Share    string
	// Reassess is the form action to re-assess a submitted private
	// self-review; BringIn the one to bring it into a partnership round.
	Reassess, BringIn string
}

type agreementView struct {
	Respondents, Spread int
	Areas               []agreementAreaView
}

type agreementAreaView struct {
	Title, Sentence string
	Disagreed       []string
}

// newAgreementView words the council's agreement with itself per area.
func newAgreementView(lg locale.Lang, ag *assessment.Agreement) *agreementView {
	if ag == nil {
		return nil
	}
	v := &agreementView{Respondents: ag.Respondents, Spread: ag.DivergenceSpread}
	for _, a := range ag.Areas {
		av := agreementAreaView{Title: a.Title}
		if a.AllAnswered == 0 {
			av.Sentence = tl(lg, "report.agreement.none", "Count", ag.Respondents)
		} else {
			av.Sentence = tl(lg, "report.agreement.agreed", "Agreed", a.Agreed, "Count", a.AllAnswered)
		}
		for _, d := range a.Disagreements {
			av.Disagreed = append(av.Disagreed, tl(lg, "report.agreement.levels", "Question", d.Question.Text, "Lowest", d.Lowest, "Highest", d.Highest))
		}
		v.Areas = append(v.Areas, av)
	}
	return v
}

type trendView struct {
	Since     string
	Areas     []trendAreaView
	Questions []trendQuestionView
}

type trendAreaView struct {
	Title                 string
	Previous, Now, Change string
}

type trendQuestionView struct {
	Area, Text, Previous, Now string
}

// memberView is the partnership box on a member's report.
type memberView struct {
	Name              string
	Round, Current    int
	Prospective       bool
	HealthCheck       string // form action when a new round is open, else ""
	Status, Compare   string // links
	CurrentRoundOpen  bool
	AssessmentInRound bool
}

func (s *Site) report(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	l, resp, err := s.load(ctx, req)
	if resp != nil || err != nil {
		return resp, err
	}
	return s.reportWith(ctx, req, l, nil, nil)
}

// reportWith renders the report, with the bring-in form's error and input
// kept when fe is given.
func (s *Site) reportWith(ctx context.Context, req *httpapi.Request, l *loaded, fe *formErrors, typed url.Values) (*httpapi.Response, error) {
	sc := assessment.Report(l.b, l.a)
	form := formTitle(l.b, l.a.Form)
	d := reportData{
		ID: l.a.ID, Council: l.a.Council, Form: form, Purpose: purposeLabelIn(l.lang, l.a.Purpose), Provisional: sc.Provisional,
		Overall: sc.Overall, Verdict: verdictFor(l.lang, sc.Readiness, form), Chart: newChart(l.lang, sc.Areas, sc.V2 == nil), Areas: sc.Areas, Bands: bandsIn(l.lang),
		JSON: path("webReportJSON", l.a.ID), CSV: path("webReportCSV", l.a.ID), Delete: path("webDeleteAssessment", l.a.ID), DevelopingGap: l.b.Scoring.DevelopingMaxGap,
	}
	d.Explain, d.AnswerMap = explain(l.lang, l.b, l.a), answerMap(l.lang, l.b, l.a)
	readOnly := isViewer(req)
	if readOnly {
		// A read-only link shows the council's report and nothing of its
		// working: no colleagues' agreement, no forms, no other pages.
		sc = assessment.ViewerReport(l.b, l.a)
		d.ReadOnly, d.JSON, d.Delete = true, "", ""
		d.CSV = path("webViewerReportCSV", req.Principal.Assessment.ID, "viewer", req.Principal.Viewer.ID)
	} else {
		d.Share = path("webShareReport", l.a.ID)
	}
	d.Agreement = newAgreementView(l.lang, sc.Agreement)
	if l.a.SubmittedAt != nil {
		d.Submitted = locale.Date(l.lang, *l.a.SubmittedAt)
	}
	if sc.V2 != nil {
		d.V2 = newV2View(l.lang, l.b, l.a, sc.V2)
		d.Verdict = d.V2.Verdict
	}
	for _, a := range sc.Areas {
		d.Map = append(d.Map, mapRow{Title: a.Title, Band: a.Band, BandLabel: bandLabelIn(l.lang, a.Band), Score: a.Score, Target: a.Target, Gap: a.Gap})
	}
	for _, w := range sc.Weakest {
		ans, ok := l.a.Answers[w.Question.ID]
		d.Weakest = append(d.Weakest, weakView{Text: w.Question.Text, Area: areaTitle(l.b, w.Question.Area), Answer: answerTextIn(l.lang, w.Question, ans, ok), Action: w.Question.Action,
			Keep: keepFor(l.a, w.Question.ID)})
	}
	for _, id := range sc.Unknown {
		if q, ok := l.b.Question(id); ok {
			d.Unknown = append(d.Unknown, q.Text)
		}
	}
	if l.a.PartnershipID != "" && !readOnly {
		if p, access, err := s.membership(ctx, l); err == nil {
			mv := &memberView{Name: p.Name, Round: l.a.Round, Current: p.CurrentRound, Prospective: access == partnership.ProspectiveAccess,
				Status: path("webMemberPartnership", l.a.ID), Compare: path("webMemberComparison", l.a.ID)}
			if r, ok := p.Round(p.CurrentRound); ok && r.Status == partnership.Open && p.CurrentRound > l.a.Round && l.a.Status == assessment.Submitted {
				mv.HealthCheck = path("webStartHealthCheck", l.a.ID)
			}
			d.Partnership = mv
		}
	}
	if l.a.PartnershipID == "" && l.a.Status == assessment.Submitted && !readOnly {
		d.Reassess, d.BringIn = path("webStartHealthCheck", l.a.ID), path("webBringIn", l.a.ID)
	}
	change, err := assessment.TrendOf(ctx, s.o.Auth.Assessments, l.b, l.a)
	if err != nil {
		return nil, err
	}
	if change != nil {
		tv := &trendView{}
		if change.SubmittedAt != nil {
			tv.Since = locale.Date(l.lang, *change.SubmittedAt)
		}
		for _, a := range change.Areas {
			tv.Areas = append(tv.Areas, trendAreaView{Title: a.Title, Previous: fmt.Sprint(a.Previous), Now: fmt.Sprint(a.Now), Change: signed(a.Now - a.Previous)})
		}
		for _, q := range change.Questions {
			text := q.Question
			if bq, ok := l.b.Question(q.Question); ok {
				text = bq.Text
			}
			tv.Questions = append(tv.Questions, trendQuestionView{Area: areaTitle(l.b, q.Area), Text: text, Previous: scoreTextIn(l.lang, q.Previous), Now: scoreTextIn(l.lang, q.Now)})
		}
		d.Trend = tv
	}
	if readOnly {
		// The council's own actions are its holder's: a read-only link
		// shows neither them nor the buttons that keep them.
		for i := range d.Weakest {
			d.Weakest[i].Keep = nil
		}
		if d.V2 != nil {
			for i := range d.V2.WorkOnFirst {
				d.V2.WorkOnFirst[i].Keep = nil
			}
		}
	} else {
		d.OwnActionsHref = ownBase(l.a.ID)
		for _, o := range l.a.Actions {
			d.OwnActions = append(d.OwnActions, s.ownActionView(l.lang, l.b, l.a, o))
		}
	}
	title := l.t("report.title")
	if readOnly {
		title = l.t("report.title.readOnly")
	}
	pg := &page{Title: title, Data: d, ReadOnly: s.readOnly(req, "readOnly.what.report"), EnglishOnly: l.englishOnly()}
	status := http.StatusOK
	if fe != nil && !fe.empty() {
		pg, status = formPage(title, fe, typed, d), http.StatusUnprocessableEntity
		pg.EnglishOnly = l.englishOnly()
	}
	return s.render(ctx, req, status, "report", pg), nil
}

func areaTitle(b *bank.Bank, id string) string {
	if a, ok := b.Area(id); ok {
		return a.Title
	}
	return id
}

// scoreTextIn is a level, or don't know, in lg.
func scoreTextIn(lg locale.Lang, s *int) string {
	if s == nil {
		return tl(lg, "report.dontKnow")
	}
	return strconv.Itoa(*s)
}
