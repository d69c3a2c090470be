package engine

import (
	"fmt"
	"time"

	"github.com/pishkhan/pishkhan/rules"
)

// SLA clocks. A goal (first response, resolution) is a target in business
// time on a calendar. Its clock runs only in working time, pauses while the
// request waits on its requester, and stops when the goal is met. The
// rules that start, pause, resume and stop each goal are in docs/sla.md;
// this file is the arithmetic, kept pure so each rule can be tested alone.

// SLA goals.
const (
	GoalFirstResponse = "firstResponse"
	GoalResolution    = "resolution"
)

// Clock states, as a request shows them.
const (
	ClockRunning  = "running"
	ClockPaused   = "paused"
	ClockMet      = "met"
	ClockBreached = "breached"
)

// Clock is one SLA goal's clock on a request. Elapsed holds the business
// time counted up to Since (running), or in total (paused or stopped).
type Clock struct {
	Goal     string        `bson:"goal" json:"goal"`
	Calendar string        `bson:"calendar" json:"calendar"`
	Target   time.Duration `bson:"target" json:"-"`
	// Warn is the share of the target after which the clock warns (0.8).
	Warn    float64       `bson:"warn,omitempty" json:"-"`
	Started time.Time     `bson:"started" json:"started"`
	Elapsed time.Duration `bson:"elapsed" json:"-"`
	// Since is when the clock last started running; nil while paused or
	// stopped.
	Since *time.Time `bson:"since,omitempty" json:"-"`
	// Due is when the target is reached if the clock keeps running; nil
	// while paused or stopped.
	Due     *time.Time `bson:"due,omitempty" json:"due,omitempty"`
	WarnAt  *time.Time `bson:"warnAt,omitempty" json:"warnAt,omitempty"`
	Stopped *time.Time `bson:"stopped,omitempty" json:"stopped,omitempty"`
	// Breached is when the target passed without the goal being met.
	Breached *time.Time `bson:"breached,omitempty" json:"breached,omitempty"`
}

// StartClock starts a goal's clock at at.
func StartClock(cal *rules.CompiledCalendar, goal string, target time.Duration, warn float64, at time.Time) (Clock, error) {
	if target <= 0 {
		return Clock{}, fmt.Errorf("sla: %s target must be positive, not %s", goal, target)
	}
	if warn < 0 || warn >= 1 {
		return Clock{}, fmt.Errorf("sla: %s warning share must be from 0 to below 1, not %g", goal, warn)
	}
	c := Clock{Goal: goal, Calendar: cal.Key, Target: target, Warn: warn, Started: at}
	return c, c.run(cal, at)
}

// run sets the clock running from at with what is left of its target.
func (c *Clock) run(cal *rules.CompiledCalendar, at time.Time) error {
	since := at
	c.Since = &since
	left := max(c.Target-c.Elapsed, 0)
	due, err := cal.Add(at, left)
	if err != nil {
		return err
	}
	c.Due = &due
	c.WarnAt = nil
	if c.Warn > 0 {
		if warnLeft := time.Duration(float64(c.Target)*c.Warn) - c.Elapsed; warnLeft > 0 {
			w, err := cal.Add(at, warnLeft)
			if err != nil {
				return err
			}
			c.WarnAt = &w
		}
	}
	return nil
}

// count adds the business time since the clock last ran, up to at.
func (c *Clock) count(cal *rules.CompiledCalendar, at time.Time) {
	if c.Since != nil {
		c.Elapsed += cal.Between(*c.Since, at)
	}
	c.Since, c.Due, c.WarnAt = nil, nil, nil
}

// Pause stops the clock counting (the request waits on its requester).
// Pausing a paused or stopped clock changes nothing.
func (c *Clock) Pause(cal *rules.CompiledCalendar, at time.Time) {
	if c.Since == nil {
		return
	}
	c.count(cal, at)
}

// Resume lets a paused clock count again from at. A running or stopped
// clock is left alone.
func (c *Clock) Resume(cal *rules.CompiledCalendar, at time.Time) error {
	if c.Since != nil || c.Stopped != nil {
		return nil
	}
	return c.run(cal, at)
}

// Stop stops the clock for good at at: the goal is met, on time or late.
func (c *Clock) Stop(cal *rules.CompiledCalendar, at time.Time) {
	if c.Stopped != nil {
		return
	}
	c.count(cal, at)
	stopped := at
	c.Stopped = &stopped
	if c.Elapsed > c.Target && c.Breached == nil {
		// It passed its target while running; when exactly is not known
		// here, only that it was before at.
		c.Breached = &stopped
	}
}

// MarkBreached records that the target passed at at (the breach timer).
func (c *Clock) MarkBreached(at time.Time) {
	if c.Breached == nil && c.Stopped == nil {
		b := at
		c.Breached = &b
	}
}

// ClockView is a clock as people read it at a given moment.
type ClockView struct {
	Goal     string     `json:"goal"`
	State    string     `json:"state"`
	Target   string     `json:"target"`
	Elapsed  string     `json:"elapsed"`
	Left     string     `json:"left"` // negative once breached
	Due      *time.Time `json:"due,omitempty"`
	Warning  bool       `json:"warning"`
	Breached bool       `json:"breached"`
}

// View is the clock at now.
func (c *Clock) View(cal *rules.CompiledCalendar, now time.Time) ClockView {
	elapsed := c.Elapsed
	if c.Since != nil {
		elapsed += cal.Between(*c.Since, now)
	}
	v := ClockView{Goal: c.Goal, Target: c.Target.String(), Elapsed: elapsed.String(), Left: (c.Target - elapsed).String(), Due: c.Due}
	v.Breached = elapsed > c.Target || c.Breached != nil
	v.Warning = !v.Breached && c.Warn > 0 && float64(elapsed) >= float64(c.Target)*c.Warn
	switch {
	case c.Stopped != nil && v.Breached:
		v.State = ClockBreached
	case c.Stopped != nil:
		v.State = ClockMet
	case v.Breached:
		v.State = ClockBreached
	case c.Since == nil:
		v.State = ClockPaused
	default:
		v.State = ClockRunning
	}
	return v
}
