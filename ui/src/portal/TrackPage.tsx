// Tracking by code, without logging in (GET /track/{code}). With the email
// or phone the request was filed with (POST /track/{code}) the requester
// also sees what they wrote and the conversation, and may write, rate and
// reopen it.
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { RequestView } from '../api/types';
import { useLoad } from '../useLoad';
import { ErrorSummary, Loading, problemText } from '../components';
import { useSubmit } from '../useSubmit';
import { TrackingView } from './TrackingView';
import { Conversation } from './Conversation';
import { Reopen, Survey } from './Survey';
import { DataList } from './RequestPage';
import { bucketOf } from './requests';

/** normalizeCode tidies a typed code as the server would accept it: no spaces, upper case. */
export function normalizeCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

export function TrackPage() {
  const { code } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [typed, setTyped] = useState(code ?? '');
  return (
    <section aria-labelledby="track-title">
      <h1 id="track-title">{t('track.title')}</h1>
      <p>{t('track.help')}</p>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          const c = normalizeCode(typed);
          if (c) navigate(`/track/${encodeURIComponent(c)}`);
        }}
      >
        <label htmlFor="code">{t('common.trackingCode')}</label>
        <input id="code" dir="ltr" autoComplete="off" spellCheck={false} maxLength={20} required value={typed} onChange={(e) => setTyped(e.target.value)} />
        <button type="submit" className="primary">
          {t('track.submit')}
        </button>
      </form>
      {code && <Tracked key={code} code={code} />}
    </section>
  );
}

type Proof = { email: string } | { phone: string };

function Tracked({ code }: { code: string }) {
  const { t } = useTranslation();
  const path = `/track/${encodeURIComponent(code)}`;
  const view = useLoad((signal) => api.get<RequestView>(path, { signal }), [path]);
  const [proof, setProof] = useState<Proof | null>(null);
  const [proven, setProven] = useState<RequestView | null>(null);
  const [notice, setNotice] = useState('');

  async function prove(p: Proof) {
    setProven(await api.post<RequestView>(path, p));
    setProof(p);
  }
  async function act(call: Promise<unknown>, message: string) {
    await call;
    setNotice(message);
    view.reload();
    if (proof) setProven(await api.post<RequestView>(path, proof));
  }

  if (view.loading && !view.data) return <Loading />;
  if (!view.data) return <ErrorSummary messages={[problemText(view.error, t)]} />;
  const r = proven ? { ...view.data, ...proven } : view.data;
  const done = bucketOf(r) === 'done';
  return (
    <section aria-label={t('track.result')} className="tracked">
      <p role="status" aria-live="polite" className="notice">
        {notice}
      </p>
      <TrackingView view={r} />
      {!proof ? (
        <ProveForm prove={prove} />
      ) : (
        <>
          {done && <Survey rate={(rating) => act(api.post(`${path}/feedback`, { ...proof, ...rating }), t('survey.thanks'))} />}
          {done && <Reopen reopen={(reason) => act(api.post(`${path}/reopen`, { ...proof, reason }), t('reopen.done'))} />}
          <Conversation messages={r.messages ?? []} send={(body) => act(api.post(`${path}/messages`, { ...proof, body }), t('request.sent'))} />
          {r.data && (
            <section aria-labelledby="data">
              <h2 id="data">{t('request.data')}</h2>
              <DataList data={r.data} />
            </section>
          )}
        </>
      )}
    </section>
  );
}

/** ProveForm asks for the email or phone the request was filed with. */
function ProveForm({ prove }: { prove: (p: Proof) => Promise<void> }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    const v = value.trim();
    await prove(v.includes('@') ? { email: v } : { phone: v });
  });
  return (
    <form onSubmit={submit} className="stack">
      <h2>{t('track.proveTitle')}</h2>
      <p>{t('track.proveHelp')}</p>
      <ErrorSummary messages={error ? [error] : []} />
      <label htmlFor="proof">{t('track.proof')}</label>
      <input id="proof" dir="ltr" autoComplete="email" required value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit" disabled={busy}>
        {t('track.prove')}
      </button>
    </form>
  );
}
