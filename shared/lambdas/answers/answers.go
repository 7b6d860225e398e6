// Package answers is the answers function: read, save, submit and erase an
// assessment.
package answers

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/auth"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/viewer"
)

// Deps are what the answers function needs.
type Deps struct {
	Auth        *auth.Resolver
	Assessments *assessment.Service
	// Viewers revokes read-only links (issue 20).
	Viewers *viewer.Service
	Log     *slog.Logger
	// CORS is who may call from another origin (config.Config.CORSOrigins).
	CORS httpapi.CORS
	// Edge is what CloudFront adds in front of the API (config.Config.Edge).
	Edge config.Edge
	// Deadline bounds each request (config.Config.RequestTimeout).
	Deadline time.Duration
}

// New returns the function's router. The auth middleware has loaded the
// assessment before a handler runs; the service acts on that copy.
func New(d Deps) *httpapi.Router {
	return httpapi.MustRouter(routes.FnAnswers, map[string]httpapi.Handler{
		"getAssessment": func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
			a := req.Principal.Assessment
			b, err := d.Assessments.Bank(a.Version)
			if err != nil {
				return nil, err
			}
			resp, err := httpapi.JSON(http.StatusOK, api.AssessmentOf(b, a))
			if err == nil {
				resp.Headers["etag"] = httpapi.StrongTag(a.Revision())
			}
			return resp, err
		},
		"saveAnswers": withRevisionTag(httpapi.Decode(http.StatusOK, func(ctx context.Context, req *httpapi.Request, in api.SaveAnswers) (api.Saved, error) {
			ifMatch, err := revisionHeader(req.Header("if-match"))
			if err != nil {
				return api.Saved{}, err
			}
			changes, err := answerChanges(in)
			if err != nil {
				return api.Saved{}, err
			}
			out, err := d.Assessments.SaveChanges(ctx, req.Principal.Assessment, changes, ifMatch)
			return api.SavedOf(out), err
		})),
		"listReportViewers": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.Viewers, error) {
			return api.ViewersOf(req.Principal.Assessment.Viewers, d.Viewers.Now()), nil
		}),
		"revokeReportViewer": func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
			a := req.Principal.Assessment
			if err := d.Viewers.Revoke(ctx, viewer.Owner{Subject: viewer.Report, ID: a.ID}, a.Viewers, req.Param("viewer")); err != nil {
				return nil, err
			}
			return httpapi.NoContent(), nil
		},
		"listRespondents": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.Respondents, error) {
			a := req.Principal.Assessment
			b, err := d.Assessments.Bank(a.Version)
			if err != nil {
				return api.Respondents{}, err
			}
			return api.RespondentsOf(b, a), nil
		}),
		"removeRespondent": func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
			if err := d.Assessments.RemoveColleague(ctx, req.Principal.Assessment, req.Param("respondent")); err != nil {
				return nil, err
			}
			return httpapi.NoContent(), nil
		},
		"updateRespondent": httpapi.Decode(http.StatusOK, func(ctx context.Context, req *httpapi.Request, in api.UpdateRespondent) (api.RespondentSummary, error) {
			a := req.Principal.Assessment
			b, err := d.Assessments.Bank(a.Version)
			if err != nil {
				return api.RespondentSummary{}, err
			}
			c, err := d.Assessments.UpdateColleague(ctx, a, req.Param("respondent"), assessment.ColleagueSettings{Routed: in.Routed, Default: in.RoutedDefault, SeesSpread: in.SeesSpread})
			if err != nil {
				return api.RespondentSummary{}, err
			}
			return api.RespondentSummaryOf(b, c), nil
		}),
		"handOverLead": httpapi.Decode(http.StatusOK, func(ctx context.Context, req *httpapi.Request, in api.HandOverLead) (api.LeadHandedOver, error) {
			a := req.Principal.Assessment
			out, err := d.Assessments.HandOver(ctx, a, in.Respondent)
			return api.LeadHandedOver{Assessment: a.ID, Token: out.Token, Mailed: out.Mailed,
				Lead: api.Respondent{Name: out.Lead.Name, Role: out.Lead.Role, Email: out.Lead.Email}}, err
		}),
		"getRespondentSpread": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.Consolidation, error) {
			a := req.Principal.Assessment
			b, err := d.Assessments.Bank(a.Version)
			if err != nil {
				return api.Consolidation{}, err
			}
			c, err := d.Assessments.Spread(a, req.Principal.Respondent)
			if err != nil {
				return api.Consolidation{}, err
			}
			return api.SpreadOf(b, a, c), nil
		}),
		"getRespondentAnswers": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.RespondentAnswers, error) {
			a := req.Principal.Assessment
			b, err := d.Assessments.Bank(a.Version)
			if err != nil {
				return api.RespondentAnswers{}, err
			}
			c, _ := a.Colleague(req.Principal.Respondent) // proved by the auth middleware
			return api.RespondentAnswersOf(b, a, c), nil
		}),
		"saveRespondentAnswers": httpapi.Decode(http.StatusOK, func(ctx context.Context, req *httpapi.Request, in api.SaveRespondentAnswers) (api.RespondentSaved, error) {
			var save api.SaveAnswers
			if in.Answers != nil {
				save.Answers = make(map[string]api.AnswerChange, len(in.Answers))
				for q, c := range in.Answers {
					save.Answers[q] = c.Change()
				}
			}
			changes, err := answerChanges(save)
			if err != nil {
				return api.RespondentSaved{}, err
			}
			out, err := d.Assessments.SaveColleague(ctx, req.Principal.Assessment, req.Principal.Respondent, changes)
			return api.RespondentSaved{Answered: out.Answered, Total: out.Total}, err
		}),
		"getConsolidation": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.Consolidation, error) {
			a := req.Principal.Assessment
			b, err := d.Assessments.Bank(a.Version)
			if err != nil {
				return api.Consolidation{}, err
			}
			return api.ConsolidationOf(b, a), nil
		}),
		"submitAssessment": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.Submitted, error) {
			// The body is optional (clients from before shareNotes send none).
			var in api.Submit
			if body, err := req.Body(); err != nil {
				return api.Submitted{}, err
			} else if len(bytes.TrimSpace(body)) > 0 {
				if err := httpapi.DecodeJSON(req, &in); err != nil {
					return api.Submitted{}, err
				}
			}
			out, err := d.Assessments.SubmitSharing(ctx, req.Principal.Assessment, in.ShareNotes)
			return api.SubmittedOf(out), err
		}),
		"shareNotes": httpapi.Decode(http.StatusOK, func(ctx context.Context, req *httpapi.Request, in api.ShareNotes) (api.NoteSharing, error) {
			if in.Shared == nil {
				return api.NoteSharing{}, failure.Fields("Say whether to share the council's notes.", failure.FieldError{Field: "shared", Message: "must be true or false"})
			}
			pr := req.Principal
			out, err := d.Assessments.ShareNotes(ctx, pr.Assessment, *in.Shared, pr.Partnership.Sealed(pr.Assessment.Round) != nil)
			return api.NoteSharing{Shared: out.Shared, Notes: out.Notes}, err
		}),
		"listOwnActions": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.OwnActions, error) {
			return api.OwnActionsOf(req.Principal.Assessment, d.Auth.Now()), nil
		}),
		"createOwnAction": httpapi.Decode(http.StatusCreated, func(ctx context.Context, req *httpapi.Request, in api.NewOwnAction) (api.OwnAction, error) {
			a := req.Principal.Assessment
			o, err := d.Assessments.CreateOwnAction(ctx, a, api.OwnActionInput(in), req.Idem)
			return api.OwnActionOf(a, o, d.Auth.Now()), err
		}),
		"getOwnAction": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.OwnAction, error) {
			a := req.Principal.Assessment
			o, ok := a.OwnAction(req.Param("action"))
			if !ok {
				return api.OwnAction{}, failure.New(failure.NotFound, "This assessment has no such action.")
			}
			return api.OwnActionOf(a, o, d.Auth.Now()), nil
		}),
		"updateOwnAction": httpapi.Decode(http.StatusOK, func(ctx context.Context, req *httpapi.Request, in api.OwnActionChange) (api.OwnAction, error) {
			a := req.Principal.Assessment
			o, err := d.Assessments.UpdateOwnAction(ctx, a, req.Param("action"), api.OwnActionChangeInput(in))
			return api.OwnActionOf(a, o, d.Auth.Now()), err
		}),
		"addOwnActionNote": httpapi.Decode(http.StatusCreated, func(ctx context.Context, req *httpapi.Request, in api.NewProgressNote) (api.OwnAction, error) {
			a := req.Principal.Assessment
			o, err := d.Assessments.AddOwnActionNote(ctx, a, req.Param("action"), in.Text)
			return api.OwnActionOf(a, o, d.Auth.Now()), err
		}),
		"deleteAssessment": func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
			if err := d.Assessments.Delete(ctx, req.Principal.Assessment); err != nil {
				return nil, err
			}
			return httpapi.NoContent(), nil
		},
	}, httpapi.Options{Log: d.Log, Auth: d.Auth, Deadline: d.Deadline, CORS: d.CORS, Edge: d.Edge})
}

