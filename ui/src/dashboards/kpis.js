// The KPI dashboard's logic (docs/kpis.md): its filters as a URL query and
// back, so that a view can be bookmarked and shared; the API's series as
// ECharts options; and the labels of steps in the UI's calendar.
import { formatNumber, locale, localDigits } from '../i18n/format';
/** The intervals a series may step by. */
export const intervals = ['day', 'week', 'month'];
/** The channels the API knows (docs/service-desk.md). */
export const channels = ['portal', 'api', 'email', 'phone', 'walk-in', 'chat', 'social', 'mobile', 'partner'];
const listParams = ['type', 'department', 'agent', 'channel'];
/** isoDay writes a time as its UTC day, YYYY-MM-DD, as the API's periods are UTC days. */
export function isoDay(t) {
    return new Date(t).toISOString().slice(0, 10);
}
/** defaultFilters are the API's own defaults made explicit: the 30 days up to today, by day. */
export function defaultFilters(now) {
    return { from: isoDay(now - 29 * 86400e3), to: isoDay(now), interval: 'day', type: [], department: [], agent: [], channel: [] };
}
/** splitList reads a repeated or comma-separated parameter, dropping blanks. */
function splitList(values) {
    return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}
/** filtersFromQuery reads the filters from a URL query; what is missing or not a date takes the default. */
export function filtersFromQuery(q, now) {
    const f = defaultFilters(now);
    const day = /^\d{4}-\d{2}-\d{2}$/;
    const from = q.get('from');
    const to = q.get('to');
    if (from && day.test(from))
        f.from = from;
    if (to && day.test(to))
        f.to = to;
    const interval = q.get('interval');
    if (intervals.includes(interval ?? ''))
        f.interval = interval;
    for (const k of listParams)
        f[k] = splitList(q.getAll(k));
    return f;
}
/** filtersToQuery writes the filters as the URL query GET /kpis takes (empty lists left out). */
export function filtersToQuery(f) {
    const q = new URLSearchParams({ from: f.from, to: f.to, interval: f.interval });
    for (const k of listParams)
        if (f[k].length)
            q.set(k, f[k].join(','));
    return q;
}
/** csvURL is where the browser downloads the same figures as CSV (the session cookie carries the login). */
export function csvURL(f, base = '/api/v1') {
    const q = filtersToQuery(f);
    q.set('format', 'csv');
    return `${base}/kpis?${q}`;
}
/** figure reads one figure of a step or the totals; a name or a missing figure reads as null. */
export function figure(s, key) {
    const v = s[key];
    return typeof v === 'number' ? v : null;
}
/**
 * stepLabel names a step in the UI's calendar: a day as its date, a week by
 * its first day, a month as month and year. Persian shows the Solar Hijri
 * calendar and Persian digits, through Intl like the rest of the app.
 */
export function stepLabel(step, interval, lang) {
    const d = new Date(`${step.start}T00:00:00Z`);
    if (Number.isNaN(d.getTime()))
        return step.start;
    const opts = interval === 'month' ? { year: 'numeric', month: 'short', timeZone: 'UTC' } : { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' };
    return new Intl.DateTimeFormat(locale(lang), opts).format(d);
}
/** The figures the dashboard shows, with how each reads. */
export const figures = [
    { key: 'volume', measure: 'count' },
    { key: 'resolved', measure: 'count' },
    { key: 'backlog', measure: 'count' },
    { key: 'firstResponseSeconds', measure: 'seconds' },
    { key: 'resolutionSeconds', measure: 'seconds' },
    { key: 'slaCompliance', measure: 'percent' },
    { key: 'fcrRate', measure: 'percent' },
    { key: 'reopenRate', measure: 'percent' },
    { key: 'ahtSeconds', measure: 'seconds' },
    { key: 'csat', measure: 'score' },
    { key: 'nps', measure: 'score' },
];
/** formatFigure writes a figure for people: "—" for null, hours for seconds, % for shares, local digits. */
export function formatFigure(v, measure, lang) {
    if (v == null)
        return '—';
    switch (measure) {
        case 'percent':
            return localDigits(`${formatNumber(Math.round(v * 10) / 10, 'en')}%`, lang);
        case 'seconds':
            return hours(v, lang);
        default:
            return formatNumber(v, lang);
    }
}
/** hours writes seconds as hours with one decimal ("1.5 h"), minutes under an hour ("20 min"). */
function hours(s, lang) {
    const unit = lang === 'fa' ? { h: 'ساعت', min: 'دقیقه' } : { h: 'h', min: 'min' };
    if (s < 3600)
        return `${formatNumber(Math.round(s / 60), lang)} ${unit.min}`;
    return `${formatNumber(Math.round(s / 360) / 10, lang)} ${unit.h}`;
}
/** The dashboard's charts. */
export const charts = [
    { title: 'dashboards.chart.flow', kind: 'bar', keys: ['volume', 'resolved'], measure: 'count' },
    { title: 'dashboards.chart.backlog', kind: 'line', keys: ['backlog'], measure: 'count' },
    { title: 'dashboards.chart.quality', kind: 'line', keys: ['slaCompliance', 'fcrRate'], measure: 'percent' },
];
/**
 * chartOption turns the series into an ECharts option for one chart: the
 * steps on the category axis in the UI's calendar, one series per figure,
 * named in the UI's language, values as the API gave them (null is a gap),
 * axis labels in the language's digits. rtl mirrors the axis for Persian.
 */
export function chartOption(kpis, spec, lang, name) {
    const rtl = lang === 'fa';
    return {
        aria: { enabled: true },
        animation: false,
        tooltip: { trigger: 'axis', valueFormatter: (v) => formatFigure(typeof v === 'number' ? v : null, spec.measure, lang) },
        legend: { top: 0 },
        grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
        xAxis: {
            type: 'category',
            inverse: rtl,
            data: kpis.series.map((s) => stepLabel(s, kpis.interval, lang)),
        },
        yAxis: {
            type: 'value',
            position: rtl ? 'right' : 'left',
            minInterval: spec.measure === 'count' ? 1 : undefined,
            max: spec.measure === 'percent' ? 100 : undefined,
            axisLabel: { formatter: (v) => formatNumber(v, lang) },
        },
        series: spec.keys.map((key) => ({
            name: name(key),
            type: spec.kind,
            connectNulls: false,
            data: kpis.series.map((s) => figure(s, key)),
        })),
    };
}
