package rules

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func mustCalendar(t *testing.T, c Calendar) *CompiledCalendar {
	t.Helper()
	cc, err := CompileCalendar(c)
	if err != nil {
		t.Fatal(err)
	}
	return cc
}

var (
	office8to4 = []string{"08:00-16:00"}
	office9to5 = []string{"09:00-17:00"}
	tehran     = Calendar{Key: "tehran", TimeZone: "Asia/Tehran",
		Week:     map[string][]string{"saturday": office8to4, "sunday": office8to4, "monday": office8to4, "tuesday": office8to4, "wednesday": office8to4},
		Holidays: []Holiday{{Date: "2027-03-21", Title: map[string]string{"en": "Nowruz"}}, {Date: "2027-03-22"}}}
	london = Calendar{Key: "london", TimeZone: "Europe/London",
		Week:     map[string][]string{"monday": office9to5, "tuesday": office9to5, "wednesday": office9to5, "thursday": office9to5, "friday": office9to5},
		Holidays: []Holiday{{Date: "2026-12-24", Hours: []string{"09:00-12:00"}}, {Date: "2026-12-25"}}}
	nights  = Calendar{Key: "nights", TimeZone: "Europe/London", Week: map[string][]string{"sunday": {"00:00-04:00"}}}
	always  = Calendar{Key: "always", TimeZone: "Europe/London", Always: true}
	split   = Calendar{Key: "split", TimeZone: "UTC", Week: map[string][]string{"monday": {"08:00-12:00", "13:00-17:00"}, "tuesday": {"08:00-12:00", "13:00-17:00"}}}
	mondays = Calendar{Key: "mondays", TimeZone: "UTC", Week: map[string][]string{"monday": office9to5}}
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// Deadlines computed by hand: every instant is written in UTC with the
// local time beside it.
func TestCalendarAdd(t *testing.T) {
	cases := []struct {
		name string
		cal  Calendar
		from string
		d    time.Duration
		want string
	}{
		{"tehran: within a day", tehran, "2026-11-23T05:30:00Z" /* Mon 09:00 */, 3 * time.Hour, "2026-11-23T08:30:00Z" /* 12:00 */},
		{"tehran: over the weekend (Thursday and Friday)", tehran, "2026-11-25T11:30:00Z" /* Wed 15:00 */, 2 * time.Hour, "2026-11-28T05:30:00Z" /* Sat 09:00 */},
		{"tehran: filed before opening", tehran, "2026-11-28T02:30:00Z" /* Sat 06:00 */, 30 * time.Minute, "2026-11-28T05:00:00Z" /* 08:30 */},
		{"tehran: ends exactly at closing", tehran, "2026-11-25T04:30:00Z" /* Wed 08:00 */, 8 * time.Hour, "2026-11-25T12:30:00Z" /* Wed 16:00 */},
		{"tehran: zero on a Friday is the next opening", tehran, "2026-11-27T09:00:00Z" /* Fri */, 0, "2026-11-28T04:30:00Z" /* Sat 08:00 */},
		{"tehran: zero while open is now", tehran, "2026-11-23T06:00:00Z", 0, "2026-11-23T06:00:00Z"},
		{"tehran: Nowruz holidays skipped", tehran, "2027-03-20T11:30:00Z" /* Sat 15:00 */, 2 * time.Hour, "2027-03-23T05:30:00Z" /* Tue 09:00 */},
		{"tehran: two working days", tehran, "2026-11-23T05:30:00Z" /* Mon 09:00 */, 16 * time.Hour, "2026-11-25T05:30:00Z" /* Wed 09:00 */},
		{"london: into summer time", london, "2026-03-27T16:00:00Z" /* Fri 16:00 GMT */, 2 * time.Hour, "2026-03-30T09:00:00Z" /* Mon 10:00 BST */},
		{"london: out of summer time", london, "2026-10-23T15:30:00Z" /* Fri 16:30 BST */, time.Hour, "2026-10-26T09:30:00Z" /* Mon 09:30 GMT */},
		{"london: half-day holiday, then a holiday and a weekend", london, "2026-12-24T11:00:00Z" /* Thu 11:00 */, 2 * time.Hour, "2026-12-28T10:00:00Z" /* Mon 10:00 */},
		{"london: filed on Saturday", london, "2026-11-28T12:00:00Z", time.Hour, "2026-11-30T10:00:00Z"},
		{"nights: the hour clocks skip does not count", nights, "2026-03-29T00:00:00Z" /* Sun 00:00 GMT */, 3 * time.Hour, "2026-03-29T03:00:00Z" /* 04:00 BST */},
		{"nights: the hour clocks repeat counts twice", nights, "2026-10-24T23:00:00Z" /* Sun 00:00 BST */, 5 * time.Hour, "2026-10-25T04:00:00Z" /* 04:00 GMT */},
		{"always: elapsed time, across a clock change", always, "2026-03-28T23:00:00Z", 5 * time.Hour, "2026-03-29T04:00:00Z"},
		{"split day: the lunch hour does not count", split, "2026-11-23T11:00:00Z" /* Mon */, 2 * time.Hour, "2026-11-23T14:00:00Z"},
		{"split day: into the next day", split, "2026-11-23T16:00:00Z", 2 * time.Hour, "2026-11-24T09:00:00Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := mustCalendar(t, tc.cal)
			got, err := c.Add(utc(tc.from), tc.d)
			if err != nil {
				t.Fatal(err)
			}
			if want := utc(tc.want); !got.Equal(want) {
				t.Errorf("Add(%s, %s) = %s, want %s", tc.from, tc.d, got.Format(time.RFC3339), tc.want)
			}
			// Between undoes Add.
			if back := c.Between(utc(tc.from), got); back != tc.d {
				t.Errorf("Between(%s, %s) = %s, want %s", tc.from, got.Format(time.RFC3339), back, tc.d)
			}
		})
	}
}

