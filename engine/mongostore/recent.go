package mongostore

import (
	"bytes"
	"reflect"
	"strings"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/pishkhan/pishkhan/engine"
)

// A step reads its request, then writes it guarded by the revision it
// read. Most steps follow a write this process made a moment ago (a
// submission and its first task, a completion after a claim), so the
// store keeps the documents it wrote last, as the bytes it sent, and a
// step may start from one instead of reading it back: on the embedded
// store the read cost a third of a step. A copy another process has
// overtaken is no danger, only a retry: its revision is older than the
// stored one, so the guarded write matches nothing and the step reads the
// request and runs again (engine.Requests.write). Every change to a
// request's content bumps its revision; the writes that do not (claims
// and releases) touch only the lease fields, which no step writes.
//
// The copy is exactly what a read would return because the update that
// writes it leaves nothing else in the document: it sets every field the
// request encodes to and unsets the ones it leaves out (an omitempty
// field cleared by the step), apart from _id and the leases.

// recentCap bounds the copies kept: 1,024 requests of a few KB each.
const recentCap = 1024

// recentDocs holds the last written documents of requests, by id.
type recentDocs struct {
	mu    sync.Mutex
	docs  map[string][]byte
	order []string // ring of ids in the order they were first kept
	next  int
}

func (c *recentDocs) put(id string, doc []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.docs == nil {
		c.docs = make(map[string][]byte, recentCap)
		c.order = make([]string, recentCap)
	}
	if _, ok := c.docs[id]; !ok {
		delete(c.docs, c.order[c.next]) // the oldest goes
		c.order[c.next] = id
		c.next = (c.next + 1) % recentCap
	}
	c.docs[id] = doc
}

func (c *recentDocs) get(id string) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.docs[id]
}

func (c *recentDocs) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.docs, id) // its slot in the ring frees when overwritten
}

// RequestRecent implements engine.RecentStore: the request as this
// process last wrote it, decoded as a read would decode it, or nil.
func (s *Store) RequestRecent(id string) *engine.Request {
	doc := s.recent.get(id)
	if doc == nil {
		return nil
	}
	dec := bson.NewDecoder(bson.NewDocumentReader(bytes.NewReader(doc)))
	dec.DefaultDocumentMap()
	var r engine.Request
	if err := dec.Decode(&r); err != nil {
		s.recent.forget(id)
		return nil
	}
	return &r
}

// RequestForget implements engine.RecentStore.
func (s *Store) RequestForget(id string) { s.recent.forget(id) }

// encodeRequest encodes r as the client encodes what it inserts.
func encodeRequest(r *engine.Request) ([]byte, error) {
	var buf bytes.Buffer
	enc := bson.NewEncoder(bson.NewDocumentWriter(&buf))
	enc.NilSliceAsEmpty()
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// requestFields are the top-level fields a request may encode to.
var requestFields = topLevelFields(reflect.TypeFor[engine.Request]())

// topLevelFields lists the document fields of struct type t, following
// inline structs.
func topLevelFields(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		tag := f.Tag.Get("bson")
		name, opts, _ := strings.Cut(tag, ",")
		switch {
		case name == "-" || !f.IsExported():
		case strings.Contains(","+opts+",", ",inline,"):
			out = append(out, topLevelFields(f.Type)...)
		case name == "":
			out = append(out, strings.ToLower(f.Name))
		default:
			out = append(out, name)
		}
	}
	return out
}
