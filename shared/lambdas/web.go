package lambdas

import (
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/web"
)

// Web is the web function: the HTML front end (shared/web) and the
// stop-reminders pages, every handler wrapped for security headers, the
// cross-origin form check and HTML error pages.
func Web(d Deps) *httpapi.Router {
	site := web.MustNew(web.Options{
		Assessments: d.Assessments, Partnerships: d.Partnerships, Bank: d.Bank, Mailer: d.Mailer,
		BaseURL: d.Config.BaseURL, Log: d.Log,
	})
	handlers := site.Handlers()
	for name, h := range stopHandlers(d) {
		handlers[name] = site.Wrap(h)
	}
	return httpapi.MustRouter(routes.FnWeb, handlers, d.Log)
}
