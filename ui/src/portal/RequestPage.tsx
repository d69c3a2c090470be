// One of the requester's requests: where it stands (the tracking view),
// what they wrote, the conversation with its owner, and once resolved the
// survey and reopening.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { FormVersion, RequestView } from '../api/types';
import { useLanguage } from '../i18n/useLanguage';
import { labelData, type LabelledField } from './dataLabels';
import { useLoad } from '../useLoad';
import { ErrorSummary, Loading, problemText } from '../components';
import { TrackingView } from './TrackingView';
import { Conversation } from './Conversation';
import { Reopen, Survey, type Rating } from './Survey';
import { bucketOf } from './requests';

/** loadRequest joins the requester's whole request with its public tracking view (deadlines, referrals). */
async function loadRequest(id: string, signal: AbortSignal): Promise<RequestView> {
  const code = encodeURIComponent(id);
  const [full, track] = await Promise.all([api.get<RequestView>(`/requests/${code}`, { signal }), api.get<RequestView>(`/track/${code}`, { signal })]);
  return { ...track, data: full.data, messages: full.messages, feedback: full.feedback, owner: full.owner, id: full.id, form: full.form ?? track.form };
}

export function RequestPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const req = useLoad((signal) => loadRequest(id, signal), [id]);
  const [notice, setNotice] = useState('');
  if (req.loading && !req.data) return <Loading />;
  if (!req.data)
    return (
      <section>
        <h1>{t('request.title')}</h1>
        <ErrorSummary messages={[problemText(req.error, t)]} />
      </section>
    );
  const r = req.data;
  const path = `/requests/${encodeURIComponent(r.id)}`;
  const done = bucketOf(r) === 'done';
  const rated = r.feedback != null && Object.keys(r.feedback as object).length > 0;

  async function act(call: Promise<unknown>, message: string) {
    await call;
    setNotice(message);
    req.reload();
  }

  return (
    <section aria-labelledby="request-title">
      <p>
        <Link to="/requests">{t('nav.myRequests')}</Link>
      </p>
      <h1 id="request-title">{t('request.title')}</h1>
      <p role="status" aria-live="polite" className="notice">
        {notice}
      </p>
      <TrackingView view={r} />
      {done && !rated && <Survey rate={(rating: Rating) => act(api.post(`${path}/feedback`, rating), t('survey.thanks'))} />}
      {done && rated && <p data-testid="rated">{t('survey.thanks')}</p>}
      {done && <Reopen reopen={(reason) => act(api.post(`${path}/reopen`, { reason }), t('reopen.done'))} />}
      <Conversation messages={r.messages ?? []} send={(body) => act(api.post(`${path}/messages`, { body }), t('request.sent'))} />
      {r.data && (
        <section aria-labelledby="data">
          <h2 id="data">{t('request.data')}</h2>
          <DataList data={r.data} form={r.form} />
        </section>
      )}
    </section>
  );
}

/**
 * DataList shows what the requester submitted, nested objects indented.
 * Given the form version it was filed with (read by those who may read
 * forms: the requester, staff; not a visitor tracking by code), the fields
 * and choices show under the form's labels in the UI's language; until
 * then, and without it, under their keys.
 */
export function DataList({ data, form }: { data: Record<string, unknown>; form?: { key: string; version?: number } }) {
  const lang = useLanguage();
  const def = useLoad(
    (signal) =>
      form?.version
        ? api.get<FormVersion>(`/forms/${encodeURIComponent(form.key)}/versions/${form.version}`, { signal }).then((v) => v.definition, () => undefined)
        : Promise.resolve(undefined),
    [form?.key, form?.version],
  );
  return <Fields fields={labelData(data, def.data, lang)} />;
}

function Fields({ fields }: { fields: LabelledField[] }) {
  return (
    <dl className="data">
      {fields.map((f) => (
        <div key={f.key}>
          <dt>{f.label}</dt>
          <dd>{f.fields ? <Fields fields={f.fields} /> : f.value}</dd>
        </div>
      ))}
    </dl>
  );
}
