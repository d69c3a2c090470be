package access

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	mongodbadapter "github.com/casbin/mongodb-adapter/v4"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// casbinModel: roles are held in a domain ("category:it", "department:it")
// or globally ("*"); a permission rule grants a role an action on an object
// in the domains its pattern matches.
const casbinModel = `
[request_definition]
r = sub, dom, obj, act

[policy_definition]
p = sub, dom, obj, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = (g(r.sub, p.sub, r.dom) || g(r.sub, p.sub, "*")) && keyMatch(r.dom, p.dom) && (p.obj == "*" || r.obj == p.obj) && (p.act == "*" || r.act == p.act)
`

// Objects and the actions on them that permission rules may name.
var Objects = map[string][]string{
	"definitions":     {"read", "write", "publish"},
	"published-forms": {"read"},
	"requests":        {"submit", "read", "read-own", "manage"},
	"tasks":           {"work", "manage"},
	"callbacks":       {"deliver"},
	"users":           {"read", "write"},
	"groups":          {"read", "write"},
	"policies":        {"read", "write"},
	"apikeys":         {"read", "write"},
	"knowledge":       {"read", "write", "manage"},
	"kpis":            {"read"},
}

// Rule is a permission rule: role may act on object in the domains that
// match domain ("*" is every domain, "category:*" every category).
type Rule struct {
	Role   string `json:"role"`
	Domain string `json:"domain"`
	Object string `json:"object"`
	Action string `json:"action"`
}

// DefaultRules are installed on first start. Admins may change them.
var DefaultRules = []Rule{
	{RoleAdmin, "*", "*", "*"},
	{RoleProcessOwner, "category:*", "definitions", "read"},
	{RoleProcessOwner, "category:*", "definitions", "write"},
	{RoleProcessOwner, "category:*", "definitions", "publish"},
	{RoleProcessOwner, "*", "published-forms", "read"},
	{RoleProcessOwner, "category:*", "knowledge", "read"},
	{RoleProcessOwner, "*", "groups", "read"},
	{RoleSupervisor, "*", "definitions", "read"},
	{RoleSupervisor, "*", "published-forms", "read"},
	{RoleSupervisor, "*", "requests", "read"},
	{RoleSupervisor, "*", "requests", "submit"},
	{RoleSupervisor, "*", "requests", "manage"},
	{RoleSupervisor, "*", "tasks", "work"},
	{RoleSupervisor, "*", "tasks", "manage"},
	{RoleSupervisor, "*", "users", "read"},
	{RoleSupervisor, "*", "groups", "read"},
	{RoleSupervisor, "*", "knowledge", "read"},
	{RoleSupervisor, "*", "knowledge", "write"},
	{RoleSupervisor, "*", "knowledge", "manage"},
	{RoleSupervisor, "*", "kpis", "read"},
	{RoleAgent, "*", "definitions", "read"},
	{RoleAgent, "*", "published-forms", "read"},
	{RoleAgent, "*", "requests", "read"},
	{RoleAgent, "*", "requests", "submit"},
	{RoleAgent, "*", "tasks", "work"},
	{RoleAgent, "*", "groups", "read"},
	{RoleAgent, "*", "knowledge", "read"},
	{RoleAgent, "*", "knowledge", "write"},
	{RoleRequester, "*", "published-forms", "read"},
	{RoleRequester, "*", "requests", "submit"},
	{RoleRequester, "*", "requests", "read-own"},
	{RoleRequester, "*", "tasks", "work"},
	{RoleSystem, "*", "published-forms", "read"},
	{RoleSystem, "*", "requests", "submit"},
	{RoleSystem, "*", "requests", "read-own"},
	{RoleSystem, "*", "callbacks", "deliver"},
}

// RoleAssignment is a role held in a domain.
type RoleAssignment struct {
	Role   string `json:"role"`
	Domain string `json:"domain"`
}

