package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/locale"
)

// The pages speak English and Welsh (issue 21). A reader's language is the
// one they chose with the link at the top of every page, kept in the
// locale.CookieName cookie; before they choose, it follows their browser's
// Accept-Language. Every template gets `t` (a text from the catalogue) and
// `th` (a text with markup of our own, its placeholders escaped), bound to
// the page's language: each language has its own clone of the templates.

// languageCookieAge keeps the choice for a year.
const languageCookieAge = 365 * 24 * time.Hour

// lang is the language of the page for req.
func lang(req *httpapi.Request) locale.Lang {
	if l, ok := locale.Parse(req.Cookie(locale.CookieName)); ok {
		return l
	}
	return locale.Negotiate(req.Header("accept-language"))
}

// csvIn marks a download as written in l: its headers follow the page
// language, chosen by the cookie or Accept-Language.
// current is the current version of the question bank in the reader's
// language (English where it has no text in it).
func (s *Site) current(req *httpapi.Request) *bank.Bank { return s.o.Bank.Current().In(lang(req)) }

func csvIn(l locale.Lang, r *httpapi.Response) *httpapi.Response {
	httpapi.InLanguage(r, l)
	r.Headers["vary"] += ", Cookie"
	return r
}

// tr is a text of the catalogue in req's language, for the strings the
// handlers set (titles, form errors). kv are placeholder names and values.
func tr(req *httpapi.Request, key string, kv ...any) string {
	return locale.Messages().T(lang(req), key, locale.Pairs(kv...))
}

// langFuncs are the template functions bound to l.
func langFuncs(l locale.Lang) template.FuncMap {
	c := locale.Messages()
	return template.FuncMap{
		"t": func(key string, kv ...any) string { return c.T(l, key, locale.Pairs(kv...)) },
		// th is for texts that hold a link or emphasis: the catalogue is
		// ours, the values are escaped before they go in.
		"th": func(key string, kv ...any) template.HTML {
			m := locale.Pairs(kv...)
			for k, v := range m {
				if _, ok := v.(template.HTML); !ok {
					m[k] = template.HTMLEscapeString(toString(v))
				}
			}
			return template.HTML(c.T(l, key, m)) //nolint:gosec // the catalogue is our own text; values are escaped above
		},
	}
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	default:
		return fmt.Sprint(x)
	}
}

// languageSwitch is the link to the page in the other language.
type languageSwitch struct {
	Href string
	// Lang is the language the link leads to; Name is its name in itself.
	Lang locale.Lang
	Name string
	// Change says what the link does, in its language, for screen readers.
	Change string
}

// switchFor is the link to req's page in the other language, or nil for a
// page that answers a form (its address shows the form again, not this
// page) and must not lose what it shows once.
func switchFor(req *httpapi.Request, current locale.Lang) *languageSwitch {
	other := locale.Welsh
	if current == locale.Welsh {
		other = locale.English
	}
	back := req.Event.RawPath
	if back == "" {
		back = "/"
	}
	if q := req.Event.RawQueryString; q != "" {
		back += "?" + q
	}
	v := url.Values{"to": {string(other)}, "back": {back}}
	return &languageSwitch{Href: "/language?" + v.Encode(), Lang: other, Name: locale.Messages().T(other, "language.name", nil),
		Change: locale.Messages().T(other, "language.change", nil)}
}

// localPath reports whether s is a path on this site, safe to redirect to:
// it starts with one slash, has no scheme, host or backslash.
func localPath(s string) bool {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.ContainsAny(s, "\\\r\n\t") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil
}

// chooseLanguage is GET /language?to=cy&back=/path: it remembers the choice
// in the language cookie and sends the reader back to the page they were on.
// It works without JavaScript; an unknown language or a back address off the
// site is ignored (English, the start page) rather than refused.
func (s *Site) chooseLanguage(_ context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	to, ok := locale.Parse(req.Query("to"))
	if !ok {
		to = lang(req)
	}
	back := req.Query("back")
	if !localPath(back) {
		back = "/"
	}
	c := &http.Cookie{Name: locale.CookieName, Value: string(to), Path: "/", MaxAge: int(languageCookieAge / time.Second),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: req.Secure()}
	return redirect(back, c.String()), nil
}

// revalidated makes a page the same for everyone cacheable with
// revalidation: an ETag of its bytes, which differ by language (and by
// compression), and 304 Not Modified when the browser has them already.
func revalidated(req *httpapi.Request, r *httpapi.Response) *httpapi.Response {
	sum := sha256.Sum256([]byte(r.Body))
	tag := `"` + lang(req).Tag() + "-" + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	r.Headers["cache-control"] = "no-cache"
	r.Headers["etag"] = tag
	for _, t := range strings.Split(req.Header("if-none-match"), ",") {
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == tag {
			keep := map[string]string{"etag": tag, "cache-control": "no-cache", "vary": r.Headers["vary"], "content-language": r.Headers["content-language"]}
			return &httpapi.Response{StatusCode: http.StatusNotModified, Headers: keep}
		}
	}
	return r
}

// tl is a text of the catalogue in lg, for views built away from a request.
func tl(lg locale.Lang, key string, kv ...any) string {
	return locale.Messages().T(lg, key, locale.Pairs(kv...))
}
