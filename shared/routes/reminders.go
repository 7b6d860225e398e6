package routes

// reminderRoutes are the pages behind the stop-reminders link of every
// reminder e-mail (HTML, served by the web function).
func reminderRoutes() []Route {
	return nil
}
