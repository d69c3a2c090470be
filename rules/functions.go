package rules

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"

	"github.com/expr-lang/expr"
)

// helperOptions is the one list of functions rules get beyond expr's
// builtins. None does I/O; each is pure.
var helperOptions = []expr.Option{
	// addDays(t, n): t plus n calendar days.
	expr.Function("addDays", func(p ...any) (any, error) {
		return p[0].(time.Time).AddDate(0, 0, toInt(p[1])), nil
	}, new(func(time.Time, int) time.Time)),
	// addHours(t, n) and addMinutes(t, n).
	expr.Function("addHours", func(p ...any) (any, error) {
		return p[0].(time.Time).Add(time.Duration(toInt(p[1])) * time.Hour), nil
	}, new(func(time.Time, int) time.Time)),
	expr.Function("addMinutes", func(p ...any) (any, error) {
		return p[0].(time.Time).Add(time.Duration(toInt(p[1])) * time.Minute), nil
	}, new(func(time.Time, int) time.Time)),
	// daysBetween(a, b): whole days from a to b (negative if b is earlier).
	expr.Function("daysBetween", func(p ...any) (any, error) {
		return int(math.Floor(p[1].(time.Time).Sub(p[0].(time.Time)).Hours() / 24)), nil
	}, new(func(time.Time, time.Time) int)),
	// hoursBetween(a, b): hours from a to b, with fractions.
	expr.Function("hoursBetween", func(p ...any) (any, error) {
		return p[1].(time.Time).Sub(p[0].(time.Time)).Hours(), nil
	}, new(func(time.Time, time.Time) float64)),
	// startOfDay(t): midnight of t's day, in t's time zone.
	expr.Function("startOfDay", func(p ...any) (any, error) {
		t := p[0].(time.Time)
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location()), nil
	}, new(func(time.Time) time.Time)),
	// age(birthDate, now): whole years; birthDate as "YYYY-MM-DD" or a time.
	expr.Function("age", func(p ...any) (any, error) {
		born, err := asTime(p[0])
		if err != nil {
			return nil, err
		}
		now := p[1].(time.Time)
		years := now.Year() - born.Year()
		if now.YearDay() < born.YearDay() {
			years--
		}
		return years, nil
	}, new(func(any, time.Time) int)),
	// isBlank(x): x is absent, or text that is empty or only spaces, or an
	// empty list.
	expr.Function("isBlank", func(p ...any) (any, error) {
		switch v := p[0].(type) {
		case nil:
			return true, nil
		case string:
			return strings.TrimSpace(v) == "", nil
		}
		rv := reflect.ValueOf(p[0])
		if rv.Kind() == reflect.Slice || rv.Kind() == reflect.Map {
			return rv.Len() == 0, nil
		}
		return false, nil
	}, new(func(any) bool)),
	// coalesce(a, b, ...): the first value that is not absent.
	expr.Function("coalesce", func(p ...any) (any, error) {
		for _, v := range p {
			if v != nil {
				return v, nil
			}
		}
		return nil, nil
	}),
}

func toInt(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case int64:
		return int(n)
	case float64:
		return int(n)
	}
	return 0
}

func asTime(v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t, nil
	case string:
		d, err := time.Parse("2006-01-02", t)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", t)
		}
		return d, nil
	}
	return time.Time{}, fmt.Errorf("%v is not a date", v)
}
