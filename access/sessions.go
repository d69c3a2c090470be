package access

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Session is an open login.
type Session struct {
	// Token is the secret the client presents; it is never stored.
	Token string
	// CSRF is the token a browser sends back in X-CSRF-Token on writes.
	CSRF      string
	User      *User
	ExpiresAt time.Time
}

type sessionDoc struct {
	ID        string    `bson:"_id"` // hash of the token
	User      string    `bson:"user"`
	CSRFHash  string    `bson:"csrfHash"`
	CreatedAt time.Time `bson:"createdAt"`
	ExpiresAt time.Time `bson:"expiresAt"`
}

// tokenPrefix marks session tokens, so that a token and an API key are told
// apart without a lookup.
const tokenPrefix = "pks_"

// Login checks the password and opens a session. Every failure is
// ErrUnauthenticated (or ErrLockedOut), whatever the reason.
func (s *Service) Login(ctx context.Context, username, password string) (*Session, error) {
	if !ValidUsername(username) || len(password) > 256 {
		checkPassword(password, dummyHash)
		return nil, ErrUnauthenticated
	}
	u, err := s.checkLogin(ctx, username, password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	sess := &Session{Token: tokenPrefix + randomToken(32), CSRF: randomToken(24), User: u, ExpiresAt: now.Add(s.cfg.SessionTTL)}
	_, err = s.sessions.InsertOne(ctx, sessionDoc{ID: hashToken(sess.Token), User: u.Username, CSRFHash: hashToken(sess.CSRF), CreatedAt: now, ExpiresAt: sess.ExpiresAt})
	if err != nil {
		return nil, err
	}
	return sess, nil
}

// Logout ends the session of token.
func (s *Service) Logout(ctx context.Context, token string) error {
	h := hashToken(token)
	s.cacheMu.Lock()
	delete(s.cache, h)
	s.cacheMu.Unlock()
	_, err := s.sessions.DeleteOne(ctx, bson.D{{Key: "_id", Value: h}})
	return err
}

// Authenticate returns the principal a credential stands for: a session
// token or an API key. viaCookie records where it came from. Any problem is
// ErrUnauthenticated.
func (s *Service) Authenticate(ctx context.Context, credential string, viaCookie bool) (*Principal, error) {
	if credential == "" || len(credential) > 200 {
		return nil, ErrUnauthenticated
	}
	h := hashToken(credential)
	now := s.now()
	s.cacheMu.Lock()
	c, ok := s.cache[h]
	s.cacheMu.Unlock()
	if ok && now.Before(c.expires) {
		p := *c.p
		p.ViaCookie = viaCookie
		return &p, nil
	}
	var p *Principal
	var err error
	switch {
	case strings.HasPrefix(credential, tokenPrefix):
		p, err = s.sessionPrincipal(ctx, h, now)
	case strings.HasPrefix(credential, keyPrefix) && !viaCookie:
		p, err = s.keyPrincipal(ctx, credential, now)
	default:
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, err
	}
	s.cacheMu.Lock()
	if len(s.cache) > 100_000 {
		clear(s.cache) // bound memory; entries are cheap to reload
	}
	s.cache[h] = cached{p: p, expires: now.Add(s.cfg.CacheTTL)}
	s.cacheMu.Unlock()
	q := *p
	q.ViaCookie = viaCookie
	return &q, nil
}

func (s *Service) sessionPrincipal(ctx context.Context, h string, now time.Time) (*Principal, error) {
	var d sessionDoc
	err := s.sessions.FindOne(ctx, bson.D{{Key: "_id", Value: h}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, err
	}
	if !now.Before(d.ExpiresAt) {
		_, _ = s.sessions.DeleteOne(ctx, bson.D{{Key: "_id", Value: h}})
		return nil, ErrUnauthenticated
	}
	u, err := s.User(ctx, d.User)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, ErrUnauthenticated
	}
	return &Principal{Subject: u.Username, User: u, Session: h, csrfHash: d.CSRFHash}, nil
}

// CheckCSRF verifies the CSRF token of a cookie-authenticated write, in
// constant time. Principals that did not come from a cookie need none: a
// browser never attaches a bearer token by itself.
func (p *Principal) CheckCSRF(token string) error {
	if !p.ViaCookie {
		return nil
	}
	if token == "" || subtle.ConstantTimeCompare([]byte(hashToken(token)), []byte(p.csrfHash)) != 1 {
		return ErrCSRF
	}
	return nil
}

// forgetUser drops cached principals of a user, so that disabling or a
// password change holds on this process at once (and on others within
// CacheTTL).
func (s *Service) forgetUser(username string) {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	for k, c := range s.cache {
		if c.p.User != nil && c.p.User.Username == username {
			delete(s.cache, k)
		}
	}
}
