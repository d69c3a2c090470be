package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/engine/mongostore"
	"github.com/pishkhan/pishkhan/engine/sample"
)

// Submitting over HTTP runs every request through validation, routing and
// a workflow step: about 65 a second, hours for 100,000. A store that has
// served a year holds mostly closed, archived requests, so the bench's
// fast preload writes that year directly to the server's store, as the
// engine would have left it (engine/sample), in batches.

// preloadBatch is how many requests one insert carries (about 2 MB).
const preloadBatch = 500

// preloadSpread fits the demo: its request types and groups; its agents
// and more (who left, or are not demo users), so that an agent's queue
// holds a share of the backlog like in a real desk.
func preloadSpread() sample.Spread {
	sp := sample.DefaultSpread()
	sp.Types = []string{"it-support", "complaint", "purchase-request"}
	sp.Agents = append(slices.Clone(sp.Agents[:16]), "reza", "ali", "farhad", "leila")
	return sp
}

// preloadStore writes c.Preload requests submitted over the year up to
// now to the store at c.PreloadStore, and then has the owners' open counts
// recounted.
func preloadStore(ctx context.Context, c *benchConfig) error {
	client, err := mongo.Connect(mongostore.ClientOptions(c.PreloadStore))
	if err != nil {
		return fmt.Errorf("bench: preload store: %w", err)
	}
	defer func() { _ = client.Disconnect(context.Background()) }()
	store := mongostore.New(client.Database(c.PreloadDatabase))
	if err := store.Ping(ctx); err != nil {
		return fmt.Errorf("bench: preload store: %w", err)
	}
	year := sample.NewYear(c.Preload, time.Now().UTC().Truncate(time.Second), preloadSpread(), uint64(time.Now().UnixNano()))
	// One goroutine makes batches while another stores them: the store
	// takes one write at a time anyway.
	batches := make(chan []*engine.Request, 2)
	go func() {
		defer close(batches)
		batch := make([]*engine.Request, 0, preloadBatch)
		for i := range c.Preload {
			if batch = append(batch, year.Request(i)); len(batch) == preloadBatch || i == c.Preload-1 {
				select {
				case batches <- batch:
				case <-ctx.Done():
					return
				}
				batch = make([]*engine.Request, 0, preloadBatch)
			}
		}
	}()
	done, open, start := 0, 0, time.Now()
	for batch := range batches {
		if err := store.RequestsImport(ctx, batch); err != nil {
			return fmt.Errorf("bench: preload: %w", err)
		}
		for _, r := range batch {
			if !r.Closed {
				open++
			}
		}
		if done += len(batch); done%(100*preloadBatch) == 0 {
			fmt.Fprintf(c.Out, "preloaded %d (%.0f/s)\n", done, float64(done)/time.Since(start).Seconds())
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	fmt.Fprintf(c.Out, "preloaded %d requests, %d of them open; recounting owners' open requests\n", done, open)
	return store.LoadRecount(ctx)
}
