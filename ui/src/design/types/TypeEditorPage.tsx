// One request type: what ties a form and a workflow into the catalog
// (docs/service-desk.md), edited, saved as a draft and published. The
// API's problems are shown under the inputs their pointers name.
import { cloneElement, useEffect, useState, type ReactElement } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, Loading, problemText, When } from '../../components';
import { Problem, type FieldProblem } from '../../api/problem';
import { useLoad } from '../../useLoad';
import { useLanguage } from '../../i18n/useLanguage';
import { formatNumber } from '../../i18n/format';
import { listOf, titleOf, type Named } from '../workflows/api';
import { getType, listVersions, publish, saveDraft } from './api';
import { channels, emptyType, fromDefinition, interactions, localProblems, picks, placeProblems, toDefinition, toggleChannel, type TypeModel } from './model';

/** A notice: a message key and its values. */
interface Notice {
  key: string;
  values?: { count?: number; version?: number };
}

/** A definition to pick, with whether it has a published version (only those can be named). */
type Pickable = Named & { latestVersion?: number };

/** loadPickers reads what a type names: published forms, workflows, SLA policies, and the groups. */
async function loadPickers(signal: AbortSignal) {
  const [forms, workflows, policies, groups] = await Promise.all(['/forms', '/workflows', '/sla-policies', '/groups'].map((p) => listOf(p, signal)));
  const published = (l: { items: Named[] }) => (l.items as Pickable[]).filter((i) => (i.latestVersion ?? 0) > 0);
  return { forms: published(forms), workflows: published(workflows), policies: published(policies), groups: groups.items, groupsForbidden: groups.forbidden };
}

/** TypeEditorPage edits /design/types/:key, or a new type at /design/types/new. */
export function TypeEditorPage() {
  const { key = 'new' } = useParams();
  const isNew = key === 'new';
  const head = useLoad((signal) => (isNew ? Promise.resolve(undefined) : getType(key, signal)), [key]);
  const { t } = useTranslation();
  if (head.error === undefined && (head.loading || (!isNew && head.data?.key !== key))) return <Loading />;
  if (head.error !== undefined)
    return (
      <section>
        <p>
          <Link to="/design/types">{t('types.back')}</Link>
        </p>
        <ErrorSummary messages={[head.error instanceof Problem && head.error.status === 404 ? t('types.notFound') : problemText(head.error, t)]} />
      </section>
    );
  const model = head.data?.draft ? fromDefinition({ ...head.data.draft, key }) : emptyType(isNew ? '' : key);
  return <Editor key={key} initial={model} revision={head.data?.revision} problems={head.data?.problems ?? []} isNew={isNew} />;
}

