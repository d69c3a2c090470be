package access_test

import (
	"context"
	"io"
	"slices"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/pishkhan/pishkhan/access"
	"github.com/pishkhan/pishkhan/engine/mongostore/storetest"
)

// TestNewDefaultRulesReachOldDatabases: a database set up before the
// knowledge base and KPIs existed gets their default rules at the next
// start; a default its admin had removed stays removed, then and at every
// later start, and so does a new default removed after the upgrade.
func TestNewDefaultRulesReachOldDatabases(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.DB(t)
	start := func() *access.Service {
		t.Helper()
		s, err := access.New(ctx, db, storetest.URI(t), access.Config{PasswordCost: cheap}, access.Logger{})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Bootstrap(ctx, "admin-password", io.Discard); err != nil {
			t.Fatal(err)
		}
		return s
	}
	rules := func(s *access.Service) []access.Rule {
		t.Helper()
		r, err := s.Rules()
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	s := start()
	if got := rules(s); len(got) != len(access.DefaultRules) {
		t.Fatalf("a new database has %d rules, want the %d defaults", len(got), len(access.DefaultRules))
	}

	// Make it what a database of the release before looked like: no
	// knowledge or KPI rules, no edition recorded; its admin had also
	// taken submitting and task work away from requesters.
	removed := access.Rule{Role: access.RoleRequester, Domain: "*", Object: "requests", Action: "submit"}
	removedTasks := access.Rule{Role: access.RoleRequester, Domain: "*", Object: "tasks", Action: "work"}
	ownersGroups := access.Rule{Role: access.RoleProcessOwner, Domain: "*", Object: "groups", Action: "read"} // edition 4
	var old []access.Rule
	for _, r := range access.DefaultRules {
		if r.Object != "knowledge" && r.Object != "kpis" && r != ownersGroups && r != removed && r != removedTasks {
			old = append(old, r)
		}
	}
	if err := s.SetRules(ctx, old); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Collection("counters").DeleteOne(ctx, bson.D{{Key: "_id", Value: "policy-edition"}}); err != nil {
		t.Fatal(err)
	}

	s = start()
	got := rules(s)
	for _, r := range access.DefaultRules {
		if (r.Object == "knowledge" || r.Object == "kpis" || r == ownersGroups) && !slices.Contains(got, r) {
			t.Errorf("upgrade did not add %+v", r)
		}
	}
	if slices.Contains(got, removed) || slices.Contains(got, removedTasks) {
		t.Error("upgrade put back a default the admin had removed")
	}
	if _, err := s.CreateUser(ctx, access.NewUser{Username: "maryam", Password: "maryam-password", Name: "Maryam", Email: "maryam@example.com"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRoles(ctx, "maryam", []access.RoleAssignment{{Role: access.RoleSupervisor, Domain: "*"}}); err != nil {
		t.Fatal(err)
	}
	if !s.Can(&access.Principal{Subject: "maryam"}, "*", "kpis", "read") {
		t.Error("after the upgrade a supervisor still cannot read KPIs")
	}

	// A new default removed after the upgrade stays removed.
	kpis := access.Rule{Role: access.RoleSupervisor, Domain: "*", Object: "kpis", Action: "read"}
	if err := s.SetRules(ctx, slices.DeleteFunc(got, func(r access.Rule) bool { return r == kpis })); err != nil {
		t.Fatal(err)
	}
	if got := rules(start()); slices.Contains(got, kpis) || slices.Contains(got, removed) {
		t.Errorf("a later start put back removed defaults: %v", got)
	}
}
