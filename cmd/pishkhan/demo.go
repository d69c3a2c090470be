package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"strings"

	"github.com/pishkhan/pishkhan/access"
	"github.com/pishkhan/pishkhan/engine"
)

// demoFiles are the definitions `--demo` publishes: fragments first, since
// forms refer to them, then rule sets, checked against forms, the
// workflows, which name forms, rule sets and groups, and last the service
// desk's calendars, SLA policies and request types, which name them all.
//
//go:embed demo
var demoFiles embed.FS

// demoAdminPassword is the admin's password when a --demo start creates
// the admin (and PISHKHAN_ADMIN_PASSWORD is not set). Listed in the README.
const demoAdminPassword = "admin-demo"

// demoUsers can log in after a --demo start; the README lists them. Each
// password is the username followed by "-demo".
var demoUsers = []struct {
	user  access.NewUser
	roles []access.RoleAssignment
}{
	{access.NewUser{Username: "sara", Name: "Sara Ahmadi", Email: "sara@example.com", Segment: "gold", Manager: "maryam"},
		[]access.RoleAssignment{{Role: access.RoleRequester, Domain: "*"}}},
	{access.NewUser{Username: "reza", Name: "Reza Karimi", Email: "reza@example.com", Department: "it", Groups: []string{"it-support"}, Manager: "maryam"},
		[]access.RoleAssignment{{Role: access.RoleAgent, Domain: "*"}}},
	{access.NewUser{Username: "maryam", Name: "Maryam Hosseini", Email: "maryam@example.com", Department: "it"},
		[]access.RoleAssignment{{Role: access.RoleSupervisor, Domain: "department:it"}, {Role: access.RoleSupervisor, Domain: "*"}}},
	{access.NewUser{Username: "farhad", Name: "Farhad Jafari", Email: "farhad@example.com", Department: "finance", Groups: []string{"finance"}},
		[]access.RoleAssignment{{Role: access.RoleAgent, Domain: "*"}}},
	{access.NewUser{Username: "leila", Name: "Leila Sadeghi", Email: "leila@example.com", Department: "procurement", Groups: []string{"procurement"}},
		[]access.RoleAssignment{{Role: access.RoleAgent, Domain: "*"}}},
	{access.NewUser{Username: "ali", Name: "Ali Rezaei", Email: "ali@example.com", Department: "customer-service", Groups: []string{"customer-service", "billing", "delivery"}},
		[]access.RoleAssignment{{Role: access.RoleAgent, Domain: "*"}}},
	{access.NewUser{Username: "omid", Name: "Omid Rahimi", Email: "omid@example.com", Department: "it"},
		[]access.RoleAssignment{{Role: access.RoleProcessOwner, Domain: "category:it"}}},
	{access.NewUser{Username: "neda", Name: "Neda Moradi", Email: "neda@example.com", Department: "customer-service"},
		[]access.RoleAssignment{{Role: access.RoleProcessOwner, Domain: "category:customer-service"}}},
}

// loadDemo creates the demo users and publishes each demo definition that
// does not exist yet, so a restart keeps whatever a user changed.
func loadDemo(ctx context.Context, defs *engine.Definitions, acc *access.Service, logger *slog.Logger) error {
	for _, d := range demoUsers {
		n := d.user
		n.Password = n.Username + "-demo"
		if _, err := acc.CreateUser(ctx, n); errors.Is(err, access.ErrExists) {
			continue
		} else if err != nil {
			return err
		}
		if err := acc.SetRoles(ctx, n.Username, d.roles); err != nil {
			return err
		}
		logger.Info("demo: user created", "username", n.Username)
	}
	for _, g := range []access.Group{
		{Key: "it", Kind: "department", Title: map[string]string{"en": "IT", "fa": "فناوری اطلاعات"}, Supervisor: "maryam"},
		{Key: "it-support", Kind: "group", Title: map[string]string{"en": "IT support", "fa": "پشتیبانی فناوری اطلاعات"}},
		{Key: "customer-service", Kind: "department", Title: map[string]string{"en": "Customer service", "fa": "خدمات مشتریان"}},
		{Key: "it-access", Kind: "group", Title: map[string]string{"en": "IT access management", "fa": "مدیریت دسترسی فناوری اطلاعات"}},
		{Key: "it-network", Kind: "group", Title: map[string]string{"en": "IT network", "fa": "شبکهٔ فناوری اطلاعات"}},
		{Key: "finance", Kind: "department", Title: map[string]string{"en": "Finance", "fa": "مالی"}},
		{Key: "procurement", Kind: "department", Title: map[string]string{"en": "Procurement", "fa": "تدارکات"}},
		{Key: "billing", Kind: "group", Title: map[string]string{"en": "Customer billing", "fa": "امور مالی مشتریان"}},
		{Key: "delivery", Kind: "group", Title: map[string]string{"en": "Delivery", "fa": "ارسال"}},
	} {
		if _, err := acc.Group(ctx, g.Key); errors.Is(err, access.ErrNotFound) {
			if _, err := acc.PutGroup(ctx, g); err != nil {
				return err
			}
		}
	}
	for _, dir := range []struct {
		name string
		kind engine.Kind
	}{{"demo/fragments", engine.KindFragment}, {"demo/forms", engine.KindForm}, {"demo/rules", engine.KindRuleSet}, {"demo/workflows", engine.KindWorkflow},
		{"demo/calendars", engine.KindCalendar}, {"demo/sla-policies", engine.KindSLAPolicy}, {"demo/request-types", engine.KindRequestType}} {
		entries, err := fs.ReadDir(demoFiles, dir.name)
		if err != nil {
			return err
		}
		for _, e := range entries {
			key := strings.TrimSuffix(e.Name(), ".json")
			if _, err := defs.Get(ctx, dir.kind, key); err == nil {
				continue
			} else if !errors.Is(err, engine.ErrNotFound) {
				return err
			}
			body, err := demoFiles.ReadFile(path.Join(dir.name, e.Name()))
			if err != nil {
				return err
			}
			if _, _, err := defs.SaveDraft(ctx, dir.kind, key, body, 0); err != nil {
				return fmt.Errorf("%s %s: %w", dir.kind, key, err)
			}
			v, err := defs.Publish(ctx, dir.kind, key)
			if err != nil {
				return fmt.Errorf("%s %s: %w", dir.kind, key, err)
			}
			logger.Info("demo: published", "kind", dir.kind, "key", key, "version", v.Number)
		}
	}
	return nil
}