function Editor({ initial, revision: firstRevision, problems: firstProblems, isNew }: { initial: TypeModel; revision?: number; problems: FieldProblem[]; isNew: boolean }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const navigate = useNavigate();
  const location = useLocation();
  const [m, setM] = useState(initial);
  const [revision, setRevision] = useState(firstRevision);
  const [problems, setProblems] = useState<FieldProblem[]>(firstProblems);
  const [error, setError] = useState('');
  // The notice is kept as a message key and its values, so it follows a change of language.
  const [notice, setNotice] = useState<Notice | null>((location.state as { notice?: Notice } | null)?.notice ?? null);
  const [busy, setBusy] = useState(false);
  const [published, setPublished] = useState(0);
  const pickers = useLoad((signal) => loadPickers(signal), []);
  const versions = useLoad((signal) => (isNew ? Promise.resolve({ items: [] }) : listVersions(initial.key, signal)), [initial.key, published]);
  const placed = placeProblems(problems);
  const set = <K extends keyof TypeModel>(k: K, v: TypeModel[K]) => setM((old) => ({ ...old, [k]: v }));

  // A notice handed over by the creating page is shown once, not on every return.
  useEffect(() => {
    if (location.state) navigate(location.pathname, { replace: true, state: null });
  }, [location, navigate]);

  /** save stores the draft; it answers whether it was stored. */
  async function save(): Promise<boolean> {
    setError('');
    setNotice(null);
    const local = localProblems(m, t);
    if (local.length) {
      setProblems(local);
      setError(t('types.fixFirst', { count: local.length }));
      return false;
    }
    try {
      const saved = await saveDraft(toDefinition(m), revision);
      setRevision(saved.revision);
      setProblems(saved.problems ?? []);
      const message: Notice = saved.problems?.length ? { key: 'types.savedWithProblems', values: { count: saved.problems.length } } : { key: 'types.saved' };
      if (isNew) {
        navigate(`/design/types/${m.key}`, { replace: true, state: { notice: message } });
        return false;
      }
      setNotice(message);
      return true;
    } catch (err) {
      if (err instanceof Problem && err.status === 412) setError(isNew ? t('types.keyTaken') : t('types.conflict'));
      else {
        if (err instanceof Problem) setProblems(err.errors);
        setError(problemText(err, t));
      }
      return false;
    }
  }

  async function run(action: () => Promise<void>) {
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  }

  const onSave = () => run(async () => void (await save()));
  const onPublish = () =>
    run(async () => {
      if (!(await save())) return;
      try {
        const v = await publish(m.key);
        setNotice({ key: 'types.published', values: { version: v.version } });
        setPublished(v.version);
      } catch (err) {
        if (err instanceof Problem && err.errors.length) {
          setProblems(err.errors);
          setError(t('types.publishRefused', { count: err.errors.length }));
        } else setError(problemText(err, t));
      }
    });

  const p = pickers.data;
  const options = (items: Named[] | undefined, current: string) => {
    const list = items ?? [];
    // The value saved stays pickable even when it is not (or no longer) published.
    const all = current && !list.some((i) => i.key === current) ? [...list, { key: current }] : list;
    return all.map((i) => (
      <option key={i.key} value={i.key}>
        {titleOf(i, lang)} ({i.key})
      </option>
    ));
  };

  return (
    <section aria-labelledby="type-title" className="type-editor">
      <p>
        <Link to="/design/types">{t('types.back')}</Link>
      </p>
      <h1 id="type-title">
        {isNew ? t('types.new') : t('types.editTitle')}
        {!isNew && (
          <>
            {' '}
            <bdi dir="ltr">{m.key}</bdi>
          </>
        )}
      </h1>
      <p role="status" aria-live="polite" className="notice" data-testid="type-notice">
        {notice && t(notice.key, { ...notice.values, ...(notice.values?.version ? { version: formatNumber(notice.values.version, lang) } : {}) })}
      </p>
      <ErrorSummary messages={[...(error ? [error] : []), ...placed.general]} />
      {pickers.error !== undefined && <ErrorSummary messages={[problemText(pickers.error, t)]} />}
      <form
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          onSave();
        }}
      >
        <Field id="type-key" label={t('types.key')} help={t('types.keyRule')} problems={placed.at.key}>
          <input id="type-key" value={m.key} onChange={(e) => set('key', e.target.value)} readOnly={!isNew} dir="ltr" required />
        </Field>
        <Field id="type-title-en" label={t('types.titleEn')} problems={placed.at.title}>
          <input id="type-title-en" value={m.titleEn} onChange={(e) => set('titleEn', e.target.value)} lang="en" dir="ltr" required />
        </Field>
        <Field id="type-title-fa" label={t('types.titleFa')}>
          <input id="type-title-fa" value={m.titleFa} onChange={(e) => set('titleFa', e.target.value)} lang="fa" dir="rtl" required />
        </Field>
        <Field id="type-desc-en" label={t('types.descriptionEn')} problems={placed.at.description}>
          <textarea id="type-desc-en" rows={2} value={m.descriptionEn} onChange={(e) => set('descriptionEn', e.target.value)} lang="en" dir="ltr" />
        </Field>
        <Field id="type-desc-fa" label={t('types.descriptionFa')}>
          <textarea id="type-desc-fa" rows={2} value={m.descriptionFa} onChange={(e) => set('descriptionFa', e.target.value)} lang="fa" dir="rtl" />
        </Field>
        <Field id="type-category" label={t('types.category')} help={t('types.categoryHelp')} problems={placed.at.category}>
          <input id="type-category" value={m.category} onChange={(e) => set('category', e.target.value)} dir="ltr" />
        </Field>
        <Field id="type-interaction" label={t('types.interaction')} problems={placed.at.interaction}>
          <select id="type-interaction" value={m.interaction} onChange={(e) => set('interaction', e.target.value)}>
            {interactions.map((i) => (
              <option key={i} value={i}>
                {t(`types.interactions.${i}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="type-form" label={t('types.form')} help={t('types.formHelp')} problems={placed.at.form}>
          <select id="type-form" value={m.form} onChange={(e) => set('form', e.target.value)} required>
            <option value="">{t('types.choose')}</option>
            {options(p?.forms, m.form)}
          </select>
        </Field>
        <Field id="type-workflow" label={t('types.workflow')} help={t('types.workflowHelp')} problems={placed.at.workflow}>
          <select id="type-workflow" value={m.workflow} onChange={(e) => set('workflow', e.target.value)}>
            <option value="">{t('types.workflowDefault')}</option>
            {options(p?.workflows, m.workflow)}
          </select>
        </Field>
        <Field id="type-sla" label={t('types.sla')} help={m.slaRuleSet && !m.slaPolicy ? t('types.slaRuleSet', { ruleSet: m.slaRuleSet }) : t('types.slaHelp')} problems={placed.at.sla}>
          <select id="type-sla" value={m.slaPolicy} onChange={(e) => set('slaPolicy', e.target.value)}>
            <option value="">{m.slaRuleSet ? t('types.slaByRuleSet') : t('types.slaNone')}</option>
            {options(p?.policies, m.slaPolicy)}
          </select>
        </Field>
        <fieldset aria-describedby="type-channels-help type-channels-problems">
          <legend>{t('types.channels')}</legend>
          <p id="type-channels-help" className="muted">
            {t('types.channelsHelp')}
          </p>
          <div className="scale">
            {channels.map((c) => (
              <label key={c}>
                <input type="checkbox" id={`channel-${c}`} checked={m.channels.includes(c)} onChange={(e) => set('channels', toggleChannel(m.channels, c, e.target.checked))} />
                {t(`types.channel.${c}`)}
              </label>
            ))}
          </div>
          <Problems id="type-channels-problems" messages={placed.at.channels} />
        </fieldset>
        <fieldset aria-describedby="type-owner-problems">
          <legend>{t('types.owner')}</legend>
          <Field id="type-owner-group" label={t('types.ownerGroup')} help={m.ownerRuleSet ? t('types.ownerRuleSet', { ruleSet: m.ownerRuleSet }) : t('types.ownerHelp')}>
            {p?.groupsForbidden ? (
              <input id="type-owner-group" value={m.ownerGroup} onChange={(e) => set('ownerGroup', e.target.value)} dir="ltr" />
            ) : (
              <select id="type-owner-group" value={m.ownerGroup} onChange={(e) => set('ownerGroup', e.target.value)}>
                <option value="">{t('types.ownerNone')}</option>
                {options(p?.groups, m.ownerGroup)}
              </select>
            )}
          </Field>
          <Field id="type-owner-pick" label={t('types.ownerPick')}>
            <select id="type-owner-pick" value={m.ownerPick} onChange={(e) => set('ownerPick', e.target.value)}>
              <option value="">{t('types.pick.default')}</option>
              {picks.map((k) => (
                <option key={k} value={k}>
                  {t(`types.pick.${k}`)}
                </option>
              ))}
            </select>
          </Field>
          <label>
            <input type="checkbox" id="type-entered-by" checked={m.enteredBy} onChange={(e) => set('enteredBy', e.target.checked)} />
            {t('types.enteredBy')}
          </label>
          <Problems id="type-owner-problems" messages={placed.at.owner} />
        </fieldset>
        <Field id="type-reopen" label={t('types.reopenDays')} help={t('types.reopenHelp')} problems={placed.at.reopenDays}>
          <input id="type-reopen" inputMode="numeric" value={m.reopenDays} onChange={(e) => set('reopenDays', e.target.value)} dir="ltr" />
        </Field>
        <div className="inline">
          <button type="submit" disabled={busy} data-testid="type-save">
            {t('types.save')}
          </button>
          <button type="button" className="primary" disabled={busy} data-testid="type-publish" onClick={onPublish}>
            {t('types.publish')}
          </button>
        </div>
      </form>
      {!isNew && (
        <>
          <h2>{t('types.versions')}</h2>
          {versions.data &&
            (versions.data.items.length ? (
              <ol data-testid="type-versions" reversed>
                {versions.data.items.map((v) => (
                  <li key={v.version}>
                    {t('types.version', { version: formatNumber(v.version, lang) })} <When at={v.publishedAt} />
                  </li>
                ))}
              </ol>
            ) : (
              <p className="muted" data-testid="type-versions">
                {t('types.noVersions')}
              </p>
            ))}
        </>
      )}
    </section>
  );
}

/** Field is a labelled input with its help and the problems found in it, which the input is described by (and marked invalid). */
function Field({ id, label, help, problems, children }: { id: string; label: string; help?: string; problems?: string[]; children: ReactElement<Record<string, unknown>> }) {
  const by = [help ? `${id}-help` : '', problems?.length ? `${id}-problems` : ''].filter(Boolean).join(' ');
  return (
    <div className={problems?.length ? 'has-error stack' : 'stack'}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { 'aria-describedby': by || undefined, 'aria-invalid': problems?.length ? true : undefined })}
      {help && (
        <small id={`${id}-help`} className="muted">
          {help}
        </small>
      )}
      <Problems id={`${id}-problems`} messages={problems} />
    </div>
  );
}

function Problems({ id, messages }: { id: string; messages?: string[] }) {
  if (!messages?.length) return null;
  return (
    <ul id={id} className="error-detail" data-testid={id}>
      {messages.map((s, i) => (
        <li key={i}>{s}</li>
      ))}
    </ul>
  );
}
