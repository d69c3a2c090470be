// The KPI dashboard (docs/kpis.md): filters kept in the URL, the totals as
// tiles, the series as charts and as a table, and the same figures as CSV.
import { useMemo, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { CatalogEntry, Page } from '../api/types';
import { ErrorSummary, Loading, problemText } from '../components';
import { useLoad } from '../useLoad';
import { useLanguage } from '../i18n/useLanguage';
import { localText } from '../i18n/format';
import type { Group } from '../work/ReferralForm';
import { Chart } from './Chart';
import { channels, chartOption, charts, csvURL, figure, figures, filtersFromQuery, filtersToQuery, formatFigure, intervals, stepLabel, type Filters, type KPIs } from './kpis';

export default function DashboardPage() {
  const { t } = useTranslation();
  const lang = useLanguage();
  const [params, setParams] = useSearchParams();
  const applied = useMemo(() => filtersFromQuery(params, Date.now()), [params]);
  const query = filtersToQuery(applied).toString();
  const kpis = useLoad((signal) => api.get<KPIs>(`/kpis?${query}`, { signal }), [query]);
  const name = (key: string) => t(`dashboards.figure.${key}`);
  const options = useMemo(() => (kpis.data ? charts.map((c) => chartOption(kpis.data!, c, lang, name)) : []), [kpis.data, lang, t]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <section aria-labelledby="dash-title" className="dashboard">
      <h1 id="dash-title">{t('dashboards.title')}</h1>
      <FilterForm key={query} applied={applied} apply={(f) => setParams(filtersToQuery(f))} />
      {kpis.loading && <Loading />}
      {kpis.error !== undefined && <ErrorSummary messages={[problemText(kpis.error, t)]} />}
      {kpis.data && (
        <>
          <p>
            <a href={csvURL(applied)} download={`kpis-${applied.from}-${applied.to}.csv`} className="btn" data-testid="csv">
              {t('dashboards.csv')}
            </a>
          </p>
          <ul className="tiles" data-testid="tiles">
            {figures.map((f) => (
              <li key={f.key} className="tile" data-testid={`tile-${f.key}`}>
                <span className="tile-name">{name(f.key)}</span>
                <strong className="tile-value">{formatFigure(figure(kpis.data!.totals, f.key), f.measure, lang)}</strong>
              </li>
            ))}
          </ul>
          {charts.map((c, i) => (
            <section key={c.title} aria-labelledby={`chart-${i}`}>
              <h2 id={`chart-${i}`}>{t(c.title)}</h2>
              {kpis.data!.series.some((s) => c.keys.some((k) => figure(s, k) !== null)) ? (
                <Chart option={options[i]} label={t(c.title)} testid={`chart-${i}`} />
              ) : (
                <p className="muted">{t('dashboards.nothing')}</p>
              )}
            </section>
          ))}
          <section aria-labelledby="series-title">
            <h2 id="series-title">{t('dashboards.table')}</h2>
            <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="series-title">
              <table className="series" data-testid="series">
                <thead>
                  <tr>
                    <th scope="col">{t(`dashboards.step.${kpis.data.interval}`)}</th>
                    {figures.map((f) => (
                      <th key={f.key} scope="col">
                        {name(f.key)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {kpis.data.series.map((s) => (
                    <tr key={s.bucket}>
                      <th scope="row">{stepLabel(s, kpis.data!.interval, lang)}</th>
                      {figures.map((f) => (
                        <td key={f.key}>{formatFigure(figure(s, f.key), f.measure, lang)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </section>
  );
}

/** FilterForm edits the filters and applies them together, so each change is not a query. */
function FilterForm({ applied, apply }: { applied: Filters; apply(f: Filters): void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const [f, setF] = useState(applied);
  const types = useLoad((signal) => api.get<Page<CatalogEntry>>('/catalog', { signal, query: { for: 'anyone' } }), []);
  const groups = useLoad((signal) => api.get<Page<Group>>('/groups', { signal }), []);
  const [agent, setAgent] = useState(applied.agent.join(', '));
  function submit(e: FormEvent) {
    e.preventDefault();
    apply({ ...f, agent: agent.split(',').map((a) => a.trim()).filter(Boolean) });
  }
  const one = (k: 'type' | 'department' | 'channel', v: string) => setF({ ...f, [k]: v ? [v] : [] });
  return (
    <form onSubmit={submit} className="filters" aria-label={t('dashboards.filters')} data-testid="filters">
      <div>
        <label htmlFor="f-from">{t('dashboards.from')}</label>
        <input id="f-from" type="date" required value={f.from} onChange={(e) => setF({ ...f, from: e.target.value })} />
      </div>
      <div>
        <label htmlFor="f-to">{t('dashboards.to')}</label>
        <input id="f-to" type="date" required value={f.to} onChange={(e) => setF({ ...f, to: e.target.value })} />
      </div>
      <div>
        <label htmlFor="f-interval">{t('dashboards.interval')}</label>
        <select id="f-interval" value={f.interval} onChange={(e) => setF({ ...f, interval: e.target.value as Filters['interval'] })}>
          {intervals.map((i) => (
            <option key={i} value={i}>
              {t(`dashboards.intervals.${i}`)}
            </option>
          ))}
        </select>
      </div>
      <Choice id="type" value={f.type} set={(v) => one('type', v)} options={(types.data?.items ?? []).map((e) => [e.key, localText(e.title, lang)])} />
      <Choice id="department" value={f.department} set={(v) => one('department', v)} options={(groups.data?.items ?? []).map((g) => [g.key, localText(g.title, lang) || g.key])} />
      <Choice id="channel" value={f.channel} set={(v) => one('channel', v)} options={channels.map((c) => [c, t(`work.channel.${c}`)])} />
      <div>
        <label htmlFor="f-agent">{t('dashboards.agent')}</label>
        <input id="f-agent" type="text" value={agent} onChange={(e) => setAgent(e.target.value)} aria-describedby="f-agent-help" />
        <small id="f-agent-help" className="muted">
          {t('dashboards.agentHelp')}
        </small>
      </div>
      <div className="filters-apply">
        <button type="submit" className="primary" data-testid="apply">
          {t('dashboards.apply')}
        </button>
      </div>
    </form>
  );
}

/** Choice is a filter that picks one value of a list, or all of them. */
function Choice({ id, value, set, options }: { id: 'type' | 'department' | 'channel'; value: string[]; set(v: string): void; options: [string, string][] }) {
  const { t } = useTranslation();
  return (
    <div>
      <label htmlFor={`f-${id}`}>{t(`dashboards.${id}`)}</label>
      <select id={`f-${id}`} value={value[0] ?? ''} onChange={(e) => set(e.target.value)}>
        <option value="">{t('dashboards.all')}</option>
        {options.map(([key, label]) => (
          <option key={key} value={key}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}
