import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "react/jsx-runtime";
// The KPI dashboard (docs/kpis.md): filters kept in the URL, the totals as
// tiles, the series as charts and as a table, and the same figures as CSV.
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { ErrorSummary, Loading, problemText } from '../components';
import { useLoad } from '../useLoad';
import { useLanguage } from '../i18n/useLanguage';
import { localText } from '../i18n/format';
import { Chart } from './Chart';
import { channels, chartOption, charts, csvURL, figure, figures, filtersFromQuery, filtersToQuery, formatFigure, intervals, stepLabel } from './kpis';
export default function DashboardPage() {
    const { t } = useTranslation();
    const lang = useLanguage();
    const [params, setParams] = useSearchParams();
    const applied = useMemo(() => filtersFromQuery(params, Date.now()), [params]);
    const query = filtersToQuery(applied).toString();
    const kpis = useLoad((signal) => api.get(`/kpis?${query}`, { signal }), [query]);
    const name = (key) => t(`dashboards.figure.${key}`);
    const options = useMemo(() => (kpis.data ? charts.map((c) => chartOption(kpis.data, c, lang, name)) : []), [kpis.data, lang, t]); // eslint-disable-line react-hooks/exhaustive-deps
    return (_jsxs("section", { "aria-labelledby": "dash-title", className: "dashboard", children: [_jsx("h1", { id: "dash-title", children: t('dashboards.title') }), _jsx(FilterForm, { applied: applied, apply: (f) => setParams(filtersToQuery(f)) }, query), kpis.loading && _jsx(Loading, {}), kpis.error !== undefined && _jsx(ErrorSummary, { messages: [problemText(kpis.error, t)] }), kpis.data && (_jsxs(_Fragment, { children: [_jsx("p", { children: _jsx("a", { href: csvURL(applied), download: `kpis-${applied.from}-${applied.to}.csv`, className: "btn", "data-testid": "csv", children: t('dashboards.csv') }) }), _jsx("ul", { className: "tiles", "data-testid": "tiles", children: figures.map((f) => (_jsxs("li", { className: "tile", "data-testid": `tile-${f.key}`, children: [_jsx("span", { className: "tile-name", children: name(f.key) }), _jsx("strong", { className: "tile-value", children: formatFigure(figure(kpis.data.totals, f.key), f.measure, lang) })] }, f.key))) }), charts.map((c, i) => (_jsxs("section", { "aria-labelledby": `chart-${i}`, children: [_jsx("h2", { id: `chart-${i}`, children: t(c.title) }), kpis.data.series.some((s) => c.keys.some((k) => figure(s, k) !== null)) ? (_jsx(Chart, { option: options[i], label: t(c.title), testid: `chart-${i}` })) : (_jsx("p", { className: "muted", children: t('dashboards.nothing') }))] }, c.title))), _jsxs("section", { "aria-labelledby": "series-title", children: [_jsx("h2", { id: "series-title", children: t('dashboards.table') }), _jsx("div", { className: "table-scroll", tabIndex: 0, role: "region", "aria-labelledby": "series-title", children: _jsxs("table", { className: "series", "data-testid": "series", children: [_jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t(`dashboards.step.${kpis.data.interval}`) }), figures.map((f) => (_jsx("th", { scope: "col", children: name(f.key) }, f.key)))] }) }), _jsx("tbody", { children: kpis.data.series.map((s) => (_jsxs("tr", { children: [_jsx("th", { scope: "row", children: stepLabel(s, kpis.data.interval, lang) }), figures.map((f) => (_jsx("td", { children: formatFigure(figure(s, f.key), f.measure, lang) }, f.key)))] }, s.bucket))) })] }) })] })] }))] }));
}
/** FilterForm edits the filters and applies them together, so each change is not a query. */
function FilterForm({ applied, apply }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const [f, setF] = useState(applied);
    const types = useLoad((signal) => api.get('/catalog', { signal, query: { for: 'anyone' } }), []);
    const groups = useLoad((signal) => api.get('/groups', { signal }), []);
    const [agent, setAgent] = useState(applied.agent.join(', '));
    function submit(e) {
        e.preventDefault();
        apply({ ...f, agent: agent.split(',').map((a) => a.trim()).filter(Boolean) });
    }
    const one = (k, v) => setF({ ...f, [k]: v ? [v] : [] });
    return (_jsxs("form", { onSubmit: submit, className: "filters", "aria-label": t('dashboards.filters'), "data-testid": "filters", children: [_jsxs("div", { children: [_jsx("label", { htmlFor: "f-from", children: t('dashboards.from') }), _jsx("input", { id: "f-from", type: "date", required: true, value: f.from, onChange: (e) => setF({ ...f, from: e.target.value }) })] }), _jsxs("div", { children: [_jsx("label", { htmlFor: "f-to", children: t('dashboards.to') }), _jsx("input", { id: "f-to", type: "date", required: true, value: f.to, onChange: (e) => setF({ ...f, to: e.target.value }) })] }), _jsxs("div", { children: [_jsx("label", { htmlFor: "f-interval", children: t('dashboards.interval') }), _jsx("select", { id: "f-interval", value: f.interval, onChange: (e) => setF({ ...f, interval: e.target.value }), children: intervals.map((i) => (_jsx("option", { value: i, children: t(`dashboards.intervals.${i}`) }, i))) })] }), _jsx(Choice, { id: "type", value: f.type, set: (v) => one('type', v), options: (types.data?.items ?? []).map((e) => [e.key, localText(e.title, lang)]) }), _jsx(Choice, { id: "department", value: f.department, set: (v) => one('department', v), options: (groups.data?.items ?? []).map((g) => [g.key, localText(g.title, lang) || g.key]) }), _jsx(Choice, { id: "channel", value: f.channel, set: (v) => one('channel', v), options: channels.map((c) => [c, t(`work.channel.${c}`)]) }), _jsxs("div", { children: [_jsx("label", { htmlFor: "f-agent", children: t('dashboards.agent') }), _jsx("input", { id: "f-agent", type: "text", value: agent, onChange: (e) => setAgent(e.target.value), "aria-describedby": "f-agent-help" }), _jsx("small", { id: "f-agent-help", className: "muted", children: t('dashboards.agentHelp') })] }), _jsx("div", { className: "filters-apply", children: _jsx("button", { type: "submit", className: "primary", "data-testid": "apply", children: t('dashboards.apply') }) })] }));
}
/** Choice is a filter that picks one value of a list, or all of them. */
function Choice({ id, value, set, options }) {
    const { t } = useTranslation();
    return (_jsxs("div", { children: [_jsx("label", { htmlFor: `f-${id}`, children: t(`dashboards.${id}`) }), _jsxs("select", { id: `f-${id}`, value: value[0] ?? '', onChange: (e) => set(e.target.value), children: [_jsx("option", { value: "", children: t('dashboards.all') }), options.map(([key, label]) => (_jsx("option", { value: key, children: label }, key)))] })] }));
}
