// What the designers of drafted, versioned definitions (workflows, rule
// sets) share on their list pages: the heads with their state, and the
// form that starts a new definition (key, titles, category, the form it
// is about). Each designer passes its own message namespace, so labels
// stay in its own message files.
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, Loading, problemText, When } from '../components';
import { useLoad } from '../useLoad';
import { useSubmit } from '../useSubmit';
import { useLanguage } from '../i18n/useLanguage';
import { localText, type Text } from '../i18n/format';
import { draftState } from './workflows/model';
import { listOf, titleOf } from './workflows/api';

/** HeadList lists definitions' heads, each a link to its designer with its state. ns is the message namespace (wfd, rsd). */
export function HeadList(props: { ns: string; base: string; items: { key: string; title: Text; latestVersion: number; updatedAt?: string; publishedAt?: string }[] }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  return (
    <ul className={`${props.ns}-heads`} data-testid={`${props.ns}-heads`}>
      {props.items.map((h) => (
        <li key={h.key} className="card">
          <Link to={`${props.base}/${h.key}`}>{localText(h.title, lang) || h.key}</Link> <bdi dir="ltr" className="code">{h.key}</bdi>
          <p className="muted">
            <span className={`badge ${props.ns}-state-${draftState(h)}`}>{t(`${props.ns}.state.${draftState(h)}`, { version: h.latestVersion })}</span> <When at={h.updatedAt} />
          </p>
        </li>
      ))}
    </ul>
  );
}

/**
 * FormPicker picks a form from GET /forms, or takes its key typed where
 * the list may not be read. Without required, "none" is a choice
 * (noneLabel); a key not in the list stays as an option of its own.
 */
export function FormPicker(props: { value: string; onChange: (key: string) => void; noneLabel: string; required?: boolean; id?: string; invalid?: boolean; describedBy?: string }) {
  const lang = useLanguage();
  const forms = useLoad((signal) => listOf('/forms', signal), []);
  const common = { id: props.id, name: 'form', required: props.required, 'aria-invalid': props.invalid || undefined, 'aria-describedby': props.describedBy };
  if (forms.data?.forbidden) return <input {...common} value={props.value} dir="ltr" onChange={(e) => props.onChange(e.target.value)} />;
  return (
    <select {...common} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      <option value="">{props.noneLabel}</option>
      {props.value && forms.data && !forms.data.items.some((f) => f.key === props.value) && <option value={props.value}>{props.value}</option>}
      {forms.data?.items.map((f) => (
        <option key={f.key} value={f.key}>
          {titleOf(f, lang)}
        </option>
      ))}
    </select>
  );
}

/** What a new definition starts from. */
export interface NewDefinition {
  key: string;
  title: Text;
  category: string;
  form: string;
}

/**
 * NewDefinitionForm asks for a new definition's key, titles, category and
 * form, and runs create with them; create saves the first draft (with
 * If-None-Match: *, so an existing key is refused) and opens it.
 */
export function NewDefinitionForm(props: { ns: string; formRequired?: boolean; noFormLabel: string; create: (d: NewDefinition) => Promise<void> }) {
  const { t } = useTranslation();
  const { ns } = props;
  const [key, setKey] = useState('');
  const [en, setEn] = useState('');
  const [fa, setFa] = useState('');
  const [category, setCategory] = useState('');
  const [form, setForm] = useState('');
  const s = useSubmit(() => props.create({ key, title: { en, fa }, category, form }));
  const keyHelp = t(`${ns}.keyHelp`, { defaultValue: '' });
  return (
    <form onSubmit={s.submit} className={`${ns}-new`} aria-labelledby={`${ns}-new-title`}>
      <h2 id={`${ns}-new-title`}>{t(`${ns}.new`)}</h2>
      <ErrorSummary messages={s.error ? [s.error] : []} />
      <label>
        {t(`${ns}.key`)}
        <input value={key} onChange={(e) => setKey(e.target.value)} required pattern="[a-z][a-z0-9\-]{1,62}" dir="ltr" name="key" aria-describedby={keyHelp ? `${ns}-key-help` : undefined} />
        {keyHelp && (
          <small id={`${ns}-key-help`} className="muted">
            {keyHelp}
          </small>
        )}
      </label>
      <label>
        {t(`${ns}.titleEn`)}
        <input value={en} onChange={(e) => setEn(e.target.value)} required dir="ltr" name="titleEn" />
      </label>
      <label>
        {t(`${ns}.titleFa`)}
        <input value={fa} onChange={(e) => setFa(e.target.value)} dir="rtl" name="titleFa" />
      </label>
      <label>
        {t(`${ns}.category`)}
        <input value={category} onChange={(e) => setCategory(e.target.value)} dir="ltr" name="category" />
      </label>
      <label>
        {t(`${ns}.form`)}
        <FormPicker value={form} onChange={setForm} required={props.formRequired} noneLabel={props.noFormLabel} />
      </label>
      <button type="submit" disabled={s.busy} data-testid={`${ns}-create`}>
        {t(`${ns}.create`)}
      </button>
    </form>
  );
}

