package rules

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // calendars name IANA zones; do not depend on the host's copy
)

// Business calendars: when an organisation works. SLA goals are counted in
// business time, the working time between two instants, so that a request
// filed on Wednesday evening in Tehran is not late on Friday.

// Calendar is a business calendar as process owners write it.
type Calendar struct {
	Key      string            `json:"key"`
	Title    map[string]string `json:"title"`
	Category string            `json:"category,omitempty"`
	// TimeZone is an IANA zone name: "Asia/Tehran", "Europe/London", "UTC".
	TimeZone string `json:"timeZone"`
	// Always makes every minute working time (a 24/7 service); Week must
	// then be empty.
	Always bool `json:"always,omitempty"`
	// Week gives each weekday's working hours as "HH:MM-HH:MM" ranges in
	// local time ("24:00" ends a day); a weekday not named is closed.
	Week map[string][]string `json:"week,omitempty"`
	// Holidays are dates closed all day, or worked only in their Hours.
	Holidays []Holiday `json:"holidays,omitempty"`
}

// Holiday is one date of a calendar that differs from its week.
type Holiday struct {
	Date  string            `json:"date"` // YYYY-MM-DD, local
	Title map[string]string `json:"title,omitempty"`
	// Hours, if given, are the day's working hours instead of none.
	Hours []string `json:"hours,omitempty"`
}

// CalendarError lists everything wrong with a calendar.
type CalendarError struct{ Problems []Problem }

func (e *CalendarError) Error() string { return listProblems("invalid calendar", e.Problems) }

// span is working time within a day, in minutes after local midnight.
type span struct{ from, to int }

