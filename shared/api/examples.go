package api

// The examples of the request bodies in the OpenAPI document: what a
// council's developer would send. Responses get examples generated from
// their schemas.

// Example is a typical start.
func (StartAssessment) Example() any {
	return StartAssessment{Council: "London Borough of Brent", Purpose: "readiness", IntendedForm: "collaborate",
		Respondent: Respondent{Name: "Sam Patel", Role: "Programme manager", Email: "sam.patel@brent.gov.uk"}}
}

// Example saves two answers: a score with a note, and "don't know".
func (SaveAnswers) Example() any {
	three := 3
	return map[string]any{"answers": map[string]any{
		"vision.political-backing": map[string]any{"score": three, "note": "Agreed at cabinet in March"},
		"vision.cross-party":       map[string]any{"score": nil},
	}}
}

// Example creates a partnership reviewed every six months.
func (CreatePartnership) Example() any {
	six := 6
	return CreatePartnership{Name: "West London shared ICT", IntendedForm: "collaborate", ContactEmail: "pmo@brent.gov.uk", CadenceMonths: &six}
}

// Example opens a health-check round after round 1, closing on 14 January 2027.
func (OpenRound) Example() any {
	return OpenRound{Purpose: "health-check", After: 1, Deadline: "2027-01-14"}
}

// Example adds an action from a finding: one question, one owning council.
func (NewJointAction) Example() any {
	return NewJointAction{Title: "Appoint a communications specialist for the programme", Questions: []string{"vision.political-backing"},
		OwnerSeats: []string{"q3vbz7kxm2c4d5e6f7g2h3j4k5"}, OwnerRole: "Head of ICT", Due: "2027-03-31", Status: "planned"}
}

// Example marks an action in progress.
func (JointActionChange) Example() any {
	s := "in-progress"
	return JointActionChange{Status: &s}
}

// Example keeps a report's "what to work on first" item.
func (NewOwnAction) Example() any {
	return NewOwnAction{Title: "Agree a data-sharing protocol with the other councils", Questions: []string{"vision.political-backing"},
		Owner: "Head of ICT", Due: "2027-03-31", Status: "planned"}
}

// Example marks an own action done.
func (OwnActionChange) Example() any {
	s := "done"
	return OwnActionChange{Status: &s}
}

// Example records progress.
func (NewProgressNote) Example() any {
	return NewProgressNote{Text: "Job description agreed by all three councils; advert out on 12 January."}
}

// Example adds a member council with its lead's address.
func (NewSeat) Example() any {
	return NewSeat{Name: "London Borough of Lewisham", GSSCode: "E09000023", Email: "ict.lead@lewisham.gov.uk"}
}

// Example renames a council to its full name.
func (SeatChange) Example() any { return SeatChange{Name: "London Borough of Brent"} }

// Example withdraws a council and erases its names and notes on actions.
func (WithdrawSeat) Example() any { return WithdrawSeat{Erase: true} }

// Example shares the report with an audit committee until the end of March.
func (ShareReport) Example() any { return ShareReport{Label: "Audit committee", Expires: "2027-03-31"} }

// Example shares round 2's comparison with a scrutiny committee.
func (ShareComparison) Example() any {
	return ShareComparison{Label: "Joint scrutiny committee", Expires: "2027-03-31", Round: 2}
}

// Example routes the resources area and the legal basis to a colleague and
// shows them the spread.
func (UpdateRespondent) Example() any {
	routed, sees := []string{"resources", "governance.legal-basis"}, true
	return UpdateRespondent{Routed: &routed, SeesSpread: &sees}
}

// Example hands the lead to a colleague.
func (HandOverLead) Example() any { return HandOverLead{Respondent: "r4vbz7kxm2c4d5e6f7g2h3j4k5"} }
