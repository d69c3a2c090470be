// Simulation: sample data and scripted outcomes sent to
// POST /workflows/{key}/simulate; the answer's path is listed here and
// highlighted on the graph by the page. The sample data is filled in the
// workflow's form (its newest version, rendered as the portal renders it)
// or, for experts, written as JSON; both edit the same data.
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import Form from '@rjsf/core';
import { ErrorSummary, problemText } from '../../components';
import { useLoad } from '../../useLoad';
import { useLanguage } from '../../i18n/useLanguage';
import { loadFormVersion } from '../../portal/NewRequestPage';
import { uiSchema } from '../../portal/formSchema';
import { translateStrings, validator } from '../../portal/validator';
import { Problem } from '../../api/problem';
import { simulate, type Simulation } from './api';
import { parseScript, type Workflow } from './model';

export function SimulationPanel({ wf, dirty, onResult }: { wf: Workflow; dirty: boolean; onResult: (s: Simulation | null) => void }) {
  const { t } = useTranslation();
  const [data, setData] = useState('{\n}');
  const [script, setScript] = useState('');
  const [draft, setDraft] = useState(true);
  const [result, setResult] = useState<Simulation | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const lang = useLanguage();
  const form = useLoad((signal) => (wf.form ? loadFormVersion(wf.form, 'latest', signal) : Promise.resolve(undefined)), [wf.form]);
  const ui = useMemo(() => (form.data ? { ...uiSchema(form.data.version.definition, lang, form.data.schema), 'ui:submitButtonOptions': { norender: true } } : {}), [form.data, lang]);
  const translateString = useMemo(() => translateStrings(t), [t]);
  // The form shows the JSON's data while it parses; what does not parse stays for the JSON view to fix.
  const formData = useMemo(() => {
    try {
      const v = JSON.parse(data);
      return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
    } catch {
      return undefined;
    }
  }, [data]);
  const asForm = mode === 'form' && !!form.data && formData !== undefined;

  async function run(e: FormEvent) {
    e.preventDefault();
    setErrors([]);
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch (err) {
      setErrors([t('wfd.sim.badJSON', { error: (err as Error).message })]);
      return;
    }
    setBusy(true);
    try {
      const s = await simulate(wf.key, { draft, data: parsed, outcomes: parseScript(script) });
      setResult(s);
      onResult(s);
    } catch (err) {
      setResult(null);
      onResult(null);
      if (err instanceof Problem && err.errors.length) setErrors(err.errors.map((x) => `${x.pointer}: ${x.message}`));
      else setErrors([problemText(err, t)]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="wfd-sim-title" className="wfd-sim">
      <h2 id="wfd-sim-title">{t('wfd.sim.title')}</h2>
      <form onSubmit={run}>
        <fieldset className="inline">
          <legend>{t('simForm.dataAs')}</legend>
          <label>
            <input type="radio" name="simMode" value="form" checked={mode === 'form'} onChange={() => setMode('form')} disabled={!form.data || formData === undefined} data-testid="wfd-sim-as-form" />
            {t('simForm.asForm')}
          </label>
          <label>
            <input type="radio" name="simMode" value="json" checked={mode === 'json'} onChange={() => setMode('json')} data-testid="wfd-sim-as-json" />
            {t('simForm.asJSON')}
          </label>
        </fieldset>
        {asForm ? (
          <div className="wfd-sim-form" data-testid="wfd-sim-form">
            <Form
              key={`${wf.form}-${lang}`}
              idPrefix="sim"
              tagName="div"
              schema={form.data!.schema}
              uiSchema={ui}
              formData={formData}
              validator={validator}
              translateString={translateString}
              noHtml5Validate
              liveValidate={false}
              onChange={(e) => setData(JSON.stringify(e.formData ?? {}, null, 2))}
            />
          </div>
        ) : (
          <label>
            {t('wfd.sim.data')}
            <textarea value={data} onChange={(e) => setData(e.target.value)} rows={6} dir="ltr" name="simData" spellCheck={false} />
          </label>
        )}
        <label>
          {t('wfd.sim.outcomes')}
          <textarea value={script} onChange={(e) => setScript(e.target.value)} rows={3} dir="ltr" name="simOutcomes" placeholder="triage: resolve" aria-describedby="wfd-sim-outcomes-help" />
          <small id="wfd-sim-outcomes-help" className="muted">
            {t('wfd.sim.outcomesHelp')}
          </small>
        </label>
        <label className="wfd-checkbox">
          <input type="checkbox" checked={draft} onChange={(e) => setDraft(e.target.checked)} name="simDraft" />
          {t('wfd.sim.useDraft')}
        </label>
        {draft && dirty && <p className="muted">{t('wfd.sim.saveFirst')}</p>}
        <ErrorSummary messages={errors} />
        <button type="submit" disabled={busy} data-testid="wfd-simulate">
          {t('wfd.sim.run')}
        </button>
      </form>
      {result && (
        <div role="status" aria-live="polite" data-testid="wfd-sim-result">
          <p>
            {t('wfd.sim.status', { status: result.status })}
            {result.stopped && ` · ${t('wfd.sim.stopped', { reason: result.stopped })}`}
          </p>
          <ol>
            {result.path.map((ev, i) => (
              <li key={i}>
                {ev.type}
                {ev.node && <bdi dir="ltr"> {ev.node}</bdi>}
                {ev.outcome && ` → ${ev.outcome}`}
                {ev.condition && <bdi dir="ltr"> ({ev.condition})</bdi>}
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