// CompiledCalendar answers business time questions. It is immutable.
type CompiledCalendar struct {
	Key      string
	loc      *time.Location
	always   bool
	week     [7][]span // by time.Weekday
	holidays map[string][]span
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

var hoursRange = regexp.MustCompile(`^([01][0-9]|2[0-4]):([0-5][0-9])-([01][0-9]|2[0-4]):([0-5][0-9])$`)

// CompileCalendar checks a calendar and prepares it for arithmetic.
func CompileCalendar(c Calendar) (*CompiledCalendar, error) {
	var probs []Problem
	add := func(ptr, code, format string, args ...any) {
		probs = append(probs, Problem{Pointer: ptr, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	out := &CompiledCalendar{Key: c.Key, always: c.Always, holidays: map[string][]span{}}
	if c.TimeZone == "" {
		add("/timeZone", "required", "name the calendar's time zone, such as Asia/Tehran or Europe/London")
	} else if loc, err := time.LoadLocation(c.TimeZone); err != nil || strings.EqualFold(c.TimeZone, "local") {
		add("/timeZone", "timeZone", "%q is not an IANA time zone name such as Asia/Tehran", c.TimeZone)
	} else {
		out.loc = loc
	}
	if c.Always && len(c.Week) > 0 {
		add("/week", "conflict", "a calendar that is always open has no week")
	}
	for name, ranges := range c.Week {
		day, ok := weekdays[name]
		if !ok {
			add("/week/"+name, "weekday", "%q is not a weekday: use sunday, monday, ... saturday", name)
			continue
		}
		spans, bad := parseSpans(ranges, "/week/"+name)
		probs = append(probs, bad...)
		out.week[day] = spans
	}
	for i, h := range c.Holidays {
		ptr := fmt.Sprintf("/holidays/%d", i)
		d, err := time.Parse(time.DateOnly, h.Date)
		if err != nil || d.Format(time.DateOnly) != h.Date {
			add(ptr+"/date", "date", "%q is not a date written YYYY-MM-DD", h.Date)
			continue
		}
		if _, dup := out.holidays[h.Date]; dup {
			add(ptr+"/date", "duplicate", "%s is listed twice", h.Date)
			continue
		}
		spans, bad := parseSpans(h.Hours, ptr+"/hours")
		probs = append(probs, bad...)
		out.holidays[h.Date] = spans
	}
	if !c.Always && len(probs) == 0 && !slices.ContainsFunc(out.week[:], func(s []span) bool { return len(s) > 0 }) {
		add("/week", "closed", "the calendar has no working hours in any weekday: business time would never pass")
	}
	if len(probs) > 0 {
		slices.SortFunc(probs, func(a, b Problem) int { return strings.Compare(a.Pointer, b.Pointer) })
		return nil, &CalendarError{Problems: probs}
	}
	return out, nil
}

// parseSpans reads "HH:MM-HH:MM" ranges: each non-empty, in order, not
// overlapping.
func parseSpans(ranges []string, ptr string) ([]span, []Problem) {
	var out []span
	var probs []Problem
	for i, r := range ranges {
		p := fmt.Sprintf("%s/%d", ptr, i)
		m := hoursRange.FindStringSubmatch(r)
		if m == nil {
			probs = append(probs, Problem{Pointer: p, Code: "hours", Message: fmt.Sprintf("%q is not a range of hours such as 08:00-16:00", r)})
			continue
		}
		num := func(s string) int { n, _ := strconv.Atoi(s); return n }
		from, to := num(m[1])*60+num(m[2]), num(m[3])*60+num(m[4])
		switch {
		case from >= to || to > 24*60:
			probs = append(probs, Problem{Pointer: p, Code: "hours", Message: fmt.Sprintf("%q does not end after it starts, by 24:00", r)})
		case len(out) > 0 && from < out[len(out)-1].to:
			probs = append(probs, Problem{Pointer: p, Code: "hours", Message: fmt.Sprintf("%q starts before the range before it ends: list ranges in order, apart", r)})
		default:
			out = append(out, span{from, to})
		}
	}
	return out, probs
}

// Location is the calendar's time zone.
func (c *CompiledCalendar) Location() *time.Location { return c.loc }

// horizon bounds how far business time arithmetic looks: a deadline more
// than ten years of calendar days away is an error, not a loop.
const horizon = 3660

// ErrBeyondHorizon means the answer lies more than ten years ahead.
var ErrBeyondHorizon = errors.New("business time: the answer is more than ten years away")

// intervals returns the working intervals of the local day that starts at
// midnight (a local date), as instants in order. Local times that a
// daylight saving change skips or repeats resolve as time.Date does: a
// skipped hour does not exist, so a range across it is an hour shorter,
// and a repeated one counts once more.
func (c *CompiledCalendar) intervals(midnight time.Time) [][2]time.Time {
	y, m, d := midnight.Date()
	at := func(min int) time.Time { return time.Date(y, m, d, 0, min, 0, 0, c.loc) }
	if c.always {
		return [][2]time.Time{{at(0), time.Date(y, m, d+1, 0, 0, 0, 0, c.loc)}}
	}
	spans, holiday := c.holidays[midnight.Format(time.DateOnly)]
	if !holiday {
		spans = c.week[midnight.Weekday()]
	}
	out := make([][2]time.Time, 0, len(spans))
	for _, s := range spans {
		from, to := at(s.from), at(s.to)
		if s.to == 24*60 {
			to = time.Date(y, m, d+1, 0, 0, 0, 0, c.loc)
		}
		if to.After(from) {
			out = append(out, [2]time.Time{from, to})
		}
	}
	return out
}

// days calls f with each local day from the one holding t on, until f
// returns false or the horizon is passed.
func (c *CompiledCalendar) days(t time.Time, f func(day [][2]time.Time) bool) error {
	y, m, d := t.In(c.loc).Date()
	for i := 0; i < horizon; i++ {
		if !f(c.intervals(time.Date(y, m, d+i, 0, 0, 0, 0, c.loc))) {
			return nil
		}
	}
	return ErrBeyondHorizon
}

// Add returns the instant at which d of business time has passed since
// from. A zero d gives from itself if it is working time, else the next
// opening.
func (c *CompiledCalendar) Add(from time.Time, d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, fmt.Errorf("business time: negative duration %s", d)
	}
	left := d
	var due time.Time
	found := false
	err := c.days(from, func(day [][2]time.Time) bool {
		for _, iv := range day {
			start, end := iv[0], iv[1]
			if !end.After(from) {
				continue
			}
			if start.Before(from) {
				start = from
			}
			if avail := end.Sub(start); left <= avail {
				due, found = start.Add(left), true
				return false
			}
			left -= end.Sub(start)
		}
		return true
	})
	if err != nil || !found {
		return time.Time{}, ErrBeyondHorizon
	}
	return due.UTC(), nil
}

// Between returns the business time from a to b (zero if b is not after a).
func (c *CompiledCalendar) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	var total time.Duration
	_ = c.days(a, func(day [][2]time.Time) bool {
		for _, iv := range day {
			start, end := iv[0], iv[1]
			if start.Before(a) {
				start = a
			}
			if end.After(b) {
				end = b
			}
			if end.After(start) {
				total += end.Sub(start)
			}
		}
		return len(day) == 0 || day[len(day)-1][1].Before(b)
	})
	return total
}

// Open reports whether t is working time.
func (c *CompiledCalendar) Open(t time.Time) bool {
	y, m, d := t.In(c.loc).Date()
	for _, iv := range c.intervals(time.Date(y, m, d, 0, 0, 0, 0, c.loc)) {
		if !t.Before(iv[0]) && t.Before(iv[1]) {
			return true
		}
	}
	return false
}
