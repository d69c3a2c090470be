package engine

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/pishkhan/pishkhan/forms"
)

// KPIs over a period: totals and a time series by day, week or month,
// computed from the requests' KPI facts (kpifacts.go). docs/kpis.md
// defines every figure.

// KPI intervals of a time series.
const (
	IntervalDay   = "day"
	IntervalWeek  = "week"
	IntervalMonth = "month"
)

// Limits of a KPI query: a daily series of at most a year, a period of at
// most five years.
const (
	maxKPIDays    = 366
	maxKPIPeriod  = 5*366 - 1
	defaultPeriod = 30
)

// KPIQuery selects the requests and the period KPIs are computed over.
// Days are UTC days written 2006-01-02; empty From and To mean the 30 days
// up to today. A filter with several values selects requests matching any
// of them.
type KPIQuery struct {
	From, To string
	// Interval is the time series' step: day (the default), week (ISO
	// weeks, Monday to Sunday) or month.
	Interval string
	// Types are request type keys (or form keys, for requests filed by
	// form alone).
	Types    []string
	Channels []Channel
	// Departments are department or group keys: the request's owner
	// group, or a group one of its tasks was referred to.
	Departments []string
	// Agents are usernames: the request's owner, an earlier owner, or
	// whoever completed one of its tasks.
	Agents []string
}

// KPIDaysParams are the arguments of Store.KPIDays.
type KPIDaysParams struct {
	From, To    string
	Types       []string
	Channels    []Channel
	Departments []string
	Agents      []string
}

// KPIReport is the KPIs of a period: totals and a time series.
type KPIReport struct {
	From     string      `json:"from"`
	To       string      `json:"to"`
	Interval string      `json:"interval"`
	TimeZone string      `json:"timeZone"`
	Totals   KPIFigures  `json:"totals"`
	Series   []KPIBucket `json:"series"`
}

// KPIBucket is one step of a time series: a day, an ISO week or a month
// (Bucket: 2026-11-23, 2026-W48, 2026-11), cut to the period (Start, End:
// its first and last day in it).
type KPIBucket struct {
	Bucket string `json:"bucket"`
	Start  string `json:"start"`
	End    string `json:"end"`
	KPIFigures
}

// KPIFigures are the KPIs of a period or of one step of a series. Counts
// are what the averages and shares are made of; an average or share with
// nothing to average is null. Shares are percentages.
type KPIFigures struct {
	Volume                     int64    `json:"volume"`
	Backlog                    int64    `json:"backlog"`
	Resolved                   int64    `json:"resolved"`
	FirstResponses             int64    `json:"firstResponses"`
	FirstResponseSeconds       *float64 `json:"firstResponseSeconds"`
	ResolutionSeconds          *float64 `json:"resolutionSeconds"`
	SLAMet                     int64    `json:"slaMet"`
	SLAMissed                  int64    `json:"slaMissed"`
	SLACompliance              *float64 `json:"slaCompliance"`
	SLAFirstResponseMet        int64    `json:"slaFirstResponseMet"`
	SLAFirstResponseMissed     int64    `json:"slaFirstResponseMissed"`
	SLAFirstResponseCompliance *float64 `json:"slaFirstResponseCompliance"`
	SLAResolutionMet           int64    `json:"slaResolutionMet"`
	SLAResolutionMissed        int64    `json:"slaResolutionMissed"`
	SLAResolutionCompliance    *float64 `json:"slaResolutionCompliance"`
	FCR                        int64    `json:"fcr"`
	FCRRate                    *float64 `json:"fcrRate"`
	Reopened                   int64    `json:"reopened"`
	ReopenRate                 *float64 `json:"reopenRate"`
	TasksHandled               int64    `json:"tasksHandled"`
	AHTSeconds                 *float64 `json:"ahtSeconds"`
	CSATRatings                int64    `json:"csatRatings"`
	CSAT                       *float64 `json:"csat"`
	CSATSatisfied              *float64 `json:"csatSatisfied"`
	NPSRatings                 int64    `json:"npsRatings"`
	NPS                        *float64 `json:"nps"`
}