/** DesignerTitle heads a designer's page: the way back to the list, the definition's title and key, and how far it is published. */
export function DesignerTitle(props: { ns: string; base: string; defKey: string; title: Text; latest: number; dirty: boolean }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const { ns } = props;
  return (
    <>
      <p>
        <Link to={props.base}>{t(`${ns}.back`)}</Link>
      </p>
      <h1 id={`${ns}-title`}>
        {localText(props.title, lang) || props.defKey} <bdi dir="ltr" className="code">{props.defKey}</bdi>
      </h1>
      <p className="muted" data-testid={`${ns}-version`}>
        {props.latest ? t(`${ns}.state.published`, { version: props.latest }) : t(`${ns}.state.unpublished`)}
        {props.dirty && ` · ${t(`${ns}.unsaved`)}`}
      </p>
    </>
  );
}

/**
 * VersionList lists a definition's published versions, newest first, as
 * load answers them; each is shown by item (the version's number and
 * time, and whatever the designer adds).
 */
export function VersionList<V extends { version: number; publishedAt: string }>(props: {
  ns: string;
  load: (signal: AbortSignal) => Promise<{ items: V[] }>;
  deps: unknown[];
  item?: (v: V) => ReactNode;
}) {
  const { t } = useTranslation();
  const { ns } = props;
  const versions = useLoad(props.load, props.deps);
  return (
    <section aria-labelledby={`${ns}-versions-title`} className={`${ns}-versions`}>
      <h2 id={`${ns}-versions-title`}>{t(`${ns}.versions`)}</h2>
      {versions.error !== undefined && <ErrorSummary messages={[problemText(versions.error, t)]} />}
      <ol data-testid={`${ns}-versions`}>
        {versions.data?.items.map((v) => (
          <li key={v.version}>
            {props.item ? props.item(v) : t(`${ns}.version`, { version: v.version })} · <When at={v.publishedAt} />
          </li>
        ))}
      </ol>
      {versions.data && !versions.data.items.length && <p className="muted">{t(`${ns}.noVersions`)}</p>}
    </section>
  );
}

/**
 * DraftLoader reads a definition's head and the body a designer opens:
 * the draft, or the newest version when there is no draft. It shows the
 * loading and a failure, then hands both to children.
 */
export function DraftLoader<H extends { draft?: unknown; latestVersion: number }>(props: {
  defKey: string;
  head: (key: string, signal: AbortSignal) => Promise<H>;
  latest: (key: string) => Promise<{ definition?: unknown }>;
  children: (head: H, body: unknown) => ReactNode;
}) {
  const { t } = useTranslation();
  const { defKey: key } = props;
  const loaded = useLoad(async (signal) => {
    const head = await props.head(key, signal);
    const body = head.draft ?? (head.latestVersion ? (await props.latest(key)).definition : undefined);
    return { head, body };
  }, [key]);
  if (loaded.loading && !loaded.data) return <Loading />;
  if (loaded.error !== undefined) return <ErrorSummary messages={[problemText(loaded.error, t)]} />;
  return <>{props.children(loaded.data!.head, loaded.data!.body)}</>;
}
