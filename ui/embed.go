// Package ui embeds the web app's build (ui/dist) so that the pishkhan
// binary serves it with nothing else installed. Until the Vite app lands
// (issue 7), dist holds a hand-written public page: tracking a request by
// its code, in English and Persian.
package ui

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built web app, rooted at its index.html.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed directive guarantees dist exists
	}
	return sub
}