func TestCalendarBetweenAndOpen(t *testing.T) {
	c := mustCalendar(t, tehran)
	for _, tc := range []struct {
		a, b string
		want time.Duration
	}{
		{"2026-11-25T11:30:00Z", "2026-11-28T05:30:00Z", 2 * time.Hour},  // Wed 15:00 -> Sat 09:00
		{"2026-11-26T05:00:00Z", "2026-11-27T12:00:00Z", 0},              // Thursday and Friday
		{"2026-11-28T05:30:00Z", "2026-11-25T11:30:00Z", 0},              // backwards
		{"2026-11-21T00:00:00Z", "2026-11-28T00:00:00Z", 40 * time.Hour}, // a whole week: five days of eight hours
	} {
		if got := c.Between(utc(tc.a), utc(tc.b)); got != tc.want {
			t.Errorf("Between(%s, %s) = %s, want %s", tc.a, tc.b, got, tc.want)
		}
	}
	for at, want := range map[string]bool{
		"2026-11-23T04:30:00Z": true,  // Mon 08:00: opening is inside
		"2026-11-23T12:30:00Z": false, // Mon 16:00: closing is outside
		"2026-11-26T06:00:00Z": false, // Thursday
		"2027-03-21T06:00:00Z": false, // Nowruz
	} {
		if got := c.Open(utc(at)); got != want {
			t.Errorf("Open(%s) = %v", at, got)
		}
	}
}

func TestCalendarHorizon(t *testing.T) {
	c := mustCalendar(t, mondays) // 8 hours a week
	if _, err := c.Add(utc("2026-11-23T09:00:00Z"), 10000*time.Hour); !errors.Is(err, ErrBeyondHorizon) {
		t.Errorf("24 years of Mondays: %v, want ErrBeyondHorizon", err)
	}
	if _, err := c.Add(utc("2026-11-23T09:00:00Z"), -time.Hour); err == nil {
		t.Error("negative duration accepted")
	}
}

func TestCalendarProblems(t *testing.T) {
	cases := []struct {
		name string
		cal  Calendar
		want string // pointer: code
	}{
		{"no zone", Calendar{Always: true}, "/timeZone: required"},
		{"bad zone", Calendar{TimeZone: "Mars/Olympus", Always: true}, "/timeZone: timeZone"},
		{"local zone", Calendar{TimeZone: "Local", Always: true}, "/timeZone: timeZone"},
		{"bad weekday", Calendar{TimeZone: "UTC", Week: map[string][]string{"friyay": office9to5, "monday": office9to5}}, "/week/friyay: weekday"},
		{"backwards range", Calendar{TimeZone: "UTC", Week: map[string][]string{"monday": {"17:00-09:00"}}}, "/week/monday/0: hours"},
		{"past midnight", Calendar{TimeZone: "UTC", Week: map[string][]string{"monday": {"09:00-24:30"}}}, "/week/monday/0: hours"},
		{"not a range", Calendar{TimeZone: "UTC", Week: map[string][]string{"monday": {"9-5"}}}, "/week/monday/0: hours"},
		{"overlap", Calendar{TimeZone: "UTC", Week: map[string][]string{"monday": {"09:00-13:00", "12:00-17:00"}}}, "/week/monday/1: hours"},
		{"bad date", Calendar{TimeZone: "UTC", Always: true, Holidays: []Holiday{{Date: "2026-02-30"}}}, "/holidays/0/date: date"},
		{"twice", Calendar{TimeZone: "UTC", Always: true, Holidays: []Holiday{{Date: "2026-12-25"}, {Date: "2026-12-25"}}}, "/holidays/1/date: duplicate"},
		{"bad holiday hours", Calendar{TimeZone: "UTC", Always: true, Holidays: []Holiday{{Date: "2026-12-24", Hours: []string{"x"}}}}, "/holidays/0/hours/0: hours"},
		{"never open", Calendar{TimeZone: "UTC"}, "/week: closed"},
		{"always and a week", Calendar{TimeZone: "UTC", Always: true, Week: map[string][]string{"monday": office9to5}}, "/week: conflict"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CompileCalendar(tc.cal)
			var ce *CalendarError
			if !errors.As(err, &ce) {
				t.Fatalf("%v, want a CalendarError", err)
			}
			var got []string
			for _, p := range ce.Problems {
				got = append(got, p.Pointer+": "+p.Code)
			}
			if !strings.Contains(strings.Join(got, "\n"), tc.want) {
				t.Errorf("problems %q, want %q", got, tc.want)
			}
		})
	}
}
