package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/forms"
	"github.com/pishkhan/pishkhan/rules"
)

func tehranHours(t *testing.T) *rules.CompiledCalendar {
	t.Helper()
	day := []string{"08:00-16:00"}
	c, err := rules.CompileCalendar(rules.Calendar{Key: "tehran", TimeZone: "Asia/Tehran",
		Week: map[string][]string{"saturday": day, "sunday": day, "monday": day, "tuesday": day, "wednesday": day}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// tehranAt is a local time in Tehran (UTC+03:30) on the given date.
func tehranAt(date, clock string) time.Time {
	t, err := time.Parse("2006-01-02 15:04 -0700", date+" "+clock+" +0330")
	if err != nil {
		panic(err)
	}
	return t
}

func checkView(t *testing.T, what string, v engine.ClockView, state, elapsed, left string) {
	t.Helper()
	if v.State != state || v.Elapsed != elapsed || v.Left != left {
		t.Errorf("%s: %s elapsed %s left %s, want %s elapsed %s left %s", what, v.State, v.Elapsed, v.Left, state, elapsed, left)
	}
}

func TestSLAClock(t *testing.T) {
	cal := tehranHours(t)
	mon := func(clock string) time.Time { return tehranAt("2026-11-23", clock) }
	tue := func(clock string) time.Time { return tehranAt("2026-11-24", clock) }

	c, err := engine.StartClock(cal, engine.GoalFirstResponse, 4*time.Hour, 0.75, mon("14:00"))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Due.Equal(tue("10:00")) || !c.WarnAt.Equal(tue("09:00")) {
		t.Fatalf("due %s warn %s, want Tuesday 10:00 and 09:00 (2 hours on Monday, 2 on Tuesday)", c.Due, c.WarnAt)
	}
	checkView(t, "an hour in", c.View(cal, mon("15:00")), engine.ClockRunning, "1h0m0s", "3h0m0s")
	checkView(t, "overnight counts nothing", c.View(cal, tue("07:00")), engine.ClockRunning, "2h0m0s", "2h0m0s")
	if v := c.View(cal, tue("09:30")); !v.Warning || v.State != engine.ClockRunning {
		t.Errorf("past the warning share: %+v", v)
	}

	// Waiting on the requester from Monday 15:00 to Tuesday 12:00.
	c.Pause(cal, mon("15:00"))
	checkView(t, "paused", c.View(cal, tue("12:00")), engine.ClockPaused, "1h0m0s", "3h0m0s")
	if c.Due != nil {
		t.Errorf("a paused clock has no due time: %s", c.Due)
	}
	c.Pause(cal, tue("11:00")) // pausing again changes nothing
	if err := c.Resume(cal, tue("12:00")); err != nil {
		t.Fatal(err)
	}
	if !c.Due.Equal(tue("15:00")) || !c.WarnAt.Equal(tue("14:00")) {
		t.Errorf("after the pause: due %s warn %s, want Tuesday 15:00 and 14:00", c.Due, c.WarnAt)
	}
	if err := c.Resume(cal, tue("13:00")); err != nil || !c.Due.Equal(tue("15:00")) {
		t.Errorf("resuming a running clock moved it: %s %v", c.Due, err)
	}
	c.Stop(cal, tue("14:00"))
	checkView(t, "met", c.View(cal, tue("16:00")), engine.ClockMet, "3h0m0s", "1h0m0s")
	c.Pause(cal, tue("15:00"))
	if err := c.Resume(cal, tue("15:30")); err != nil || c.Since != nil {
		t.Errorf("a stopped clock started again: %+v %v", c, err)
	}

	// Nobody answers: breached once four business hours pass.
	late, _ := engine.StartClock(cal, engine.GoalFirstResponse, 4*time.Hour, 0.75, mon("14:00"))
	checkView(t, "exactly at the target", late.View(cal, tue("10:00")), engine.ClockRunning, "4h0m0s", "0s")
	checkView(t, "past the target", late.View(cal, tue("11:00")), engine.ClockBreached, "5h0m0s", "-1h0m0s")
	late.MarkBreached(tue("10:00"))
	late.Stop(cal, tue("12:00"))
	if v := late.View(cal, tue("13:00")); v.State != engine.ClockBreached || !late.Breached.Equal(tue("10:00")) {
		t.Errorf("answered late: %+v breached at %s", v, late.Breached)
	}

	// Filed on a Friday: the clock starts counting on Saturday morning.
	fri, _ := engine.StartClock(cal, engine.GoalResolution, 4*time.Hour, 0, tehranAt("2026-11-27", "10:00"))
	if !fri.Due.Equal(tehranAt("2026-11-28", "12:00")) || fri.WarnAt != nil {
		t.Errorf("filed on Friday: due %s warn %v", fri.Due, fri.WarnAt)
	}
	// Paused on a Thursday after running Wednesday afternoon.
	wed, _ := engine.StartClock(cal, engine.GoalResolution, 16*time.Hour, 0, tehranAt("2026-11-25", "15:00"))
	wed.Pause(cal, tehranAt("2026-11-26", "10:00"))
	checkView(t, "paused on Thursday", wed.View(cal, tehranAt("2026-11-28", "09:00")), engine.ClockPaused, "1h0m0s", "15h0m0s")

	for _, bad := range []struct {
		target time.Duration
		warn   float64
	}{{0, 0}, {-time.Hour, 0}, {time.Hour, 1}, {time.Hour, -0.1}} {
		if _, err := engine.StartClock(cal, engine.GoalResolution, bad.target, bad.warn, mon("09:00")); err == nil {
			t.Errorf("target %s warn %g accepted", bad.target, bad.warn)
		}
	}
}

// Calendars are drafted and published like other definitions; a calendar
// that cannot work is refused with pointers into it.
func TestCalendarsArePublishedDefinitions(t *testing.T) {
	t.Parallel()
	defs, _, _ := services(t)
	ctx := context.Background()
	_, problems, err := defs.SaveDraft(ctx, engine.KindCalendar, "office", json.RawMessage(`{"title": {"en": "Office"}, "timeZone": "Mars/Olympus",
		"week": {"monday": ["17:00-09:00"]}}`), 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.Pointer)
	}
	if !slices.Contains(got, "/timeZone") || !slices.Contains(got, "/week/monday/0") {
		t.Fatalf("draft problems %v", got)
	}
	if _, err := defs.Publish(ctx, engine.KindCalendar, "office"); err == nil {
		t.Fatal("a broken calendar was published")
	}
	publish(t, defs, engine.KindCalendar, "office", json.RawMessage(`{"title": {"en": "Office"}, "timeZone": "Asia/Tehran",
		"week": {"saturday": ["08:00-16:00"], "wednesday": ["08:00-16:00"]}}`))
	cal, version, err := defs.Calendar(ctx, "office", 0)
	if err != nil || version != 1 {
		t.Fatalf("calendar: %v version %d", err, version)
	}
	if due, err := cal.Add(tehranAt("2026-11-25", "15:00"), 2*time.Hour); err != nil || !due.Equal(tehranAt("2026-11-28", "09:00")) {
		t.Errorf("due %s (%v)", due, err)
	}
	if _, _, err := defs.SaveDraft(ctx, engine.KindCalendar, "office", json.RawMessage(`{"timeZone": "UTC", "always": true, "hours": 1}`), 0); !errors.As(err, new(*forms.DefinitionError)) {
		t.Errorf("unknown field: %v", err)
	}
}
