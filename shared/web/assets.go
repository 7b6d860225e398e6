package web

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io/fs"
	"net/http"
	"sync"

	"github.com/openrasp/rasp/shared/httpapi"
)

// staticFS holds static/README.md (committed) and static/dist/app.css
// (built by `make css`). Embedding the folder rather than the file keeps
// the package compiling before the stylesheet is built; pages are then
// unstyled and New logs a warning.
//
//go:embed static
var staticFS embed.FS

// assets is the stylesheet, named by its content hash so it can be cached
// forever: a new build gets a new name.
type assets struct {
	path    string // /assets/app.<hash>.css
	file    string // app.<hash>.css
	css     []byte
	missing bool

	// gzipped is base64 of the gzip of css, made on first use: compressing
	// at start-up would add milliseconds to every cold start of the web
	// function, most of which never serve the stylesheet.
	gzipOnce sync.Once
	gzipped  string
}

func (a *assets) gzip() string {
	a.gzipOnce.Do(func() { a.gzipped = base64.StdEncoding.EncodeToString(gzipBytes(a.css)) })
	return a.gzipped
}

func loadAssets(fsys fs.FS) (*assets, error) {
	css, err := fs.ReadFile(fsys, "static/dist/app.css")
	missing := errors.Is(err, fs.ErrNotExist)
	if missing {
		css, err = []byte("/* app.css is not built: run make css */\n"), nil
	}
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(css)
	file := "app." + hex.EncodeToString(sum[:6]) + ".css"
	return &assets{path: "/assets/" + file, file: file, css: css, missing: missing}, nil
}

// asset serves the stylesheet under its hashed name; any other name is 404.
func (s *Site) asset(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	if req.Param("file") != s.assets.file {
		return s.notFound(ctx, req), nil
	}
	r := httpapi.Text(http.StatusOK, "text/css; charset=utf-8", string(s.assets.css))
	if acceptsGzip(req) {
		r.Body, r.IsBase64Encoded = s.assets.gzip(), true
		r.Headers["content-encoding"] = "gzip"
	}
	r.Headers["vary"] = "Accept-Encoding"
	r.Headers["cache-control"] = "public, max-age=31536000, immutable"
	return r, nil
}
