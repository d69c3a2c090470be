package designerapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pishkhan/pishkhan/access"
	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/forms"
	"github.com/pishkhan/pishkhan/rules"
	"github.com/pishkhan/pishkhan/server"
)

// workflowHandlers try workflows out.
type workflowHandlers struct {
	requests *engine.Requests
	access   *access.Service
}

// simulation is the body of POST /workflows/{key}/simulate.
type simulation struct {
	// Draft simulates the draft; else Version (0 or absent: the newest).
	Draft     bool                       `json:"draft"`
	Version   int                        `json:"version"`
	Data      jsonObject                 `json:"data"`
	Channel   engine.Channel             `json:"channel"`
	Requester rules.Requester            `json:"requester"`
	Outcomes  map[string][]string        `json:"outcomes"`
	TaskData  map[string]json.RawMessage `json:"taskData"`
	Messages  map[string]json.RawMessage `json:"messages"`
}

// maxScript bounds the scripted outcomes, task data and messages.
const maxScript = 200

// simulate runs a workflow on sample data and scripted outcomes, writing
// nothing; for whoever may read definitions.
func (h *workflowHandlers) simulate(c echo.Context) error {
	if _, err := h.access.AuthorizeSomewhere(c.Request().Context(), "definitions", "read"); err != nil {
		return err
	}
	var body simulation
	if err := server.DecodeJSON(c, &body); err != nil {
		return err
	}
	if len(body.Outcomes)+len(body.TaskData)+len(body.Messages) > maxScript {
		return &server.InputError{Msg: "outcomes, taskData and messages: at most 200 entries together"}
	}
	p := engine.SimulateParams{Draft: body.Draft, Version: body.Version, Channel: body.Channel, Requester: body.Requester, Outcomes: body.Outcomes}
	if len(body.Data) > 0 && string(body.Data) != "null" {
		m, err := server.DecodeObject(body.Data, "data")
		if err != nil {
			return err
		}
		p.Data = m
	}
	var err error
	if p.TaskData, err = objects(body.TaskData, "taskData"); err != nil {
		return err
	}
	if p.Messages, err = objects(body.Messages, "messages"); err != nil {
		return err
	}
	sim, err := h.requests.Simulate(c.Request().Context(), c.Param("key"), p)
	var ve *forms.ValidationError
	if errors.As(err, &ve) {
		return server.AtPointer("/data", err) // the sample data sits at /data
	}
	if err != nil {
		return err // a draft's lint problems point into the workflow itself
	}
	return c.JSON(http.StatusOK, sim)
}

// migration is the body of POST /workflows/{key}/migrate.
type migration struct {
	From  int               `json:"from"`
	To    int               `json:"to"`
	Map   map[string]string `json:"map"`
	Apply bool              `json:"apply"`
	After string            `json:"after"`
	Limit int               `json:"limit"`
}

// migrate moves running requests to a newer workflow version, or (without
// apply) reports which would move and why the others cannot. It is an
// administrator's job: it needs both publishing definitions and managing
// every request.
func (h *workflowHandlers) migrate(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := h.access.Authorize(ctx, "*", "requests", "manage")
	if err != nil {
		return err
	}
	if _, err := h.access.AuthorizeSomewhere(ctx, "definitions", "publish"); err != nil {
		return err
	}
	var body migration
	if err := server.DecodeJSON(c, &body); err != nil {
		return err
	}
	if len(body.Map) > maxScript {
		return &server.InputError{Msg: "map: at most 200 renamed nodes"}
	}
	rep, err := h.requests.Migrate(ctx, c.Param("key"), engine.MigrateParams{
		From: body.From, To: body.To, Map: body.Map, Apply: body.Apply, Actor: p.Subject, After: body.After, Limit: body.Limit})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}

func objects(raw map[string]json.RawMessage, where string) (map[string]map[string]any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	out := make(map[string]map[string]any, len(raw))
	for k, v := range raw {
		m, err := server.DecodeObject(v, where+"/"+k)
		if err != nil {
			return nil, err
		}
		out[k] = m
	}
	return out, nil
}
