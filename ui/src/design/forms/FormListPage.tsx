// The forms a process owner may design, with their state (draft only,
// published, changed since publishing), and a new form.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, Loading, When, problemText } from '../../components';
import { Problem } from '../../api/problem';
import { useLoad } from '../../useLoad';
import { useLanguage } from '../../i18n/useLanguage';
import { localText, formatNumber } from '../../i18n/format';
import { listForms, saveDraft, type FormHead } from './formsApi';
import { keyPattern } from './FormDesignerPage';

/** formState tells a form's state in the list: only a draft, published, or changed since. */
export function formState(h: Pick<FormHead, 'latestVersion' | 'updatedAt' | 'publishedAt'>): 'draft' | 'published' | 'changed' {
  if (!h.latestVersion) return 'draft';
  return h.updatedAt && h.publishedAt && h.updatedAt > h.publishedAt ? 'changed' : 'published';
}

/** FormListPage lists the forms and creates new ones. */
export function FormListPage() {
  const { t } = useTranslation();
  const lang = useLanguage();
  const navigate = useNavigate();
  const forms = useLoad((signal) => listForms(signal), []);
  const [key, setKey] = useState('');
  const [en, setEn] = useState('');
  const [fa, setFa] = useState('');
  const [category, setCategory] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  async function create(e: FormEvent) {
    e.preventDefault();
    const problems: string[] = [];
    if (!keyPattern.test(key)) problems.push(t('formDesign.keyRule'));
    if (forms.data?.items.some((f) => f.key === key)) problems.push(t('formDesign.keyTaken'));
    if (!en.trim() || !fa.trim()) problems.push(t('formDesign.titleNeeded'));
    setErrors(problems);
    if (problems.length) return;
    setBusy(true);
    try {
      // Created with If-None-Match: *, so a form saved since the page opened is never replaced: 412.
      await saveDraft({ key, title: { en, fa }, ...(category ? { category } : {}), schema: { type: 'object', properties: {} }, ui: {} }, null);
      navigate(`/design/forms/${key}`);
    } catch (err) {
      setErrors([err instanceof Problem && err.status === 412 ? t('formDesign.keyTaken') : problemText(err, t)]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <h1>{t('formDesign.listTitle')}</h1>
      {forms.loading && <Loading />}
      {forms.error !== undefined && <ErrorSummary messages={[problemText(forms.error, t)]} />}
      {forms.data && (
        <ul className="cards" data-testid="form-list">
          {forms.data.items.map((f) => {
            const state = formState(f);
            return (
              <li key={f.key} className="card">
                <Link to={`/design/forms/${f.key}`}>{localText(f.title, lang) || f.key}</Link>{' '}
                <code dir="ltr">{f.key}</code>
                <p className="muted">
                  <span className={`badge form-${state}`}>{t(`formDesign.state.${state}`, { version: formatNumber(f.latestVersion, lang) })}</span>{' '}
                  <When at={f.updatedAt} />
                </p>
              </li>
            );
          })}
        </ul>
      )}
      <h2>{t('formDesign.newForm')}</h2>
      <form onSubmit={create} className="stack" noValidate>
        <ErrorSummary messages={errors} />
        <label>
          {t('formDesign.key')}
          <input id="new-key" value={key} onChange={(e) => setKey(e.target.value)} dir="ltr" aria-describedby="new-key-help" required />
        </label>
        <small id="new-key-help" className="muted">{t('formDesign.keyRule')}</small>
        <label>
          {t('formDesign.titleEn')}
          <input id="new-title-en" value={en} onChange={(e) => setEn(e.target.value)} lang="en" dir="ltr" required />
        </label>
        <label>
          {t('formDesign.titleFa')}
          <input id="new-title-fa" value={fa} onChange={(e) => setFa(e.target.value)} lang="fa" dir="rtl" required />
        </label>
        <label>
          {t('formDesign.category')}
          <input id="new-category" value={category} onChange={(e) => setCategory(e.target.value)} dir="ltr" />
        </label>
        <div>
          <button type="submit" disabled={busy} data-testid="create-form">{t('formDesign.create')}</button>
        </div>
      </form>
    </section>
  );
}
