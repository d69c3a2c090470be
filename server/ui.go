package server

import (
	"io/fs"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// UIContentSecurityPolicy is the CSP of the web app's pages. It differs
// from the API's in one word: 'unsafe-eval' in script-src, because the
// request form validates in the browser with the form's own JSON Schema
// through ajv, which compiles each schema into a function. Those schemas
// come from our own API (published forms), never from the page's content;
// scripts still load only from this origin, and nothing else is allowed
// that the default policy does not allow.
const UIContentSecurityPolicy = "default-src 'self'; script-src 'self' 'unsafe-eval'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// uiAssetsPrefix is where Vite writes the app's files, each named by a hash
// of its content; only index.html names them, so they may be cached for good.
const uiAssetsPrefix = "/assets/"

// MountUI serves the web app from fsys at /. Paths that are not files get
// index.html, so the app's own routes survive a reload; API paths are never
// answered by the app, so unknown API paths stay 404 problems and a wrong
// method stays 405. It is middleware rather than a catch-all route for that
// reason.
//
// Hashed assets are cached for a year (immutable); everything else,
// index.html above all, is revalidated on every load, so a new build is
// picked up at once. Files are sent gzipped to browsers that take it (the
// app's script is about a third of its size so, which a phone on a slow
// line feels).
func MountUI(e *echo.Echo, fsys fs.FS) {
	isAPI := func(c echo.Context) bool {
		p := c.Request().URL.Path
		return p == APIPrefix || strings.HasPrefix(p, APIPrefix+"/") || p == "/healthz" || p == "/readyz"
	}
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if isAPI(c) {
				return next(c)
			}
			h := c.Response().Header()
			h.Set(echo.HeaderContentSecurityPolicy, UIContentSecurityPolicy)
			if p := c.Request().URL.Path; strings.HasPrefix(p, uiAssetsPrefix) {
				// A missing asset is a 404, not index.html cached for a year.
				if _, err := fs.Stat(fsys, strings.TrimPrefix(p, "/")); err != nil {
					return echo.ErrNotFound
				}
				h.Set(echo.HeaderCacheControl, "public, max-age=31536000, immutable")
			} else {
				h.Set(echo.HeaderCacheControl, "no-cache")
			}
			return next(c)
		}
	}, middleware.GzipWithConfig(middleware.GzipConfig{Skipper: isAPI, MinLength: 1024}), middleware.StaticWithConfig(middleware.StaticConfig{
		Filesystem: http.FS(fsys),
		HTML5:      true,
		Skipper:    isAPI,
	}))
}
