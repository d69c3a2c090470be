package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"strings"

	"github.com/pishkhan/pishkhan/engine"
)

// demoFiles are the definitions `--demo` publishes: fragments first, since
// forms refer to them.
//
//go:embed demo
var demoFiles embed.FS

// loadDemo publishes each demo definition that does not exist yet, so a
// restart keeps whatever a user changed.
func loadDemo(ctx context.Context, defs *engine.Definitions, logger *slog.Logger) error {
	for _, dir := range []struct {
		name string
		kind engine.Kind
	}{{"demo/fragments", engine.KindFragment}, {"demo/forms", engine.KindForm}} {
		entries, err := fs.ReadDir(demoFiles, dir.name)
		if err != nil {
			return err
		}
		for _, e := range entries {
			key := strings.TrimSuffix(e.Name(), ".json")
			if _, err := defs.Get(ctx, dir.kind, key); err == nil {
				continue
			} else if !errors.Is(err, engine.ErrNotFound) {
				return err
			}
			body, err := demoFiles.ReadFile(path.Join(dir.name, e.Name()))
			if err != nil {
				return err
			}
			if _, _, err := defs.SaveDraft(ctx, dir.kind, key, body, 0); err != nil {
				return fmt.Errorf("%s %s: %w", dir.kind, key, err)
			}
			v, err := defs.Publish(ctx, dir.kind, key)
			if err != nil {
				return fmt.Errorf("%s %s: %w", dir.kind, key, err)
			}
			logger.Info("demo: published", "kind", dir.kind, "key", key, "version", v.Number)
		}
	}
	return nil
}
