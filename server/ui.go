package server

import (
	"io/fs"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// MountUI serves the web app from fsys at /. Paths that are not files get
// index.html, so the app's own routes survive a reload; API paths are never
// answered by the app, so unknown API paths stay 404 problems and a wrong
// method stays 405. It is middleware rather than a catch-all route for that
// reason.
func MountUI(e *echo.Echo, fsys fs.FS) {
	e.Use(middleware.StaticWithConfig(middleware.StaticConfig{
		Filesystem: http.FS(fsys),
		HTML5:      true,
		Skipper: func(c echo.Context) bool {
			p := c.Request().URL.Path
			return p == APIPrefix || strings.HasPrefix(p, APIPrefix+"/") || p == "/healthz" || p == "/readyz"
		},
	}))
}
