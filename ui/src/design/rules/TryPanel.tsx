// "Try it": a sample as the API takes it ({form, request}: the form's data
// filled in the rule set's own form, rendered as the portal renders it, and
// the requester's segment; raw JSON when the table reads no form), sent to
// POST /rules/{key}/evaluate for the draft or the version being read. The
// matched rows are highlighted in the table by the page; the outputs are
// listed here; a rule that fails on the sample is said in words.
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Form from '@rjsf/core';
import { ErrorSummary, Loading, problemText } from '../../components';
import { Problem } from '../../api/problem';
import { useLoad } from '../../useLoad';
import { useLanguage } from '../../i18n/useLanguage';
import { formatNumber } from '../../i18n/format';
import { uiSchema } from '../../portal/formSchema';
import { translateStrings, validator } from '../../portal/validator';
import { evaluate, loadSampleForm, type Evaluation } from './api';
import { sample, thenText, type RuleSetModel } from './model';

export function TryPanel(props: {
  model: RuleSetModel;
  version: number | 'draft';
  /** beforeDraft saves unsaved changes before the draft is tried; false stops the try. */
  beforeDraft: () => Promise<boolean>;
  onResult: (e: Evaluation | null) => void;
  /** onRefused shows a draft's problems on the table and answers whether err was one. */
  onRefused: (err: unknown) => boolean;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const { model, version } = props;
  const form = useLoad((signal) => (model.form ? loadSampleForm(model.form, signal) : Promise.resolve(null)), [model.form]);
  const ui = useMemo(() => (form.data ? { ...uiSchema(form.data.version.definition, lang, form.data.schema), 'ui:submitButtonOptions': { norender: true } } : {}), [form.data, lang]);
  const translateString = useMemo(() => translateStrings(t), [t]);
  const [data, setData] = useState<Record<string, unknown>>({});
  const [raw, setRaw] = useState('{\n}');
  const [segment, setSegment] = useState('');
  const [result, setResult] = useState<Evaluation | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  async function run(formData: Record<string, unknown> | null) {
    setErrors([]);
    let body = formData;
    if (body === null) {
      try {
        body = JSON.parse(raw);
      } catch (err) {
        setErrors([t('rsd.try.badJSON', { error: (err as Error).message })]);
        return;
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        setErrors([t('rsd.try.notObject')]);
        return;
      }
    }
    setBusy(true);
    try {
      if (version === 'draft' && !(await props.beforeDraft())) return;
      const e = await evaluate(model.key, version, sample(body, segment));
      setResult(e);
      props.onResult(e);
    } catch (err) {
      setResult(null);
      props.onResult(null);
      if (err instanceof Problem && err.slug === 'rule-failed') setErrors([t('rsd.try.failed', { detail: err.detail || err.title })]);
      else if (props.onRefused(err)) setErrors([t('rsd.try.draftInvalid')]);
      else if (err instanceof Problem && err.errors.length) setErrors(err.errors.map((x) => `${x.pointer}: ${x.message}`));
      else setErrors([problemText(err, t)]);
    } finally {
      setBusy(false);
    }
  }

  const segmentField = (
    <label className="rsd-segment">
      {t('rsd.try.segment')}
      <input value={segment} onChange={(e) => setSegment(e.target.value)} dir="ltr" name="sampleSegment" placeholder="gold" aria-describedby="rsd-segment-help" />
      <small id="rsd-segment-help" className="muted">
        {t('rsd.try.segmentHelp')}
      </small>
    </label>
  );
  const submit: ReactNode = (
    <>
      {segmentField}
      <p className="muted">{version === 'draft' ? t('rsd.try.onDraft') : t('rsd.try.onVersion', { version })}</p>
      <ErrorSummary messages={errors} />
      <button type="submit" disabled={busy} data-testid="rsd-try">
        {t('rsd.try.run')}
      </button>
    </>
  );

  return (
    <section aria-labelledby="rsd-try-title" className="rsd-try">
      <h2 id="rsd-try-title">{t('rsd.try.title')}</h2>
      {form.loading && <Loading />}
      {form.data ? (
        <>
          <p className="muted">{t('rsd.try.formHelp')}</p>
          <Form
            key={`${lang}-${model.form}`}
            schema={form.data.schema}
            uiSchema={ui}
            formData={data}
            validator={validator}
            // A sample may be partial: the server decides what the rules see.
            noValidate
            noHtml5Validate
            idPrefix="rsd-sample"
            translateString={translateString}
            onChange={(e) => setData(e.formData ?? {})}
            onSubmit={(e) => run(e.formData ?? {})}
            className="rsd-sample-form"
          >
            {submit}
          </Form>
        </>
      ) : (
        !form.loading && (
          <form
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              run(null);
            }}
          >
            {form.error !== undefined && <p className="muted">{t('rsd.try.formUnavailable', { form: model.form })}</p>}
            <label>
              {t('rsd.try.formJSON')}
              <textarea value={raw} onChange={(e) => setRaw(e.target.value)} rows={5} dir="ltr" name="sampleForm" spellCheck={false} />
            </label>
            {submit}
          </form>
        )
      )}
      {result && (
        <div role="status" aria-live="polite" className="rsd-try-result" data-testid="rsd-try-result">
          {result.matched.length === 0 ? (
            <p>{t('rsd.try.noMatch')}</p>
          ) : (
            <>
              <p>{t('rsd.try.matched', { rows: result.matched.map((i) => formatNumber(i + 1, lang)).join(t('rsd.try.comma')), count: result.matched.length })}</p>
              <div className="rsd-table-wrap">
                <table className="rsd-outputs">
                  <caption>{t('rsd.try.outputs')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('rsd.rowNumber')}</th>
                      {model.outputs.map((o) => (
                        <th key={o.id} scope="col">
                          <bdi dir="ltr">{o.name}</bdi>
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {result.outputs.map((out, i) => (
                      <tr key={i}>
                        <th scope="row">{formatNumber(result.matched[i] + 1, lang)}</th>
                        {model.outputs.map((o) => (
                          <td key={o.id}>
                            <bdi dir="ltr">{thenText(out[o.name], o.type)}</bdi>
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </div>
      )}
    </section>
  );
}
