package routes

import (
	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/ratelimit"
)

// Table returns every HTTP route of the service. Order is display order in
// the OpenAPI document.
func Table() []Route {
	return append(append(apiRoutes(), webRoutes()...), reminderRoutes()...)
}

func apiRoutes() []Route {
	return []Route{
		// start: everything that creates.
		{Name: "healthz", Method: "GET", Path: "/healthz", Function: FnStart, Auth: Public, Tag: "ops",
			Summary: "Health: 200 only when DynamoDB answers", Response: api.Health{}},
		{Name: "getQuestions", Method: "GET", Path: "/api/questions", Function: FnStart, Auth: Public, Tag: "questions",
			Summary: "The question bank (current, or ?version=)", Response: api.QuestionBank{}},
		{Name: "getOpenAPI", Method: "GET", Path: "/api/openapi.json", Function: FnStart, Auth: Public, Tag: "ops",
			Summary: "This OpenAPI document"},
		{Name: "startAssessment", Method: "POST", Path: "/api/assessments", Function: FnStart, Auth: Public, Tag: "assessments",
			Summary: "Start an assessment", Request: api.StartAssessment{}, Response: api.Started{}, Status: 201, Idempotent: true,
			Location: "/api/assessments/{id}", Limit: ratelimit.Create},
		{Name: "createPartnership", Method: "POST", Path: "/api/partnerships", Function: FnStart, Auth: Public, Tag: "partnerships",
			Summary: "Create a partnership", Request: api.CreatePartnership{}, Response: api.PartnershipCreated{}, Status: 201, Idempotent: true,
			Location: "/api/partnerships/{id}", Limit: ratelimit.Create},
		{Name: "openRound", Method: "POST", Path: "/api/partnerships/{id}/rounds", Function: FnStart, Auth: Admin, Tag: "partnerships",
			Summary: "Open the next round (closes the current one)", Request: api.OpenRound{}, Response: api.RoundOpened{}, Status: 201, Idempotent: true,
			Location: "/api/partnerships/{id}/comparison?round={number}"},
		{Name: "startHealthCheck", Method: "POST", Path: "/api/assessments/{id}/health-check", Function: FnStart, Auth: Assessment, Tag: "assessments",
			Summary: "Start this council's assessment for the partnership's current round, answers copied forward and marked stale", Response: api.Started{}, Status: 201, Idempotent: true,
			Location: "/api/assessments/{id}"},
		{Name: "startSeatAssessment", Method: "POST", Path: "/api/partnerships/{id}/seats/{seat}/assessments", Function: FnStart, Auth: Seat, Tag: "partnerships",
			Summary: "Start the seat's assessment for the current round (one per seat per round), named after the seat and scored on the partnership's form", Request: api.StartSeatAssessment{}, Response: api.Started{}, Status: 201, Idempotent: true,
			Location: "/api/assessments/{id}"},
		{Name: "bringIn", Method: "POST", Path: "/api/assessments/{id}/join", Function: FnStart, Auth: Assessment, Tag: "assessments",
			Summary: "Bring this submitted private assessment into a seat's current round: a copy with answers to confirm (the original stays private and unchanged)", Request: api.BringIn{}, Response: api.Started{}, Status: 201, Idempotent: true,
			Location: "/api/assessments/{id}"},
		{Name: "recoverLink", Method: "POST", Path: "/api/recover", Function: FnStart, Auth: Public, Tag: "assessments",
			Summary: "Send me a new link: mails a fresh private, admin or invitation link to the address on file and revokes the old one (the same reply whether or not the address matched)", Request: api.Recover{}, Response: api.RecoverAccepted{}, Status: 202, Limit: ratelimit.Recover},
		{Name: "rotateJoinCode", Method: "POST", Path: "/api/partnerships/{id}/join-code", Function: FnStart, Auth: Admin, Tag: "partnerships",
			Summary: "Make a new join code for prospective partners, shown this once; the old code stops working (codes are stored only as keys, so a lost one is replaced, never shown again)", Response: api.JoinCodeRotated{}},
		{Name: "deletePartnership", Method: "DELETE", Path: "/api/partnerships/{id}", Function: FnStart, Auth: Admin, Tag: "partnerships",
			Summary: "Erase a partnership: its rounds, score snapshots, join code and contact e-mail (member assessments stay with their councils)", Status: 204},
		{Name: "closeRound", Method: "POST", Path: "/api/partnerships/{id}/rounds/{n}/close", Function: FnStart, Auth: Admin, Tag: "partnerships",
			Summary: "Close a round and reveal its comparison", Response: api.RoundOpened{}},
		{Name: "inviteRespondent", Method: "POST", Path: "/api/assessments/{id}/respondents", Function: FnStart, Auth: Assessment, Tag: "respondents",
			Summary: "Invite a colleague to answer (the lead): name, role and optional address; their own private token comes back once", Request: api.InviteRespondent{}, Response: api.RespondentInvited{}, Status: 201, Idempotent: true,
			Location: "/api/assessments/{assessment}/respondents/{id}/answers"},
		{Name: "addSeat", Method: "POST", Path: "/api/partnerships/{id}/seats", Function: FnStart, Auth: Admin, Tag: "partnerships",
			Summary: "Add a member council: its seat and invitation (shown once, mailed when an address is given); expected in the current round if its comparison is still sealed, else from the next",
			Request: api.NewSeat{}, Response: api.SeatInvitation{}, Status: 201, Idempotent: true, Location: "/api/partnerships/{id}"},
		{Name: "renameSeat", Method: "PATCH", Path: "/api/partnerships/{id}/seats/{seat}", Function: FnStart, Auth: Admin, Tag: "partnerships",
			Summary: "Rename a member council (past rounds show the new name too)", Request: api.SeatChange{}, Response: api.Seat{}},
		{Name: "withdrawSeat", Method: "POST", Path: "/api/partnerships/{id}/seats/{seat}/withdraw", Function: FnStart, Auth: Admin, Tag: "partnerships",
			Summary: "Withdraw a member council: no longer expected (a round waiting only on it unseals), its links stop working, its shared notes leave the partnership; its past scores stay, named as withdrawn; erase: true also erases its names and notes on joint actions",
			Request: api.WithdrawSeat{}, RequestOptional: true, Response: api.Seat{}},
		{Name: "createAction", Method: "POST", Path: "/api/partnerships/{id}/actions", Function: FnStart, Auth: Member, Tag: "actions",
			Summary: "Add an action to the joint action register (the admin, or a member council among its owners)", Request: api.NewJointAction{}, Response: api.JointAction{}, Status: 201, Idempotent: true,
			Location: "/api/partnerships/{partnership}/actions/{id}"},
		{Name: "updateAction", Method: "PATCH", Path: "/api/partnerships/{id}/actions/{action}", Function: FnStart, Auth: Member, Tag: "actions",
			Summary: "Change an action (the admin or an owner council); fields left out keep their value", Request: api.JointActionChange{}, Response: api.JointAction{}},
		{Name: "addActionNote", Method: "POST", Path: "/api/partnerships/{id}/actions/{action}/notes", Function: FnStart, Auth: Member, Tag: "actions",
			Summary: "Add a dated progress note to an action (the admin or an owner council)", Request: api.NewProgressNote{}, Response: api.JointAction{}, Status: 201,
			Location: "/api/partnerships/{partnership}/actions/{id}"},

		// answers: everything that changes an assessment.
		{Name: "getAssessment", Method: "GET", Path: "/api/assessments/{id}", Function: FnAnswers, Auth: Assessment, Tag: "assessments",
			Summary: "An assessment with its answers and progress", Response: api.Assessment{}},
		{Name: "saveAnswers", Method: "PUT", Path: "/api/assessments/{id}/answers", Function: FnAnswers, Auth: Assessment, Tag: "assessments",
			Summary: "Merge answers into a draft", Request: api.SaveAnswers{}, Response: api.Saved{}},
		{Name: "submitAssessment", Method: "POST", Path: "/api/assessments/{id}/submit", Function: FnAnswers, Auth: Assessment, Tag: "assessments",
			Summary: "Submit a complete assessment (idempotent); shareNotes shares the council's notes with its partners (default: not shared)",
			Request: api.Submit{}, RequestOptional: true, Response: api.Submitted{}},
		{Name: "shareNotes", Method: "PUT", Path: "/api/assessments/{id}/note-sharing", Function: FnAnswers, Auth: Membership, Tag: "assessments",
			Summary: "Share the council's notes with its partners, or stop sharing them, while the round's comparison is sealed",
			Request: api.ShareNotes{}, Response: api.NoteSharing{}},
		{Name: "listRespondents", Method: "GET", Path: "/api/assessments/{id}/respondents", Function: FnAnswers, Auth: Assessment, Tag: "respondents",
			Summary: "The colleagues invited to answer, with how far each has got (the lead)", Response: api.Respondents{}},
		{Name: "removeRespondent", Method: "DELETE", Path: "/api/assessments/{id}/respondents/{respondent}", Function: FnAnswers, Auth: Assessment, Tag: "respondents",
			Summary: "Remove a colleague (the lead): their answers and notes are erased and their link stops working", Status: 204},
		{Name: "getRespondentAnswers", Method: "GET", Path: "/api/assessments/{id}/respondents/{respondent}/answers", Function: FnAnswers, Auth: Respondent, Tag: "respondents",
			Summary: "A colleague's own answers, with the questions routed to their role first (the colleague's token only)", Response: api.RespondentAnswers{}},
		{Name: "saveRespondentAnswers", Method: "PUT", Path: "/api/assessments/{id}/respondents/{respondent}/answers", Function: FnAnswers, Auth: Respondent, Tag: "respondents",
			Summary: "Merge a colleague's own answers (the colleague's token only); the council's answers do not change", Request: api.SaveRespondentAnswers{}, Response: api.RespondentSaved{}},
		{Name: "getConsolidation", Method: "GET", Path: "/api/assessments/{id}/consolidation", Function: FnAnswers, Auth: Assessment, Tag: "respondents",
			Summary: "Every colleague's answer per question, the spread, where the council disagrees with itself and the suggested council answer (median rounded down); the lead sets the council's answer with PUT …/answers, giving why when it differs from every colleague", Response: api.Consolidation{}},
		{Name: "deleteAssessment", Method: "DELETE", Path: "/api/assessments/{id}", Function: FnAnswers, Auth: Assessment, Tag: "assessments",
			Summary: "Erase an assessment and everything about it", Status: 204},

		// score: read-only.
		{Name: "scoreAssessment", Method: "GET", Path: "/api/assessments/{id}/score", Function: FnScore, Auth: Assessment, Tag: "assessments",
			Summary: "Scores per area against the intended form's targets", Response: api.Score{}},
		{Name: "scoreAssessmentCSV", Method: "GET", Path: "/api/assessments/{id}/score.csv", Function: FnScore, Auth: Assessment, Tag: "assessments",
			Summary: "The score report as CSV (one row per question)"},

		// compare: read-only views of a partnership.
		{Name: "getPartnership", Method: "GET", Path: "/api/partnerships/{id}", Function: FnCompare, Auth: Member, Tag: "partnerships",
			Summary: "A partnership with its rounds and members", Response: api.Partnership{}},
		{Name: "getComparison", Method: "GET", Path: "/api/partnerships/{id}/comparison", Function: FnCompare, Auth: Member, Tag: "partnerships",
			Summary: "Side-by-side comparison of a round (sealed until all submit)", Response: api.Comparison{}},
		{Name: "getComparisonCSV", Method: "GET", Path: "/api/partnerships/{id}/comparison.csv", Function: FnCompare, Auth: Member, Tag: "partnerships",
			Summary: "The comparison as CSV (one row per question and council)"},
		{Name: "listActions", Method: "GET", Path: "/api/partnerships/{id}/actions", Function: FnCompare, Auth: Member, Tag: "actions",
			Summary: "The partnership's joint action register (every member reads it)", Response: api.JointActions{}},
		{Name: "getActionsCSV", Method: "GET", Path: "/api/partnerships/{id}/actions.csv", Function: FnCompare, Auth: Member, Tag: "actions",
			Summary: "The joint action register as CSV (one row per action)"},
		{Name: "getAction", Method: "GET", Path: "/api/partnerships/{id}/actions/{action}", Function: FnCompare, Auth: Member, Tag: "actions",
			Summary: "One action of the register", Response: api.JointAction{}},
		{Name: "getWorkshopCSV", Method: "GET", Path: "/api/partnerships/{id}/workshop.csv", Function: FnCompare, Auth: Member, Tag: "partnerships",
			Summary: "The partners' workshop pack of a round as CSV: one row per agenda item (must-haves first, then shortfall × weight, then divergence), with each council's answer in words, shared notes, discussion prompts, the next step and empty decision and owner columns"},
	}
}
