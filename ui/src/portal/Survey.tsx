import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary } from '../components';
import { useSubmit } from '../useSubmit';
import { useLanguage } from '../i18n/useLanguage';
import { formatNumber } from '../i18n/format';

/** What the requester answers in the satisfaction survey (docs/service-desk.md). */
export interface Rating {
  csat: number;
  nps?: number;
  comment?: string;
}

/** Survey asks a resolved request's requester how satisfied they are (CSAT 1-5, NPS 0-10). */
export function Survey({ rate }: { rate: (r: Rating) => Promise<void> }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const [csat, setCsat] = useState<number | null>(null);
  const [nps, setNps] = useState('');
  const [comment, setComment] = useState('');
  const { busy, error, setError, submit } = useSubmit(async () => {
    if (csat == null) return setError(t('survey.pickScore'));
    await rate({ csat, nps: nps === '' ? undefined : Number(nps), comment: comment.trim() || undefined });
  });

  return (
    <section aria-labelledby="survey" className="survey">
      <h2 id="survey">{t('survey.title')}</h2>
      <form onSubmit={submit} className="stack">
        <ErrorSummary messages={error ? [error] : []} />
        <fieldset>
          <legend>{t('survey.csat')}</legend>
          <div className="scale">
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n}>
                <input type="radio" name="csat" value={n} checked={csat === n} onChange={() => setCsat(n)} data-testid={`csat-${n}`} />
                {formatNumber(n, lang)}
              </label>
            ))}
          </div>
          <p className="muted">{t('survey.csatHelp')}</p>
        </fieldset>
        <label htmlFor="nps">{t('survey.nps')}</label>
        <select id="nps" value={nps} onChange={(e) => setNps(e.target.value)}>
          <option value="">{t('survey.npsSkip')}</option>
          {Array.from({ length: 11 }, (_, n) => (
            <option key={n} value={n}>
              {formatNumber(n, lang)}
            </option>
          ))}
        </select>
        <label htmlFor="comment">{t('survey.comment')}</label>
        <textarea id="comment" rows={2} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
        <button type="submit" className="primary" disabled={busy}>
          {t('survey.submit')}
        </button>
      </form>
    </section>
  );
}

/** Reopen lets the requester reopen a resolved request, saying why. */
export function Reopen({ reopen }: { reopen: (reason: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    await reopen(reason.trim());
    setReason('');
  });
  return (
    <section aria-labelledby="reopen">
      <h2 id="reopen">{t('reopen.title')}</h2>
      <form onSubmit={submit} className="stack">
        <ErrorSummary messages={error ? [error] : []} />
        <label htmlFor="reopen-reason">{t('reopen.reason')}</label>
        <textarea id="reopen-reason" rows={2} required value={reason} onChange={(e) => setReason(e.target.value)} />
        <button type="submit" disabled={busy || !reason.trim()}>
          {t('reopen.submit')}
        </button>
      </form>
    </section>
  );
}
