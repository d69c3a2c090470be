// The form designer (/design/forms/:key): a palette of field types, the
// field list (drag, or move up and down with buttons), the selected
// field's properties with live-checked expressions, a live preview in
// either language and on a phone-sized frame, the raw JSON for experts,
// and draft / publish / versions (docs/api.md "Drafts and versions").
import { Component, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import Form from '@rjsf/core';
import { Problem } from '../../api/problem';
import type { FormDefinition } from '../../api/types';
import { ErrorSummary, Loading, When, problemText } from '../../components';
import { useLanguage } from '../../i18n/useLanguage';
import { formatNumber, isRTL, localText, type Language, type Text } from '../../i18n/format';
import { useLoad } from '../../useLoad';
import { validator } from '../../portal/validator';
import { api } from '../../api/client';
import type { FragmentSchemas } from '../../portal/formSchema';
import { checkExpression, listFragments, listVersions, loadForm, publish, saveDraft, type FormHead } from './formsApi';
import { parseRawJSON, rawJSON, fieldAt, fieldTypes, fromDefinition, keyProblem, moveField, newField, pointerPath, toDefinition, updateList, type Field, type FieldPath, type FieldType, type FormModel, type Option } from './model';
import { previewForm, usedFragments } from './preview';

/** keyPattern is what a form's key must match (docs/api.md). */
export const keyPattern = /^[a-z][a-z0-9-]{1,62}$/;

/** dottedPath names the field at path as the hints and problems do: "items.qty". */
function dottedPath(fields: Field[], path: FieldPath): string {
  const keys: string[] = [];
  let at = fields;
  for (const i of path) {
    keys.push(at[i]?.key ?? '');
    at = at[i]?.fields ?? [];
  }
  return keys.join('.');
}

/** problemsByField sorts a draft's or a publish's problems by the field they point at ('' for the form). */
function problemsByField(problems: { pointer: string; message: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of problems) (out[pointerPath(p.pointer ?? '') ?? ''] ??= []).push(p.message);
  return out;
}

/** FormDesignerPage loads a form's draft and edits it. */
export function FormDesignerPage() {
  const { key = '' } = useParams();
  const { t } = useTranslation();
  const loaded = useLoad(() => loadForm(key), [key]);
  if (loaded.loading && !loaded.data) return <Loading />;
  if (!loaded.data) {
    const gone = loaded.error instanceof Problem && loaded.error.status === 404;
    return (
      <section>
        <h1>{t('formDesign.listTitle')}</h1>
        <ErrorSummary messages={[gone ? t('formDesign.notFound') : problemText(loaded.error, t)]} />
        <Link to="/design/forms">{t('formDesign.back')}</Link>
      </section>
    );
  }
  return <Designer key={key} head={loaded.data.body} etag={loaded.data.etag} />;
}

function Designer({ head: first, etag: firstEtag }: { head: FormHead; etag: string | null }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const [head, setHead] = useState(first);
  const [etag, setEtag] = useState(firstEtag);
  const [model, setModel] = useState<FormModel>(() => fromDefinition(first.draft ?? { key: first.key, title: first.title, schema: { type: 'object' } }));
  const [dirty, setDirty] = useState(false);
  const [selected, setSelected] = useState<FieldPath | null>(null);
  const [view, setView] = useState<'visual' | 'json'>('visual');
  const [problems, setProblems] = useState<Record<string, string[]>>(() => problemsByField(first.problems ?? []));
  const [messages, setMessages] = useState<string[]>([]);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const versions = useLoad((signal) => listVersions(first.key, signal), [first.key, head.latestVersion]);
  const def = useMemo(() => toDefinition(model), [model]);

  function edit(fn: (m: FormModel) => FormModel) {
    setModel((m) => fn(m));
    setDirty(true);
    setNotice('');
  }
  const editFields = (parent: FieldPath, fn: (l: Field[]) => Field[]) => edit((m) => ({ ...m, fields: updateList(m.fields, parent, fn) }));

  function addField(type: FieldType) {
    // A new field goes into the selected group or list, else at the end of the form.
    const sel = selected && fieldAt(model.fields, selected);
    const parent = sel && (sel.type === 'group' || sel.type === 'list') ? selected! : [];
    const siblings = parent.length ? (fieldAt(model.fields, parent)!.fields ?? []) : model.fields;
    const f = newField(type, siblings);
    editFields(parent, (l) => [...l, f]);
    setSelected([...parent, siblings.length]);
  }

  async function save(): Promise<FormHead | null> {
    setBusy(true);
    setMessages([]);
    try {
      const res = await saveDraft(def, etag);
      setHead(res.body);
      setEtag(res.etag);
      setDirty(false);
      setProblems(problemsByField(res.body.problems ?? []));
      setNotice(res.body.problems?.length ? t('formDesign.savedWithProblems', { count: res.body.problems.length }) : t('formDesign.saved'));
      return res.body;
    } catch (err) {
      setMessages([err instanceof Problem && err.status === 412 ? t('formDesign.conflict') : problemText(err, t)]);
      if (err instanceof Problem && err.errors.length) setProblems(problemsByField(err.errors));
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function publishDraft() {
    if (dirty && !(await save())) return;
    setBusy(true);
    setMessages([]);
    try {
      const v = await publish(head.key);
      setHead((h) => ({ ...h, latestVersion: v.version, publishedAt: v.publishedAt }));
      setProblems({});
      setNotice(t('formDesign.published', { version: formatNumber(v.version, lang) }));
    } catch (err) {
      if (err instanceof Problem && err.errors.length) {
        setProblems(problemsByField(err.errors));
        setMessages([t('formDesign.publishRefused', { count: err.errors.length })]);
      } else setMessages([problemText(err, t)]);
    } finally {
      setBusy(false);
    }
  }

  const field = selected ? fieldAt(model.fields, selected) : undefined;
  const formProblems = [...(problems[''] ?? []), ...Object.entries(problems).filter(([p]) => p && !hasField(model.fields, p)).flatMap(([p, m]) => m.map((x) => `${p}: ${x}`))];

  return (
    <section className="form-designer">
      <p>
        <Link to="/design/forms">{t('formDesign.back')}</Link>
      </p>
      <h1>
        {localText(model.title, lang) || model.key} <code dir="ltr">{model.key}</code>
      </h1>
      <p className="muted" data-testid="form-state">
        {t('formDesign.revision', { revision: formatNumber(head.revision, lang) })} ·{' '}
        {head.latestVersion ? t('formDesign.state.published', { version: formatNumber(head.latestVersion, lang) }) : t('formDesign.state.draft')}
        {dirty && <> · <strong>{t('formDesign.unsaved')}</strong></>}
      </p>
      <div className="designer-actions">
        <button type="button" onClick={save} disabled={busy} data-testid="save">{t('formDesign.save')}</button>
        <button type="button" onClick={publishDraft} disabled={busy} data-testid="publish">{t('formDesign.publish')}</button>
        <span role="tablist" aria-label={t('formDesign.views')}>
          {(['visual', 'json'] as const).map((v) => (
            <button key={v} type="button" role="tab" aria-selected={view === v} onClick={() => setView(v)} data-testid={`view-${v}`}>
              {t(`formDesign.view.${v}`)}
            </button>
          ))}
        </span>
      </div>
      <p role="status" aria-live="polite" data-testid="notice">{notice}</p>
      <ErrorSummary messages={messages} />
      {formProblems.length > 0 && (
        <div className="problems" data-testid="form-problems">
          <strong>{t('formDesign.problems')}</strong>
          <ul>{formProblems.map((m, i) => <li key={i}>{m}</li>)}</ul>
        </div>
      )}
      {view === 'json' ? (
        <JsonView def={def} onChange={(d) => edit(() => fromDefinition(d))} />
      ) : (
        <div className="designer-grid">
          <Palette onAdd={addField} />
          <FieldList
            fields={model.fields}
            selected={selected}
            problems={problems}
            onSelect={setSelected}
            onDropType={addField}
            onMove={(parent, from, to) => {
              editFields(parent, (l) => moveField(l, from, to));
              if (selected && selected.length === parent.length + 1 && parent.every((n, i) => n === selected[i]) && selected[parent.length] === from) setSelected([...parent, to]);
            }}
            onRemove={(path) => {
              editFields(path.slice(0, -1), (l) => l.filter((_, i) => i !== path[path.length - 1]));
              setSelected(null);
            }}
          />
          <div className="properties">
            <FormProperties model={model} onChange={(m) => edit(() => m)} />
            {field && selected ? (
              <FieldProperties
                key={selected.join('.')}
                field={field}
                siblings={selected.length > 1 ? (fieldAt(model.fields, selected.slice(0, -1))!.fields ?? []) : model.fields}
                index={selected[selected.length - 1]}
                // A saved draft with problems cannot be checked against (the API answers 422): check loosely.
                formKey={head.revision && !head.problems?.length ? head.key : null}
                dirty={dirty}
                problems={problems[dottedPath(model.fields, selected)] ?? []}
                onChange={(f) => editFields(selected.slice(0, -1), (l) => l.map((x, i) => (i === selected[selected.length - 1] ? f : x)))}
              />
            ) : (
              <p className="muted">{t('formDesign.selectField')}</p>
            )}
          </div>
        </div>
      )}
      <Preview def={def} />
      <h2>{t('formDesign.versions')}</h2>
      {versions.data && (
        versions.data.items.length ? (
          <ol className="versions" data-testid="versions" reversed>
            {versions.data.items.map((v) => (
              <li key={v.version}>
                {t('formDesign.version', { version: formatNumber(v.version, lang) })} · <When at={v.publishedAt} />
                {v.fragments?.length ? <> · {v.fragments.map((f) => `${f.key}@${f.version}`).join(', ')}</> : null}
              </li>
            ))}
          </ol>
        ) : (
          <p className="muted" data-testid="versions">{t('formDesign.noVersions')}</p>
        )
      )}
    </section>
  );
}

function hasField(fields: Field[], dotted: string): boolean {
  const [k, ...rest] = dotted.split('.');
  const f = fields.find((x) => x.key === k);
  return !!f && (rest.length === 0 || f.type === 'fragment' || hasField(f.fields ?? [], rest.join('.')));
}

/** The drag data a palette button carries: the field type. */
const paletteType = 'application/x-pishkhan-field';

function Palette({ onAdd }: { onAdd: (t: FieldType) => void }) {
  const { t } = useTranslation();
  return (
    <div className="palette">
      <h2 id="palette-title">{t('formDesign.palette')}</h2>
      <ul aria-labelledby="palette-title">
        {fieldTypes.map((type) => (
          <li key={type}>
            <button
              type="button"
              draggable
              onDragStart={(e) => e.dataTransfer.setData(paletteType, type)}
              onClick={() => onAdd(type)}
              data-testid={`add-${type}`}
            >
              + {t(`formDesign.type.${type}`)}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface ListProps {
  fields: Field[];
  selected: FieldPath | null;
  problems: Record<string, string[]>;
  onSelect(p: FieldPath): void;
  onMove(parent: FieldPath, from: number, to: number): void;
  onRemove(p: FieldPath): void;
  /** onDropType adds a field of a type dragged from the palette. */
  onDropType?(t: FieldType): void;
}

function FieldList(props: ListProps) {
  const { t } = useTranslation();
  return (
    <div
      className="field-list"
      onDragOver={(e) => e.dataTransfer.types.includes(paletteType) && e.preventDefault()}
      onDrop={(e) => {
        const type = e.dataTransfer.getData(paletteType) as FieldType;
        if (fieldTypes.includes(type)) {
          e.preventDefault();
          props.onDropType?.(type);
        }
      }}
    >
      <h2 id="fields-title">{t('formDesign.fields')}</h2>
      {props.fields.length === 0 && <p className="muted">{t('formDesign.noFields')}</p>}
      <FieldRows {...props} parent={[]} prefix="" />
    </div>
  );
}

function FieldRows({ fields, parent, prefix, ...props }: ListProps & { parent: FieldPath; prefix: string }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const [dragging, setDragging] = useState<number | null>(null);
  if (!fields.length) return null;
  return (
    <ol className="fields" aria-labelledby={parent.length ? undefined : 'fields-title'}>
      {fields.map((f, i) => {
        const path = [...parent, i];
        const here = props.selected?.join('.') === path.join('.');
        const name = localText(f.title, lang) || f.key;
        const problems = props.problems[prefix + f.key]?.length ?? 0;
        return (
          <li
            key={`${f.key}-${i}`}
            className={`field-row${here ? ' selected' : ''}${problems ? ' has-problems' : ''}`}
            draggable
            onDragStart={(e) => {
              e.stopPropagation();
              // Firefox starts a drag only with some data.
              e.dataTransfer.setData('text/plain', f.key);
              e.dataTransfer.effectAllowed = 'move';
              setDragging(i);
            }}
            onDragOver={(e) => dragging !== null && e.preventDefault()}
            onDrop={(e) => {
              e.stopPropagation();
              if (dragging !== null) props.onMove(parent, dragging, i);
              setDragging(null);
            }}
            data-testid={`field-${prefix}${f.key}`}
          >
            <div className="field-row-head">
              <button type="button" className="link" aria-pressed={here} onClick={() => props.onSelect(path)}>
                {name} <small className="muted">({t(`formDesign.type.${f.type}`)}{f.required ? `, ${t('formDesign.required')}` : ''})</small>
              </button>
              {problems > 0 && <span className="badge problem">{t('formDesign.problemCount', { count: problems })}</span>}
              <span className="row-tools">
                <button type="button" onClick={() => props.onMove(parent, i, i - 1)} disabled={i === 0} aria-label={t('formDesign.moveUp', { name })} data-testid="move-up">↑</button>
                <button type="button" onClick={() => props.onMove(parent, i, i + 1)} disabled={i === fields.length - 1} aria-label={t('formDesign.moveDown', { name })} data-testid="move-down">↓</button>
                <button type="button" onClick={() => props.onRemove(path)} aria-label={t('formDesign.remove', { name })}>×</button>
              </span>
            </div>
            {f.fields && <FieldRows {...props} fields={f.fields} parent={path} prefix={`${prefix}${f.key}.`} />}
          </li>
        );
      })}
    </ol>
  );
}

function TextPair({ id, label, value, onChange, multiline }: { id: string; label: string; value: Text; onChange(t: Text): void; multiline?: boolean }) {
  const { t } = useTranslation();
  const Input = multiline ? 'textarea' : 'input';
  return (
    <fieldset className="text-pair">
      <legend>{label}</legend>
      {(['en', 'fa'] as Language[]).map((l) => (
        <label key={l}>
          {t(`formDesign.lang.${l}`)}
          <Input id={`${id}-${l}`} lang={l} dir={isRTL(l) ? 'rtl' : 'ltr'} value={value[l] ?? ''} onChange={(e) => onChange({ ...value, [l]: e.target.value })} />
        </label>
      ))}
    </fieldset>
  );
}

function FormProperties({ model, onChange }: { model: FormModel; onChange(m: FormModel): void }) {
  const { t } = useTranslation();
  return (
    <details className="form-properties">
      <summary>{t('formDesign.formProperties')}</summary>
      <TextPair id="form-title" label={t('formDesign.formTitle')} value={model.title} onChange={(title) => onChange({ ...model, title })} />
      <label>
        {t('formDesign.category')}
        <input id="form-category" dir="ltr" value={model.category ?? ''} onChange={(e) => onChange({ ...model, category: e.target.value || undefined })} />
      </label>
    </details>
  );
}

/** NumberInput edits an optional number; empty is none. */
function NumberInput({ id, label, value, onChange, step }: { id: string; label: string; value?: number; onChange(n?: number): void; step?: string }) {
  return (
    <label>
      {label}
      <input id={id} type="number" step={step ?? 'any'} dir="ltr" value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))} />
    </label>
  );
}

interface FieldPropsProps {
  field: Field;
  siblings: Field[];
  index: number;
  formKey: string | null;
  dirty: boolean;
  problems: string[];
  onChange(f: Field): void;
}

function FieldProperties({ field: f, siblings, index, formKey, dirty, problems, onChange }: FieldPropsProps) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const set = (patch: Partial<Field>) => onChange({ ...f, ...patch });
  const [key, setKey] = useState(f.key);
  const keyError = keyProblem(key, siblings, index);
  const fragments = useLoad((signal) => (f.type === 'fragment' ? listFragments(signal) : Promise.resolve(null)), [f.type]);
  const texty = ['text', 'textarea', 'phone', 'email'].includes(f.type);
  const numeric = f.type === 'number' || f.type === 'integer';
  const rangeWrong = (a?: number, b?: number) => a !== undefined && b !== undefined && a > b;
  return (
    <div className="field-properties" data-testid="properties">
      <h2>{t('formDesign.properties')}</h2>
      {problems.length > 0 && (
        <div role="alert" className="error-summary" data-testid="field-problems">
          <ul>{problems.map((m, i) => <li key={i}>{m}</li>)}</ul>
        </div>
      )}
      <label>
        {t('formDesign.fieldKey')}
        <input
          id="field-key"
          dir="ltr"
          value={key}
          aria-invalid={!!keyError}
          aria-describedby="field-key-error"
          onChange={(e) => {
            setKey(e.target.value);
            if (!keyProblem(e.target.value, siblings, index)) set({ key: e.target.value });
          }}
        />
      </label>
      {keyError && <p id="field-key-error" className="field-error" role="alert">{t(`formDesign.keyError.${keyError}`)}</p>}
      <p className="muted">{t('formDesign.typeIs', { type: t(`formDesign.type.${f.type}`) })}</p>
      <TextPair id="field-title" label={t('formDesign.label')} value={f.title} onChange={(title) => set({ title })} />
      <TextPair id="field-help" label={t('formDesign.help')} value={f.help} onChange={(help) => set({ help })} multiline />
      <label className="check">
        <input id="field-required" type="checkbox" checked={f.required} onChange={(e) => set({ required: e.target.checked })} /> {t('formDesign.required')}
      </label>
      {texty && (
        <fieldset>
          <legend>{t('formDesign.validation')}</legend>
          <NumberInput id="field-minLength" label={t('formDesign.minLength')} step="1" value={f.minLength} onChange={(minLength) => set({ minLength })} />
          <NumberInput id="field-maxLength" label={t('formDesign.maxLength')} step="1" value={f.maxLength} onChange={(maxLength) => set({ maxLength })} />
          {rangeWrong(f.minLength, f.maxLength) && <p className="field-error" role="alert">{t('formDesign.rangeWrong')}</p>}
          <PatternInput value={f.pattern} onChange={(pattern) => set({ pattern })} />
        </fieldset>
      )}
      {numeric && (
        <fieldset>
          <legend>{t('formDesign.validation')}</legend>
          <NumberInput id="field-minimum" label={t('formDesign.minimum')} step={f.type === 'integer' ? '1' : 'any'} value={f.minimum} onChange={(minimum) => set({ minimum })} />
          <NumberInput id="field-maximum" label={t('formDesign.maximum')} step={f.type === 'integer' ? '1' : 'any'} value={f.maximum} onChange={(maximum) => set({ maximum })} />
          {rangeWrong(f.minimum, f.maximum) && <p className="field-error" role="alert">{t('formDesign.rangeWrong')}</p>}
        </fieldset>
      )}
      {f.options && <OptionsEditor options={f.options} onChange={(options) => set({ options })} />}
      {f.type === 'fragment' && (
        <label>
          {t('formDesign.fragment')}
          <select id="field-fragment" value={f.fragment ?? ''} onChange={(e) => set({ fragment: e.target.value })}>
            {!fragments.data?.items.some((x) => x.key === f.fragment) && <option value={f.fragment}>{f.fragment}</option>}
            {fragments.data?.items.map((x) => (
              <option key={x.key} value={x.key}>{localText(x.title, lang) || x.key}</option>
            ))}
          </select>
        </label>
      )}
      <fieldset>
        <legend>{t('formDesign.rules')}</legend>
        {dirty && formKey && <p className="muted">{t('formDesign.checkedAgainstSaved')}</p>}
        <ExpressionInput id="field-visibleWhen" label={t('formDesign.visibleWhen')} kind="boolean" formKey={formKey} value={f.visibleWhen} onChange={(visibleWhen) => set({ visibleWhen })} />
        <ExpressionInput id="field-requiredWhen" label={t('formDesign.requiredWhen')} kind="boolean" formKey={formKey} value={f.requiredWhen} onChange={(requiredWhen) => set({ requiredWhen })} />
        <ExpressionInput id="field-calculate" label={t('formDesign.calculate')} kind="any" formKey={formKey} value={f.calculate} onChange={(calculate) => set({ calculate })} />
      </fieldset>
    </div>
  );
}

function PatternInput({ value, onChange }: { value?: string; onChange(p?: string): void }) {
  const { t } = useTranslation();
  let wrong = false;
  try {
    if (value) new RegExp(value, 'u');
  } catch {
    wrong = true;
  }
  return (
    <>
      <label>
        {t('formDesign.pattern')}
        <input id="field-pattern" dir="ltr" value={value ?? ''} aria-invalid={wrong} onChange={(e) => onChange(e.target.value || undefined)} />
      </label>
      {wrong && <p className="field-error" role="alert">{t('formDesign.patternWrong')}</p>}
    </>
  );
}

function OptionsEditor({ options, onChange }: { options: Option[]; onChange(o: Option[]): void }) {
  const { t } = useTranslation();
  const at = (i: number, o: Option) => onChange(options.map((x, n) => (n === i ? o : x)));
  const values = options.map((o) => o.value);
  return (
    <fieldset className="options">
      <legend>{t('formDesign.options')}</legend>
      <ol>
        {options.map((o, i) => (
          <li key={i} className="option-row">
            <label>
              {t('formDesign.optionValue')}
              <input id={`option-${i}-value`} dir="ltr" value={o.value} aria-invalid={!o.value || values.indexOf(o.value) !== i} onChange={(e) => at(i, { ...o, value: e.target.value })} />
            </label>
            <label>
              {t('formDesign.optionLabelEn')}
              <input id={`option-${i}-en`} lang="en" dir="ltr" value={o.label.en ?? ''} onChange={(e) => at(i, { ...o, label: { ...o.label, en: e.target.value } })} />
            </label>
            <label>
              {t('formDesign.optionLabelFa')}
              <input id={`option-${i}-fa`} lang="fa" dir="rtl" value={o.label.fa ?? ''} onChange={(e) => at(i, { ...o, label: { ...o.label, fa: e.target.value } })} />
            </label>
            <button type="button" onClick={() => onChange(options.filter((_, n) => n !== i))} aria-label={t('formDesign.removeOption', { value: o.value })}>×</button>
          </li>
        ))}
      </ol>
      {values.some((v, i) => !v || values.indexOf(v) !== i) && <p className="field-error" role="alert">{t('formDesign.optionsWrong')}</p>}
      <button type="button" data-testid="add-option" onClick={() => onChange([...options, { value: `option${options.length + 1}`, label: {} }])}>
        + {t('formDesign.addOption')}
      </button>
    </fieldset>
  );
}

/**
 * ExpressionInput edits one rule and checks it as the server would at
 * publish (POST /expressions/check), once typing pauses. The verdict is
 * announced beside the input.
 */
function ExpressionInput({ id, label, kind, formKey, value, onChange }: { id: string; label: string; kind: 'boolean' | 'any'; formKey: string | null; value?: string; onChange(v?: string): void }) {
  const { t } = useTranslation();
  const [verdict, setVerdict] = useState<{ state: 'checking' | 'valid' | 'invalid' | 'failed'; message?: string; loose?: boolean } | null>(null);
  useEffect(() => {
    if (!value?.trim()) {
      setVerdict(null);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      setVerdict({ state: 'checking' });
      checkExpression(value, formKey, kind, ctl.signal).then(
        (r) => setVerdict(r.valid ? { state: 'valid', loose: r.loose } : { state: 'invalid', message: r.error?.message, loose: r.loose }),
        (err) => !ctl.signal.aborted && setVerdict({ state: 'failed', message: problemText(err, t) }),
      );
    }, 400);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [value, formKey, kind, t]);
  const bad = verdict?.state === 'invalid' || verdict?.state === 'failed';
  return (
    <div className="expression">
      <label>
        {label}
        <input id={id} dir="ltr" className="code" value={value ?? ''} aria-invalid={bad} aria-describedby={`${id}-verdict`} onChange={(e) => onChange(e.target.value || undefined)} spellCheck={false} />
      </label>
      <p id={`${id}-verdict`} className={`verdict ${verdict?.state ?? ''}`} aria-live="polite" data-testid={`${id}-verdict`} data-state={verdict?.state ?? ''}>
        {verdict?.state === 'checking' && t('formDesign.checking')}
        {verdict?.state === 'valid' && t('formDesign.valid')}
        {bad && t('formDesign.invalid', { message: verdict?.message ?? '' })}
        {verdict?.loose && verdict.state !== 'checking' && <> {t('formDesign.namesUnchecked')}</>}
      </p>
    </div>
  );
}

/** JsonView shows the definition's schema and hints as JSON; valid edits go straight into the model, invalid ones are refused with a message. */
function JsonView({ def, onChange }: { def: FormDefinition; onChange(d: FormDefinition): void }) {
  const { t } = useTranslation();
  const shown = rawJSON(def);
  const [text, setText] = useState(shown);
  const [error, setError] = useState('');
  const last = useRef(shown);
  // The model changed elsewhere (not by this text): show it.
  useEffect(() => {
    if (shown !== last.current) {
      last.current = shown;
      setText(shown);
      setError('');
    }
  }, [shown]);
  function change(s: string) {
    setText(s);
    const got = parseRawJSON(s, def);
    if (!got.def) {
      setError(got.error === 'syntax' ? t('formDesign.jsonInvalid', { message: got.message }) : t('formDesign.jsonShape'));
      return;
    }
    setError('');
    // What the model will show back: not this text itself (spacing, key order), so that it does not replace what is being typed.
    last.current = rawJSON(toDefinition(fromDefinition(got.def)));
    onChange(got.def);
  }
  return (
    <div className="json-view">
      <label htmlFor="json-text">{t('formDesign.jsonLabel')}</label>
      <textarea id="json-text" dir="ltr" spellCheck={false} rows={24} value={text} aria-invalid={!!error} aria-describedby="json-error" onChange={(e) => change(e.target.value)} />
      <p id="json-error" role="alert" className="field-error" data-testid="json-error">{error}</p>
    </div>
  );
}

/** PreviewBoundary keeps a schema rjsf cannot render (a pattern being typed, say) from taking the page down. */
class PreviewBoundary extends Component<{ children: ReactNode; message: string; schema: string }, { failed: boolean; schema: string }> {
  state = { failed: false, schema: '' };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  static getDerivedStateFromProps(p: { schema: string }, s: { failed: boolean; schema: string }) {
    return p.schema !== s.schema ? { failed: false, schema: p.schema } : null;
  }
  render() {
    return this.state.failed ? <p role="alert" className="field-error">{this.props.message}</p> : this.props.children;
  }
}

/** Preview renders the definition being edited as the portal would, in either language, on a desktop or phone-sized frame. */
function Preview({ def }: { def: FormDefinition }) {
  const { t } = useTranslation();
  const uiLang = useLanguage();
  const [lang, setLang] = useState<Language>(uiLang);
  const [phone, setPhone] = useState(false);
  const [fragments, setFragments] = useState<{ schemas: FragmentSchemas; pinned: { key: string; version: number }[] }>({ schemas: {}, pinned: [] });
  const names = [...usedFragments(def.schema)].sort().join(',');
  useEffect(() => {
    if (!names) return;
    const ctl = new AbortController();
    Promise.all(
      names.split(',').map((n) => {
        const [k, v] = n.split('@');
        return api.get<{ key: string; version: number; definition: { schema: Record<string, unknown> } }>(`/fragments/${encodeURIComponent(k)}/versions/${v ?? 'latest'}`, { signal: ctl.signal }).catch(() => null);
      }),
    ).then((got) => {
      if (ctl.signal.aborted) return;
      const schemas: FragmentSchemas = {};
      const pinned: { key: string; version: number }[] = [];
      got.forEach((f) => {
        if (!f) return;
        schemas[`${f.key}@${f.version}`] = f.definition.schema;
        pinned.push({ key: f.key, version: f.version });
      });
      setFragments({ schemas, pinned });
    });
    return () => ctl.abort();
  }, [names]);
  const { schema, ui } = useMemo(() => previewForm(def, lang, fragments.schemas, fragments.pinned), [def, lang, fragments]);
  const key = JSON.stringify(schema);
  return (
    <section className="preview" aria-labelledby="preview-title">
      <h2 id="preview-title">{t('formDesign.preview')}</h2>
      <div className="preview-tools">
        {(['en', 'fa'] as Language[]).map((l) => (
          <button key={l} type="button" aria-pressed={lang === l} onClick={() => setLang(l)} data-testid={`preview-${l}`}>
            {t(`formDesign.lang.${l}`)}
          </button>
        ))}
        <label className="check">
          <input type="checkbox" checked={phone} onChange={(e) => setPhone(e.target.checked)} data-testid="preview-phone" /> {t('formDesign.phoneFrame')}
        </label>
      </div>
      <div className={`preview-frame${phone ? ' phone' : ''}`} lang={lang} dir={isRTL(lang) ? 'rtl' : 'ltr'} data-testid="preview-frame">
        <h3>{localText(def.title, lang)}</h3>
        <PreviewBoundary message={t('formDesign.previewFailed')} schema={key}>
          <Form key={key} schema={schema} uiSchema={{ ...ui, 'ui:submitButtonOptions': { norender: true } }} validator={validator} liveValidate={false} noHtml5Validate onSubmit={() => undefined} />
        </PreviewBoundary>
      </div>
    </section>
  );
}
