// The decision-table editor (docs/ui.md, "The decision-table editor"): the
// rule set's settings, the table, the problems of the last save or publish
// (listed above the table and drawn on their cells), save, publish, the
// published versions (any one read in place) and "Try it".
import { useCallback, useState } from 'react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, problemText } from '../../components';
import { Problem } from '../../api/problem';
import { useLanguage } from '../../i18n/useLanguage';
import { formatNumber } from '../../i18n/format';
import { DesignerTitle, DraftLoader, FormPicker, VersionList } from '../definitions';
import { getRuleSet, getRuleSetVersion, listRuleSetVersions, publishRuleSet, saveRuleSet, type Evaluation } from './api';
import { domID, fromDefinition, hitPolicies, matchedRows, placeProblems, problemsAt, toDefinition, type DefinitionProblem, type PlacedProblem, type RuleSetModel } from './model';
import { RuleTable } from './RuleTable';
import { TryPanel } from './TryPanel';

export function RuleSetEditorPage() {
  const { key = '' } = useParams();
  return (
    <DraftLoader defKey={key} head={getRuleSet} latest={(k) => getRuleSetVersion(k, 'latest')}>
      {(h, body) => <Editor key={key} initial={fromDefinition(body, key)} revision={h.revision} latest={h.latestVersion} problems={h.problems ?? []} />}
    </DraftLoader>
  );
}

/** A published version being read instead of the draft. */
interface Reading {
  version: number;
  model: RuleSetModel;
}

function Editor(props: { initial: RuleSetModel; revision: number; latest: number; problems: DefinitionProblem[] }) {
  const { t } = useTranslation();
  const [model, setModel] = useState(props.initial);
  const [revision, setRevision] = useState(props.revision);
  const [latest, setLatest] = useState(props.latest);
  const [problems, setProblems] = useState<PlacedProblem[]>(() => placeProblems(props.initial, props.problems));
  const [dirty, setDirty] = useState(false);
  // The last action's outcome, as a message key so it follows the language.
  const [status, setStatus] = useState<{ key: string; opts?: Record<string, unknown> } | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [reading, setReading] = useState<Reading | null>(null);
  const [matched, setMatched] = useState<Set<string>>(new Set());
  const [versionsTick, setVersionsTick] = useState(0);

  /** change applies an edit: the draft is unsaved and the last evaluation no longer describes it. */
  const change = useCallback((m: RuleSetModel) => {
    setModel(m);
    setDirty(true);
    setMatched(new Set());
  }, []);

  /** save saves the draft and places its problems; it answers whether it was saved. */
  async function save(): Promise<boolean> {
    setBusy(true);
    setError('');
    try {
      const h = await saveRuleSet(toDefinition(model), revision);
      setRevision(h.revision);
      setProblems(placeProblems(model, h.problems ?? []));
      setDirty(false);
      setStatus(h.problems?.length ? { key: 'rsd.savedWithProblems', opts: { count: h.problems.length } } : { key: 'rsd.saved' });
      return true;
    } catch (err) {
      setError(problemText(err, t));
      return false;
    } finally {
      setBusy(false);
    }
  }

  /** refused shows a 422 definition-invalid's problems on their cells. */
  function refused(err: unknown, message: string): boolean {
    if (err instanceof Problem && err.slug === 'definition-invalid') {
      setProblems(placeProblems(model, err.errors));
      setError(t(message, { count: err.errors.length }));
      return true;
    }
    return false;
  }

  async function publish() {
    if (dirty && !(await save())) return;
    setBusy(true);
    setError('');
    try {
      const v = await publishRuleSet(model.key);
      setProblems([]);
      setLatest(v.version);
      setVersionsTick((n) => n + 1);
      setStatus({ key: 'rsd.published', opts: { version: v.version } });
    } catch (err) {
      if (!refused(err, 'rsd.publishRefused')) setError(problemText(err, t));
    } finally {
      setBusy(false);
    }
  }

  async function read(version: number) {
    setError('');
    try {
      const v = await getRuleSetVersion(model.key, version);
      setReading({ version, model: fromDefinition(v.definition, model.key) });
      setMatched(new Set());
    } catch (err) {
      setError(problemText(err, t));
    }
  }

  const shown = reading?.model ?? model;

  return (
    <section className="rsd" aria-labelledby="rsd-title">
      <DesignerTitle ns="rsd" base="/design/rules" defKey={model.key} title={model.title} latest={latest} dirty={dirty} />
      <div className="rsd-actions">
        <button type="button" onClick={save} disabled={busy || !!reading} data-testid="rsd-save">
          {t('rsd.save')}
        </button>
        <button type="button" onClick={publish} disabled={busy || !!reading} data-testid="rsd-publish">
          {t('rsd.publish')}
        </button>
        <span role="status" aria-live="polite" data-testid="rsd-status">
          {status && t(status.key, status.opts)}
        </span>
      </div>
      <ErrorSummary messages={error ? [error] : []} />
      {reading && (
        <div className="rsd-reading" role="status" data-testid="rsd-reading">
          <p>{t('rsd.reading', { version: reading.version })}</p>
          <button type="button" onClick={() => setReading(null)} data-testid="rsd-back-to-draft">
            {t('rsd.backToDraft')}
          </button>{' '}
          <button
            type="button"
            onClick={() => {
              change({ ...reading.model, key: model.key });
              setReading(null);
            }}
          >
            {t('rsd.copyToDraft')}
          </button>
        </div>
      )}
      <Settings model={shown} problems={reading ? [] : problems} change={reading ? undefined : change} />
      <ProblemList problems={reading ? [] : problems} />
      <RuleTable model={shown} problems={reading ? [] : problems} matched={matched} change={reading ? undefined : change} />
      <TryPanel
        model={shown}
        version={reading ? reading.version : 'draft'}
        beforeDraft={async () => !dirty || (await save())}
        onResult={(e: Evaluation | null) => setMatched(e ? matchedRows(shown, e.matched) : new Set())}
        onRefused={(err) => refused(err, 'rsd.tryRefused')}
      />
      <Versions ruleKey={model.key} tick={versionsTick} reading={reading?.version} read={read} />
    </section>
  );
}

