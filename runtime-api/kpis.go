package runtimeapi

import (
	"bytes"
	"encoding/csv"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pishkhan/pishkhan/engine"
)

// kpiParams are the query parameters of GET /kpis; the filters may be
// repeated or list values separated by commas.
var kpiParams = []string{"from", "to", "interval", "type", "channel", "department", "agent", "format"}

// kpis answers the KPIs of a period (docs/kpis.md) as JSON, or as CSV
// (?format=csv or Accept: text/csv). Supervisors and admins read them: a
// supervisor of one department names it (?department=it).
func (h *handlers) kpis(c echo.Context) error {
	ctx := c.Request().Context()
	if _, err := h.access.AuthorizeSomewhere(ctx, "kpis", "read"); err != nil {
		return err
	}
	q, asCSV, err := kpiQuery(c)
	if err != nil {
		return err
	}
	domains := []string{"*"}
	if len(q.Departments) > 0 {
		domains = domains[:0]
		for _, d := range q.Departments {
			domains = append(domains, "department:"+d)
		}
	}
	for _, d := range domains {
		if _, err := h.access.Authorize(ctx, d, "kpis", "read"); err != nil {
			return err
		}
	}
	rep, err := h.requests.KPIs(ctx, q)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "private, no-store")
	if !asCSV {
		return c.JSON(http.StatusOK, rep)
	}
	body, err := kpiCSV(rep)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="kpis-`+rep.From+`-`+rep.To+`.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", body)
}

// kpiQuery reads GET /kpis's parameters.
func kpiQuery(c echo.Context) (engine.KPIQuery, bool, error) {
	params := c.QueryParams()
	pe := &engine.ParamsError{}
	for _, name := range slices.Sorted(maps.Keys(params)) {
		if !slices.Contains(kpiParams, name) {
			pe.Add(name, "notAllowed", nil)
		}
	}
	list := func(name string) []string { return queryList(params, name) }
	q := engine.KPIQuery{From: params.Get("from"), To: params.Get("to"), Interval: params.Get("interval"),
		Types: list("type"), Departments: list("department"), Agents: list("agent")}
	for _, ch := range list("channel") {
		q.Channels = append(q.Channels, engine.Channel(ch))
	}
	asCSV := false
	switch params.Get("format") {
	case "":
		asCSV = strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/csv")
	case "csv":
		asCSV = true
	case "json":
	default:
		pe.Add("format", "enum", map[string]any{"allowed": []any{"json", "csv"}})
	}
	if len(pe.Problems) > 0 {
		return q, false, pe
	}
	return q, asCSV, nil
}

// kpiCSV writes a report as CSV: a header of the figures' names, a row
// per step of the series, and a last row "total" for the whole period.
// An average or share with nothing to average is an empty cell.
func kpiCSV(rep *engine.KPIReport) ([]byte, error) {
	t := reflect.TypeFor[engine.KPIFigures]()
	header := []string{"bucket", "start", "end"}
	for i := range t.NumField() {
		header = append(header, t.Field(i).Tag.Get("json"))
	}
	row := func(bucket, start, end string, f *engine.KPIFigures) []string {
		out := []string{bucket, start, end}
		v := reflect.ValueOf(f).Elem()
		for i := range v.NumField() {
			switch x := v.Field(i).Interface().(type) {
			case int64:
				out = append(out, strconv.FormatInt(x, 10))
			case *float64:
				cell := ""
				if x != nil {
					cell = strconv.FormatFloat(*x, 'f', -1, 64)
				}
				out = append(out, cell)
			}
		}
		return out
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	records := [][]string{header}
	for i := range rep.Series {
		b := &rep.Series[i]
		records = append(records, row(b.Bucket, b.Start, b.End, &b.KPIFigures))
	}
	records = append(records, row("total", rep.From, rep.To, &rep.Totals))
	if err := w.WriteAll(records); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
