// Package ui embeds the web app's build (ui/dist) so that the pishkhan
// binary serves it with nothing else installed. The app's source is the
// TypeScript beside this file, built by Vite (docs/ui.md); dist is
// committed, and CI rebuilds it and fails when it differs from the source.
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