// answerChanges reads a save's body as changes, one per question.
func answerChanges(in api.SaveAnswers) (map[string]assessment.Edit, error) {
	if in.Answers == nil {
		return nil, failure.Fields("Give at least one answer.", failure.FieldError{Field: "answers", Message: "must be an object of question id to answer"})
	}
	changes := make(map[string]assessment.Edit, len(in.Answers))
	for id, a := range in.Answers {
		if a.Score.Invalid {
			return nil, failure.Fields("Check your answers.", failure.FieldError{Field: "answers." + id + ".score", Message: "must be a whole number from 0 to 4, or null for don't know"})
		}
		changes[id] = assessment.Edit{SetScore: a.Score.Set, Score: a.Score.Value, Note: a.Note, Clear: a.Clear,
			NotApplicable: a.NotApplicable, Reason: a.Reason, Why: a.Why}
	}
	return changes, nil
}

// revisionHeader parses If-Match: a strong tag from getAssessment or a
// save, or *. A weak tag never matches (412); anything else is not a tag.
func revisionHeader(h string) (*int64, error) {
	n, weak, err := httpapi.IfMatchRevision(h)
	switch {
	case weak:
		return nil, failure.New(failure.PreconditionFailed, "If-Match needs a strong entity tag; a weak one (W/…) never matches. Send the ETag as it came.")
	case err != nil:
		return nil, failure.Fields("The If-Match header must be an entity tag.", failure.FieldError{Field: "If-Match", Message: `must be the ETag of the assessment, like "12", or *`})
	}
	return n, nil
}

// withRevisionTag gives a save's reply the ETag of the revision it made, so
// the next save can send it as If-Match without reading again.
func withRevisionTag(h httpapi.Handler) httpapi.Handler {
	return func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
		resp, err := h(ctx, req)
		if err != nil {
			return nil, err
		}
		var saved struct {
			Revision int64 `json:"revision"`
		}
		if json.Unmarshal([]byte(resp.Body), &saved) == nil {
			resp.Headers["etag"] = httpapi.StrongTag(saved.Revision)
		}
		return resp, nil
	}
}
