package runtimeapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/server"
)

// What a requester without a login (a customer who phoned, walked in or
// mailed) does on their request by proving who they are, as tracking
// does: write to the owner, rate it, reopen it. Each call carries the
// email or phone the request was filed with, and the same rate limit as
// tracking.

// provenAct is the body of the POST /track/{code}/... acts.
type provenAct struct {
	proof
	rating
	Body   string `json:"body"`
	Reason string `json:"reason"`
}

// proven decodes the act and returns the request it is on, if the proof
// holds; the act is then the requester's own.
func (h *handlers) proven(c echo.Context) (*engine.Request, provenAct, error) {
	var a provenAct
	if err := server.DecodeJSON(c, &a); err != nil {
		return nil, a, err
	}
	if a.Email == "" && a.Phone == "" {
		return nil, a, &server.InputError{Msg: "give the email or the phone number the request was filed with"}
	}
	req, err := h.requests.Track(c.Request().Context(), c.Param("code"))
	if err != nil {
		return nil, a, err
	}
	if !proves(req.Contact, a.proof) {
		return nil, a, errNoProof
	}
	return req, a, nil
}

func (h *handlers) trackMessage(c echo.Context) error {
	req, a, err := h.proven(c)
	if err != nil {
		return err
	}
	if _, err := h.requests.RequesterMessage(c.Request().Context(), req.ID, engine.RequesterMessageParams{Actor: req.Requester, Body: a.Body, Channel: engine.ChannelPortal}); err != nil {
		return server.AtPointer("/body", err)
	}
	return c.JSON(http.StatusCreated, map[string]string{"request": req.ID})
}

func (h *handlers) trackFeedback(c echo.Context) error {
	req, a, err := h.proven(c)
	if err != nil {
		return err
	}
	next, err := h.requests.Rate(c.Request().Context(), req.ID, req.Requester, engine.RateParams{CSAT: a.CSAT, NPS: a.NPS, Comment: a.Comment})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, next.Feedback)
}

func (h *handlers) trackReopen(c echo.Context) error {
	req, a, err := h.proven(c)
	if err != nil {
		return err
	}
	next, err := h.requests.Reopen(c.Request().Context(), req.ID, req.Requester, a.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, statusOf(next))
}