// ParamsError lists what is wrong with the parameters of a query (such as
// the filters of a KPI query), one problem per parameter: its pointer is
// "/" and the parameter's name.
type ParamsError struct {
	Problems []forms.FieldError
}

func (e *ParamsError) Error() string {
	msg := "invalid parameters:"
	for _, p := range e.Problems {
		msg += " " + p.Pointer[1:] + ": " + p.Message("en")
	}
	return msg
}

// Unwrap makes a ParamsError an ErrInvalid.
func (e *ParamsError) Unwrap() error { return ErrInvalid }

// Add records a problem with parameter name.
func (e *ParamsError) Add(name, code string, params map[string]any) {
	e.Problems = append(e.Problems, forms.FieldError{Pointer: "/" + name, Code: code, Params: params})
}

func (e *ParamsError) orNil() error {
	if len(e.Problems) == 0 {
		return nil
	}
	return e
}

// KPIs computes the KPIs q selects. A bad parameter is a *ParamsError.
func (r *Requests) KPIs(ctx context.Context, q KPIQuery) (*KPIReport, error) {
	from, to, err := q.check(r.now())
	if err != nil {
		return nil, err
	}
	sums, err := r.store.KPIDays(ctx, &KPIDaysParams{From: kpiDay(from), To: kpiDay(to), Types: q.Types, Channels: q.Channels, Departments: q.Departments, Agents: q.Agents})
	if err != nil {
		return nil, err
	}
	byDay := make(map[string]*KPIDay, len(sums))
	// What was open when the period began: every creation before it less
	// every resolution before it, of the requests selected.
	var backlog int64
	for i := range sums {
		d := &sums[i]
		if d.Day < kpiDay(from) {
			backlog += d.Created - d.Resolved
			continue
		}
		byDay[d.Day] = d
	}
	rep := &KPIReport{From: kpiDay(from), To: kpiDay(to), Interval: q.Interval, TimeZone: "UTC", Series: []KPIBucket{}}
	var total KPIDay
	var bucket *KPIBucket
	var inBucket KPIDay
	flush := func() {
		if bucket != nil {
			bucket.KPIFigures = figures(&inBucket, backlog)
			rep.Series = append(rep.Series, *bucket)
		}
	}
	for day := from; !day.After(to); day = day.AddDate(0, 0, 1) {
		name := bucketOf(day, q.Interval)
		if bucket == nil || bucket.Bucket != name {
			flush()
			bucket, inBucket = &KPIBucket{Bucket: name, Start: kpiDay(day)}, KPIDay{}
		}
		bucket.End = kpiDay(day)
		if d := byDay[kpiDay(day)]; d != nil {
			inBucket.Add(d)
			total.Add(d)
			backlog += d.Created - d.Resolved
		}
	}
	flush()
	rep.Totals = figures(&total, backlog)
	return rep, nil
}

