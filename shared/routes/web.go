package routes

import "github.com/openrasp/rasp/shared/ratelimit"

// webRoutes are the HTML pages, served by the web function with the same
// domain code as the API. They are not in the OpenAPI document. Pages about
// one assessment read its token from the HttpOnly cookie that /resume sets
// (Path=/assessments/<id>); partnership admin pages read the admin cookie
// that /admin sets (Path=/partnerships/<id>). Members of a partnership see
// its status and comparison under their assessment's path, with their
// assessment cookie.
func webRoutes() []Route {
	page := func(method, name, path string, auth Auth, summary string) Route {
		return Route{Name: name, Method: method, Path: path, Function: FnWeb, Auth: auth, Tag: "html", Summary: summary}
	}
	link := func(r Route) Route { r.TokenInQuery = true; return r }
	limited := func(r Route, p ratelimit.Policy) Route { r.Limit = p; return r }
	const get, post = "GET", "POST"
	return []Route{
		page(get, "webStart", "/", Public, "Start page"),
		page(get, "webAsset", "/assets/{file}", Public, "Stylesheet, named by its content hash (immutable)"),
		page(get, "webAccessibility", "/accessibility", Public, "Accessibility statement"),
		page(get, "webPrivacy", "/privacy", Public, "Privacy notice"),
		page(get, "webCookies", "/cookies", Public, "Cookies: what the pages keep in the browser and why"),
		page(get, "webLanguage", "/language", Public, "Choose the language of the pages (?to=cy&back=/path): keeps the choice in a cookie and redirects back"),
		page(get, "webRecover", "/recover", Public, "Send me a new link: the form"),
		limited(page(post, "webSendRecovery", "/recover", Public, "Send me a new link: mails a fresh link to the address on file (the same reply whether or not it matched)"), ratelimit.Recover),
		page(get, "webProblemType", "/problems/{kind}", Public, "What a problem type of the API means and what to do (its type URI is this address)"),

		page(get, "webNewAssessment", "/assessments/new", Public, "Start an assessment: the form"),
		limited(page(post, "webCreateAssessment", "/assessments/new", Public, "Start an assessment; shows the private link once"), ratelimit.Create),
		page(get, "webAssessmentDeleted", "/assessments/deleted", Public, "Confirmation that an assessment was deleted"),
		link(page(get, "webResume", "/assessments/{id}/resume", Assessment, "Private link: sets the assessment cookie and redirects")),
		page(get, "webTaskList", "/assessments/{id}", Assessment, "Task list: the five areas and their status"),
		page(get, "webArea", "/assessments/{id}/areas/{area}", Assessment, "The questions of one area"),
		page(post, "webSaveArea", "/assessments/{id}/areas/{area}", Assessment, "Save the answers of one area"),
		page(get, "webCheckAnswers", "/assessments/{id}/check", Assessment, "Check your answers"),
		page(post, "webSubmit", "/assessments/{id}/submit", Assessment, "Submit the assessment"),
		page(get, "webReport", "/assessments/{id}/report", Assessment, "Score report"),
		page(get, "webReportJSON", "/assessments/{id}/report.json", Assessment, "Score report as JSON (download)"),
		page(get, "webReportCSV", "/assessments/{id}/report.csv", Assessment, "Answers as CSV (download)"),
		page(get, "webDeleteAssessment", "/assessments/{id}/delete", Assessment, "Delete an assessment: confirm"),
		page(post, "webConfirmDelete", "/assessments/{id}/delete", Assessment, "Delete an assessment"),
		page(post, "webStartHealthCheck", "/assessments/{id}/health-check", Assessment, "Start the council's health-check from a submitted assessment"),
		page(get, "webShareReport", "/assessments/{id}/share", Assessment, "Share a read-only link to the report: the form and the live links"),
		page(post, "webCreateReportLink", "/assessments/{id}/share", Assessment, "Make a read-only link to the report; shows it once"),
		page(post, "webRevokeReportLink", "/assessments/{id}/share/{viewer}/revoke", Assessment, "Revoke a read-only link to the report"),
		link(page(get, "webReportViewerResume", "/assessments/{id}/views/{viewer}/resume", ReportViewer, "A read-only link to a report: sets its cookie and redirects")),
		page(get, "webViewerReport", "/assessments/{id}/views/{viewer}", ReportViewer, "The report, read-only"),
		page(get, "webViewerReportCSV", "/assessments/{id}/views/{viewer}/report.csv", ReportViewer, "The report's answers as CSV, read-only (download)"),
		page(get, "webMemberPartnership", "/assessments/{id}/partnership", Membership, "A member's view of its partnership's rounds"),
		page(get, "webMemberComparison", "/assessments/{id}/comparison", Membership, "A member's view of the comparison (?round=n)"),
		page(post, "webShareNotes", "/assessments/{id}/note-sharing", Membership, "Share the council's notes with its partners, or stop, while the round is sealed"),
		page(get, "webMemberBoard", "/assessments/{id}/board", Membership, "A member's board summary of the comparison: the print view (?round=n)"),
		page(get, "webMemberBoardHTML", "/assessments/{id}/board.html", Membership, "A member's board summary as a document for a committee paper (download)"),
		page(get, "webMemberWorkshop", "/assessments/{id}/workshop", Membership, "A member's workshop pack from the comparison (?round=n)"),
		page(get, "webMemberWorkshopCSV", "/assessments/{id}/workshop.csv", Membership, "A member's workshop pack as CSV (download)"),
		page(get, "webMemberComparisonCSV", "/assessments/{id}/comparison.csv", Membership, "A member's comparison as CSV (download)"),

		page(get, "webNewPartnership", "/partnerships/new", Public, "Create a partnership: the form"),
		limited(page(post, "webCreatePartnership", "/partnerships/new", Public, "Create a partnership; shows the join code and admin link once"), ratelimit.Create),
		link(page(get, "webPartnershipAdmin", "/partnerships/{id}/admin", Admin, "Admin link: sets the admin cookie and redirects")),
		page(get, "webPartnership", "/partnerships/{id}", Member, "Partnership rounds and who has submitted"),
		page(post, "webOpenRound", "/partnerships/{id}/rounds", Admin, "Open a health-check round"),
		page(post, "webRotateJoinCode", "/partnerships/{id}/join-code", Admin, "Make a new join code; shows it once"),
		page(post, "webCloseRound", "/partnerships/{id}/rounds/{n}/close", Admin, "Close a round"),
		page(get, "webComparison", "/partnerships/{id}/comparison", Member, "Side-by-side comparison (?round=n)"),
		page(get, "webBoard", "/partnerships/{id}/board", Member, "Board summary of the comparison: the print view (?round=n)"),
		page(get, "webBoardHTML", "/partnerships/{id}/board.html", Member, "Board summary as a document for a committee paper (download)"),
		page(get, "webWorkshop", "/partnerships/{id}/workshop", Member, "Workshop pack from the comparison (?round=n)"),
		page(get, "webWorkshopCSV", "/partnerships/{id}/workshop.csv", Member, "Workshop pack as CSV (download)"),
		page(get, "webComparisonCSV", "/partnerships/{id}/comparison.csv", Member, "Comparison as CSV (download)"),
		page(get, "webShareComparison", "/partnerships/{id}/share", Admin, "Share a read-only link to a round's comparison: the form and the live links (?round=n)"),
		page(post, "webCreateComparisonLink", "/partnerships/{id}/share", Admin, "Make a read-only link to a round's comparison; shows it once"),
		page(post, "webRevokeComparisonLink", "/partnerships/{id}/share/{viewer}/revoke", Admin, "Revoke a read-only link to a comparison"),
		link(page(get, "webComparisonViewerResume", "/partnerships/{id}/views/{viewer}/resume", ComparisonViewer, "A read-only link to a comparison: sets its cookie and redirects")),
		page(get, "webViewerComparison", "/partnerships/{id}/views/{viewer}", ComparisonViewer, "A round's comparison, read-only, as a member council sees it"),
		page(get, "webViewerBoard", "/partnerships/{id}/views/{viewer}/board", ComparisonViewer, "The board summary of the comparison, read-only: the print view"),
		page(get, "webViewerComparisonCSV", "/partnerships/{id}/views/{viewer}/comparison.csv", ComparisonViewer, "The comparison as CSV, read-only (download)"),
		link(page(get, "webSeatInvitation", "/partnerships/{id}/seats/{seat}/invitation", Seat, "Seat invitation link: sets the seat cookie and redirects")),
		page(get, "webSeat", "/partnerships/{id}/seats/{seat}", Seat, "A member council's seat: start its assessment for the round"),
		page(post, "webSeatStart", "/partnerships/{id}/seats/{seat}/start", Seat, "Start the seat's assessment for the round"),
		page(get, "webNewSeat", "/partnerships/{id}/seats/new", Admin, "Add a member council: the form"),
		page(post, "webAddSeat", "/partnerships/{id}/seats/new", Admin, "Add a member council; shows its invitation once"),
		page(get, "webManageSeat", "/partnerships/{id}/seats/{seat}/manage", Admin, "A member council for the admin: rename or withdraw it"),
		page(post, "webRenameSeat", "/partnerships/{id}/seats/{seat}/rename", Admin, "Rename a member council"),
		page(post, "webWithdrawSeat", "/partnerships/{id}/seats/{seat}/withdraw", Admin, "Withdraw a member council"),
		page(get, "webAdmins", "/partnerships/{id}/admins", Admin, "The administrators: add one, remove one (yourself too, to hand over)"),
		page(post, "webAddAdmin", "/partnerships/{id}/admins", Admin, "Add an administrator; shows their link once"),
		page(post, "webRemoveAdmin", "/partnerships/{id}/admins/{admin}/remove", Admin, "Remove an administrator"),
		page(post, "webBringIn", "/assessments/{id}/join", Assessment, "Bring a submitted private assessment into a partnership round"),

		// Several respondents per council (issue 19): the lead's pages
		// under the assessment's cookie, a colleague's under their own.
		page(get, "webRespondents", "/assessments/{id}/respondents", Assessment, "Colleagues answering: invite, remove, see how far each has got"),
		page(post, "webInviteRespondent", "/assessments/{id}/respondents", Assessment, "Invite a colleague; shows their private link once"),
		page(post, "webRemoveRespondent", "/assessments/{id}/respondents/{respondent}/remove", Assessment, "Remove a colleague and erase their answers"),
		page(get, "webRespondentSettings", "/assessments/{id}/respondents/{respondent}/settings", Assessment, "One colleague for the lead: what they answer first, whether they see the spread, hand the lead to them"),
		page(post, "webSaveRespondentSettings", "/assessments/{id}/respondents/{respondent}/settings", Assessment, "Save what a colleague answers first and whether they see the spread"),
		page(post, "webHandOverLead", "/assessments/{id}/respondents/{respondent}/lead", Assessment, "Hand the lead to a colleague; shows the new lead's link once"),
		page(get, "webConsolidation", "/assessments/{id}/consolidation/{area}", Assessment, "The council's answers of one area, beside every colleague's"),
		page(post, "webSaveConsolidation", "/assessments/{id}/consolidation/{area}", Assessment, "Save the council's answers of one area"),
		link(page(get, "webRespondentResume", "/assessments/{id}/respondents/{respondent}/resume", Respondent, "A colleague's private link: sets their cookie and redirects")),
		page(get, "webRespondentHome", "/assessments/{id}/respondents/{respondent}", Respondent, "A colleague's own answers: the areas, theirs first"),
		page(get, "webRespondentArea", "/assessments/{id}/respondents/{respondent}/areas/{area}", Respondent, "A colleague's answers of one area"),
		page(get, "webRespondentSpread", "/assessments/{id}/respondents/{respondent}/spread", Respondent, "Every colleague's answers, read only, when the lead shared them with this colleague"),
		page(post, "webSaveRespondentArea", "/assessments/{id}/respondents/{respondent}/areas/{area}", Respondent, "Save a colleague's answers of one area"),

		// The joint action register: the admin's under the partnership, a
		// member council's under its round assessment (same handlers).
		page(get, "webActions", "/partnerships/{id}/actions", Member, "The joint action register"),
		page(get, "webActionsCSV", "/partnerships/{id}/actions.csv", Member, "The joint action register as CSV (download)"),
		page(get, "webNewAction", "/partnerships/{id}/actions/new", Member, "Add an action: the form (?question= pre-fills it from a finding)"),
		page(post, "webCreateAction", "/partnerships/{id}/actions/new", Member, "Add an action"),
		page(get, "webAction", "/partnerships/{id}/actions/{action}", Member, "One action: details, progress notes, edit form"),
		page(post, "webUpdateAction", "/partnerships/{id}/actions/{action}", Member, "Change an action"),
		page(post, "webAddActionNote", "/partnerships/{id}/actions/{action}/notes", Member, "Add a progress note to an action"),
		page(get, "webMemberActions", "/assessments/{id}/actions", Membership, "A member's view of the joint action register"),
		page(get, "webMemberActionsCSV", "/assessments/{id}/actions.csv", Membership, "A member's joint action register as CSV (download)"),
		page(get, "webMemberNewAction", "/assessments/{id}/actions/new", Membership, "A member adds an action: the form"),
		page(post, "webMemberCreateAction", "/assessments/{id}/actions/new", Membership, "A member adds an action"),
		page(get, "webMemberAction", "/assessments/{id}/actions/{action}", Membership, "A member's view of one action"),
		page(post, "webMemberUpdateAction", "/assessments/{id}/actions/{action}", Membership, "A member changes an action it owns"),
		page(post, "webMemberAddActionNote", "/assessments/{id}/actions/{action}/notes", Membership, "A member adds a progress note to an action it owns"),

		// The council's own action list (issue 18): the assessment's holder only.
		page(get, "webOwnActions", "/assessments/{id}/own-actions", Assessment, "The council's own actions, with then and now for those carried from its last assessment"),
		page(post, "webKeepOwnAction", "/assessments/{id}/own-actions/keep", Assessment, "Keep a report item as one of the council's own actions (one click, pre-filled)"),
		page(get, "webOwnAction", "/assessments/{id}/own-actions/{action}", Assessment, "One of the council's own actions: details, then and now, progress notes, edit form"),
		page(post, "webUpdateOwnAction", "/assessments/{id}/own-actions/{action}", Assessment, "Change one of the council's own actions"),
		page(post, "webAddOwnActionNote", "/assessments/{id}/own-actions/{action}/notes", Assessment, "Add a progress note to one of the council's own actions"),
	}
}
