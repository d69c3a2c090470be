// The workflows a process owner may design, with their draft and published
// state, and a form to start a new one.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, Loading, problemText, When } from '../../components';
import { useLoad } from '../../useLoad';
import { useSubmit } from '../../useSubmit';
import { useLanguage } from '../../i18n/useLanguage';
import { localText } from '../../i18n/format';
import { listOf, listWorkflows, saveDraft, titleOf } from './api';
import { draftState, starter } from './model';

export function WorkflowListPage() {
  const { t } = useTranslation();
  const lang = useLanguage();
  const heads = useLoad((signal) => listWorkflows(signal), []);
  return (
    <section aria-labelledby="wfd-list-title" className="wfd-list">
      <h1 id="wfd-list-title">{t('wfd.listTitle')}</h1>
      {heads.loading && <Loading />}
      {heads.error !== undefined && <ErrorSummary messages={[problemText(heads.error, t)]} />}
      {heads.data && (
        <ul className="wfd-heads" data-testid="wfd-heads">
          {heads.data.items.map((h) => (
            <li key={h.key} className="card">
              <Link to={`/design/workflows/${h.key}`}>{localText(h.title, lang) || h.key}</Link>{' '}
              <bdi dir="ltr" className="code">{h.key}</bdi>
              <p className="muted">
                <span className={`badge wfd-state-${draftState(h)}`}>{t(`wfd.state.${draftState(h)}`, { version: h.latestVersion })}</span>{' '}
                <When at={h.updatedAt} />
              </p>
            </li>
          ))}
        </ul>
      )}
      <NewWorkflowForm />
    </section>
  );
}

function NewWorkflowForm() {
  const { t } = useTranslation();
  const lang = useLanguage();
  const navigate = useNavigate();
  const forms = useLoad((signal) => listOf('/forms', signal), []);
  const [key, setKey] = useState('');
  const [en, setEn] = useState('');
  const [fa, setFa] = useState('');
  const [category, setCategory] = useState('');
  const [form, setForm] = useState('');
  const s = useSubmit(async () => {
    await saveDraft(starter({ key, title: { en, fa }, category, form }), undefined);
    navigate(`/design/workflows/${key}`);
  });
  return (
    <form onSubmit={s.submit} className="wfd-new" aria-labelledby="wfd-new-title">
      <h2 id="wfd-new-title">{t('wfd.new')}</h2>
      <ErrorSummary messages={s.error ? [s.error] : []} />
      <label>
        {t('wfd.key')}
        <input value={key} onChange={(e) => setKey(e.target.value)} required pattern="[a-z][a-z0-9\-]{1,62}" dir="ltr" name="key" />
      </label>
      <label>
        {t('wfd.titleEn')}
        <input value={en} onChange={(e) => setEn(e.target.value)} required dir="ltr" name="titleEn" />
      </label>
      <label>
        {t('wfd.titleFa')}
        <input value={fa} onChange={(e) => setFa(e.target.value)} dir="rtl" name="titleFa" />
      </label>
      <label>
        {t('wfd.category')}
        <input value={category} onChange={(e) => setCategory(e.target.value)} dir="ltr" name="category" />
      </label>
      <label>
        {t('wfd.form')}
        <select value={form} onChange={(e) => setForm(e.target.value)} required name="form">
          <option value="">{t('wfd.choose')}</option>
          {forms.data?.items.map((f) => (
            <option key={f.key} value={f.key}>
              {titleOf(f, lang)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={s.busy}>
        {t('wfd.create')}
      </button>
    </form>
  );
}
