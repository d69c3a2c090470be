package mongostore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/pishkhan/pishkhan/engine"
)

// Attachments are stored in the GridFS layout, in the bucket
// "attachments": a document per file in attachments.files ({_id, length,
// chunkSize, uploadDate, filename, metadata}) and its bytes in
// attachments.chunks ({files_id, n, data}), with the indexes GridFS asks
// for. Any GridFS reader (mongofiles --prefix attachments, a driver's
// bucket) reads them.
//
// The store writes and reads the chunks itself rather than through the
// driver's bucket, because the bucket finds a file's chunks by files_id,
// and the embedded FerretDB serves only _id lookups from an index: every
// download read and decoded every chunk of every file (measured: 4.5 s to
// read 1 MiB with 100 MiB stored, growing with all that is stored). A
// chunk's _id is "<file id>/<n>", so each chunk is read, and deleted, by
// _id on every store. Pishkhan's own metadata sits in metadata, as GridFS
// asks: the sniffed type, SHA-256, uploader, and the request it is claimed
// for or bound to.
//
// A file's document is written first, marked incomplete, then its chunks
// one by one, then the document is completed with its length and digest:
// a crash in between leaves an incomplete document the upload sweep finds
// (it is loose), never chunks nothing points to.
const (
	collFiles  = "attachments.files"
	collChunks = "attachments.chunks"
	// chunkSize is the size of a chunk: few reads per file, and one
	// chunk's worth of memory per upload or download in flight.
	chunkSize = 1 << 20
)

type fileDoc struct {
	ID         string    `bson:"_id"`
	Length     int64     `bson:"length"`
	ChunkSize  int32     `bson:"chunkSize"`
	UploadDate time.Time `bson:"uploadDate"`
	Filename   string    `bson:"filename"`
	Metadata   fileMeta  `bson:"metadata"`
}

type fileMeta struct {
	ContentType string    `bson:"contentType"`
	SHA256      string    `bson:"sha256"`
	By          string    `bson:"by"`
	Request     string    `bson:"request"`
	ClaimedAt   time.Time `bson:"claimedAt"`
	Bound       bool      `bson:"bound"`
	Complete    bool      `bson:"complete"`
	Discarded   bool      `bson:"discarded"`
}

func (d *fileDoc) file() *engine.File {
	m := d.Metadata
	return &engine.File{
		ID: d.ID, Name: d.Filename, Type: m.ContentType, Size: d.Length, SHA256: m.SHA256, By: m.By, At: d.UploadDate,
		Request: m.Request, ClaimedAt: m.ClaimedAt, Bound: m.Bound,
	}
}

func chunkID(file string, n int) string { return fmt.Sprintf("%s/%06d", file, n) }

// ensureFileIndexes creates the indexes GridFS readers expect, and the
// one the upload sweep looks loose files up with.
func (s *Store) ensureFileIndexes(ctx context.Context) error {
	for _, ix := range []struct {
		coll   *mongo.Collection
		name   string
		keys   bson.D
		unique bool
	}{
		{s.files, "filename_1_uploadDate_1", bson.D{{Key: "filename", Value: 1}, {Key: "uploadDate", Value: 1}}, false},
		{s.files, "loose", bson.D{{Key: "metadata.bound", Value: 1}, {Key: "uploadDate", Value: 1}}, false},
		{s.chunks, "files_id_1_n_1", bson.D{{Key: "files_id", Value: 1}, {Key: "n", Value: 1}}, true},
	} {
		opts := options.Index().SetName(ix.name)
		if ix.unique {
			opts.SetUnique(true)
		}
		model := mongo.IndexModel{Keys: ix.keys, Options: opts}
		if err := s.createIndex(ctx, ix.coll, model); err != nil {
			return fmt.Errorf("mongostore: create file index %s: %w", ix.name, err)
		}
	}
	return nil
}

// FilePut implements engine.Store.
func (s *Store) FilePut(ctx context.Context, p *engine.FilePutParams) (*engine.File, error) {
	doc := fileDoc{ID: p.ID, ChunkSize: chunkSize, UploadDate: p.At, Filename: p.Name, Metadata: fileMeta{ContentType: p.Type, By: p.By}}
	if _, err := s.files.InsertOne(ctx, doc); err != nil {
		return nil, storeErr(err)
	}
	hash := sha256.New()
	buf := make([]byte, chunkSize)
	n := 0
	for {
		read, rerr := io.ReadFull(p.Body, buf)
		if read > 0 {
			hash.Write(buf[:read])
			chunk := bson.D{{Key: "_id", Value: chunkID(p.ID, n)}, {Key: "files_id", Value: p.ID}, {Key: "n", Value: int32(n)},
				{Key: "data", Value: bson.Binary{Data: buf[:read]}}}
			if _, err := s.chunks.InsertOne(ctx, chunk); err != nil {
				return nil, s.abandon(ctx, p.ID, n, storeErr(err))
			}
			n++
			doc.Length += int64(read)
		}
		if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
			break
		}
		if rerr != nil {
			return nil, s.abandon(ctx, p.ID, n, fmt.Errorf("mongostore: read the file: %w", rerr))
		}
	}
	doc.Metadata.SHA256, doc.Metadata.Complete = hex.EncodeToString(hash.Sum(nil)), true
	_, err := s.files.UpdateOne(ctx, bson.D{{Key: "_id", Value: p.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "length", Value: doc.Length}, {Key: "metadata.sha256", Value: doc.Metadata.SHA256}, {Key: "metadata.complete", Value: true}}}})
	if err != nil {
		return nil, s.abandon(ctx, p.ID, n, storeErr(err))
	}
	return doc.file(), nil
}

