// Package storetest gives tests a real MongoDB-compatible database.
//
// By default one embedded FerretDB is started per test binary (in a
// temporary folder); with PISHKHAN_TEST_MONGODB_URI set, the same tests run
// against that server instead. Each call to DB returns a fresh database
// that is dropped when the test ends, so tests may run in parallel.
//
// A package that uses it runs its tests through Main:
//
//	func TestMain(m *testing.M) { storetest.Main(m) }
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/pishkhan/pishkhan/engine/mongostore"
	"github.com/pishkhan/pishkhan/engine/mongostore/embedded"
)

// EnvURI names the environment variable that selects an external MongoDB.
const EnvURI = "PISHKHAN_TEST_MONGODB_URI"

var (
	mu     sync.Mutex
	uri    string
	client *mongo.Client
	server *embedded.Server
	dir    string
)

// Embedded reports whether the tests run against the embedded store (no
// EnvURI), which has commands of its own a MongoDB lacks.
func Embedded() bool { return os.Getenv(EnvURI) == "" }

// Main runs the package's tests and then stops the store it started.
func Main(m *testing.M) {
	code := m.Run()
	mu.Lock()
	if client != nil {
		_ = client.Disconnect(context.Background())
	}
	if server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = server.Stop(ctx)
		cancel()
	}
	if dir != "" {
		_ = os.RemoveAll(dir)
	}
	mu.Unlock()
	os.Exit(code)
}

// URI returns the connection string of the test store, starting the
// embedded one on first use.
func URI(t testing.TB) string {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if uri != "" {
		return uri
	}
	if u := os.Getenv(EnvURI); u != "" {
		uri = u
		return uri
	}
	d, err := os.MkdirTemp("", "pishkhan-test-store-")
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	s, err := embedded.Start(embedded.Config{Dir: d})
	if err != nil {
		t.Fatalf("storetest: start embedded store: %v", err)
	}
	dir, server, uri = d, s, s.URI()
	return uri
}

// Client returns a client connected to the test store, shared by the tests
// of this binary.
func Client(t testing.TB) *mongo.Client {
	t.Helper()
	u := URI(t)
	mu.Lock()
	defer mu.Unlock()
	if client == nil {
		c, err := mongo.Connect(mongostore.ClientOptions(u))
		if err != nil {
			t.Fatalf("storetest: connect: %v", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := c.Ping(ctx, nil); err != nil {
			t.Fatalf("storetest: ping %s: %v", u, err)
		}
		client = c
	}
	return client
}

// DB returns a new, empty database that is dropped when t ends.
func DB(t testing.TB) *mongo.Database {
	t.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	db := Client(t).Database(fmt.Sprintf("test_%s", hex.EncodeToString(b[:])))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = db.Drop(ctx)
	})
	return db
}

// Store returns an engine store on a fresh database, indexes created.
func Store(t testing.TB) *mongostore.Store {
	t.Helper()
	s := mongostore.New(DB(t))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatalf("storetest: %v", err)
	}
	return s
}

// Count returns the number of documents in a collection of the store's
// database, for tests that check nothing was written.
func Count(t testing.TB, s *mongostore.Store, collection string) (int64, error) {
	t.Helper()
	return s.Database().Collection(collection).CountDocuments(context.Background(), map[string]any{})
}
