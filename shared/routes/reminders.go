package routes

// reminderRoutes are the pages behind the stop-reminders link of every
// reminder e-mail (HTML, served by the web function). The token in the link
// (query, or form field on POST) is a stop-only capability, so the routes
// need no other credentials. GET shows a confirm button and changes
// nothing; POST stops.
func reminderRoutes() []Route {
	return []Route{
		{Name: "stopAssessmentReminders", Method: "GET", Path: "/assessments/{id}/stop-reminders", Function: FnWeb, Auth: Public, Tag: "html",
			Summary: "Confirm stopping the reminder e-mails about an assessment"},
		{Name: "confirmStopAssessmentReminders", Method: "POST", Path: "/assessments/{id}/stop-reminders", Function: FnWeb, Auth: Public, Tag: "html",
			Summary: "Stop the reminder e-mails about an assessment (also RFC 8058 one-click)"},
		{Name: "stopPartnershipReminders", Method: "GET", Path: "/partnerships/{id}/stop-reminders", Function: FnWeb, Auth: Public, Tag: "html",
			Summary: "Confirm stopping the health-check reminders to a partnership's contact"},
		{Name: "confirmStopPartnershipReminders", Method: "POST", Path: "/partnerships/{id}/stop-reminders", Function: FnWeb, Auth: Public, Tag: "html",
			Summary: "Stop the health-check reminders to a partnership's contact (also RFC 8058 one-click)"},
		{Name: "stopColleagueReminders", Method: "GET", Path: "/assessments/{id}/respondents/{respondent}/stop-reminders", Function: FnWeb, Auth: Public, Tag: "html",
			Summary: "Confirm stopping the reminder to a colleague answering for their council"},
		{Name: "confirmStopColleagueReminders", Method: "POST", Path: "/assessments/{id}/respondents/{respondent}/stop-reminders", Function: FnWeb, Auth: Public, Tag: "html",
			Summary: "Stop the reminder to a colleague answering for their council (also RFC 8058 one-click)"},
		{Name: "stopSeatReminders", Method: "GET", Path: "/partnerships/{id}/seats/{seat}/stop-reminders", Function: FnWeb, Auth: Public, Tag: "html",
			Summary: "Confirm stopping the deadline reminders to a member council's lead"},
		{Name: "confirmStopSeatReminders", Method: "POST", Path: "/partnerships/{id}/seats/{seat}/stop-reminders", Function: FnWeb, Auth: Public, Tag: "html",
			Summary: "Stop the deadline reminders to a member council's lead (also RFC 8058 one-click)"},
		{Name: "stopActionReminders", Method: "GET", Path: "/partnerships/{id}/actions/{action}/stop-reminders", Function: FnWeb, Auth: Public, Tag: "html",
			Summary: "Confirm stopping one recipient's reminders about a joint action (?for= names the recipient)"},
		{Name: "confirmStopActionReminders", Method: "POST", Path: "/partnerships/{id}/actions/{action}/stop-reminders", Function: FnWeb, Auth: Public, Tag: "html",
			Summary: "Stop one recipient's reminders about a joint action (also RFC 8058 one-click)"},
	}
}
