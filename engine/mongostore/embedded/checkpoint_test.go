package embedded

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// TestCheckpointsRunBesideTheWriter: the writer's connection never
// checkpoints (its commits hold the other writes off), yet the WAL stays
// small over thousands of commits, because a connection of its own
// checkpoints it; and everything written is in the store after a restart.
func TestCheckpointsRunBesideTheWriter(t *testing.T) {
	dir := t.TempDir()
	s, db, stop := serve(t, dir)
	ctx := context.Background()
	coll := db.Collection("events")
	const n = 3000
	pad := strings.Repeat("x", 1000)
	for i := range n {
		if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("e%05d", i)}, {Key: "pad", Value: pad}}); err != nil {
			t.Fatal(err)
		}
	}
	w, err := s.direct.open("shop")
	if err != nil {
		t.Fatal(err)
	}
	if got, _, err := w.conn.queryText("PRAGMA wal_autocheckpoint"); err != nil || got != "0" {
		t.Errorf("the writer's connection checkpoints every %s pages (%v)", got, err)
	}
	if w.ckpt.runs.Load() == 0 {
		t.Errorf("no checkpoint ran in %d commits", n)
	}
	// Each commit appends a few 4 KiB pages: unchecked, the WAL would
	// pass 30 MiB.
	info, err := os.Stat(filepath.Join(dir, "shop.sqlite-wal"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() > 8<<20 {
		t.Errorf("the WAL is %d bytes after %d commits", info.Size(), n)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	_, db, stop = serve(t, dir)
	defer func() { _ = stop() }()
	if got, err := db.Collection("events").CountDocuments(ctx, bson.D{}); err != nil || got != n {
		t.Errorf("after a restart: %d documents (%v), want %d", got, err, n)
	}
}
