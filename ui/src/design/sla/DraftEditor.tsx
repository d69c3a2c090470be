// What the calendar and SLA policy editors share: loading a draft, saving
// it with If-Match, publishing, the problems of the last save or publish
// (listed above, each leading to its input, and shown at the inputs), the
// published versions; and the small inputs both use.
import { createContext, useContext, useState, type ComponentType, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, Loading, problemText, When } from '../../components';
import { Problem } from '../../api/problem';
import { useLoad } from '../../useLoad';
import { useLanguage } from '../../i18n/useLanguage';
import { localText } from '../../i18n/format';
import { getHead, getVersion, listVersions, publish, saveDraft, type Kind } from './api';
import { inputID, placeProblems, type Anchors, type DefinitionProblem, type Texts } from './model';

/** How one kind of definition is edited. */
export interface EditorSpec<M> {
  kind: Kind;
  fromDefinition(def: unknown, key: string): M;
  toDefinition(m: M): unknown;
  anchors(m: M): Anchors;
  Form: ComponentType<{ model: M; change(m: M): void }>;
}

/** The messages of the last save or publish, by input id, for the inputs to show. */
export const ProblemsAt = createContext<Map<string, string[]>>(new Map());

/** useInvalid answers the props that tie an input to its problems, and the messages. */
export function useInvalid(id: string): { props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }; messages: string[] } {
  const messages = useContext(ProblemsAt).get(id) ?? [];
  return { props: { id, ...(messages.length ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-problems` } : {}) }, messages };
}

/** FieldProblems shows the messages of one input under it. */
export function FieldProblems({ id, messages }: { id: string; messages: string[] }) {
  if (!messages.length) return null;
  return (
    <ul id={`${id}-problems`} className="field-error sla-field-problems" data-testid="sla-field-problems">
      {messages.map((m, i) => (
        <li key={i}>⚠ {m}</li>
      ))}
    </ul>
  );
}

/** TextInput is a labelled text input for the value at pointer, with its problems. */
export function TextInput(props: { pointer: string; label: string; value: string; set(v: string): void; dir?: 'ltr' | 'rtl'; name?: string; list?: string; required?: boolean }) {
  const { props: aria, messages } = useInvalid(inputID(props.pointer));
  return (
    <div className="sla-field">
      <label htmlFor={aria.id}>{props.label}</label>
      <input {...aria} name={props.name} value={props.value} dir={props.dir} list={props.list} required={props.required} onChange={(e) => props.set(e.target.value)} />
      <FieldProblems id={aria.id} messages={messages} />
    </div>
  );
}

/** Titles edits a text in English and Persian (other languages are kept as they are). */
export function Titles({ base, value, set, name = 'title' }: { base: string; value: Texts; set(t: Texts): void; name?: string }) {
  const { t } = useTranslation();
  return (
    <div className="sla-pair">
      <TextInput pointer={`${base}/title/en`} label={t('sla.titleEn')} value={value.en ?? ''} set={(en) => set({ ...value, en })} dir="ltr" name={`${name}En`} />
      <TextInput pointer={`${base}/title/fa`} label={t('sla.titleFa')} value={value.fa ?? ''} set={(fa) => set({ ...value, fa })} dir="rtl" name={`${name}Fa`} />
    </div>
  );
}

/** DraftEditorPage loads a definition's draft (or its newest version when it has none) and edits it. */
export function DraftEditorPage<M>({ spec }: { spec: EditorSpec<M> }) {
  const { key = '' } = useParams();
  const { t } = useTranslation();
  const loaded = useLoad(
    async (signal) => {
      const head = await getHead(spec.kind, key, signal);
      const body = head.draft ?? (head.latestVersion ? (await getVersion(spec.kind, key, 'latest', signal)).definition : {});
      return { head, model: spec.fromDefinition(body ?? {}, key) };
    },
    [spec.kind, key],
  );
  if (loaded.loading && !loaded.data) return <Loading />;
  if (loaded.error !== undefined) return <ErrorSummary messages={[problemText(loaded.error, t)]} />;
  const { head, model } = loaded.data!;
  return <Editor key={`${spec.kind}/${key}`} spec={spec} initial={model} revision={head.revision} latest={head.latestVersion} problems={head.problems ?? []} />;
}

function Editor<M>(props: { spec: EditorSpec<M>; initial: M; revision: number; latest: number; problems: DefinitionProblem[] }) {
  const { spec } = props;
  const { t } = useTranslation();
  const lang = useLanguage();
  const [model, setModel] = useState(props.initial);
  const [revision, setRevision] = useState(props.revision);
  const [latest, setLatest] = useState(props.latest);
  const [problems, setProblems] = useState(props.problems);
  const [dirty, setDirty] = useState(false);
  // The outcome of the last save or publish, as a message key so it follows the language.
  const [status, setStatus] = useState<{ key: string; opts?: Record<string, unknown> } | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [versionsTick, setVersionsTick] = useState(0);
  const placed = placeProblems(problems, spec.anchors(model));
  const def = spec.toDefinition(model) as { key: string; title?: Texts };

  function change(next: M) {
    setModel(next);
    setDirty(true);
    setStatus(null);
  }

  /** store saves the draft and answers its problems. */
  async function store(): Promise<DefinitionProblem[]> {
    const h = await saveDraft(spec.kind, def.key, def, revision);
    setRevision(h.revision);
    setDirty(false);
    setProblems(h.problems ?? []);
    return h.problems ?? [];
  }

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError('');
    setStatus(null);
    try {
      await action();
    } catch (err) {
      if (err instanceof Problem && err.slug === 'definition-invalid') {
        setProblems(err.errors);
        setError(t('sla.publishRefused', { count: err.errors.length }));
      } else if (err instanceof Problem && err.status === 412) {
        setError(t('sla.conflict'));
      } else setError(problemText(err, t));
    } finally {
      setBusy(false);
    }
  }

  const save = () =>
    run(async () => {
      const found = await store();
      setStatus(found.length ? { key: 'sla.savedWithProblems', opts: { count: found.length } } : { key: 'sla.saved' });
    });

  const doPublish = () =>
    run(async () => {
      if (dirty) await store();
      const v = await publish(spec.kind, def.key);
      setProblems([]);
      setLatest(v.version);
      setVersionsTick((n) => n + 1);
      setStatus({ key: 'sla.published', opts: { version: v.version } });
    });

  const Form = spec.Form;
  return (
    <section className="sla-editor" aria-labelledby="sla-editor-title">
      <p>
        <Link to={`/design/${spec.kind}`}>{t(`sla.${spec.kind}.back`)}</Link>
      </p>
      <h1 id="sla-editor-title">
        {localText(def.title, lang) || def.key} <bdi dir="ltr" className="code">{def.key}</bdi>
      </h1>
      <p className="muted" data-testid="sla-state">
        {latest ? t('sla.state.published', { version: latest }) : t('sla.state.unpublished')}
        {dirty && ` · ${t('sla.unsaved')}`}
      </p>
      <div className="sla-actions">
        <button type="button" className="primary" onClick={save} disabled={busy} data-testid="sla-save">
          {t('sla.save')}
        </button>
        <button type="button" onClick={doPublish} disabled={busy} data-testid="sla-publish">
          {t('sla.publish')}
        </button>
        <span role="status" aria-live="polite" data-testid="sla-status">
          {status && t(status.key, status.opts)}
        </span>
      </div>
      <ErrorSummary messages={error ? [error] : []} />
      <ProblemList placed={placed.all} />
      <ProblemsAt.Provider value={placed.at}>
        <Form model={model} change={change} />
      </ProblemsAt.Provider>
      <Versions kind={spec.kind} defKey={def.key} tick={versionsTick} />
    </section>
  );
}

/** ProblemList lists the problems of the last save or publish; each one with an input moves the focus there. */
function ProblemList({ placed }: { placed: { problem: DefinitionProblem; input: string | null }[] }) {
  const { t } = useTranslation();
  if (!placed.length) return null;
  const focus = (id: string) => {
    const el = document.getElementById(id);
    el?.scrollIntoView({ block: 'center' });
    el?.focus();
  };
  return (
    <section className="problems sla-problems" aria-labelledby="sla-problems-title" data-testid="sla-problems">
      <h2 id="sla-problems-title">{t('sla.problems', { count: placed.length })}</h2>
      <ul>
        {placed.map(({ problem, input }, i) => (
          <li key={i}>
            {input ? (
              <button type="button" className="link" onClick={() => focus(input)}>
                {problem.message}
              </button>
            ) : (
              problem.message
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Versions lists the published versions, newest first. */
function Versions({ kind, defKey, tick }: { kind: Kind; defKey: string; tick: number }) {
  const { t } = useTranslation();
  const versions = useLoad((signal) => listVersions(kind, defKey, signal), [kind, defKey, tick]);
  return (
    <section aria-labelledby="sla-versions-title" className="versions">
      <h2 id="sla-versions-title">{t('sla.versions')}</h2>
      {versions.error !== undefined && <ErrorSummary messages={[problemText(versions.error, t)]} />}
      <ol data-testid="sla-versions">
        {versions.data?.items.map((v) => (
          <li key={v.version}>
            {t('sla.version', { version: v.version })} · <When at={v.publishedAt} />
          </li>
        ))}
      </ol>
      {versions.data && !versions.data.items.length && <p className="muted">{t('sla.noVersions')}</p>}
    </section>
  );
}

/** Section is a titled part of an editor. */
export function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="sla-section">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}