// abandon deletes a file whose put failed (its chunks 0..n-1 and its
// document), even if ctx was cancelled (the client went away), and
// returns cause.
func (s *Store) abandon(ctx context.Context, id string, n int, cause error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if err := s.deleteFile(ctx, id, n); err != nil {
		return errors.Join(cause, fmt.Errorf("mongostore: file %s left for the upload sweep: %w", id, err))
	}
	return cause
}

// deleteFile deletes chunks n-1 down to 0, then the file's document. Going
// down leaves, if it is cut short, a prefix of chunks, which the next
// delete finds by counting up from 0.
func (s *Store) deleteFile(ctx context.Context, id string, n int) error {
	for i := n - 1; i >= 0; i-- {
		if _, err := s.chunks.DeleteOne(ctx, bson.D{{Key: "_id", Value: chunkID(id, i)}}); err != nil {
			return storeErr(err)
		}
	}
	_, err := s.files.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	return storeErr(err)
}

// FileGet implements engine.Store.
func (s *Store) FileGet(ctx context.Context, id string) (*engine.File, error) {
	d, err := s.fileDoc(ctx, id)
	if err != nil {
		return nil, err
	}
	return d.file(), nil
}

func (s *Store) fileDoc(ctx context.Context, id string) (*fileDoc, error) {
	var d fileDoc
	if err := s.files.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d); err != nil {
		return nil, storeErr(err)
	}
	if !d.Metadata.Complete || d.Metadata.Discarded {
		return nil, engine.ErrNotFound
	}
	return &d, nil
}

// FileOpen implements engine.Store.
func (s *Store) FileOpen(ctx context.Context, id string) (io.ReadCloser, error) {
	d, err := s.fileDoc(ctx, id)
	if err != nil {
		return nil, err
	}
	return &chunkReader{ctx: ctx, s: s, id: id, left: d.Length}, nil
}

// chunkReader reads a file chunk by chunk, each by its _id.
type chunkReader struct {
	ctx  context.Context
	s    *Store
	id   string
	n    int
	left int64  // bytes not yet read from the store
	buf  []byte // the rest of the chunk read last
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.buf) == 0 {
		if r.left == 0 {
			return 0, io.EOF
		}
		var c struct {
			Data []byte `bson:"data"`
		}
		err := r.s.chunks.FindOne(r.ctx, bson.D{{Key: "_id", Value: chunkID(r.id, r.n)}}).Decode(&c)
		if errors.Is(err, mongo.ErrNoDocuments) || err == nil && (len(c.Data) == 0 || int64(len(c.Data)) > r.left) {
			return 0, fmt.Errorf("mongostore: file %s: chunk %d is missing or of the wrong size", r.id, r.n)
		}
		if err != nil {
			return 0, storeErr(err)
		}
		r.n++
		r.left -= int64(len(c.Data))
		r.buf = c.Data
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func (r *chunkReader) Close() error { return nil }

// FileClaim implements engine.Store.
func (s *Store) FileClaim(ctx context.Context, p *engine.FileClaimParams) error {
	res, err := s.files.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: p.ID}, {Key: "metadata.by", Value: p.By}, {Key: "metadata.request", Value: p.From},
			{Key: "metadata.bound", Value: false}, {Key: "metadata.complete", Value: true}, {Key: "metadata.discarded", Value: false}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "metadata.request", Value: p.To}, {Key: "metadata.claimedAt", Value: p.At}}}})
	if err != nil {
		return storeErr(err)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("file %s is not an unbound upload of %s claimed for %q: %w", p.ID, p.By, p.From, engine.ErrPreconditionFailed)
	}
	return nil
}

// FileBind implements engine.Store.
func (s *Store) FileBind(ctx context.Context, id string) error {
	_, err := s.files.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: bson.D{{Key: "metadata.bound", Value: true}}}})
	return storeErr(err)
}

// FileDiscard implements engine.Store: the document is marked discarded
// (guarded), so that nobody reads or claims the file any more, then the
// chunks and the document go.
func (s *Store) FileDiscard(ctx context.Context, id, request string) error {
	res, err := s.files.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "metadata.request", Value: request}, {Key: "metadata.bound", Value: false}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "metadata.discarded", Value: true}}}})
	if err != nil {
		return storeErr(err)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("file %s is not an unbound file claimed for %q: %w", id, request, engine.ErrPreconditionFailed)
	}
	// An incomplete file's length says nothing: count its chunks.
	n := 0
	for {
		err := s.chunks.FindOne(ctx, bson.D{{Key: "_id", Value: chunkID(id, n)}}, options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Err()
		if errors.Is(err, mongo.ErrNoDocuments) {
			break
		}
		if err != nil {
			return storeErr(err)
		}
		n++
	}
	return s.deleteFile(ctx, id, n)
}

// FilesLoose implements engine.Store.
func (s *Store) FilesLoose(ctx context.Context, before time.Time, limit int) ([]*engine.File, error) {
	return findAll(ctx, s.files, bson.D{{Key: "metadata.bound", Value: false}, {Key: "uploadDate", Value: bson.D{{Key: "$lt", Value: before}}}},
		options.Find().SetLimit(int64(limit)), (*fileDoc).file)
}
