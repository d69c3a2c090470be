package mongostore_test

import (
	"context"
	"testing"

	"github.com/pishkhan/pishkhan/engine/mongostore"
	"github.com/pishkhan/pishkhan/engine/mongostore/storetest"
)

// EnsureIndexes runs at every start of every process, so it must succeed
// on a database that has the indexes already.
func TestEnsureIndexesIsIdempotent(t *testing.T) {
	s := mongostore.New(storetest.DB(t))
	for i := 0; i < 2; i++ {
		if err := s.EnsureIndexes(context.Background()); err != nil {
			t.Fatal(i, err)
		}
	}
}
