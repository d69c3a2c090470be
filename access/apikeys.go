package access

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Scopes an API key may carry. A key can do what its role allows AND its
// scopes name: a leaked key for a chat bot cannot read requests.
var Scopes = []string{"requests:submit", "requests:read", "forms:read", "callbacks:deliver"}

// APIKey describes a key; the secret itself is shown once, at creation.
type APIKey struct {
	ID        string     `bson:"_id" json:"id"`
	Name      string     `bson:"name" json:"name"`
	Role      string     `bson:"role" json:"role"`
	Scopes    []string   `bson:"scopes" json:"scopes"`
	SecretSHA string     `bson:"secretHash" json:"-"`
	CreatedBy string     `bson:"createdBy" json:"createdBy"`
	CreatedAt time.Time  `bson:"createdAt" json:"createdAt"`
	RevokedAt *time.Time `bson:"revokedAt,omitempty" json:"revokedAt,omitempty"`
}

const keyPrefix = "pkk_"

// CreateKey makes a key for a system or bot. It returns the key and the
// secret credential ("pkk_<id>_<secret>"), which is not stored.
func (s *Service) CreateKey(ctx context.Context, name string, scopes []string, createdBy string) (*APIKey, string, error) {
	if name == "" || len(name) > 100 {
		return nil, "", fmt.Errorf("%w: name the key (1 to 100 characters)", ErrInvalid)
	}
	if len(scopes) == 0 {
		return nil, "", fmt.Errorf("%w: give the key at least one scope of %s", ErrInvalid, strings.Join(Scopes, ", "))
	}
	for _, sc := range scopes {
		if !slices.Contains(Scopes, sc) {
			return nil, "", fmt.Errorf("%w: unknown scope %q; use %s", ErrInvalid, sc, strings.Join(Scopes, ", "))
		}
	}
	id := newKeyID()
	secret := randomToken(32)
	k := &APIKey{ID: id, Name: name, Role: RoleSystem, Scopes: scopes, CreatedBy: createdBy, CreatedAt: s.now()}
	credential := keyPrefix + id + "_" + secret
	k.SecretSHA = hashToken(credential)
	if _, err := s.keys.InsertOne(ctx, k); err != nil {
		return nil, "", err
	}
	return k, credential, nil
}

// newKeyID is a key's public id: ten lower-case base32 characters (50
// random bits), never "_", which separates it from the secret. (Cutting
// "-" and "_" out of a base64 token and keeping ten characters panicked
// on the one token in about 150 that had three of them.)
func newKeyID() string {
	b := make([]byte, 7)
	if _, err := rand.Read(b); err != nil {
		panic("access: crypto/rand failed: " + err.Error())
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:10]
}

// Keys lists API keys, newest last.
func (s *Service) Keys(ctx context.Context) ([]*APIKey, error) {
	cur, err := s.keys.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}}).SetLimit(1000))
	if err != nil {
		return nil, err
	}
	var out []*APIKey
	return out, cur.All(ctx, &out)
}

// RevokeKey revokes a key for good.
func (s *Service) RevokeKey(ctx context.Context, id string) error {
	now := s.now()
	res, err := s.keys.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: bson.D{{Key: "revokedAt", Value: now}}}})
	if err != nil {
		return err
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("API key %q: %w", id, ErrNotFound)
	}
	s.cacheMu.Lock()
	for k, c := range s.cache {
		if c.p.KeyID == id {
			delete(s.cache, k)
		}
	}
	s.cacheMu.Unlock()
	return nil
}

func (s *Service) keyPrincipal(ctx context.Context, credential string, now time.Time) (*Principal, error) {
	rest := strings.TrimPrefix(credential, keyPrefix)
	id, _, ok := strings.Cut(rest, "_")
	if !ok || id == "" {
		return nil, ErrUnauthenticated
	}
	var k APIKey
	err := s.keys.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&k)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, err
	}
	// Both are hex SHA-256 of high-entropy secrets; compare in constant time anyway.
	if k.RevokedAt != nil || !constantEqual(k.SecretSHA, hashToken(credential)) {
		return nil, ErrUnauthenticated
	}
	return &Principal{Subject: "key:" + k.ID, KeyID: k.ID, Scopes: k.Scopes}, nil
}

// HasScope reports whether an API key carries scope; users have every scope
// their roles give them.
func (p *Principal) HasScope(scope string) bool {
	return !p.IsKey() || slices.Contains(p.Scopes, scope)
}
