package accessapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pishkhan/pishkhan/access"
	"github.com/pishkhan/pishkhan/server"
)

func (h *Handlers) listUsers(c echo.Context) error {
	ctx := c.Request().Context()
	if _, err := h.svc.Authorize(ctx, "*", "users", "read"); err != nil {
		return err
	}
	after, limit, err := server.PageParams(c)
	if err != nil {
		return err
	}
	users, err := h.svc.Users(ctx, after, limit+1)
	if err != nil {
		return err
	}
	page := server.Page[*access.User]{Items: users}
	if len(users) > limit {
		page.Items = users[:limit]
		page.Next = server.Cursor(users[limit-1].Username)
	}
	for _, u := range page.Items {
		u.Roles, _ = h.svc.RolesOf(u.Username)
	}
	if page.Items == nil {
		page.Items = []*access.User{}
	}
	return c.JSON(http.StatusOK, page)
}

func (h *Handlers) createUser(c echo.Context) error {
	ctx := c.Request().Context()
	if _, err := h.svc.Authorize(ctx, "*", "users", "write"); err != nil {
		return err
	}
	var n access.NewUser
	if err := server.DecodeJSON(c, &n); err != nil {
		return err
	}
	u, err := h.svc.CreateUser(ctx, n)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, u)
}

// getUser: staff with users:read see anyone; everyone sees themselves.
func (h *Handlers) getUser(c echo.Context) error {
	ctx := c.Request().Context()
	p := access.PrincipalFrom(ctx)
	if p == nil {
		return access.ErrUnauthenticated
	}
	if p.Subject != c.Param("username") {
		if _, err := h.svc.Authorize(ctx, "*", "users", "read"); err != nil {
			return err
		}
	}
	u, err := h.svc.User(ctx, c.Param("username"))
	if err != nil {
		return err
	}
	u.Roles, _ = h.svc.RolesOf(u.Username)
	return c.JSON(http.StatusOK, u)
}

// updateUser: admins change anything; a user may change their own name,
// email and password (a requester updating their own information).
func (h *Handlers) updateUser(c echo.Context) error {
	ctx := c.Request().Context()
	p := access.PrincipalFrom(ctx)
	if p == nil {
		return access.ErrUnauthenticated
	}
	var u access.UserUpdate
	if err := server.DecodeJSON(c, &u); err != nil {
		return err
	}
	self := p.Subject == c.Param("username") && u.Department == nil && u.Manager == nil && u.Groups == nil && u.Segment == nil && u.Disabled == nil
	if !self {
		if _, err := h.svc.Authorize(ctx, "*", "users", "write"); err != nil {
			return err
		}
	}
	out, err := h.svc.UpdateUser(ctx, c.Param("username"), u)
	if err != nil {
		return err
	}
	out.Roles, _ = h.svc.RolesOf(out.Username)
	return c.JSON(http.StatusOK, out)
}

func (h *Handlers) setRoles(c echo.Context) error {
	ctx := c.Request().Context()
	if _, err := h.svc.Authorize(ctx, "*", "policies", "write"); err != nil {
		return err
	}
	var roles []access.RoleAssignment
	if err := server.DecodeJSON(c, &roles); err != nil {
		return err
	}
	if err := h.svc.SetRoles(ctx, c.Param("username"), roles); err != nil {
		return err
	}
	current, err := h.svc.RolesOf(c.Param("username"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, current)
}

func (h *Handlers) listGroups(c echo.Context) error {
	ctx := c.Request().Context()
	// Groups are the organisation's units, not a domain's: whoever may
	// read them in any domain (a process owner of one category routing
	// its tasks) reads them all.
	if _, err := h.svc.AuthorizeSomewhere(ctx, "groups", "read"); err != nil {
		return err
	}
	gs, err := h.svc.Groups(ctx)
	if err != nil {
		return err
	}
	if gs == nil {
		gs = []*access.Group{}
	}
	return c.JSON(http.StatusOK, server.Page[*access.Group]{Items: gs})
}

func (h *Handlers) getGroup(c echo.Context) error {
	ctx := c.Request().Context()
	// Groups are the organisation's units, not a domain's: whoever may
	// read them in any domain (a process owner of one category routing
	// its tasks) reads them all.
	if _, err := h.svc.AuthorizeSomewhere(ctx, "groups", "read"); err != nil {
		return err
	}
	g, err := h.svc.Group(ctx, c.Param("key"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, g)
}

func (h *Handlers) putGroup(c echo.Context) error {
	ctx := c.Request().Context()
	if _, err := h.svc.Authorize(ctx, "*", "groups", "write"); err != nil {
		return err
	}
	var g access.Group
	if err := server.DecodeJSON(c, &g); err != nil {
		return err
	}
	if g.Key == "" {
		g.Key = c.Param("key")
	}
	if g.Key != c.Param("key") {
		return &server.InputError{Msg: "key: the body names another group than the path"}
	}
	out, err := h.svc.PutGroup(ctx, g)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Handlers) getRules(c echo.Context) error {
	if _, err := h.svc.Authorize(c.Request().Context(), "*", "policies", "read"); err != nil {
		return err
	}
	rules, err := h.svc.Rules()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"rules": rules, "objects": access.Objects, "roles": access.Roles})
}

func (h *Handlers) setRules(c echo.Context) error {
	ctx := c.Request().Context()
	if _, err := h.svc.Authorize(ctx, "*", "policies", "write"); err != nil {
		return err
	}
	var body struct {
		Rules []access.Rule `json:"rules"`
	}
	if err := server.DecodeJSON(c, &body); err != nil {
		return err
	}
	if err := h.svc.SetRules(ctx, body.Rules); err != nil {
		return err
	}
	return h.getRules(c)
}

func (h *Handlers) listKeys(c echo.Context) error {
	ctx := c.Request().Context()
	if _, err := h.svc.Authorize(ctx, "*", "apikeys", "read"); err != nil {
		return err
	}
	keys, err := h.svc.Keys(ctx)
	if err != nil {
		return err
	}
	if keys == nil {
		keys = []*access.APIKey{}
	}
	return c.JSON(http.StatusOK, server.Page[*access.APIKey]{Items: keys})
}

type newKey struct {
	Name   string   `json:"name"`
	Scopes []string `json:"scopes"`
}

type createdKey struct {
	*access.APIKey
	Key string `json:"key"`
}

func (h *Handlers) createKey(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := h.svc.Authorize(ctx, "*", "apikeys", "write")
	if err != nil {
		return err
	}
	var n newKey
	if err := server.DecodeJSON(c, &n); err != nil {
		return err
	}
	k, secret, err := h.svc.CreateKey(ctx, n.Name, n.Scopes, p.Subject)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusCreated, createdKey{APIKey: k, Key: secret})
}

func (h *Handlers) revokeKey(c echo.Context) error {
	ctx := c.Request().Context()
	if _, err := h.svc.Authorize(ctx, "*", "apikeys", "write"); err != nil {
		return err
	}
	if err := h.svc.RevokeKey(ctx, c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
