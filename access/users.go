package access

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// User is a person who can log in.
type User struct {
	Username     string     `bson:"_id" json:"username"`
	Name         string     `bson:"name" json:"name"`
	Email        string     `bson:"email,omitempty" json:"email,omitempty"`
	Department   string     `bson:"department,omitempty" json:"department,omitempty"`
	Manager      string     `bson:"manager,omitempty" json:"manager,omitempty"`
	Groups       []string   `bson:"groups" json:"groups"`
	Segment      string     `bson:"segment,omitempty" json:"segment,omitempty"`
	Disabled     bool       `bson:"disabled" json:"disabled"`
	PasswordHash string     `bson:"passwordHash" json:"-"`
	FailedLogins int        `bson:"failedLogins" json:"-"`
	Locks        int        `bson:"locks" json:"-"`
	LockedUntil  *time.Time `bson:"lockedUntil,omitempty" json:"-"`
	CreatedAt    time.Time  `bson:"createdAt" json:"createdAt"`
	// Roles is filled in from the policy when a user is read through the API.
	Roles []RoleAssignment `bson:"-" json:"roles,omitempty"`
}

var usernamePattern = regexp.MustCompile(`^[a-z][a-z0-9._-]{1,31}$`)

// ValidUsername reports whether s can be a username: 2 to 32 lower-case
// letters, digits, dots, underscores and hyphens, starting with a letter.
func ValidUsername(s string) bool { return usernamePattern.MatchString(s) }

// NewUser is what creating a user takes.
type NewUser struct {
	Username   string   `json:"username"`
	Password   string   `json:"password"`
	Name       string   `json:"name"`
	Email      string   `json:"email"`
	Department string   `json:"department"`
	Manager    string   `json:"manager"`
	Groups     []string `json:"groups"`
	Segment    string   `json:"segment"`
}

func checkUserFields(name, email string, groups []string) error {
	if len(name) > 200 || len(email) > 254 || len(groups) > 100 {
		return fmt.Errorf("%w: name, email or groups too long", ErrInvalid)
	}
	if email != "" && (!strings.Contains(email, "@") || strings.ContainsAny(email, " <>")) {
		return fmt.Errorf("%w: email %q is not an email address", ErrInvalid, email)
	}
	for _, g := range groups {
		if !ValidUsername(g) {
			return fmt.Errorf("%w: group %q is not a valid group key", ErrInvalid, g)
		}
	}
	return nil
}

// CreateUser adds a user. ErrExists if the username is taken.
func (s *Service) CreateUser(ctx context.Context, n NewUser) (*User, error) {
	if !ValidUsername(n.Username) {
		return nil, fmt.Errorf("%w: username %q: use 2 to 32 lower-case letters, digits, '.', '_' or '-', starting with a letter", ErrInvalid, n.Username)
	}
	if len(n.Password) < MinPasswordLength || len(n.Password) > 256 {
		return nil, fmt.Errorf("%w: the password must be %d to 256 characters long", ErrInvalid, MinPasswordLength)
	}
	if err := checkUserFields(n.Name, n.Email, n.Groups); err != nil {
		return nil, err
	}
	u := &User{Username: n.Username, Name: n.Name, Email: n.Email, Department: n.Department, Manager: n.Manager,
		Groups: n.Groups, Segment: n.Segment, PasswordHash: hashPassword(n.Password, s.cfg.PasswordCost), CreatedAt: s.now()}
	if u.Groups == nil {
		u.Groups = []string{}
	}
	if _, err := s.users.InsertOne(ctx, u); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return nil, fmt.Errorf("user %q: %w", n.Username, ErrExists)
		}
		return nil, err
	}
	return u, nil
}

// User returns a user by username.
func (s *Service) User(ctx context.Context, username string) (*User, error) {
	var u User
	err := s.users.FindOne(ctx, bson.D{{Key: "_id", Value: username}}).Decode(&u)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("user %q: %w", username, ErrNotFound)
	}
	return &u, err
}

// UserCached returns user username as read at most Config.CacheTTL ago:
// a change made by this process shows at once, one made by another
// within CacheTTL. It is for reads that run on every request and can
// bear that, such as finding whom a notification goes to; a user that
// is not there is looked up every time.
func (s *Service) UserCached(ctx context.Context, username string) (*User, error) {
	now := s.now()
	s.peopleMu.Lock()
	c, ok := s.people[username]
	s.peopleMu.Unlock()
	if ok && now.Before(c.expires) {
		u := *c.u
		return &u, nil
	}
	u, err := s.User(ctx, username)
	if err != nil {
		return nil, err
	}
	s.peopleMu.Lock()
	if s.people == nil || len(s.people) > 100_000 {
		s.people = map[string]cachedUser{} // bound memory; entries are cheap to reload
	}
	s.people[username] = cachedUser{u: u, expires: now.Add(s.cfg.CacheTTL)}
	s.peopleMu.Unlock()
	out := *u
	return &out, nil
}

// forgetPerson drops the cached copy of a user this process changed.
func (s *Service) forgetPerson(username string) {
	s.peopleMu.Lock()
	delete(s.people, username)
	s.peopleMu.Unlock()
}

// Users lists users in username order after the username after.
func (s *Service) Users(ctx context.Context, after string, limit int) ([]*User, error) {
	cur, err := s.users.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: after}}}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, err
	}
	var out []*User
	return out, cur.All(ctx, &out)
}

// UserUpdate changes some fields of a user; nil fields stay as they are.
type UserUpdate struct {
	Name       *string   `json:"name"`
	Email      *string   `json:"email"`
	Department *string   `json:"department"`
	Manager    *string   `json:"manager"`
	Groups     *[]string `json:"groups"`
	Segment    *string   `json:"segment"`
	Disabled   *bool     `json:"disabled"`
	Password   *string   `json:"password"`
}

