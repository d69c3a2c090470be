// The properties panel: one form per node kind and one per edge, with the
// pickers (groups, forms, rule sets) and the live check of conditions.
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../useLoad';
import { useLanguage } from '../../i18n/useLanguage';
import { checkExpression, listOf, titleOf, type CheckResult, type Named } from './api';
import {
  connect,
  edgeName,
  kindFields,
  moveEdge,
  nodeLabel,
  outcomesOf,
  removeEdge,
  removeNode,
  updateEdge,
  updateNode,
  type DefinitionProblem,
  type Workflow,
  type WorkflowEdge,
  type WorkflowNode,
} from './model';
import type { Selection } from './WorkflowDesignerPage';

/** The lists the panel picks from; forbidden when the caller may not read one (a text box is offered instead). */
export interface Pickers {
  groups: { items: Named[]; forbidden: boolean } | undefined;
  forms: { items: Named[]; forbidden: boolean } | undefined;
  rules: { items: Named[]; forbidden: boolean } | undefined;
}

/** usePickers loads the groups, forms and rule sets once for the page. */
export function usePickers(): Pickers {
  const groups = useLoad((s) => listOf('/groups', s), []);
  const forms = useLoad((s) => listOf('/forms', s), []);
  const rules = useLoad((s) => listOf('/rules', s), []);
  return { groups: groups.data, forms: forms.data, rules: rules.data };
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label>
      {label}
      {children}
    </label>
  );
}

