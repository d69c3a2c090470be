package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/pishkhan/pishkhan/access"
	"github.com/pishkhan/pishkhan/engine"
)

// directory is the engine's view of the staff: the access service's users
// and groups (the engine does not import access).
type directory struct{ *access.Service }

var _ engine.Directory = directory{}

// Person returns an enabled user, as read at most access.Config.CacheTTL
// ago (5 s; at once after a change this process made): a notification
// reaches a user as they were a moment ago.
func (d directory) Person(ctx context.Context, username string) (*engine.Person, error) {
	u, err := d.UserCached(ctx, username)
	if errors.Is(err, access.ErrNotFound) || err == nil && u.Disabled {
		return nil, fmt.Errorf("user %q: %w", username, engine.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return &engine.Person{Username: u.Username, Name: u.Name, Email: u.Email}, nil
}

// Supervisor returns the supervisor of group.
func (d directory) Supervisor(ctx context.Context, group string) (string, error) {
	g, err := d.Group(ctx, group)
	if errors.Is(err, access.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return g.Supervisor, nil
}
