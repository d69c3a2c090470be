package mongostore_test

import (
	"context"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/pishkhan/pishkhan/engine/mongostore/storetest"
)

// BenchmarkStoreCost measures how the cost of the basic operations grows
// with the number of documents in a collection: on the embedded store only
// lookups by _id use an index, so the other rows show the scan cost the
// README publishes. Run: go test -run '^$' -bench StoreCost -benchtime 200x ./engine/mongostore/
func BenchmarkStoreCost(b *testing.B) {
	for _, n := range []int{100, 1000, 5000} {
		db := storetest.DB(b)
		coll := db.Collection("docs")
		ctx := context.Background()
		docs := make([]any, n)
		for i := range docs {
			docs[i] = bson.D{{Key: "_id", Value: fmt.Sprintf("K%08d", i)}, {Key: "status", Value: "open"}, {Key: "n", Value: i},
				{Key: "data", Value: bson.D{{Key: "subject", Value: "printer"}, {Key: "amount", Value: i * 10}}}}
		}
		for i := 0; i < n; i += 500 {
			if _, err := coll.InsertMany(ctx, docs[i:min(i+500, n)]); err != nil {
				b.Fatal(err)
			}
		}
		run := func(name string, op func(i int) error) {
			b.Run(fmt.Sprintf("%s/docs=%d", name, n), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if err := op(i); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		run("find-by-id", func(i int) error {
			return coll.FindOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("K%08d", i%n)}}).Err()
		})
		run("find-by-field", func(i int) error {
			return coll.FindOne(ctx, bson.D{{Key: "n", Value: (i * 7919) % n}}).Err() // spread over the collection
		})
		run("update-by-id", func(i int) error {
			_, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("K%08d", i%n)}}, bson.D{{Key: "$inc", Value: bson.D{{Key: "rev", Value: 1}}}})
			return err
		})
		run("insert", func(i int) error {
			_, err := coll.InsertOne(ctx, bson.D{{Key: "status", Value: "open"}, {Key: "n", Value: -i}})
			return err
		})
	}
}