function ProblemsHere({ problems, id }: { problems: DefinitionProblem[]; id: string }) {
  const { t } = useTranslation();
  if (!problems.length) return null;
  return (
    <div role="alert" className="error-summary" id={id} data-testid="wfd-panel-problems">
      <strong>{t('wfd.problems', { count: problems.length })}</strong>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>{p.message}</li>
        ))}
      </ul>
    </div>
  );
}

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** NodePanel edits one node: id, titles and the fields of its kind; it also connects the node onwards and deletes it. */
export function NodePanel(props: {
  wf: Workflow;
  index: number;
  problems: DefinitionProblem[];
  pickers: Pickers;
  change: (wf: Workflow) => void;
  rename: (oldID: string, newID: string) => void;
  select: (s: Selection) => void;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const { wf, index, pickers } = props;
  const node = wf.nodes[index];
  const [id, setID] = useState(node.id);
  const [to, setTo] = useState('');
  const fields = kindFields[node.kind];
  const has = (f: string) => fields.includes(f);
  const set = (patch: Partial<WorkflowNode>) => props.change(updateNode(wf, node.id, { ...node, ...patch }));
  const commitID = () => {
    const next = id.trim();
    if (!next || next === node.id || wf.nodes.some((n) => n.id === next)) {
      setID(node.id);
      return;
    }
    props.change(updateNode(wf, node.id, { ...node, id: next }));
    props.rename(node.id, next);
  };
  const out = wf.edges.map((e, i) => ({ e, i })).filter(({ e }) => e.from === node.id);
  /** plain is a text field of the node kept as typed (an expression, a duration, a status). */
  const plain = (field: 'outcome' | 'assignee' | 'approvers' | 'status' | 'priority' | 'due' | 'duration' | 'until' | 'message' | 'timeout', label: string) => (
    <Field label={t(`wfd.${label}`)}>
      <input value={node[field] ?? ''} dir="ltr" name={field} onChange={(e) => set({ [field]: e.target.value })} />
    </Field>
  );

  return (
    <section className="wfd-panel" aria-labelledby="wfd-panel-title" data-testid="wfd-node-panel">
      <h2 id="wfd-panel-title">
        {t(`wfd.kind.${node.kind}`)}: {nodeLabel(node, lang)}
      </h2>
      <ProblemsHere problems={props.problems} id="wfd-node-problems" />
      <Field label={t('wfd.id')}>
        <input value={id} dir="ltr" name="id" onChange={(e) => setID(e.target.value)} onBlur={commitID} onKeyDown={(e) => e.key === 'Enter' && commitID()} />
      </Field>
      {node.kind !== 'start' && (
        <>
          <Field label={t('wfd.titleEn')}>
            <input value={node.title?.en ?? ''} dir="ltr" name="titleEn" onChange={(e) => set({ title: { ...node.title, en: e.target.value } })} />
          </Field>
          <Field label={t('wfd.titleFa')}>
            <input value={node.title?.fa ?? ''} dir="rtl" name="titleFa" onChange={(e) => set({ title: { ...node.title, fa: e.target.value } })} />
          </Field>
        </>
      )}
      {has('outcome') && plain('outcome', 'endOutcome')}
      {has('groups') && <GroupPicker value={node.groups ?? []} pickers={pickers} onChange={(groups) => set({ groups })} />}
      {has('assignee') && plain('assignee', 'assignee')}
      {has('approvers') && plain('approvers', 'approvers')}
      {has('mode') && (
        <Field label={t('wfd.mode')}>
          <select value={node.mode ?? ''} name="mode" onChange={(e) => set({ mode: e.target.value })}>
            <option value="">{t('wfd.modes.any')}</option>
            {['all', 'quorum', 'sequence'].map((m) => (
              <option key={m} value={m}>
                {t(`wfd.modes.${m}`)}
              </option>
            ))}
          </select>
        </Field>
      )}
      {has('quorum') && node.mode === 'quorum' && (
        <Field label={t('wfd.quorum')}>
          <input type="number" min={1} value={node.quorum ?? ''} name="quorum" onChange={(e) => set({ quorum: Number(e.target.value) || undefined })} />
        </Field>
      )}
      {has('ruleSet') && (
        <Field label={t('wfd.ruleSet')}>
          <Picker value={node.ruleSet ?? ''} name="ruleSet" options={pickers.rules} onChange={(ruleSet) => set({ ruleSet })} />
        </Field>
      )}
      {has('outcomes') && (
        <Field label={t('wfd.outcomes')}>
          <input value={(node.outcomes ?? []).join(', ')} dir="ltr" name="outcomes" aria-describedby="wfd-outcomes-help" onChange={(e) => set({ outcomes: list(e.target.value) })} />
          <small id="wfd-outcomes-help" className="muted">
            {t('wfd.outcomesHelp')}
          </small>
        </Field>
      )}
      {has('due') && (
        <Field label={t('wfd.due')}>
          <input value={node.due ?? ''} dir="ltr" name="due" placeholder="4h, 2d" onChange={(e) => set({ due: e.target.value })} />
        </Field>
      )}
      {has('escalateTo') && (
        <Field label={t('wfd.escalateTo')}>
          <Picker value={node.escalateTo ?? ''} name="escalateTo" options={pickers.groups} onChange={(escalateTo) => set({ escalateTo })} />
        </Field>
      )}
      {has('status') && plain('status', 'status')}
      {has('priority') && plain('priority', 'priority')}
      {has('notify') && (
        <fieldset>
          <legend>{t('wfd.notify')}</legend>
          <Field label={t('wfd.notifyTo')}>
            <input value={node.notify?.to ?? ''} dir="ltr" name="notifyTo" onChange={(e) => set({ notify: { subject: {}, ...node.notify, to: e.target.value } })} />
          </Field>
          <Field label={t('wfd.notifySubjectEn')}>
            <input value={node.notify?.subject?.en ?? ''} dir="ltr" name="notifySubjectEn" onChange={(e) => set({ notify: { to: '', ...node.notify, subject: { ...node.notify?.subject, en: e.target.value } } })} />
          </Field>
          <Field label={t('wfd.notifySubjectFa')}>
            <input value={node.notify?.subject?.fa ?? ''} dir="rtl" name="notifySubjectFa" onChange={(e) => set({ notify: { to: '', ...node.notify, subject: { ...node.notify?.subject, fa: e.target.value } } })} />
          </Field>
        </fieldset>
      )}
      {has('webhook') && (
        <Field label={t('wfd.webhook')}>
          <input type="url" value={node.webhook?.url ?? ''} dir="ltr" name="webhook" onChange={(e) => set({ webhook: e.target.value ? { ...node.webhook, url: e.target.value } : undefined })} />
        </Field>
      )}
      {has('duration') && (
        <>
          {plain('duration', 'duration')}
          {plain('until', 'until')}
          {plain('message', 'message')}
          {plain('timeout', 'timeout')}
        </>
      )}
      {has('form') && <TaskFormField value={node.form} onChange={(form) => set({ form })} />}

      <h3>{t('wfd.leaving')}</h3>
      <ul>
        {out.map(({ e, i }) => (
          <li key={i}>
            <button type="button" className="link" onClick={() => props.select({ edge: i })}>
              → {e.to} {e.outcome || (e.default ? t('wfd.default') : e.condition) || ''}
            </button>
          </li>
        ))}
      </ul>
      {node.kind !== 'end' && (
        <div className="wfd-row">
          <Field label={t('wfd.connectTo')}>
            <select value={to} name="connectTo" onChange={(e) => setTo(e.target.value)}>
              <option value="">{t('wfd.choose')}</option>
              {wf.nodes
                .filter((n) => n.id !== node.id && n.kind !== 'start')
                .map((n) => (
                  <option key={n.id} value={n.id}>
                    {nodeLabel(n, lang)} ({n.id})
                  </option>
                ))}
            </select>
          </Field>
          <button
            type="button"
            disabled={!to}
            data-testid="wfd-connect"
            onClick={() => {
              const next = connect(wf, node.id, to);
              props.change(next);
              props.select({ edge: next.edges.length - 1 });
            }}
          >
            {t('wfd.connect')}
          </button>
        </div>
      )}
      <p>
        <button
          type="button"
          className="danger"
          onClick={() => {
            props.change(removeNode(wf, node.id));
            props.select(null);
          }}
        >
          {t('wfd.deleteNode')}
        </button>
      </p>
    </section>
  );
}

/** GroupPicker picks the task's queues from GET /groups, or takes them typed when the list may not be read. */
function GroupPicker({ value, pickers, onChange }: { value: string[]; pickers: Pickers; onChange: (v: string[]) => void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const groups = pickers.groups;
  if (!groups || groups.forbidden) {
    return (
      <Field label={t('wfd.groups')}>
        <input value={value.join(', ')} dir="ltr" name="groups" aria-describedby="wfd-groups-help" onChange={(e) => onChange(list(e.target.value))} />
        <small id="wfd-groups-help" className="muted">
          {t('wfd.groupsTyped')}
        </small>
      </Field>
    );
  }
  return (
    <fieldset>
      <legend>{t('wfd.groups')}</legend>
      {groups.items.map((g) => (
        <label key={g.key} className="wfd-checkbox">
          <input type="checkbox" checked={value.includes(g.key)} onChange={(e) => onChange(e.target.checked ? [...value, g.key] : value.filter((x) => x !== g.key))} />
          {titleOf(g, lang)}
        </label>
      ))}
    </fieldset>
  );
}

/** Picker is a select over a loaded list, or a text box when the list may not be read. */
function Picker({ value, name, options, onChange }: { value: string; name: string; options: Pickers['forms']; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  if (!options || options.forbidden) return <input value={value} dir="ltr" name={name} onChange={(e) => onChange(e.target.value)} />;
  return (
    <select value={value} name={name} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t('wfd.none')}</option>
      {value && !options.items.some((o) => o.key === value) && <option value={value}>{value}</option>}
      {options.items.map((o) => (
        <option key={o.key} value={o.key}>
          {titleOf(o, lang)}
        </option>
      ))}
    </select>
  );
}

/** EdgePanel edits one edge: where it goes, the outcome or condition that takes it, its order among its siblings. */
export function EdgePanel(props: { wf: Workflow; index: number; problems: DefinitionProblem[]; change: (wf: Workflow) => void; select: (s: Selection) => void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const { wf, index } = props;
  const edge = wf.edges[index];
  const source = wf.nodes.find((n) => n.id === edge.from);
  const outcomes = outcomesOf(source);
  const set = (patch: Partial<WorkflowEdge>) => props.change(updateEdge(wf, index, { ...edge, ...patch }));
  const isDecision = source?.kind === 'decision';
  return (
    <section className="wfd-panel" aria-labelledby="wfd-edge-title" data-testid="wfd-edge-panel">
      <h2 id="wfd-edge-title">
        {t('wfd.edge')}: <bdi dir="ltr">{edgeName(edge)}</bdi>
      </h2>
      <ProblemsHere problems={props.problems} id="wfd-edge-problems" />
      <Field label={t('wfd.edgeID')}>
        <input value={edge.id ?? ''} dir="ltr" name="edgeID" onChange={(e) => set({ id: e.target.value })} />
      </Field>
      {(['from', 'to'] as const).map((end) => (
        <Field key={end} label={t(`wfd.${end}`)}>
          <select value={edge[end]} name={end} onChange={(e) => set({ [end]: e.target.value })}>
            {wf.nodes.map((n) => (
              <option key={n.id} value={n.id}>
                {nodeLabel(n, lang)} ({n.id})
              </option>
            ))}
          </select>
        </Field>
      ))}
      {outcomes.length > 0 && (
        <Field label={t('wfd.outcome')}>
          <select value={edge.outcome ?? ''} name="outcome" onChange={(e) => set({ outcome: e.target.value })}>
            <option value="">{t('wfd.none')}</option>
            {outcomes.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </Field>
      )}
      {isDecision && (
        <>
          <label className="wfd-checkbox">
            <input type="checkbox" checked={!!edge.default} name="default" onChange={(e) => set({ default: e.target.checked, condition: e.target.checked ? '' : edge.condition })} />
            {t('wfd.default')}
          </label>
          {!edge.default && <ConditionField value={edge.condition ?? ''} form={wf.form} onChange={(condition) => set({ condition })} />}
        </>
      )}
      <div className="wfd-row">
        <button type="button" onClick={() => { props.change(moveEdge(wf, index, -1)); props.select({ edge: index - 1 }); }} disabled={index === 0}>
          {t('wfd.moveUp')}
        </button>
        <button type="button" onClick={() => { props.change(moveEdge(wf, index, 1)); props.select({ edge: index + 1 }); }} disabled={index === wf.edges.length - 1}>
          {t('wfd.moveDown')}
        </button>
        <button type="button" className="danger" onClick={() => { props.change(removeEdge(wf, index)); props.select(null); }}>
          {t('wfd.deleteEdge')}
        </button>
      </div>
    </section>
  );
}

/** The time a condition is left alone before it is checked: a check per pause, not per key. */
export const checkDelay = 400;

/** ConditionField edits a decision's condition and says, as one types, whether it compiles against the workflow's form. */
function ConditionField({ value, form, onChange }: { value: string; form: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const [verdict, setVerdict] = useState<CheckResult | 'checking' | null>(null);
  useEffect(() => {
    if (!value.trim()) {
      setVerdict(null);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      setVerdict('checking');
      checkExpression(value, form, ctl.signal).then(
        (r) => !ctl.signal.aborted && setVerdict(r),
        (err) => !ctl.signal.aborted && setVerdict({ valid: false, error: { message: (err as Error).message } }),
      );
    }, checkDelay);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [value, form]);
  const invalid = verdict !== null && verdict !== 'checking' && !verdict.valid;
  return (
    <label>
      {t('wfd.condition')}
      <textarea value={value} dir="ltr" name="condition" rows={2} aria-invalid={invalid || undefined} aria-describedby="wfd-check" onChange={(e) => onChange(e.target.value)} />
      <span id="wfd-check" role="status" aria-live="polite" data-testid="wfd-check" className={invalid ? 'wfd-check-bad' : 'wfd-check-ok'}>
        {verdict === 'checking' && t('wfd.checking')}
        {verdict !== null && verdict !== 'checking' && (verdict.valid ? `✓ ${t('wfd.conditionOK')}` : `✗ ${verdict.error?.message ?? ''}`)}
      </span>
    </label>
  );
}

/** WorkflowPanel edits the workflow itself (titles, category, the form whose requests it runs) when no node or edge is selected. */
export function WorkflowPanel({ wf, pickers, change }: { wf: Workflow; pickers: Pickers; change: (wf: Workflow) => void }) {
  const { t } = useTranslation();
  return (
    <section className="wfd-panel" aria-labelledby="wfd-wf-title" data-testid="wfd-workflow-panel">
      <h2 id="wfd-wf-title">{t('wfd.workflow')}</h2>
      <p className="muted">{t('wfd.selectHelp')}</p>
      <Field label={t('wfd.titleEn')}>
        <input value={wf.title.en ?? ''} dir="ltr" name="wfTitleEn" onChange={(e) => change({ ...wf, title: { ...wf.title, en: e.target.value } })} />
      </Field>
      <Field label={t('wfd.titleFa')}>
        <input value={wf.title.fa ?? ''} dir="rtl" name="wfTitleFa" onChange={(e) => change({ ...wf, title: { ...wf.title, fa: e.target.value } })} />
      </Field>
      <Field label={t('wfd.category')}>
        <input value={wf.category ?? ''} dir="ltr" name="wfCategory" onChange={(e) => change({ ...wf, category: e.target.value })} />
      </Field>
      <Field label={t('wfd.form')}>
        <Picker value={wf.form} name="wfForm" options={pickers.forms} onChange={(form) => change({ ...wf, form })} />
      </Field>
    </section>
  );
}

/** TaskFormField edits a task's own form, a JSON Schema, as JSON: kept only once it parses to an object, so a half-typed schema never reaches the draft. */
function TaskFormField({ value, onChange }: { value: unknown; onChange: (v: unknown) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(value ? JSON.stringify(value, null, 2) : '');
  const [bad, setBad] = useState('');
  function edit(next: string) {
    setText(next);
    if (!next.trim()) {
      setBad('');
      onChange(undefined);
      return;
    }
    try {
      const parsed = JSON.parse(next);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(t('wfd.taskFormObject'));
      setBad('');
      onChange(parsed);
    } catch (err) {
      setBad((err as Error).message);
    }
  }
  return (
    <label>
      {t('wfd.taskForm')}
      <textarea value={text} dir="ltr" name="taskForm" rows={4} spellCheck={false} aria-invalid={bad ? true : undefined} aria-describedby="wfd-task-form-help" onChange={(e) => edit(e.target.value)} />
      <small id="wfd-task-form-help" role={bad ? 'alert' : undefined} className={bad ? 'wfd-check-bad' : 'muted'}>
        {bad ? t('wfd.taskFormBad', { error: bad }) : t('wfd.taskFormHelp')}
      </small>
    </label>
  );
}
