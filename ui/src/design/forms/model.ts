// The form designer's model: a form as a list of fields a process owner
// edits, and its mapping to and from the definition the API stores
// (docs/api.md "Drafts and versions": a JSON Schema plus `ui` hints).
//
// The mapping must round-trip: a definition written by hand (the raw JSON
// view, the demo's forms) opens in the visual editor and is saved back
// without losing anything. So every field keeps the schema keywords and
// hints the designer does not edit (`extra`, `extraHints`), and the form
// keeps the schema's other top-level keywords (`if`/`then`, ...).
import type { FieldHints, FormDefinition } from '../../api/types';
import type { Text } from '../../i18n/format';

type Schema = Record<string, unknown>;

/** The kinds of field the palette offers. */
export const fieldTypes = [
  'text',
  'textarea',
  'number',
  'integer',
  'date',
  'email',
  'phone',
  'choice',
  'multichoice',
  'yesno',
  'file',
  'group',
  'list',
  'fragment',
] as const;

/** FieldType is one kind of field of the palette. */
export type FieldType = (typeof fieldTypes)[number];

/** Option is one answer of a choice, with its labels in both languages. */
export interface Option {
  value: string;
  label: Text;
}

/** Field is one field of a form as the designer edits it. */
export interface Field {
  key: string;
  type: FieldType;
  title: Text;
  help: Text;
  required: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  options?: Option[];
  /** The fragment a fragment field reuses: "contact" or "contact@2". */
  fragment?: string;
  visibleWhen?: string;
  requiredWhen?: string;
  calculate?: string;
  /** The fields of a group, or of each item of a list. */
  fields?: Field[];
  /** Schema keywords the designer does not edit, kept as they were. */
  extra: Schema;
  /** Hints the designer does not edit (placeholder, another widget). */
  extraHints: FieldHints;
}

/** FormModel is a whole form as the designer edits it. */
export interface FormModel {
  key: string;
  title: Text;
  category?: string;
  fields: Field[];
  /** The schema's top-level keywords other than its fields (if/then, ...). */
  extra: Schema;
  /** Hints for paths no field of the model holds (the fields of a fragment: "contact.email"), kept as they were. */
  otherHints: Record<string, FieldHints>;
}

export { optionTitles } from '../../portal/formSchema';
import { optionTitles } from '../../portal/formSchema';

/** newField is a field of the given type with a key not yet used among siblings. */
export function newField(type: FieldType, siblings: Field[]): Field {
  const base = type === 'textarea' ? 'text' : type;
  let key: string = base;
  for (let n = 2; siblings.some((f) => f.key === key); n++) key = `${base}${n}`;
  const f: Field = { key, type, title: {}, help: {}, required: false, extra: {}, extraHints: {} };
  if (type === 'choice' || type === 'multichoice') f.options = [{ value: 'a', label: { en: 'A', fa: 'الف' } }, { value: 'b', label: { en: 'B', fa: 'ب' } }];
  if (type === 'group' || type === 'list') f.fields = [];
  if (type === 'fragment') f.fragment = 'contact';
  return f;
}

// ---- model -> definition ----

/** toDefinition writes the model as the definition the API stores. */
export function toDefinition(m: FormModel): FormDefinition {
  const fields: Record<string, FieldHints> = { ...m.otherHints };
  const schema: Schema = { type: 'object', ...objectSchema(m.fields, '', fields), ...m.extra };
  const def: FormDefinition = { key: m.key, title: m.title, schema, ui: {} };
  if (m.category) def.category = m.category;
  if (m.fields.length) def.ui!.order = m.fields.map((f) => f.key);
  if (Object.keys(fields).length) def.ui!.fields = fields;
  return def;
}

function objectSchema(list: Field[], prefix: string, hints: Record<string, FieldHints>): Schema {
  const properties: Schema = {};
  for (const f of list) {
    properties[f.key] = fieldSchema(f, prefix + f.key, hints);
    const h = fieldHints(f);
    if (Object.keys(h).length) hints[prefix + f.key] = h;
  }
  const required = list.filter((f) => f.required).map((f) => f.key);
  return { properties, ...(required.length ? { required } : {}) };
}

