// The calendars or SLA policies with their draft and published state, and
// a form to start a new one, which saves its first draft and opens it.
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, Loading, problemText, When } from '../../components';
import { Problem } from '../../api/problem';
import { useLoad } from '../../useLoad';
import { useSubmit } from '../../useSubmit';
import { useLanguage } from '../../i18n/useLanguage';
import { localText } from '../../i18n/format';
import { draftState } from '../workflows/model';
import { listHeads, saveDraft, type Kind } from './api';
import { newCalendar, newPolicy, timeZones } from './model';
import { CalendarPicker } from './PolicyEditor';

export function ListPage({ kind }: { kind: Kind }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const heads = useLoad((signal) => listHeads(kind, signal), [kind]);
  return (
    <section aria-labelledby="sla-list-title" className="sla-list">
      <p>
        <Link to="/design">{t('nav.design')}</Link>
      </p>
      <h1 id="sla-list-title">{t(`sla.${kind}.listTitle`)}</h1>
      <p className="muted">{t(`sla.${kind}.intro`)}</p>
      {heads.loading && <Loading />}
      {heads.error !== undefined && <ErrorSummary messages={[problemText(heads.error, t)]} />}
      {heads.data && (
        <ul className="cards" data-testid="sla-heads">
          {heads.data.map((h) => (
            <li key={h.key} className="card">
              <Link to={`/design/${kind}/${h.key}`}>{localText(h.title, lang) || h.key}</Link> <bdi dir="ltr" className="code">{h.key}</bdi>
              <p className="muted">
                <span className={`badge sla-state-${draftState(h)}`}>{t(`sla.state.${draftState(h)}`, { version: h.latestVersion })}</span> <When at={h.updatedAt} />
              </p>
            </li>
          ))}
        </ul>
      )}
      {heads.data && !heads.data.length && <p className="muted">{t('sla.none')}</p>}
      <NewForm kind={kind} />
    </section>
  );
}

/** NewForm starts a definition: created with If-None-Match: *, so a key taken is said, never overwritten. */
function NewForm({ kind }: { kind: Kind }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const zones = useMemo(() => timeZones(), []);
  const [key, setKey] = useState('');
  const [en, setEn] = useState('');
  const [fa, setFa] = useState('');
  const [category, setCategory] = useState('');
  const [timeZone, setTimeZone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC');
  const [calendar, setCalendar] = useState('');
  const s = useSubmit(async () => {
    const body = kind === 'calendars' ? newCalendar(key, { en, fa }, category, timeZone) : newPolicy(key, { en, fa }, category, calendar);
    try {
      await saveDraft(kind, key, body, undefined);
    } catch (err) {
      if (err instanceof Problem && err.status === 412) throw new Problem({ status: 412, detail: t('sla.keyTaken', { key }) });
      // The server checks the category of an existing key before the key
      // itself, so a key taken in a category the caller may not write is 403.
      if (err instanceof Problem && err.status === 403) throw new Problem({ status: 403, detail: t('sla.createForbidden', { category: category || 'general' }) });
      throw err;
    }
    navigate(`/design/${kind}/${key}`);
  });
  return (
    <form onSubmit={s.submit} className="sla-new" aria-labelledby="sla-new-title">
      <h2 id="sla-new-title">{t(`sla.${kind}.new`)}</h2>
      <ErrorSummary messages={s.error ? [s.error] : []} />
      <label>
        {t('sla.key')}
        <input value={key} onChange={(e) => setKey(e.target.value)} required pattern="[a-z][a-z0-9\-]{1,62}" dir="ltr" name="key" aria-describedby="sla-key-help" />
      </label>
      <p className="muted" id="sla-key-help">
        {t('sla.keyHelp')}
      </p>
      <label>
        {t('sla.titleEn')}
        <input value={en} onChange={(e) => setEn(e.target.value)} required dir="ltr" name="titleEn" />
      </label>
      <label>
        {t('sla.titleFa')}
        <input value={fa} onChange={(e) => setFa(e.target.value)} dir="rtl" name="titleFa" />
      </label>
      <label>
        {t('sla.category')}
        <input value={category} onChange={(e) => setCategory(e.target.value)} dir="ltr" name="category" />
      </label>
      {kind === 'calendars' ? (
        <label>
          {t('sla.cal.timeZone')}
          <input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} required dir="ltr" name="timeZone" list="sla-new-zones" />
          <datalist id="sla-new-zones">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </label>
      ) : (
        <CalendarPicker value={calendar} set={setCalendar} name="newCalendar" pointer="/new/calendar" />
      )}
      <button type="submit" className="primary" disabled={s.busy}>
        {t('sla.create')}
      </button>
    </form>
  );
}
