package runtimeapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/server"
)

// referralBody is the body of POST /requests/{id}/referrals.
type referralBody struct {
	Group string `json:"group"`
	Note  string `json:"note"`
	// Within is the department's deadline as a duration ("4h", "2h30m").
	Within string `json:"within"`
}

// refer hands part of a request's work to another department: the owner
// or a supervisor does; the task waits in the group's queue.
func (h *handlers) refer(c echo.Context) error {
	p, manager, err := h.worker(c)
	if err != nil {
		return err
	}
	var b referralBody
	if err := server.DecodeJSON(c, &b); err != nil {
		return err
	}
	var within time.Duration
	if b.Within != "" {
		if within, err = time.ParseDuration(b.Within); err != nil {
			return &server.InputError{Msg: "within: " + b.Within + " is not a duration such as 4h or 1h30m"}
		}
	}
	manager = manager || h.access.Can(p, "*", "requests", "manage")
	req, err := h.requests.Refer(c.Request().Context(), c.Param("id"), engine.ReferParams{
		Group: b.Group, Note: b.Note, Within: within, Actor: p.Subject, Manager: manager,
	})
	if err != nil {
		return err
	}
	task := req.Workflow.Tasks[len(req.Workflow.Tasks)-1]
	return c.JSON(http.StatusCreated, task)
}
