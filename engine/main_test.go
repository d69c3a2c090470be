package engine_test

import (
	"testing"

	"github.com/pishkhan/pishkhan/engine/mongostore/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }
