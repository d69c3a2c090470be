// Entering a request received by phone: the agent picks the kind of
// request, says who called (a customer by contact details: intake finds or
// creates their profile, docs/service-desk.md), fills the request's own
// form for them and submits it with channel "phone". The caller gets the
// tracking code to note down.
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { CatalogEntry, Page, Receipt } from '../api/types';
import { Code, ErrorSummary, Loading, problemText } from '../components';
import { useLoad } from '../useLoad';
import { useLanguage } from '../i18n/useLanguage';
import { localText } from '../i18n/format';
import { loadForm } from '../portal/NewRequestPage';
import { uiSchema } from '../portal/formSchema';
import { hasFieldRules } from '../portal/formRules';
import { SchemaForm, useSending } from './SchemaForm';
import { callerProblems, requesterOf, type Caller } from './caller';

export function PhoneEntryPage() {
  const { t } = useTranslation();
  const lang = useLanguage();
  const types = useLoad((signal) => api.get<Page<CatalogEntry>>('/catalog', { signal, query: { for: 'anyone', channel: 'phone' } }), []);
  const [type, setType] = useState('');
  const [caller, setCaller] = useState<Caller>({ name: '', phone: '', email: '' });
  const [receipt, setReceipt] = useState<Receipt | null>(null);

  if (receipt)
    return (
      <section aria-labelledby="receipt-title" className="receipt">
        <h1 id="receipt-title">{t('work.phone.received')}</h1>
        <p className="tracking" role="status">
          {t('work.phone.tellCaller')}: <Code>{receipt.trackingCode}</Code>
        </p>
        <ul className="actions">
          <li>
            <Link to={`/work/requests/${encodeURIComponent(receipt.id)}`} data-testid="receipt-link">
              {t('work.phone.open')}
            </Link>
          </li>
          <li>
            <button
              type="button"
              onClick={() => {
                setReceipt(null);
                setCaller({ name: '', phone: '', email: '' });
                setType('');
              }}
            >
              {t('work.phone.another')}
            </button>
          </li>
        </ul>
      </section>
    );

  const entries = types.data?.items ?? [];
  return (
    <section aria-labelledby="phone-title">
      <h1 id="phone-title">{t('work.phone.title')}</h1>
      {types.loading && <Loading />}
      {types.error !== undefined && <ErrorSummary messages={[problemText(types.error, t)]} />}
      <fieldset>
        <legend>{t('work.phone.caller')}</legend>
        <div className="stack">
          {(['name', 'phone', 'email'] as const).map((k) => (
            <div key={k} className="stack">
              <label htmlFor={`caller-${k}`}>{t(`work.phone.${k}`)}</label>
              <input
                id={`caller-${k}`}
                type={k === 'email' ? 'email' : k === 'phone' ? 'tel' : 'text'}
                autoComplete="off"
                value={caller[k]}
                onChange={(e) => setCaller({ ...caller, [k]: e.target.value })}
              />
            </div>
          ))}
        </div>
      </fieldset>
      <label htmlFor="phone-type">{t('work.phone.type')}</label>
      <select id="phone-type" value={type} onChange={(e) => setType(e.target.value)}>
        <option value="">{t('work.refer.choose')}</option>
        {entries.map((e) => (
          <option key={e.key} value={e.key} disabled={e.channels?.some((c) => c.channel === 'phone' && !c.open)}>
            {localText(e.title, lang)}
            {e.channels?.some((c) => c.channel === 'phone' && !c.open) ? ` (${t('work.phone.closed')})` : ''}
          </option>
        ))}
      </select>
      {type && <PhoneForm key={type} type={type} caller={caller} received={setReceipt} />}
    </section>
  );
}

/** PhoneForm is the chosen type's form, submitted for the caller. */
function PhoneForm({ type, caller, received }: { type: string; caller: Caller; received(r: Receipt): void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const form = useLoad((signal) => loadForm(type, signal), [type]);
  const sending = useSending();
  const ui = useMemo(() => (form.data ? uiSchema(form.data.version.definition, lang) : {}), [form.data, lang]);
  // The form's rules see the caller, as at submission; until the caller
  // is named the server cannot say, and every field shows.
  const version = form.data?.version;
  const requester = callerProblems(caller).includes('contact') ? '' : JSON.stringify(requesterOf(caller));
  const rules = useMemo(
    () =>
      version && requester && hasFieldRules(version.definition.ui?.fields)
        ? { form: version.key, body: { version: version.version, type, channel: 'phone', requester: JSON.parse(requester) } }
        : undefined,
    [version, type, requester],
  );
  if (form.loading) return <Loading />;
  if (!form.data) return <ErrorSummary messages={[problemText(form.error, t)]} />;

  function submit(data: Record<string, unknown>) {
    const missing = callerProblems(caller);
    if (missing.length) return sending.refuse(missing.map((m) => t(`work.phone.missing.${m}`)));
    sending.send(async () => received(await api.post<Receipt>('/requests', { type, channel: 'phone', requester: requesterOf(caller), data })));
  }

  return (
    <SchemaForm schema={form.data.schema} ui={ui} sending={sending} rules={rules} submit={submit}>
      <button type="submit" className="primary" disabled={sending.busy} data-testid="phone-submit">
        {t('work.phone.submit')}
      </button>
    </SchemaForm>
  );
}
