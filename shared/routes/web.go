package routes

// webRoutes are the HTML pages, served by the web function with the same
// domain code as the API. They are not in the OpenAPI document.
func webRoutes() []Route {
	return []Route{
		{Name: "webStart", Method: "GET", Path: "/", Function: FnWeb, Auth: Public, Tag: "html", Summary: "Start page"},
	}
}
