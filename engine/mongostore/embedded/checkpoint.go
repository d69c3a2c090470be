package embedded

import (
	"log/slog"
	"sync"
	"sync/atomic"
)

// Checkpoints in the background. SQLite copies the pages of the WAL back
// into the database file (a checkpoint) when a commit leaves the WAL at
// 1,000 pages or more, in that commit, on the committing connection. The
// front commits with the other writes held off, so every such checkpoint,
// a few milliseconds of copying and two fsyncs, held up every write
// queued behind it, one submission in about fifty.
//
// The writer's connections do not checkpoint by themselves. After every
// checkpointEvery commits a connection of its own, in a goroutine, copies
// what the WAL holds while the writer goes on (a PASSIVE checkpoint, as
// SQLite's own: it never waits for readers or blocks the writer). SQLite
// starts the WAL over only once all of it is copied, and the writer
// appends meanwhile, so the writer then finishes the job at its next
// commit, copying only the pages written since; the write after that
// starts the WAL from its beginning. FerretDB's own connections keep
// SQLite's automatic checkpoints; they write little.

// checkpointEvery is how many commits go by between checkpoints. A
// submission's commit is a few pages, so the WAL stays well under the
// 1,000 pages SQLite's automatic checkpoint lets it reach.
const checkpointEvery = 64

// checkpointer checkpoints one database file.
type checkpointer struct {
	file    string
	commits atomic.Int64 // since the last checkpoint began
	kick    chan struct{}
	quit    chan struct{}
	once    sync.Once
	wg      sync.WaitGroup
	runs    atomic.Int64 // checkpoints made, for tests
	// finish asks the writer to copy what was written while the
	// goroutine copied the rest (finishCheckpoint).
	finish atomic.Bool
}

func startCheckpointer(file string) *checkpointer {
	c := &checkpointer{file: file, kick: make(chan struct{}, 1), quit: make(chan struct{})}
	c.wg.Add(1)
	go c.loop()
	return c
}

// committed counts a commit, and asks for a checkpoint every
// checkpointEvery of them.
func (c *checkpointer) committed() {
	if c.commits.Add(1) < checkpointEvery {
		return
	}
	select {
	case c.kick <- struct{}{}:
	default: // one is asked for already
	}
}

func (c *checkpointer) loop() {
	defer c.wg.Done()
	var conn *rawConn
	defer func() {
		if conn != nil {
			conn.close()
		}
	}()
	for {
		select {
		case <-c.quit:
			return
		case <-c.kick:
		}
		c.commits.Store(0)
		var err error
		if conn == nil {
			conn, err = openRaw(c.file)
		}
		if err == nil {
			_, err = conn.run("PRAGMA wal_checkpoint(PASSIVE)", func(string) {})
		}
		if err != nil {
			// The next one tries again; until then the WAL only grows.
			slog.Warn("embedded store: checkpoint", "file", c.file, "error", err)
			if conn != nil {
				conn.close()
				conn = nil
			}
			continue
		}
		c.runs.Add(1)
		c.finish.Store(true)
	}
}

// finishCheckpoint copies the WAL's last pages on conn, the writer's, if
// a checkpoint in the background has just copied the rest. It runs with
// the other writes held off, right after a commit.
func (c *checkpointer) finishCheckpoint(conn *rawConn) {
	if !c.finish.Swap(false) {
		return
	}
	if _, err := conn.run("PRAGMA wal_checkpoint(PASSIVE)", func(string) {}); err != nil {
		slog.Warn("embedded store: checkpoint", "file", c.file, "error", err)
	}
}

// stop ends the goroutine and closes its connection.
func (c *checkpointer) stop() {
	c.once.Do(func() { close(c.quit) })
	c.wg.Wait()
}