/** Settings edits what the table is about: titles, category, the form it reads and its hit policy. */
function Settings({ model, problems, change }: { model: RuleSetModel; problems: PlacedProblem[]; change?: (m: RuleSetModel) => void }) {
  const { t } = useTranslation();
  const readOnly = !change;
  const set = (patch: Partial<RuleSetModel>) => change?.({ ...model, ...patch });
  const here = (target: string) => problemsAt(problems, target);
  const field = (target: string) => ({
    id: domID(target),
    'aria-invalid': here(target).length > 0 || undefined,
    'aria-describedby': here(target).length ? `${domID(target)}-problems` : undefined,
  });
  const messages = (target: string) =>
    here(target).length > 0 && (
      <ul className="rsd-cell-problems" id={`${domID(target)}-problems`}>
        {here(target).map((m, i) => (
          <li key={i}>⚠ {m}</li>
        ))}
      </ul>
    );
  return (
    <fieldset className="rsd-settings" disabled={readOnly}>
      <legend>{t('rsd.settings')}</legend>
      <div className="rsd-settings-grid">
        <label>
          {t('rsd.titleEn')}
          <input {...field('title')} value={model.title.en ?? ''} dir="ltr" name="titleEn" onChange={(e) => set({ title: { ...model.title, en: e.target.value } })} />
        </label>
        <label>
          {t('rsd.titleFa')}
          <input value={model.title.fa ?? ''} dir="rtl" name="titleFa" onChange={(e) => set({ title: { ...model.title, fa: e.target.value } })} />
        </label>
        {messages('title')}
        <label>
          {t('rsd.category')}
          <input {...field('category')} value={model.category} dir="ltr" name="category" onChange={(e) => set({ category: e.target.value })} />
        </label>
        {messages('category')}
        <label>
          {t('rsd.form')}
          <FormPicker value={model.form} onChange={(form) => set({ form })} noneLabel={t('rsd.noForm')} id={domID('form')} invalid={here('form').length > 0} describedBy={here('form').length ? `${domID('form')}-problems` : undefined} />
        </label>
        {messages('form')}
      </div>
      <fieldset className="rsd-policy" {...field('hitPolicy')}>
        <legend>{t('rsd.hitPolicy')}</legend>
        {hitPolicies.map((p) => (
          <label key={p} className="rsd-radio">
            <input type="radio" name="hitPolicy" value={p} checked={model.hitPolicy === p} onChange={() => set({ hitPolicy: p })} aria-describedby={`rsd-policy-${p}`} />
            <span>
              <strong>{t(`rsd.policy.${p}`)}</strong>:{' '}
              <span id={`rsd-policy-${p}`} className="rsd-policy-help">
                {t(`rsd.policyHelp.${p}`)}
              </span>
            </span>
          </label>
        ))}
        {messages('hitPolicy')}
      </fieldset>
    </fieldset>
  );
}

/** ProblemList lists every problem of the last save or publish; a problem on a cell focuses it when clicked. */
function ProblemList({ problems }: { problems: PlacedProblem[] }) {
  const { t } = useTranslation();
  if (!problems.length) return null;
  return (
    <section className="rsd-problems problems" aria-labelledby="rsd-problems-title" data-testid="rsd-problems">
      <h2 id="rsd-problems-title">{t('rsd.problems', { count: problems.length })}</h2>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            {p.target ? (
              <button type="button" className="link" onClick={() => focusTarget(p.target!)}>
                {p.message}
              </button>
            ) : (
              p.message
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** focusTarget moves the focus to a problem's cell and scrolls it into view (inside the table's own scrolling box too). */
function focusTarget(target: string) {
  const el = document.getElementById(domID(target));
  if (!el) return;
  el.scrollIntoView?.({ block: 'center', inline: 'center' });
  el.focus();
}

/** Versions lists the published versions, newest first; each can be read in the table. */
function Versions({ ruleKey, tick, reading, read }: { ruleKey: string; tick: number; reading?: number; read: (n: number) => void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  return (
    <VersionList
      ns="rsd"
      load={(signal) => listRuleSetVersions(ruleKey, signal)}
      deps={[ruleKey, tick]}
      item={(v) => (
        <>
          <button type="button" className="link" aria-current={reading === v.version || undefined} onClick={() => read(v.version)} data-testid={`rsd-read-${v.version}`}>
            {t('rsd.version', { version: v.version })}
          </button>
          {v.form && (
            <span className="muted">
              {' '}
              · {t('rsd.checkedAgainst', { version: formatNumber(v.form.version, lang) })} <bdi dir="ltr">{v.form.key}</bdi>
            </span>
          )}
        </>
      )}
    />
  );
}