// UpdateUser applies u. Disabling a user or changing their password ends
// their sessions.
func (s *Service) UpdateUser(ctx context.Context, username string, u UserUpdate) (*User, error) {
	set := bson.D{}
	str := func(k string, v *string) {
		if v != nil {
			set = append(set, bson.E{Key: k, Value: *v})
		}
	}
	str("name", u.Name)
	str("email", u.Email)
	str("department", u.Department)
	str("manager", u.Manager)
	str("segment", u.Segment)
	var groups []string
	if u.Groups != nil {
		groups = *u.Groups
		set = append(set, bson.E{Key: "groups", Value: groups})
	}
	name, email := "", ""
	if u.Name != nil {
		name = *u.Name
	}
	if u.Email != nil {
		email = *u.Email
	}
	if err := checkUserFields(name, email, groups); err != nil {
		return nil, err
	}
	if u.Disabled != nil {
		if *u.Disabled {
			roles, err := s.RolesOf(username)
			if err != nil {
				return nil, err
			}
			for _, r := range roles {
				if r == (RoleAssignment{RoleAdmin, "*"}) {
					if err := s.checkOtherAdmin(ctx, username); err != nil {
						return nil, err
					}
				}
			}
		}
		set = append(set, bson.E{Key: "disabled", Value: *u.Disabled})
	}
	if u.Password != nil {
		if len(*u.Password) < MinPasswordLength || len(*u.Password) > 256 {
			return nil, fmt.Errorf("%w: the password must be %d to 256 characters long", ErrInvalid, MinPasswordLength)
		}
		set = append(set, bson.E{Key: "passwordHash", Value: hashPassword(*u.Password, s.cfg.PasswordCost)},
			bson.E{Key: "failedLogins", Value: 0}, bson.E{Key: "lockedUntil", Value: nil})
	}
	if len(set) == 0 {
		return s.User(ctx, username)
	}
	var out User
	defer s.forgetPerson(username)
	err := s.users.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: username}}, bson.D{{Key: "$set", Value: set}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&out)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("user %q: %w", username, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	if (u.Disabled != nil && *u.Disabled) || u.Password != nil {
		if _, err := s.sessions.DeleteMany(ctx, bson.D{{Key: "user", Value: username}}); err != nil {
			return nil, err
		}
		s.forgetUser(username)
	}
	return &out, nil
}

// checkLogin verifies a password, counting failures on the user's document
// and locking the account after cfg.LockAfter failures in a row.
func (s *Service) checkLogin(ctx context.Context, username, password string) (*User, error) {
	u, err := s.User(ctx, username)
	if errors.Is(err, ErrNotFound) {
		checkPassword(password, dummyHash) // take as long as a real check
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if u.LockedUntil != nil && now.Before(*u.LockedUntil) {
		return nil, fmt.Errorf("%w until %s", ErrLockedOut, u.LockedUntil.Format(time.RFC3339))
	}
	if u.Disabled || !checkPassword(password, u.PasswordHash) {
		update := bson.D{{Key: "$inc", Value: bson.D{{Key: "failedLogins", Value: 1}}}}
		var after User
		if err := s.users.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: username}}, update,
			options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&after); err != nil {
			return nil, err
		}
		if after.FailedLogins >= s.cfg.LockAfter {
			lockFor := s.cfg.LockFor << min(after.Locks, 10)
			if lockFor > s.cfg.LockMax || lockFor <= 0 {
				lockFor = s.cfg.LockMax
			}
			until := now.Add(lockFor)
			_, err := s.users.UpdateOne(ctx, bson.D{{Key: "_id", Value: username}}, bson.D{
				{Key: "$set", Value: bson.D{{Key: "failedLogins", Value: 0}, {Key: "lockedUntil", Value: until}}},
				{Key: "$inc", Value: bson.D{{Key: "locks", Value: 1}}}})
			if err != nil {
				return nil, err
			}
			s.logger.Warn("access: account locked after repeated failed logins", "lockedFor", lockFor.String())
		}
		return nil, ErrUnauthenticated
	}
	if u.FailedLogins > 0 || u.Locks > 0 {
		_, err := s.users.UpdateOne(ctx, bson.D{{Key: "_id", Value: username}}, bson.D{
			{Key: "$set", Value: bson.D{{Key: "failedLogins", Value: 0}, {Key: "locks", Value: 0}, {Key: "lockedUntil", Value: nil}}}})
		if err != nil {
			return nil, err
		}
	}
	return u, nil
}

// Bootstrap makes sure the user "admin" exists and holds the admin role.
// On first creation its password is password if given, else a generated one
// that is written once to out (never to the log).
func (s *Service) Bootstrap(ctx context.Context, password string, out io.Writer) error {
	if err := s.ensureDefaultPolicy(ctx); err != nil {
		return err
	}
	_, err := s.User(ctx, "admin")
	if errors.Is(err, ErrNotFound) {
		generated := password == ""
		if generated {
			password = randomToken(12)
		}
		if _, err := s.CreateUser(ctx, NewUser{Username: "admin", Password: password, Name: "Administrator"}); err != nil && !errors.Is(err, ErrExists) {
			return err
		}
		if generated {
			fmt.Fprintf(out, "\n  Pishkhan created the user \"admin\" with the password: %s\n  It is shown only this once; set PISHKHAN_ADMIN_PASSWORD to choose it yourself.\n\n", password)
		}
	} else if err != nil {
		return err
	}
	roles, err := s.RolesOf("admin")
	if err != nil {
		return err
	}
	for _, r := range roles {
		if r.Role == RoleAdmin {
			return nil
		}
	}
	return s.assign("admin", RoleAdmin, "*")
}