// check validates q, fills in its defaults and returns its first and last
// day.
func (q *KPIQuery) check(now time.Time) (from, to time.Time, err error) {
	pe := &ParamsError{}
	day := func(name, s string) (time.Time, bool) {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			pe.Add(name, "format", map[string]any{"format": "date"})
			return time.Time{}, false
		}
		return t, true
	}
	y, m, d := now.UTC().Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	to, from = today, time.Time{}
	okTo, okFrom := true, true
	if q.To != "" {
		to, okTo = day("to", q.To)
	}
	if q.From != "" {
		from, okFrom = day("from", q.From)
	} else if okTo {
		from = to.AddDate(0, 0, 1-defaultPeriod)
	}
	if q.Interval == "" {
		q.Interval = IntervalDay
	}
	if !slices.Contains([]string{IntervalDay, IntervalWeek, IntervalMonth}, q.Interval) {
		pe.Add("interval", "enum", map[string]any{"allowed": []any{IntervalDay, IntervalWeek, IntervalMonth}})
	}
	if okFrom && okTo {
		days := int(to.Sub(from).Hours()/24) + 1
		switch {
		case to.Before(from):
			pe.Add("to", "minimum", map[string]any{"limit": kpiDay(from)})
		case days > maxKPIPeriod:
			pe.Add("to", "maximum", map[string]any{"limit": kpiDay(from.AddDate(0, 0, maxKPIPeriod-1))})
		case q.Interval == IntervalDay && days > maxKPIDays:
			// Or ask for weeks or months.
			pe.Add("to", "maximum", map[string]any{"limit": kpiDay(from.AddDate(0, 0, maxKPIDays-1))})
		}
	}
	checkEach := func(name string, values []string, valid func(string) bool) {
		for _, v := range values {
			if !valid(v) {
				pe.Add(name, "pattern", nil)
				return
			}
		}
	}
	checkEach("type", q.Types, forms.ValidKey)
	checkEach("department", q.Departments, validUsername)
	checkEach("agent", q.Agents, validUsername)
	for _, c := range q.Channels {
		if !ValidChannel(c) {
			allowed := make([]any, len(Channels))
			for i, c := range Channels {
				allowed[i] = string(c)
			}
			pe.Add("channel", "enum", map[string]any{"allowed": allowed})
			break
		}
	}
	return from, to, pe.orNil()
}

// bucketOf names the step of a series that day falls in.
func bucketOf(day time.Time, interval string) string {
	switch interval {
	case IntervalWeek:
		y, w := day.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case IntervalMonth:
		return day.Format("2006-01")
	}
	return kpiDay(day)
}

// figures turns summed facts into KPIs; backlog is what was open at the
// end.
func figures(d *KPIDay, backlog int64) KPIFigures {
	f := KPIFigures{
		Volume: d.Created, Backlog: backlog, Resolved: d.Resolved,
		FirstResponses:       d.FirstResponses,
		FirstResponseSeconds: mean(d.FirstResponseMs, d.FirstResponses, 1000),
		ResolutionSeconds:    mean(d.ResolutionMs, d.Resolved, 1000),
		SLAMet:               d.FirstResponseMet + d.ResolutionMet, SLAMissed: d.FirstResponseMissed + d.ResolutionMissed,
		SLAFirstResponseMet: d.FirstResponseMet, SLAFirstResponseMissed: d.FirstResponseMissed,
		SLAFirstResponseCompliance: share(d.FirstResponseMet, d.FirstResponseMet+d.FirstResponseMissed),
		SLAResolutionMet:           d.ResolutionMet, SLAResolutionMissed: d.ResolutionMissed,
		SLAResolutionCompliance: share(d.ResolutionMet, d.ResolutionMet+d.ResolutionMissed),
		FCR:                     d.FCR, FCRRate: share(d.FCR, d.Resolved),
		Reopened: d.Reopened, ReopenRate: share(d.Reopened, d.Resolved),
		TasksHandled: d.Tasks, AHTSeconds: mean(d.HandleMs, d.Tasks, 1000),
		CSATRatings: d.CSATRatings, CSAT: mean(d.CSATSum, d.CSATRatings, 1), CSATSatisfied: share(d.CSATSatisfied, d.CSATRatings),
		NPSRatings: d.NPSRatings,
	}
	f.SLACompliance = share(f.SLAMet, f.SLAMet+f.SLAMissed)
	if d.NPSRatings > 0 {
		f.NPS = round2(100 * float64(d.Promoters-d.Detractors) / float64(d.NPSRatings))
	}
	return f
}

// mean is sum/n/unit rounded to two decimals; nil when n is 0.
func mean(sum, n int64, unit float64) *float64 {
	if n == 0 {
		return nil
	}
	return round2(float64(sum) / float64(n) / unit)
}

// share is part/whole as a percentage rounded to two decimals; nil when
// whole is 0.
func share(part, whole int64) *float64 {
	if whole == 0 {
		return nil
	}
	return round2(100 * float64(part) / float64(whole))
}

func round2(x float64) *float64 {
	r := math.Round(x*100) / 100
	return &r
}
