package httpapi

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/openrasp/rasp/shared/routes"
)

// HTTP semantics that every JSON route shares, applied to the handler's
// reply in one place (RFC 9110, 9111, 6750):
//   - 201 carries Location, filled from the route's template;
//   - a GET reply carries a strong ETag (the handler's, or a hash of the
//     body) and If-None-Match with a current tag answers 304 without a body;
//   - 401 carries WWW-Authenticate: Bearer;
//   - JSON and CSV over 1 KB are gzip-compressed when the request accepts
//     it, with Vary: Accept-Encoding (the ETag then names the gzip variant);
//   - JSON replies say Content-Language: en-GB unless the handler names
//     the language (GET /api/questions in Welsh says cy); a problem reply
//     is in the language of Accept-Language and says which (Problem).
//
// HTML pages are left to the web function.

// CompressMin is the smallest body worth compressing: below it the gzip
// header and the CPU cost more than the bytes saved.
const CompressMin = 1 << 10

// GzipSuffix marks the ETag of a gzip-compressed reply: a strong tag names
// one sequence of bytes, and the compressed bytes are a different one.
const GzipSuffix = "-gzip"

// Language is the language of the API's text.
const Language = "en-GB"

// sum256 is sha256.Sum256 of s, fed in pieces so that a large body is not
// copied whole to hash it.
func sum256(s string) [sha256.Size]byte {
	h := sha256.New()
	var piece [8 << 10]byte
	for len(s) > 0 {
		n := copy(piece[:], s)
		h.Write(piece[:n])
		s = s[n:]
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

func finish(req *Request, resp *Response) *Response {
	if resp.Headers == nil {
		resp.Headers = map[string]string{}
	}
	if req.Route.Tag == "html" {
		return resp
	}
	ct := mediaType(resp.Headers["content-type"])
	if ct == "application/json" || ct == "application/problem+json" {
		setDefault(resp.Headers, "content-language", Language)
	}
	if resp.StatusCode == http.StatusUnauthorized {
		setDefault(resp.Headers, "www-authenticate", `Bearer realm="rasp"`)
	}
	if resp.StatusCode == http.StatusCreated && req.Route.Location != "" {
		if loc, ok := location(req.Route, req.Params, resp.Body); ok {
			setDefault(resp.Headers, "location", loc)
		}
	}
	get := req.Event.RequestContext.HTTP.Method == http.MethodGet || req.Event.RequestContext.HTTP.Method == http.MethodHead
	if get && resp.StatusCode == http.StatusOK && resp.Headers["etag"] == "" && !resp.IsBase64Encoded {
		sum := sum256(resp.Body)
		resp.Headers["etag"] = `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	}
	compressible := (ct == "application/json" || ct == "application/problem+json" || ct == "text/csv") && len(resp.Body) > CompressMin
	if compressible {
		addVary(resp.Headers, "Accept-Encoding")
	}
	gz := compressible && !resp.IsBase64Encoded && acceptsGzip(req.Header("accept-encoding"))
	if tag := resp.Headers["etag"]; tag != "" && gz {
		resp.Headers["etag"] = strings.TrimSuffix(tag, `"`) + GzipSuffix + `"`
	}
	if get && resp.StatusCode == http.StatusOK && resp.Headers["etag"] != "" && noneMatch(req.Header("if-none-match"), resp.Headers["etag"]) {
		keep := map[string]string{}
		for _, k := range []string{"etag", "cache-control", "vary", "content-location", "expires"} {
			if v, ok := resp.Headers[k]; ok {
				keep[k] = v
			}
		}
		return &Response{StatusCode: http.StatusNotModified, Headers: keep}
	}
	if gz {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
		_, _ = w.Write([]byte(resp.Body))
		_ = w.Close()
		resp.Body, resp.IsBase64Encoded = base64.StdEncoding.EncodeToString(b.Bytes()), true
		resp.Headers["content-encoding"] = "gzip"
	}
	return resp
}

func setDefault(h map[string]string, k, v string) {
	if _, ok := h[k]; !ok {
		h[k] = v
	}
}

func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return ""
	}
	return mt
}

// acceptsGzip reads Accept-Encoding (RFC 9110 §12.5.3): gzip or * with a
// non-zero weight.
func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		if q > 0 {
			return true
		}
	}
	return false
}

// noneMatch reports whether If-None-Match names the current tag. It uses
// the weak comparison (RFC 9110 §13.1.2) and treats the identity and gzip
// variants of a tag alike, since both describe the same resource state.
func noneMatch(header, current string) bool {
	if header == "" {
		return false
	}
	if strings.TrimSpace(header) == "*" {
		return true
	}
	want := opaque(current)
	for _, t := range strings.Split(header, ",") {
		if opaque(t) == want {
			return true
		}
	}
	return false
}

func opaque(tag string) string {
	tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
	return strings.TrimSuffix(strings.Trim(tag, `"`), GzipSuffix)
}

// location fills a route's Location template: each {name} from the reply's
// JSON field of that name, else from the path parameter.
func location(r routes.Route, params map[string]string, body string) (string, bool) {
	var fields map[string]any
	_ = json.Unmarshal([]byte(body), &fields)
	ok := true
	out := routes.Placeholder.ReplaceAllStringFunc(r.Location, func(m string) string {
		name := m[1 : len(m)-1]
		switch v := fields[name].(type) {
		case string:
			return url.PathEscape(v)
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
		if p, found := params[name]; found {
			return url.PathEscape(p)
		}
		ok = false
		return m
	})
	return out, ok
}

// StrongTag is the ETag of a revision number.
func StrongTag(revision int64) string { return strconv.Quote(strconv.FormatInt(revision, 10)) }

// IfMatchRevision reads If-Match for a resource whose ETag is its revision:
// nil when the header is absent or * (any current representation: the
// resource exists, or the call would fail as not found anyway). A weak tag
// never matches under the strong comparison If-Match uses (RFC 9110
// §13.1.1), so it returns weak = true and the caller answers 412.
func IfMatchRevision(h string) (revision *int64, weak bool, err error) {
	h = strings.TrimSpace(h)
	if h == "" || h == "*" {
		return nil, false, nil
	}
	if strings.HasPrefix(h, "W/") {
		return nil, true, nil
	}
	if len(h) < 2 || h[0] != '"' || h[len(h)-1] != '"' {
		return nil, false, fmt.Errorf("not an entity tag")
	}
	n, perr := strconv.ParseInt(strings.TrimSuffix(h[1:len(h)-1], GzipSuffix), 10, 64)
	if perr != nil || n < 0 {
		return nil, false, fmt.Errorf("not a revision")
	}
	return &n, false, nil
}
