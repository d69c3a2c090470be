// Package embedded runs FerretDB v1 with its SQLite backend inside the
// Pishkhan process, so that a single `pishkhan` command needs no database to
// be installed.
//
// The embedded server is reached through the same mongo-driver code as a real
// MongoDB: it only answers the wire protocol on a Unix socket inside the data
// folder (or, when that path is too long for a socket, on an ephemeral
// loopback port), and optionally on a loopback TCP address so that other
// Pishkhan processes on the same machine can share it. It never listens on a
// public interface.
//
// A lock file in the data folder keeps a second process from opening the same
// SQLite files: two writers would corrupt them.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// maxSocketPath is the longest Unix socket path every supported platform
// accepts (sun_path is 104 bytes on macOS and 108 on Linux, NUL included).
const maxSocketPath = 100

// Config says where the embedded store keeps its data and how it listens.
type Config struct {
	// Dir is the data folder; it is created (mode 0700) if missing.
	Dir string
	// TCP, if set, is an additional loopback address ("127.0.0.1:27017")
	// on which other processes may reach the store. Non-loopback addresses
	// are refused.
	TCP string
	// Logger receives FerretDB's own log lines. Nil keeps FerretDB quiet:
	// only its errors reach slog.Default().
	Logger *slog.Logger
}

// Server is a running embedded store.
type Server struct {
	front  *front
	side   *sideStore
	direct *directWriter
	reader *directReader
	uri    string
	cancel context.CancelFunc
	done   chan struct{}
	unlock func()
}

// ErrLocked means another process already serves this data folder.
var ErrLocked = errors.New("embedded store: the data folder is in use by another process")

// Start opens the data folder and starts serving it. The caller must Stop the
// server after it has disconnected its clients.
func Start(cfg Config) (*Server, error) {
	keepCMemoryRegions()
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("embedded store: data folder: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("embedded store: data folder: %w", err)
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	if cfg.TCP != "" {
		if err := checkLoopback(cfg.TCP); err != nil {
			unlock()
			return nil, err
		}
	}

	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	}

	// FerretDB listens privately; clients reach it through the front,
	// which serialises writes (serialize.go).
	internal := ferretdb.ListenerConfig{}
	internalSock := filepath.Join(dir, "ferretdb.sock")
	if len(internalSock) <= maxSocketPath {
		// We hold the lock, so a socket file left here is from a process
		// that died; remove it or listening fails.
		_ = os.Remove(internalSock)
		internal.Unix = internalSock
	} else {
		internal.TCP = "127.0.0.1:0"
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  internal,
		Handler:   "sqlite",
		SQLiteURL: (&url.URL{Scheme: "file", Path: dir + "/", RawQuery: sqlitePragmas}).String(),
		Logger:    logger,
	})
	if err != nil {
		unlock()
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{cancel: cancel, done: make(chan struct{}), unlock: unlock}
	go func() {
		defer close(s.done)
		_ = f.Run(ctx)
	}()
	// MongoDBURI waits until FerretDB has bound its listener.
	backendURI := f.MongoDBURI()
	network, address := "unix", internalSock
	if internal.Unix == "" {
		backend, err := url.Parse(backendURI)
		if err != nil {
			s.abort()
			return nil, fmt.Errorf("embedded store: %w", err)
		}
		network, address = "tcp", backend.Host
	}
	s.front = newFront(func() (net.Conn, error) { return net.Dial(network, address) })
	ix := &idIndexer{dir: dir, done: map[string]bool{}, logger: logger}
	if err := ix.run(); err != nil {
		s.abort()
		return nil, err
	}
	side := newSideStore(dir)
	if err := side.installAll(); err != nil {
		side.close()
		s.abort()
		return nil, err
	}
	s.side = side
	direct := newDirectWriter(dir)
	s.direct = direct
	reader := newDirectReader(dir)
	s.reader = reader
	s.front.wrote = func(command, db, coll string) {
		ix.wrote(command, db, coll)
		direct.wrote(command, db)
		reader.wrote(command, db)
		if err := side.wrote(command, db, coll); err != nil {
			// The fast paths refuse a collection whose triggers are
			// missing, and the next write tries again.
			logger.Error("embedded store: side tables", "collection", db+"."+coll, "error", err)
		}
	}
	s.front.fast = side.answerFast
	s.front.check = side.checkGuarded
	s.front.insert = direct.insert
	s.front.update = direct.update
	s.front.insertAll = direct.insertAll
	s.front.read = reader.find
	s.front.commit = direct.commitAll
	s.front.settled = func(db, coll string) bool {
		_, side := sideCollections[coll]
		return ix.done[db+"."+coll] && (!side || s.side.kept[db+"."+coll])
	}

	sock := filepath.Join(dir, "store.sock")
	var ln net.Listener
	if len(sock) <= maxSocketPath {
		_ = os.Remove(sock)
		ln, err = net.Listen("unix", sock)
		s.uri = "mongodb://" + url.PathEscape(sock) + "/"
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
		if err == nil {
			s.uri = "mongodb://" + ln.Addr().String() + "/"
		}
	}
	if err != nil {
		s.abort()
		return nil, fmt.Errorf("embedded store: listen: %w", err)
	}
	s.front.serve(ln)
	if cfg.TCP != "" {
		tcp, err := net.Listen("tcp", cfg.TCP)
		if err != nil {
			s.abort()
			return nil, fmt.Errorf("embedded store: listen %s: %w", cfg.TCP, err)
		}
		s.front.serve(tcp)
	}
	return s, nil
}

// abort undoes a Start that failed half-way.
func (s *Server) abort() {
	if s.front != nil {
		s.front.close()
	}
	if s.direct != nil {
		s.direct.close()
	}
	if s.reader != nil {
		s.reader.close()
	}
	s.cancel()
	<-s.done
	s.unlock()
}

// URI is the MongoDB connection string of the running store.
func (s *Server) URI() string { return s.uri }

// Stop shuts the store down and waits (up to the context's deadline) for it
// to close its files.
func (s *Server) Stop(ctx context.Context) error {
	s.front.close()
	s.side.close()
	s.direct.close()
	s.reader.close()
	s.cancel()
	defer s.unlock()
	select {
	case <-s.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("embedded store: stop: %w", ctx.Err())
	}
}

func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("embedded store: listen address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("embedded store: listen address %q is not a loopback address; the embedded store never listens on a public interface", addr)
	}
	return nil
}

// sqlitePragmas are added to FerretDB's own (busy timeout, WAL, no auto
// vacuum). temp_store(memory) keeps statement journals in memory: a write
// to a request whose document spans overflow pages journals more than
// SQLite's 64 KiB spill threshold, and spilling wrote a temporary file on
// every such write.
var sqlitePragmas = url.Values{"_pragma": {"temp_store(memory)"}}.Encode()
