// Package start is the start function: health, the question bank, the
// OpenAPI document, and everything that creates (assessments, health-checks,
// partnerships, rounds) or erases a partnership.
package start

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/apidoc"
	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/auth"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/ratelimit"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/viewer"
)

// Pinger answers the health-check: the table is reachable.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps are what the start function needs.
type Deps struct {
	Store        Pinger
	Auth         *auth.Resolver
	Assessments  *assessment.Service
	Partnerships *partnership.Service
	// Viewers makes and revokes read-only links (issue 20).
	Viewers *viewer.Service
	Bank    *bank.Library
	Log     *slog.Logger
	// BaseURL is the public origin for the links in replies.
	BaseURL string
	// CORS is who may call from another origin (config.Config.CORSOrigins).
	CORS httpapi.CORS
	// Deadline bounds each request (config.Config.RequestTimeout) and
	// HealthTimeout the /healthz probe (config.Config.HealthTimeout).
	Deadline      time.Duration
	HealthTimeout time.Duration
	// Limiter applies the rate limits of the public creating routes and
	// link recovery.
	Limiter *ratelimit.Limiter
	// Edge is what CloudFront adds in front of the API (config.Config.Edge).
	Edge config.Edge
}

// New returns the function's router.
func New(d Deps) *httpapi.Router {
	links := routes.Links{Origin: d.BaseURL}
	return httpapi.MustRouter(routes.FnStart, map[string]httpapi.Handler{
		"healthz": func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
			// Its own short deadline: a load balancer or monitor asking
			// "are you up?" wants an answer in about a second, not the
			// request deadline.
			ctx, cancel := context.WithTimeout(ctx, cmp.Or(d.HealthTimeout, config.DefaultHealthTimeout))
			defer cancel()
			if err := d.Store.Ping(ctx); err != nil {
				return nil, failure.Wrap(failure.Unavailable, err, "DynamoDB is not answering")
			}
			return httpapi.JSON(http.StatusOK, api.Health{Status: "ok"})
		},
		"getQuestions": func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
			b := d.Bank.Current()
			// A ?version= given empty is refused, not read as "current".
			if v, given := req.Event.QueryStringParameters["version"]; given {
				var ok bool
				if b, ok = d.Bank.Get(v); !ok {
					return nil, failure.Fields("Unknown question bank version.", failure.FieldError{Field: "version", Message: "must be one of " + strings.Join(d.Bank.Versions(), ", ")})
				}
			}
			// The words in the reader's language where the version has
			// it (v1 is English only); ids and scoring are the same.
			b = b.In(locale.Negotiate(req.Header("accept-language")))
			resp, err := httpapi.JSON(http.StatusOK, api.QuestionBankOf(b))
			if err == nil {
				// The ETag is a hash of the body, so each language has its own.
				resp.Headers["content-language"] = b.Language().Tag()
				resp.Headers["vary"] = "Accept-Language"
				// A published version never changes (D6); the current one
				// moves when a new version is published.
				resp.Headers["cache-control"] = "public, max-age=300"
				if req.Query("version") != "" {
					resp.Headers["cache-control"] = "public, max-age=31536000, immutable"
				}
			}
			return resp, err
		},
		"getOpenAPI": func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
			resp := httpapi.Text(http.StatusOK, "application/json", apidoc.JSON)
			resp.Headers["cache-control"] = "public, max-age=300"
			return resp, nil
		},
		"startAssessment": httpapi.Decode(http.StatusCreated, func(ctx context.Context, req *httpapi.Request, in api.StartAssessment) (api.Started, error) {
			if err := ratelimit.JoinTries(ctx, req, in.JoinCode); err != nil {
				return api.Started{}, err
			}
			start := StartInput(in)
			start.Lang = locale.Negotiate(req.Header("accept-language"))
			out, err := d.Assessments.Start(ctx, start, req.Idem)
			return api.StartedOf(out), err
		}),
		"startHealthCheck": httpapi.Reply(http.StatusCreated, func(ctx context.Context, req *httpapi.Request) (api.Started, error) {
			out, err := d.Assessments.StartHealthCheck(ctx, req.Principal.Assessment, req.Idem)
			return api.StartedOf(out), err
		}),
		"inviteRespondent": httpapi.Decode(http.StatusCreated, func(ctx context.Context, req *httpapi.Request, in api.InviteRespondent) (api.RespondentInvited, error) {
			a := req.Principal.Assessment
			out, err := d.Assessments.Invite(ctx, a, assessment.InviteInput{Name: in.Name, Role: in.Role, Email: in.Email}, req.Idem)
			return api.RespondentInvitedOf(a.ID, out), err
		}),
		"shareReport": httpapi.Decode(http.StatusCreated, func(ctx context.Context, req *httpapi.Request, in api.ShareReport) (api.ViewerShared, error) {
			a := req.Principal.Assessment
			o := viewer.Owner{Subject: viewer.Report, ID: a.ID}
			out, err := d.Viewers.Share(ctx, o, a.Viewers, viewer.Input{Label: in.Label, Expires: in.Expires}, req.Idem)
			if err != nil {
				return api.ViewerShared{}, err
			}
			v := api.ViewerSharedOf(out, links.Viewer(o, out))
			v.Assessment = a.ID
			return v, nil
		}),
		"shareComparison": httpapi.Decode(http.StatusCreated, func(ctx context.Context, req *httpapi.Request, in api.ShareComparison) (api.ViewerShared, error) {
			p := req.Principal.Partnership
			n, err := p.ViewerRound(in.Round)
			if err != nil {
				return api.ViewerShared{}, err
			}
			o := viewer.Owner{Subject: viewer.Comparison, ID: p.ID}
			out, err := d.Viewers.Share(ctx, o, p.Viewers, viewer.Input{Label: in.Label, Expires: in.Expires, Round: n}, req.Idem)
			if err != nil {
				return api.ViewerShared{}, err
			}
			v := api.ViewerSharedOf(out, links.Viewer(o, out))
			v.Partnership = p.ID
			return v, nil
		}),
		"revokeComparisonViewer": func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
			p := req.Principal.Partnership
			if err := d.Viewers.Revoke(ctx, viewer.Owner{Subject: viewer.Comparison, ID: p.ID}, p.Viewers, req.Param("viewer")); err != nil {
				return nil, err
			}
			return httpapi.NoContent(), nil
		},
		"createPartnership": httpapi.Decode(http.StatusCreated, func(ctx context.Context, req *httpapi.Request, in api.CreatePartnership) (api.PartnershipCreated, error) {
			cadence := partnership.DefaultCadenceMonths
			if in.CadenceMonths != nil {
				cadence = *in.CadenceMonths
			}
			cin := partnership.CreateInput{Name: in.Name, Form: in.IntendedForm, ContactEmail: in.ContactEmail, CadenceMonths: cadence,
				Lang: locale.Negotiate(req.Header("accept-language"))}
			for _, c := range in.Councils {
				cin.Councils = append(cin.Councils, partnership.SeatInput{Name: c.Name, GSSCode: c.GSSCode, Email: c.Email})
			}
			out, err := d.Partnerships.Create(ctx, cin, req.Idem)
			if err != nil {
				return api.PartnershipCreated{}, err
			}
			return api.PartnershipCreatedOf(links, out), nil
		}),
		"openRound": httpapi.Decode(http.StatusCreated, func(ctx context.Context, req *httpapi.Request, in api.OpenRound) (api.RoundOpened, error) {
			out, err := d.Partnerships.OpenRound(ctx, req.Principal.Partnership, req.Principal.Access(),
				partnership.RoundInput{Purpose: in.Purpose, After: in.After, Deadline: partnership.DeadlineInput{Date: in.Deadline}}, req.Idem)
			return api.RoundOpenedOf(out), err
		}),
		"startSeatAssessment": httpapi.Decode(http.StatusCreated, func(ctx context.Context, req *httpapi.Request, in api.StartSeatAssessment) (api.Started, error) {
			out, err := d.Assessments.StartForSeat(ctx, req.Principal.SeatJoin(), assessment.SeatStartInput{
				Respondent:    assessment.Respondent{Name: in.Respondent.Name, Role: in.Respondent.Role, Email: in.Respondent.Email},
				PreferredForm: in.PreferredForm, Lang: locale.Negotiate(req.Header("accept-language"))}, req.Idem)
			return api.StartedOf(out), err
		}),
		"recoverLink": httpapi.Decode(http.StatusAccepted, func(ctx context.Context, req *httpapi.Request, in api.Recover) (api.RecoverAccepted, error) {
			err := ratelimit.RecoveryTries(ctx, req, in.Assessment+in.Partnership, in.Email)
			switch {
			case err != nil:
			case in.Assessment != "" && in.Partnership == "":
				err = d.Assessments.Recover(ctx, in.Assessment, in.Email)
			case in.Partnership != "" && in.Assessment == "":
				err = d.Partnerships.Recover(ctx, in.Partnership, in.Email)
			default:
				err = failure.Fields("Give an assessment's id or a partnership's, not both.", failure.FieldError{Field: "assessment", Message: "Give the id of your assessment, or else of your partnership"})
			}
			return api.RecoverAccepted{Status: RecoverReply}, err
		}),
		"bringIn": httpapi.Decode(http.StatusCreated, func(ctx context.Context, req *httpapi.Request, in api.BringIn) (api.Started, error) {
			if errs := assessment.BringInFields(in.Partnership, in.Seat, in.Invitation); len(errs) > 0 {
				return api.Started{}, failure.Fields("Give the partnership, the seat and its invitation.", errs...)
			}
			seat, err := d.Auth.Seat(ctx, in.Partnership, in.Seat, in.Invitation)
			if err != nil {
				return api.Started{}, err
			}
			out, err := d.Assessments.BringIn(ctx, req.Principal.Assessment, seat.SeatJoin(), req.Idem)
			return api.StartedOf(out), err
		}),
		"deletePartnership": func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
			if err := d.Partnerships.Delete(ctx, req.Principal.Partnership, req.Principal.Access()); err != nil {
				return nil, err
			}
			return httpapi.NoContent(), nil
		},
		"closeRound": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.RoundOpened, error) {
			n, err := partnership.ParseRound(req.Param("n"))
			if err != nil {
				return api.RoundOpened{}, err
			}
			out, err := d.Partnerships.CloseRound(ctx, req.Principal.Partnership, req.Principal.Access(), n)
			return api.RoundOpenedOf(out), err
		}),
		"addSeat": httpapi.Decode(http.StatusCreated, func(ctx context.Context, req *httpapi.Request, in api.NewSeat) (api.SeatInvitation, error) {
			p := req.Principal.Partnership
			out, err := d.Partnerships.AddSeat(ctx, p, req.Principal.Access(), partnership.SeatInput{Name: in.Name, GSSCode: in.GSSCode, Email: in.Email}, req.Idem)
			if err != nil {
				return api.SeatInvitation{}, err
			}
			return api.SeatInvitation{Seat: out.Seat, Council: out.Council, Token: out.Token, Mailed: out.Mailed,
				Link: links.Invitation(p.ID, out.Seat, out.Token)}, nil
		}),
		"renameSeat": httpapi.Decode(http.StatusOK, func(ctx context.Context, req *httpapi.Request, in api.SeatChange) (api.Seat, error) {
			st, err := d.Partnerships.RenameSeat(ctx, req.Principal.Partnership, req.Principal.Access(), req.Param("seat"), in.Name)
			return api.SeatOf(st), err
		}),
		"withdrawSeat": httpapi.DecodeOptional(http.StatusOK, func(ctx context.Context, req *httpapi.Request, in api.WithdrawSeat) (api.Seat, error) {
			st, err := d.Partnerships.WithdrawSeat(ctx, req.Principal.Partnership, req.Principal.Access(), req.Param("seat"), in.Erase)
			return api.SeatOf(st), err
		}),
		"addAdmin": httpapi.DecodeOptional(http.StatusCreated, func(ctx context.Context, req *httpapi.Request, in api.NewAdmin) (api.AdminAdded, error) {
			p := req.Principal.Partnership
			out, err := d.Partnerships.AddAdmin(ctx, p, req.Principal.Access(), partnership.AdminInput{Name: in.Name, Role: in.Role, Email: in.Email}, req.Idem)
			if err != nil {
				return api.AdminAdded{}, err
			}
			return api.AdminAddedOf(links, p.ID, out), nil
		}),
		"removeAdmin": func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
			if err := d.Partnerships.RemoveAdmin(ctx, req.Principal.Partnership, req.Principal.Access(), req.Param("admin")); err != nil {
				return nil, err
			}
			return httpapi.NoContent(), nil
		},
		"rotateJoinCode": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.JoinCodeRotated, error) {
			code, err := d.Partnerships.RotateJoinCode(ctx, req.Principal.Partnership, req.Principal.Access())
			return api.JoinCodeRotated{JoinCode: code}, err
		}),
		"createAction": httpapi.Decode(http.StatusCreated, func(ctx context.Context, req *httpapi.Request, in api.NewJointAction) (api.JointAction, error) {
			p, actor := req.Principal.Partnership, req.Principal.Actor()
			a, err := d.Partnerships.CreateAction(ctx, p, actor, api.ActionInput(in), req.Idem)
			return api.JointActionOf(p, a, actor, d.Auth.Now()), err
		}),
		"updateAction": httpapi.Decode(http.StatusOK, func(ctx context.Context, req *httpapi.Request, in api.JointActionChange) (api.JointAction, error) {
			p, actor := req.Principal.Partnership, req.Principal.Actor()
			a, err := d.Partnerships.UpdateAction(ctx, p, actor, req.Param("action"), api.ActionChangeInput(in))
			return api.JointActionOf(p, a, actor, d.Auth.Now()), err
		}),
		"addActionNote": httpapi.Decode(http.StatusCreated, func(ctx context.Context, req *httpapi.Request, in api.NewProgressNote) (api.JointAction, error) {
			p, actor := req.Principal.Partnership, req.Principal.Actor()
			a, err := d.Partnerships.AddNote(ctx, p, actor, req.Param("action"), in.Text)
			return api.JointActionOf(p, a, actor, d.Auth.Now()), err
		}),
	}, httpapi.Options{Log: d.Log, Auth: d.Auth, Deadline: d.Deadline, CORS: d.CORS, Limiter: d.Limiter, Edge: d.Edge})
}

// StartInput converts the API body to the domain input.
func StartInput(in api.StartAssessment) assessment.StartInput {
	return assessment.StartInput{Council: in.Council, Purpose: in.Purpose, Form: in.IntendedForm, JoinCode: in.JoinCode, PreferredForm: in.PreferredForm,
		Respondent: assessment.Respondent{Name: in.Respondent.Name, Role: in.Respondent.Role, Email: in.Respondent.Email}}
}

// RecoverReply is said to every recovery request, matched or not (the
// page says the same).
const RecoverReply = assessment.RecoverReply