function nonEmpty(t: Text): Text | undefined {
  const out: Text = {};
  for (const [k, v] of Object.entries(t)) if (v) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

function labelsOf(options: Option[]): Schema | undefined {
  const out: Schema = {};
  for (const o of options) {
    const label = nonEmpty(o.label);
    if (label) out[o.value] = label;
  }
  return Object.keys(out).length ? out : undefined;
}

function fieldSchema(f: Field, path: string, hints: Record<string, FieldHints>): Schema {
  const s: Schema = {};
  const lengths = () => {
    if (f.minLength !== undefined) s.minLength = f.minLength;
    if (f.maxLength !== undefined) s.maxLength = f.maxLength;
    if (f.pattern) s.pattern = f.pattern;
  };
  const range = () => {
    if (f.minimum !== undefined) s.minimum = f.minimum;
    if (f.maximum !== undefined) s.maximum = f.maximum;
  };
  const choices = (into: Schema) => {
    into.enum = (f.options ?? []).map((o) => o.value);
    const labels = labelsOf(f.options ?? []);
    if (labels) into[optionTitles] = labels;
  };
  switch (f.type) {
    case 'text':
    case 'textarea':
    case 'phone':
      s.type = 'string';
      lengths();
      break;
    case 'email':
      s.type = 'string';
      s.format = 'email';
      lengths();
      break;
    case 'date':
      s.type = 'string';
      s.format = 'date';
      break;
    case 'file':
      s.type = 'string';
      break;
    case 'number':
    case 'integer':
      s.type = f.type;
      range();
      break;
    case 'yesno':
      s.type = 'boolean';
      break;
    case 'choice':
      s.type = 'string';
      choices(s);
      break;
    case 'multichoice': {
      const items: Schema = { type: 'string' };
      choices(items);
      Object.assign(s, { type: 'array', items, uniqueItems: true });
      break;
    }
    case 'group':
      Object.assign(s, { type: 'object', ...objectSchema(f.fields ?? [], path + '.', hints) });
      break;
    case 'list':
      Object.assign(s, { type: 'array', items: { type: 'object', ...objectSchema(f.fields ?? [], path + '.', hints) } });
      break;
    case 'fragment':
      s.$ref = `fragment:${f.fragment ?? ''}`;
      break;
  }
  return { ...s, ...f.extra };
}

/** The widget each type is shown with, unless the hints ask for another. */
const widgetOf: Partial<Record<FieldType, string>> = {
  textarea: 'textarea',
  email: 'email',
  phone: 'tel',
  date: 'date',
  choice: 'select',
  multichoice: 'checkboxes',
  file: 'file',
};

function fieldHints(f: Field): FieldHints {
  const h: FieldHints = { ...f.extraHints };
  const title = nonEmpty(f.title);
  const help = nonEmpty(f.help);
  if (title) h.title = title;
  if (help) h.help = help;
  if (widgetOf[f.type] && !h.widget) h.widget = widgetOf[f.type];
  if (f.visibleWhen) h.visibleWhen = f.visibleWhen;
  if (f.requiredWhen) h.requiredWhen = f.requiredWhen;
  if (f.calculate) h.calculate = f.calculate;
  return h;
}

// ---- definition -> model ----

/** fromDefinition reads a stored definition into the model. */
export function fromDefinition(def: FormDefinition): FormModel {
  const schema = (def.schema ?? {}) as Schema;
  const hints = def.ui?.fields ?? {};
  const { type: _type, properties: _p, required: _r, ...extra } = schema;
  void _type, void _p, void _r;
  const fields = readFields(schema, '', hints);
  const order = def.ui?.order ?? [];
  // Fields the order names come first, in that order; the rest keep the schema's order.
  const rank = (f: Field) => (order.includes(f.key) ? order.indexOf(f.key) : order.length);
  fields.sort((a, b) => rank(a) - rank(b));
  const used = new Set<string>();
  const walk = (list: Field[], prefix: string) => list.forEach((f) => (used.add(prefix + f.key), walk(f.fields ?? [], prefix + f.key + '.')));
  walk(fields, '');
  const otherHints = Object.fromEntries(Object.entries(hints).filter(([path]) => !used.has(path)));
  const m: FormModel = { key: def.key, title: def.title ?? {}, fields, extra, otherHints };
  if (def.category) m.category = def.category;
  return m;
}

function readFields(obj: Schema, prefix: string, hints: Record<string, FieldHints>): Field[] {
  const props = (obj.properties ?? {}) as Record<string, Schema>;
  const required = new Set((obj.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([key, s]) => readField(key, s ?? {}, required.has(key), prefix + key, hints));
}

function readOptions(s: Schema): Option[] {
  const labels = (s[optionTitles] ?? {}) as Record<string, Text>;
  return ((s.enum as unknown[]) ?? []).map((v) => ({ value: String(v), label: { ...(labels[String(v)] ?? {}) } }));
}

/** typeOf tells the field type a property's schema and widget make. */
export function typeOf(s: Schema, widget?: string): FieldType {
  if (typeof s.$ref === 'string' && s.$ref.startsWith('fragment:')) return 'fragment';
  const items = (s.items ?? {}) as Schema;
  switch (s.type) {
    case 'number':
    case 'integer':
      return s.type;
    case 'boolean':
      return 'yesno';
    case 'object':
      return 'group';
    case 'array':
      return items.type === 'object' ? 'list' : 'multichoice';
  }
  if (s.enum) return 'choice';
  if (s.format === 'date') return 'date';
  if (s.format === 'email') return 'email';
  if (widget === 'file') return 'file';
  if (widget === 'tel') return 'phone';
  if (widget === 'textarea') return 'textarea';
  return 'text';
}

function readField(key: string, s: Schema, required: boolean, path: string, hints: Record<string, FieldHints>): Field {
  const h = { ...(hints[path] ?? {}) };
  const type = typeOf(s, h.widget);
  const f: Field = { key, type, title: { ...(h.title ?? {}) }, help: { ...(h.help ?? {}) }, required, extra: {}, extraHints: {} };
  // Keywords a type does not own stay in extra (a date's maxLength, say), so they round-trip.
  const ownedBy: Record<FieldType, string[]> = {
    text: ['type', 'minLength', 'maxLength', 'pattern'],
    textarea: ['type', 'minLength', 'maxLength', 'pattern'],
    phone: ['type', 'minLength', 'maxLength', 'pattern'],
    email: ['type', 'format', 'minLength', 'maxLength', 'pattern'],
    date: ['type', 'format'],
    file: ['type'],
    number: ['type', 'minimum', 'maximum'],
    integer: ['type', 'minimum', 'maximum'],
    yesno: ['type'],
    choice: ['type', 'enum', optionTitles],
    multichoice: ['type', 'items', 'uniqueItems'],
    group: ['type', 'properties', 'required'],
    list: ['type', 'items'],
    fragment: ['$ref'],
  };
  const keep = new Set(ownedBy[type]);
  if (type === 'multichoice' && !isPlainChoiceItems(s)) keep.delete('items');
  if (type === 'multichoice' && s.uniqueItems !== true) keep.delete('uniqueItems');
  if (type === 'list' && !isPlainObjectItems(s)) keep.delete('items');
  for (const [k, v] of Object.entries(s)) if (!keep.has(k)) f.extra[k] = v;
  if (typeof s.minLength === 'number' && keep.has('minLength')) f.minLength = s.minLength;
  if (typeof s.maxLength === 'number' && keep.has('maxLength')) f.maxLength = s.maxLength;
  if (typeof s.pattern === 'string' && keep.has('pattern')) f.pattern = s.pattern;
  if (typeof s.minimum === 'number' && keep.has('minimum')) f.minimum = s.minimum;
  if (typeof s.maximum === 'number' && keep.has('maximum')) f.maximum = s.maximum;
  if (type === 'choice') f.options = readOptions(s);
  if (type === 'multichoice') f.options = keep.has('items') ? readOptions(s.items as Schema) : [];
  if (type === 'group') f.fields = readFields(s, path + '.', hints);
  if (type === 'list') f.fields = keep.has('items') ? readFields(s.items as Schema, path + '.', hints) : [];
  if (type === 'fragment') f.fragment = (s.$ref as string).slice('fragment:'.length);
  // Hints the designer edits move into the field; the rest stay.
  if (h.visibleWhen) f.visibleWhen = h.visibleWhen;
  if (h.requiredWhen) f.requiredWhen = h.requiredWhen;
  if (h.calculate) f.calculate = h.calculate;
  delete h.title, delete h.help, delete h.visibleWhen, delete h.requiredWhen, delete h.calculate;
  if (h.widget && h.widget === widgetOf[type]) delete h.widget;
  f.extraHints = h;
  return f;
}

function isPlainChoiceItems(s: Schema): boolean {
  const items = s.items as Schema | undefined;
  return !!items && Object.keys(items).every((k) => ['type', 'enum', optionTitles].includes(k)) && items.type === 'string' && Array.isArray(items.enum);
}

function isPlainObjectItems(s: Schema): boolean {
  const items = s.items as Schema | undefined;
  return !!items && Object.keys(items).every((k) => ['type', 'properties', 'required'].includes(k));
}

// ---- editing ----

/** moveField answers the list with the field at `from` moved to `to`. */
export function moveField(list: Field[], from: number, to: number): Field[] {
  if (from === to || from < 0 || to < 0 || from >= list.length || to >= list.length) return list;
  const out = [...list];
  const [f] = out.splice(from, 1);
  out.splice(to, 0, f);
  return out;
}

/** A field's place in the model: indexes from the top level down through groups and lists. */
export type FieldPath = number[];

/** fieldAt answers the field a path names, if any. */
export function fieldAt(list: Field[], path: FieldPath): Field | undefined {
  let f: Field | undefined;
  let at = list;
  for (const i of path) {
    f = at[i];
    if (!f) return undefined;
    at = f.fields ?? [];
  }
  return f;
}

/** updateList answers the model's fields with the list a path names (the top level for []) replaced by fn's result. */
export function updateList(list: Field[], parent: FieldPath, fn: (l: Field[]) => Field[]): Field[] {
  if (!parent.length) return fn(list);
  const [i, ...rest] = parent;
  return list.map((f, n) => (n === i ? { ...f, fields: updateList(f.fields ?? [], rest, fn) } : f));
}

/** keyProblem tells what is wrong with a field's key among its siblings, or null. */
export function keyProblem(key: string, siblings: Field[], self: number): 'empty' | 'invalid' | 'taken' | null {
  if (!key) return 'empty';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return 'invalid';
  if (siblings.some((f, i) => i !== self && f.key === key)) return 'taken';
  return null;
}

/** pointerPath turns a definition pointer (/schema/properties/a/properties/b/...) into the field's dotted path ("a.b"), or null. */
export function pointerPath(pointer: string): string | null {
  const segs = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (segs[0] === 'ui' && segs[1] === 'fields' && segs[2]) return segs[2];
  if (segs[0] !== 'schema') return null;
  const out: string[] = [];
  for (let i = 1; i < segs.length; i++) {
    if (segs[i] === 'properties' && segs[i + 1] !== undefined) {
      out.push(segs[++i]);
    } else if (segs[i] !== 'items') break;
  }
  return out.length ? out.join('.') : null;
}

/** RawJSON is what the raw JSON view parsed: the definition with its schema and hints replaced, or why it was refused. */
export type RawJSON = { def: FormDefinition; error?: undefined } | { def?: undefined; error: 'syntax' | 'shape'; message?: string };

/**
 * parseRawJSON reads the raw JSON view's text ({"schema": {...}, "ui":
 * {...}}) into def. Text that is not JSON, or not that shape, is refused
 * and def stays as it was.
 */
export function parseRawJSON(text: string, def: FormDefinition): RawJSON {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { error: 'syntax', message: (err as Error).message };
  }
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(parsed) || !isObject(parsed.schema) || (parsed.ui !== undefined && !isObject(parsed.ui))) return { error: 'shape' };
  return { def: { ...def, schema: parsed.schema, ui: (parsed.ui ?? {}) as FormDefinition['ui'] } };
}

/** rawJSON is the raw JSON view's text for def. */
export const rawJSON = (def: FormDefinition) => JSON.stringify({ schema: def.schema, ui: def.ui ?? {} }, null, 2);