// New returns the access service on db, whose server storeURI names. It
// creates what it needs in the database; call Bootstrap once at start-up
// and Watch in the background.
func New(ctx context.Context, db *mongo.Database, storeURI string, cfg Config, logger Logger) (*Service, error) {
	cfg.defaults()
	m, err := model.NewModelFromString(casbinModel)
	if err != nil {
		return nil, err
	}
	// casbin's mongodb-adapter disconnects the client it is given when the
	// adapter is garbage collected, so the policy gets a client of its own
	// rather than the one the rest of Pishkhan shares.
	policyClient, err := mongo.Connect(options.Client().ApplyURI(storeURI).SetAppName("pishkhan-policy").SetMaxPoolSize(4))
	if err != nil {
		return nil, fmt.Errorf("access: policy store: %w", err)
	}
	adapter, err := mongodbadapter.NewAdapterByDB(policyClient, &mongodbadapter.AdapterConfig{DatabaseName: db.Name(), CollectionName: "casbinRules", Timeout: 30 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("access: policy store: %w", err)
	}
	e, err := casbin.NewSyncedEnforcer(m, adapter)
	if err != nil {
		return nil, fmt.Errorf("access: policy: %w", err)
	}
	s := &Service{
		cfg: cfg, logger: logger.logger(), now: func() time.Time { return time.Now().UTC().Truncate(time.Millisecond) },
		users: db.Collection("users"), groups: db.Collection("groups"), sessions: db.Collection("sessions"),
		keys: db.Collection("apikeys"), counters: db.Collection("counters"), enforcer: e, cache: map[string]cached{},
	}
	s.seenGen, _ = s.generation(ctx)
	return s, nil
}

// Can reports whether p may act on obj in dom by role. Attribute checks
// (ownership, assignment) are the caller's, after this.
func (s *Service) Can(p *Principal, dom, obj, act string) bool {
	if p == nil {
		return false
	}
	if p.IsKey() {
		ok, _ := s.enforcer.Enforce(RoleSystem, dom, obj, act)
		return ok
	}
	ok, _ := s.enforcer.Enforce(p.Subject, dom, obj, act)
	return ok
}

// CanSomewhere reports whether p may act on obj in at least one domain: a
// process owner of one category may read every definition.
func (s *Service) CanSomewhere(p *Principal, obj, act string) bool {
	if s.Can(p, "*", obj, act) {
		return true
	}
	if p == nil || p.IsKey() {
		return false
	}
	roles, _ := s.RolesOf(p.Subject)
	for _, r := range roles {
		if s.Can(p, r.Domain, obj, act) {
			return true
		}
	}
	return false
}

// RolesOf returns the roles a user holds.
func (s *Service) RolesOf(username string) ([]RoleAssignment, error) {
	rows, err := s.enforcer.GetFilteredGroupingPolicy(0, username)
	if err != nil {
		return nil, err
	}
	out := make([]RoleAssignment, 0, len(rows))
	for _, r := range rows {
		out = append(out, RoleAssignment{Role: r[1], Domain: r[2]})
	}
	return out, nil
}

func validDomain(d string) bool {
	if d == "*" {
		return true
	}
	kind, key, ok := strings.Cut(d, ":")
	return ok && (kind == "category" || kind == "department") && (key == "*" || ValidUsername(key))
}

// SetRoles replaces the roles of a user. It refuses a change that would
// leave no enabled user with the global admin role.
func (s *Service) SetRoles(ctx context.Context, username string, roles []RoleAssignment) error {
	if _, err := s.User(ctx, username); err != nil {
		return err
	}
	for _, r := range roles {
		if !slices.Contains(Roles, r.Role) || r.Role == RoleSystem {
			return fmt.Errorf("%w: role %q: use one of admin, process-owner, supervisor, agent, requester", ErrInvalid, r.Role)
		}
		if !validDomain(r.Domain) {
			return fmt.Errorf("%w: domain %q: use *, category:KEY or department:KEY", ErrInvalid, r.Domain)
		}
	}
	s.policyMu.Lock()
	defer s.policyMu.Unlock()
	if err := s.reloadIfChanged(ctx); err != nil {
		return err
	}
	if !slices.Contains(roles, RoleAssignment{RoleAdmin, "*"}) {
		if err := s.checkOtherAdmin(ctx, username); err != nil {
			return err
		}
	}
	current, err := s.RolesOf(username)
	if err != nil {
		return err
	}
	for _, r := range current {
		if !slices.Contains(roles, r) {
			if _, err := s.enforcer.RemoveGroupingPolicy(username, r.Role, r.Domain); err != nil {
				return err
			}
		}
	}
	for _, r := range roles {
		if !slices.Contains(current, r) {
			if _, err := s.enforcer.AddGroupingPolicy(username, r.Role, r.Domain); err != nil {
				return err
			}
		}
	}
	return s.bump(ctx)
}

// checkOtherAdmin fails with ErrLastAdmin unless an enabled user other
// than username holds the global admin role.
func (s *Service) checkOtherAdmin(ctx context.Context, username string) error {
	for _, u := range s.enforcer.GetUsersForRoleInDomain(RoleAdmin, "*") {
		if u == username {
			continue
		}
		if other, err := s.User(ctx, u); err == nil && !other.Disabled {
			return nil
		}
	}
	return ErrLastAdmin
}

func (s *Service) assign(username, role, domain string) error {
	if _, err := s.enforcer.AddGroupingPolicy(username, role, domain); err != nil {
		return err
	}
	return s.bump(context.Background())
}

// Rules returns the permission rules.
func (s *Service) Rules() ([]Rule, error) {
	rows, err := s.enforcer.GetPolicy()
	if err != nil {
		return nil, err
	}
	out := make([]Rule, 0, len(rows))
	for _, r := range rows {
		out = append(out, Rule{Role: r[0], Domain: r[1], Object: r[2], Action: r[3]})
	}
	return out, nil
}

// SetRules replaces the permission rules. The rule that gives admins
// everything cannot be removed: without it nobody could repair the policy.
func (s *Service) SetRules(ctx context.Context, rules []Rule) error {
	for i, r := range rules {
		if !slices.Contains(Roles, r.Role) {
			return fmt.Errorf("%w: rules[%d]: unknown role %q", ErrInvalid, i, r.Role)
		}
		if r.Domain != "*" && !validDomain(r.Domain) {
			return fmt.Errorf("%w: rules[%d]: domain %q: use *, category:KEY, category:*, department:KEY or department:*", ErrInvalid, i, r.Domain)
		}
		actions, ok := Objects[r.Object]
		if r.Object != "*" && !ok {
			return fmt.Errorf("%w: rules[%d]: unknown object %q", ErrInvalid, i, r.Object)
		}
		if r.Action != "*" && ok && !slices.Contains(actions, r.Action) {
			return fmt.Errorf("%w: rules[%d]: %s has no action %q (use %s)", ErrInvalid, i, r.Object, r.Action, strings.Join(actions, ", "))
		}
	}
	if !slices.Contains(rules, DefaultRules[0]) {
		return fmt.Errorf("%w: keep the rule {admin, *, *, *}", ErrLastAdmin)
	}
	s.policyMu.Lock()
	defer s.policyMu.Unlock()
	if err := s.reloadIfChanged(ctx); err != nil {
		return err
	}
	current, err := s.Rules()
	if err != nil {
		return err
	}
	for _, r := range current {
		if !slices.Contains(rules, r) {
			if _, err := s.enforcer.RemovePolicy(r.Role, r.Domain, r.Object, r.Action); err != nil {
				return err
			}
		}
	}
	for _, r := range rules {
		if !slices.Contains(current, r) {
			if _, err := s.enforcer.AddPolicy(r.Role, r.Domain, r.Object, r.Action); err != nil {
				return err
			}
		}
	}
	return s.bump(ctx)
}

// ruleEditions lists the default rules each release added after the
// first, oldest first: a database set up before an edition lacks its
// rules, and a new feature would be forbidden to everyone but admins until
// someone wrote them in by hand. Every rule here is also in DefaultRules.
var ruleEditions = [][]Rule{
	{ // 2: workflows' tasks and callbacks (issue 4)
		{RoleSupervisor, "*", "requests", "manage"},
		{RoleSupervisor, "*", "tasks", "work"},
		{RoleSupervisor, "*", "tasks", "manage"},
		{RoleAgent, "*", "tasks", "work"},
		{RoleRequester, "*", "tasks", "work"},
		{RoleSystem, "*", "callbacks", "deliver"},
	},
	{ // 3: the knowledge base and KPIs (issue 5)
		{RoleProcessOwner, "category:*", "knowledge", "read"},
		{RoleSupervisor, "*", "knowledge", "read"},
		{RoleSupervisor, "*", "knowledge", "write"},
		{RoleSupervisor, "*", "knowledge", "manage"},
		{RoleSupervisor, "*", "kpis", "read"},
		{RoleAgent, "*", "knowledge", "read"},
		{RoleAgent, "*", "knowledge", "write"},
	},
	{ // 4: process owners read the groups their workflows route to (the workflow designer's picker)
		{RoleProcessOwner, "*", "groups", "read"},
	},
}

// policyEdition records which edition of the default rules the stored
// policy has had. A database without the record predates it: its edition
// is that of the newest edition it has any rule of, so that a default its
// admin removed is not granted again.
const policyEdition = "policy-edition"

// ensureDefaultPolicy installs DefaultRules if there are no rules at all,
// and otherwise adds the rules of every edition the stored policy has not
// had yet. A rule of an edition it has had is never added again, so a
// default an admin removed stays removed.
func (s *Service) ensureDefaultPolicy(ctx context.Context) error {
	s.policyMu.Lock()
	defer s.policyMu.Unlock()
	if err := s.reloadIfChanged(ctx); err != nil {
		return err
	}
	rules, err := s.Rules()
	if err != nil {
		return err
	}
	latest := len(ruleEditions) + 1
	var add []Rule
	if len(rules) == 0 {
		add = DefaultRules
	} else {
		var d struct {
			N int `bson:"n"`
		}
		err := s.counters.FindOne(ctx, bson.D{{Key: "_id", Value: policyEdition}}).Decode(&d)
		switch {
		case errors.Is(err, mongo.ErrNoDocuments):
			d.N = 1
			for i, edition := range ruleEditions {
				if slices.ContainsFunc(edition, func(r Rule) bool { return slices.Contains(rules, r) }) {
					d.N = i + 2
				}
			}
		case err != nil:
			return err
		}
		if d.N >= latest {
			return nil
		}
		for _, edition := range ruleEditions[max(d.N-1, 0):] {
			for _, r := range edition {
				if !slices.Contains(rules, r) {
					add = append(add, r)
				}
			}
		}
	}
	for _, r := range add {
		if _, err := s.enforcer.AddPolicy(r.Role, r.Domain, r.Object, r.Action); err != nil && !mongo.IsDuplicateKeyError(err) {
			return err
		}
	}
	// Recorded after the rules: a crash in between adds them again, which
	// changes nothing.
	if _, err := s.counters.UpdateOne(ctx, bson.D{{Key: "_id", Value: policyEdition}},
		bson.D{{Key: "$max", Value: bson.D{{Key: "n", Value: latest}}}}, options.UpdateOne().SetUpsert(true)); err != nil && !mongo.IsDuplicateKeyError(err) {
		return err
	}
	if len(add) > 0 {
		s.logger.Info("access: default permission rules added", "rules", len(add), "edition", latest)
	}
	return s.bump(ctx)
}

// Policy changes bump a counter; every process polls it and reloads.
const policyCounter = "policies"

func (s *Service) bump(ctx context.Context) error {
	_, err := s.counters.UpdateOne(ctx, bson.D{{Key: "_id", Value: policyCounter}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "seq", Value: int64(1)}}}}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return err
	}
	gen, err := s.generation(ctx)
	if err == nil {
		s.seenGen = gen
	}
	return err
}

func (s *Service) generation(ctx context.Context) (int64, error) {
	var d struct {
		Seq int64 `bson:"seq"`
	}
	err := s.counters.FindOne(ctx, bson.D{{Key: "_id", Value: policyCounter}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	return d.Seq, err
}

func (s *Service) reloadIfChanged(ctx context.Context) error {
	gen, err := s.generation(ctx)
	if err != nil {
		return err
	}
	if gen == s.seenGen {
		return nil
	}
	if err := s.enforcer.LoadPolicy(); err != nil {
		return err
	}
	s.seenGen = gen
	return nil
}

// Watch reloads the policy whenever another process has changed it,
// polling every Config.PollInterval until ctx ends.
func (s *Service) Watch(ctx context.Context) {
	t := time.NewTicker(s.cfg.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.policyMu.Lock()
		err := s.reloadIfChanged(ctx)
		s.policyMu.Unlock()
		if err != nil && ctx.Err() == nil {
			s.logger.Warn("access: policy reload failed", "err", err)
		}
	}
}

func constantEqual(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
