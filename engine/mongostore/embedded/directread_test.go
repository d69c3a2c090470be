package embedded

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// unusualDocument holds what only FerretDB writes (the direct writes leave
// these types to it), for the direct reads to decode.
func unusualDocument(id string) bson.D {
	return bson.D{
		{Key: "_id", Value: id},
		{Key: "bin", Value: bson.Binary{Data: []byte{0, 1, 2, 0xff}}},
		{Key: "uuid", Value: bson.Binary{Subtype: 4, Data: []byte("0123456789abcdef")}},
		{Key: "user", Value: bson.Binary{Subtype: 0x80, Data: []byte{}}},
		{Key: "re", Value: bson.Regex{Pattern: `^a\.b+"c"$`, Options: "im"}},
		{Key: "ts", Value: bson.Timestamp{T: 1_700_000_000, I: 7}},
		{Key: "negZero", Value: math.Copysign(0, -1)},
		{Key: "minInt", Value: int32(math.MinInt32)},
		{Key: "minLong", Value: int64(math.MinInt64)},
		{Key: "bigDouble", Value: 1e21},
		{Key: "smallest", Value: 5e-324},
		{Key: "tenth", Value: 0.1},
		{Key: "arr", Value: bson.A{bson.D{{Key: "x", Value: bson.Binary{Data: []byte{9}}}}, bson.D{}, bson.Regex{Pattern: "x"}}},
	}
}

// The front answers a find of one document by _id from SQLite with the
// very reply FerretDB gives, byte for byte, for every type FerretDB
// stores; a find of another shape, or of something the front cannot
// read, goes to FerretDB.
func TestDirectReadsAnswerWhatFerretDBAnswers(t *testing.T) {
	s, db, _ := start(t)
	ctx := context.Background()
	c := db.Collection("requests")
	if err := db.CreateCollection(ctx, "requests"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.InsertOne(ctx, richDocument("written-by-front")); err != nil {
		t.Fatal(err)
	}
	s.front.noDirect.Store(true)
	for _, doc := range []bson.D{richDocument("written-by-ferretdb"), unusualDocument("unusual"), {{Key: "_id", Value: "bare"}}} {
		if _, err := c.InsertOne(ctx, doc); err != nil {
			t.Fatal(err)
		}
	}
	oid := bson.ObjectID{0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c}
	if _, err := c.InsertOne(ctx, bson.D{{Key: "_id", Value: oid}}); err != nil {
		t.Fatal(err)
	}
	s.front.noDirect.Store(false)

	// answer runs cmd through the front, then through FerretDB alone, and
	// reports whether the front answered it itself. A cursor FerretDB
	// leaves open has a new id each time: only the first batch is
	// compared then.
	answer := func(cmd bson.D) (front, ferret string, direct bool) {
		t.Helper()
		run := func() string {
			raw, err := db.RunCommand(ctx, cmd).Raw()
			if err != nil {
				return "error: " + err.Error()
			}
			if id := raw.Lookup("cursor", "id"); id.Type == bson.TypeInt64 && id.Int64() != 0 {
				return "open cursor: " + raw.Lookup("cursor", "firstBatch").String()
			}
			return string(raw)
		}
		before := s.front.readDirect.Load()
		front = run()
		direct = s.front.readDirect.Load() > before
		s.front.noDirect.Store(true)
		defer s.front.noDirect.Store(false)
		return front, run(), direct
	}
	find := func(coll string, id any, more ...bson.E) bson.D {
		return append(bson.D{{Key: "find", Value: coll}, {Key: "filter", Value: bson.D{{Key: "_id", Value: id}}}}, more...)
	}
	one := []bson.E{{Key: "limit", Value: int64(1)}, {Key: "singleBatch", Value: true}}
	cases := []struct {
		name   string
		cmd    bson.D
		direct bool
	}{
		{"as the front wrote it", find("requests", "written-by-front", one...), true},
		{"as FerretDB wrote it", find("requests", "written-by-ferretdb", one...), true},
		{"types only FerretDB writes", find("requests", "unusual", one...), true},
		{"only an _id", find("requests", "bare", one...), true},
		{"no limit, default batch", find("requests", "written-by-front"), true},
		{"with a time limit", find("requests", "unusual", bson.E{Key: "maxTimeMS", Value: int64(5000)}), true},
		{"no such document", find("requests", "missing", one...), true},
		{"a string of an object id's digits", find("requests", oid.Hex(), one...), false},
		{"an object id", find("requests", oid, one...), false},
		{"a batch of one leaves a cursor open", find("requests", "bare", bson.E{Key: "batchSize", Value: int32(1)}), false},
		{"a projection", find("requests", "unusual", bson.E{Key: "projection", Value: bson.D{{Key: "re", Value: 1}}}), false},
		{"a sort", find("requests", "bare", bson.E{Key: "sort", Value: bson.D{{Key: "x", Value: 1}}}), false},
		{"a filter of more than the _id", append(bson.D{{Key: "find", Value: "requests"}, {Key: "filter", Value: bson.D{{Key: "_id", Value: "bare"}, {Key: "x", Value: 1}}}}, one...), false},
		{"an escaped _id", find("requests", "a \"quoted\" id", one...), false},
		{"no such collection", find("nothing-here", "bare", one...), false},
		{"a negative limit", find("requests", "bare", bson.E{Key: "limit", Value: int64(-1)}), false},
	}
	for _, tc := range cases {
		front, ferret, direct := answer(tc.cmd)
		if direct != tc.direct {
			t.Errorf("%s: answered by the front: %v, want %v", tc.name, direct, tc.direct)
		}
		if front != ferret || strings.HasPrefix(front, "error") != (tc.name == "a negative limit") {
			t.Errorf("%s: replies differ\nfront:    %q\nFerretDB: %q", tc.name, front, ferret)
		}
	}

	// Through the driver, the document is the one inserted.
	var got bson.Raw
	if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: "written-by-front"}}).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if want := mustMarshal(richDocument("written-by-front")); string(got) != string(want) {
		t.Errorf("read back\n%s\nwant\n%s", got, bson.Raw(want))
	}
	if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: "missing"}}).Err(); err != mongo.ErrNoDocuments {
		t.Errorf("a missing document: %v, want ErrNoDocuments", err)
	}
}

// A direct read after a database was dropped and made again reads the
// new file, not the removed one its connection had open.
func TestDirectReadsFollowADroppedDatabase(t *testing.T) {
	s, db, _ := start(t)
	ctx := context.Background()
	c := db.Collection("requests")
	read := func() string {
		t.Helper()
		var doc struct{ Status string }
		before := s.front.readDirect.Load()
		if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: "r1"}}).Decode(&doc); err != nil {
			t.Fatal(err)
		}
		if s.front.readDirect.Load() == before {
			t.Fatal("the front did not read it")
		}
		return doc.Status
	}
	for _, status := range []string{"before", "after"} {
		if _, err := c.InsertOne(ctx, bson.D{{Key: "_id", Value: "r1"}, {Key: "status", Value: status}}); err != nil {
			t.Fatal(err)
		}
		if got := read(); got != status {
			t.Fatalf("read %q, want %q", got, status)
		}
		if status == "before" {
			if err := db.Drop(ctx); err != nil {
				t.Fatal(err)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
