package mongostore_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/engine/mongostore/storetest"
)

// Files are stored in the GridFS layout: the driver's own GridFS bucket
// reads what the store wrote, byte for byte.
func TestFilesAreGridFS(t *testing.T) {
	t.Parallel()
	s := storetest.Store(t)
	ctx := context.Background()
	body := make([]byte, 2<<20+777)
	_, _ = rand.Read(body)
	f, err := s.FilePut(ctx, &engine.FilePutParams{ID: "F1", Name: "scan.pdf", Type: "application/pdf", By: "sara", At: time.Now().UTC(), Body: bytes.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	if f.Size != int64(len(body)) || f.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("put answered %+v", f)
	}
	bucket := s.Database().GridFSBucket(options.GridFSBucket().SetName("attachments"))
	stream, err := bucket.OpenDownloadStream(ctx, "F1")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(stream)
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("the driver's bucket read %d bytes: %v", len(got), err)
	}
	if stream.GetFile().Name != "scan.pdf" {
		t.Errorf("file name %q", stream.GetFile().Name)
	}
	cur, err := bucket.Find(ctx, bson.D{{Key: "metadata.by", Value: "sara"}})
	if err != nil {
		t.Fatal(err)
	}
	var found []bson.M
	if err := cur.All(ctx, &found); err != nil || len(found) != 1 {
		t.Errorf("bucket.Find: %v %v", found, err)
	}
	// The store reads it the same, chunk by chunk.
	r, err := s.FileOpen(ctx, "F1")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(r); err != nil || !bytes.Equal(got, body) {
		t.Errorf("FileOpen read %d bytes: %v", len(got), err)
	}
}

// failAfter fails once n bytes were read.
type failAfter struct {
	r io.Reader
	n int
}

var errBroken = errors.New("connection reset")

func (f *failAfter) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errBroken
	}
	if len(p) > f.n {
		p = p[:f.n]
	}
	n, err := f.r.Read(p)
	f.n -= n
	return n, err
}

// A put whose body fails half way leaves nothing behind, however many
// chunks it had written; a discarded file goes with its chunks.
func TestFilesLeaveNothingBehind(t *testing.T) {
	t.Parallel()
	s := storetest.Store(t)
	ctx := context.Background()
	body := bytes.NewReader(make([]byte, 5<<20))
	_, err := s.FilePut(ctx, &engine.FilePutParams{ID: "F2", Name: "big.zip", By: "sara", At: time.Now().UTC(), Body: &failAfter{r: body, n: 3<<20 + 5}})
	if !errors.Is(err, errBroken) {
		t.Fatalf("put with a broken body: %v", err)
	}
	count := func() (int64, int64) {
		files, err1 := storetest.Count(t, s, "attachments.files")
		chunks, err2 := storetest.Count(t, s, "attachments.chunks")
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		return files, chunks
	}
	if files, chunks := count(); files != 0 || chunks != 0 {
		t.Errorf("a broken put left %d files, %d chunks", files, chunks)
	}
	if _, err := s.FileGet(ctx, "F2"); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("get: %v", err)
	}
	if _, err := s.FilePut(ctx, &engine.FilePutParams{ID: "F3", Name: "a.txt", By: "sara", At: time.Now().UTC(), Body: bytes.NewReader(make([]byte, 3<<20))}); err != nil {
		t.Fatal(err)
	}
	if err := s.FileClaim(ctx, &engine.FileClaimParams{ID: "F3", By: "reza", To: "R1"}); !errors.Is(err, engine.ErrPreconditionFailed) {
		t.Errorf("someone else claims it: %v", err)
	}
	if err := s.FileClaim(ctx, &engine.FileClaimParams{ID: "F3", By: "sara", To: "R1"}); err != nil {
		t.Fatal(err)
	}
	if err := s.FileDiscard(ctx, "F3", ""); !errors.Is(err, engine.ErrPreconditionFailed) {
		t.Errorf("discarding a file claimed meanwhile: %v", err)
	}
	if err := s.FileDiscard(ctx, "F3", "R1"); err != nil {
		t.Fatal(err)
	}
	if files, chunks := count(); files != 0 || chunks != 0 {
		t.Errorf("a discarded file left %d files, %d chunks", files, chunks)
	}
}
