// The decision-table editor's model: the rule set JSON the API stores
// (docs/rules.md, "Rule sets (decision tables)"), the table the editor
// shows (columns and rows with ids of their own, so that a problem or a
// highlight stays on its cell when rows move), the edits the editor
// offers, and where the API's problem pointers and an evaluation's matched
// rows belong. Nothing here touches React or the network, so all of it is
// tested in model.test.ts.
import type { Text } from '../../i18n/format';

/** The hit policies of docs/rules.md, in the order the editor offers them. */
export const hitPolicies = ['first', 'unique', 'collect'] as const;

/** The types an output may have. */
export const outputTypes = ['string', 'number', 'boolean', 'list'] as const;

/** One row of the stored table. */
export interface RuleSetRow {
  when: string[];
  then: Record<string, unknown>;
  note?: string;
}

/** RuleSetDefinition is the rule set PUT as a draft and published. */
export interface RuleSetDefinition {
  key: string;
  title?: Text;
  category?: string;
  form?: string;
  hitPolicy?: string;
  inputs: { name: string; expr: string }[];
  outputs: { name: string; type: string }[];
  rows: RuleSetRow[];
}

/** InputColumn is an input as the editor holds it. */
export interface InputColumn {
  id: string;
  name: string;
  expr: string;
}

/** OutputColumn is an output as the editor holds it; type stays as read, even one the server will refuse. */
export interface OutputColumn {
  id: string;
  name: string;
  type: string;
}

/**
 * RuleRow is a row as the editor holds it: one text per input (`when`)
 * and per output (`then`, as typed; empty gives no value), a note, and
 * what the columns do not cover (cells beyond the inputs, values of
 * outputs that do not exist), kept so that saving loses nothing and the
 * server can name the mistake.
 */
export interface RuleRow {
  id: string;
  when: string[];
  then: string[];
  note: string;
  extraWhen: string[];
  extraThen: Record<string, unknown>;
}

/** RuleSetModel is the table being edited. */
export interface RuleSetModel {
  key: string;
  title: Text;
  category: string;
  form: string;
  hitPolicy: string;
  inputs: InputColumn[];
  outputs: OutputColumn[];
  rows: RuleRow[];
}

let seq = 0;
/** nextID gives a column or row an id of its own for the page's life. */
const nextID = (prefix: string) => `${prefix}${++seq}`;

/** thenText shows a stored output value as the text of its cell. */
export function thenText(value: unknown, type: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (type === 'list' && Array.isArray(value) && value.every((v) => typeof v === 'string' && !v.includes(','))) return value.map((v) => v.trim()).join(', ');
  return JSON.stringify(value);
}

/**
 * thenValue is the value a cell's text stores under its output's type. Text
 * that does not fit the type (a word in a number column) is stored as it
 * is, so nothing typed is lost and the server's problem lands on the cell.
 */
export function thenValue(text: string, type: string): unknown {
  const s = text.trim();
  switch (type) {
    case 'number': {
      const n = Number(s);
      return s !== '' && Number.isFinite(n) ? n : text;
    }
    case 'boolean':
      return s === 'true' ? true : s === 'false' ? false : text;
    case 'list':
      if (s.startsWith('[')) {
        try {
          return JSON.parse(s);
        } catch {
          return text;
        }
      }
      return s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    default:
      return text;
  }
}

/** fromDefinition reads a stored rule set (a draft or a version's definition) into the editor's model. */
export function fromDefinition(body: unknown, key: string): RuleSetModel {
  const d = (body && typeof body === 'object' ? body : {}) as Partial<RuleSetDefinition>;
  const inputs: InputColumn[] = (d.inputs ?? []).map((c) => ({ id: nextID('i'), name: c.name ?? '', expr: c.expr ?? '' }));
  const outputs: OutputColumn[] = (d.outputs ?? []).map((c) => ({ id: nextID('o'), name: c.name ?? '', type: c.type ?? 'string' }));
  const rows: RuleRow[] = (d.rows ?? []).map((r) => {
    const when = r.when ?? [];
    const then = r.then ?? {};
    const known = new Set(outputs.map((o) => o.name));
    return {
      id: nextID('r'),
      when: inputs.map((_, i) => when[i] ?? ''),
      then: outputs.map((o) => thenText(then[o.name], o.type)),
      note: r.note ?? '',
      extraWhen: when.slice(inputs.length),
      extraThen: Object.fromEntries(Object.entries(then).filter(([k]) => !known.has(k))),
    };
  });
  return {
    key: d.key || key,
    title: { ...(d.title ?? {}) },
    category: d.category ?? '',
    form: d.form ?? '',
    hitPolicy: d.hitPolicy || 'first',
    inputs,
    outputs,
    rows,
  };
}

/** toDefinition is the JSON the editor saves: empty optional fields and empty output cells are left out. */
export function toDefinition(m: RuleSetModel): RuleSetDefinition {
  const title: Text = {};
  for (const [lang, s] of Object.entries(m.title)) if (s) title[lang] = s;
  const def: RuleSetDefinition = {
    key: m.key,
    title,
    ...(m.category ? { category: m.category } : {}),
    ...(m.form ? { form: m.form } : {}),
    hitPolicy: m.hitPolicy,
    inputs: m.inputs.map((c) => ({ name: c.name, expr: c.expr })),
    outputs: m.outputs.map((c) => ({ name: c.name, type: c.type })),
    rows: m.rows.map((r) => {
      const then: Record<string, unknown> = { ...r.extraThen };
      m.outputs.forEach((o, i) => {
        if (r.then[i]?.trim()) then[o.name] = thenValue(r.then[i], o.type);
      });
      return { when: [...r.when, ...r.extraWhen], then, ...(r.note ? { note: r.note } : {}) };
    }),
  };
  return def;
}

/** starter is a new rule set's first draft: no columns and no rows yet. */
export function starter(head: { key: string; title: Text; category: string; form: string }): RuleSetDefinition {
  return toDefinition({ ...head, hitPolicy: 'first', inputs: [], outputs: [], rows: [] });
}

/** freeName is base, or base followed by the first number no column uses yet. */
function freeName(base: string, taken: string[]): string {
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base}${n}`)) return `${base}${n}`;
}

/** The two kinds of columns, each with the part of a row that holds its cells. */
const parts = { inputs: 'when', outputs: 'then' } as const;
type Columns = keyof typeof parts;

/** withColumn adds col at the end of a kind of columns, with an empty cell in every row (a `when` that matches anything, a `then` that gives nothing). */
function withColumn<K extends Columns>(m: RuleSetModel, kind: K, col: RuleSetModel[K][number]): RuleSetModel {
  const part = parts[kind];
  return { ...m, [kind]: [...m[kind], col], rows: m.rows.map((r) => ({ ...r, [part]: [...r[part], ''] })) };
}

/** withoutColumn removes a column and its cell in every row. */
function withoutColumn(m: RuleSetModel, kind: Columns, id: string): RuleSetModel {
  const i = m[kind].findIndex((c) => c.id === id);
  if (i < 0) return m;
  const part = parts[kind];
  return { ...m, [kind]: m[kind].filter((c) => c.id !== id), rows: m.rows.map((r) => ({ ...r, [part]: r[part].filter((_, j) => j !== i) })) };
}

/** addInput adds an input column at the end; every row gets an empty cell, which matches anything. */
export function addInput(m: RuleSetModel, name = 'input', expr = ''): RuleSetModel {
  return withColumn(m, 'inputs', { id: nextID('i'), name: freeName(name, m.inputs.map((c) => c.name)), expr });
}

/** removeInput removes an input column and its cell in every row. */
export const removeInput = (m: RuleSetModel, id: string) => withoutColumn(m, 'inputs', id);

/** updateInput changes an input's name or expression. */
export function updateInput(m: RuleSetModel, id: string, patch: Partial<Omit<InputColumn, 'id'>>): RuleSetModel {
  return { ...m, inputs: m.inputs.map((c) => (c.id === id ? { ...c, ...patch } : c)) };
}

/** addOutput adds an output column at the end; no row gives it a value yet. */
export function addOutput(m: RuleSetModel, name = 'output', type = 'string'): RuleSetModel {
  return withColumn(m, 'outputs', { id: nextID('o'), name: freeName(name, m.outputs.map((c) => c.name)), type });
}

/** removeOutput removes an output column and its values. */
export const removeOutput = (m: RuleSetModel, id: string) => withoutColumn(m, 'outputs', id);

/** updateOutput renames an output or changes its type; the cells keep their text, read under the new type when saved. */
export function updateOutput(m: RuleSetModel, id: string, patch: Partial<Omit<OutputColumn, 'id'>>): RuleSetModel {
  return { ...m, outputs: m.outputs.map((c) => (c.id === id ? { ...c, ...patch } : c)) };
}

/** newRow is an empty row for m's columns: it matches anything and gives nothing. */
function newRow(m: RuleSetModel): RuleRow {
  return { id: nextID('r'), when: m.inputs.map(() => ''), then: m.outputs.map(() => ''), note: '', extraWhen: [], extraThen: {} };
}

/** addRow adds an empty row at the end, or after the row `after`. */
export function addRow(m: RuleSetModel, after?: string): RuleSetModel {
  const rows = [...m.rows];
  const i = after === undefined ? -1 : rows.findIndex((r) => r.id === after);
  rows.splice(i < 0 ? rows.length : i + 1, 0, newRow(m));
  return { ...m, rows };
}

/** duplicateRow puts a copy of a row (with an id of its own) right after it. */
export function duplicateRow(m: RuleSetModel, id: string): RuleSetModel {
  const i = m.rows.findIndex((r) => r.id === id);
  if (i < 0) return m;
  const r = m.rows[i];
  const copy = { ...r, id: nextID('r'), when: [...r.when], then: [...r.then], extraWhen: [...r.extraWhen], extraThen: { ...r.extraThen } };
  return { ...m, rows: [...m.rows.slice(0, i + 1), copy, ...m.rows.slice(i + 1)] };
}

/** removeRow removes a row. */
export function removeRow(m: RuleSetModel, id: string): RuleSetModel {
  return { ...m, rows: m.rows.filter((r) => r.id !== id) };
}

/** moveRow moves a row by delta places (-1 up, +1 down); a move past either end changes nothing. */
export function moveRow(m: RuleSetModel, id: string, delta: number): RuleSetModel {
  const i = m.rows.findIndex((r) => r.id === id);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= m.rows.length) return m;
  const rows = [...m.rows];
  [rows[i], rows[j]] = [rows[j], rows[i]];
  return { ...m, rows };
}

/** setCell changes one cell's text: a `when` cell by input index, a `then` cell by output index. */
export function setCell(m: RuleSetModel, rowID: string, part: 'when' | 'then', index: number, text: string): RuleSetModel {
  return {
    ...m,
    rows: m.rows.map((r) => {
      if (r.id !== rowID) return r;
      const cells = [...r[part]];
      cells[index] = text;
      return { ...r, [part]: cells };
    }),
  };
}

/** setNote changes a row's note. */
export function setNote(m: RuleSetModel, rowID: string, note: string): RuleSetModel {
  return { ...m, rows: m.rows.map((r) => (r.id === rowID ? { ...r, note } : r)) };
}

/** One problem of a saved draft or a refused publish, pointing into the definition. */
export interface DefinitionProblem {
  pointer: string;
  code?: string;
  message: string;
}

/**
 * Target names the place on the page a problem belongs to, by the stable
 * ids of rows and columns: "when:r3:i1", "then:r3:o2", "note:r3",
 * "row:r3", "input-expr:i1", "input-name:i1", "output-name:o2",
 * "output-type:o2", or a setting: "hitPolicy", "form", "title",
 * "category", "inputs", "outputs", "rows".
 */
export type Target = string;

/** problemTarget answers where a pointer such as /rows/3/when/1 points in m, or null when nowhere in particular. */
export function problemTarget(m: RuleSetModel, pointer: string): Target | null {
  const segs = pointer.replace(/^\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const n = Number(segs[1]);
  switch (segs[0]) {
    case 'rows': {
      const row = segs.length > 1 ? m.rows[n] : undefined;
      if (segs.length === 1) return 'rows';
      if (!row) return null;
      if (segs[2] === 'when' && segs.length > 3) {
        const input = m.inputs[Number(segs[3])];
        return input ? `when:${row.id}:${input.id}` : `row:${row.id}`;
      }
      if (segs[2] === 'then' && segs.length > 3) {
        const output = m.outputs.find((o) => o.name === segs[3]);
        return output ? `then:${row.id}:${output.id}` : `row:${row.id}`;
      }
      if (segs[2] === 'note') return `note:${row.id}`;
      return `row:${row.id}`;
    }
    case 'inputs': {
      if (segs.length === 1) return 'inputs';
      const input = m.inputs[n];
      if (!input) return 'inputs';
      return segs[2] === 'name' ? `input-name:${input.id}` : `input-expr:${input.id}`;
    }
    case 'outputs': {
      if (segs.length === 1) return 'outputs';
      const output = m.outputs[n];
      if (!output) return 'outputs';
      return segs[2] === 'type' ? `output-type:${output.id}` : `output-name:${output.id}`;
    }
    case 'hitPolicy':
    case 'form':
    case 'title':
    case 'category':
      return segs[0];
  }
  return null;
}

/** A problem with the place it belongs to, placed when it arrived, so that it stays on its cell as rows move. */
export interface PlacedProblem extends DefinitionProblem {
  target: Target | null;
}

/** placeProblems places every problem of an answer on the model the answer was about. */
export function placeProblems(m: RuleSetModel, problems: DefinitionProblem[]): PlacedProblem[] {
  return problems.map((p) => ({ ...p, target: problemTarget(m, p.pointer ?? '') }));
}

/** problemsAt lists the messages of the problems placed on target. */
export function problemsAt(placed: PlacedProblem[], target: Target): string[] {
  return placed.filter((p) => p.target === target).map((p) => p.message);
}

/** rowHasProblems says whether any problem is placed on a row or one of its cells. */
export function rowHasProblems(placed: PlacedProblem[], rowID: string): boolean {
  return placed.some((p) => p.target !== null && (p.target === `row:${rowID}` || p.target.split(':')[1] === rowID));
}

/** domID is the id of the element that shows target, for focusing it from the problem list. */
export function domID(target: Target): string {
  return `rsd-${target.replace(/:/g, '-')}`;
}

/** matchedRows answers the ids of the rows an evaluation's `matched` indexes name. */
export function matchedRows(m: RuleSetModel, matched: number[]): Set<string> {
  return new Set(matched.map((i) => m.rows[i]?.id).filter((id): id is string => !!id));
}

/** The sample an evaluation is given: the form's data and the request, as docs/rules.md describes. */
export interface Sample {
  form: Record<string, unknown>;
  request: { requester?: { segment?: string } };
}

/** sample builds the evaluation's body from the form data and the requester's segment (left out when empty). */
export function sample(form: Record<string, unknown>, segment: string): Sample {
  return { form, request: segment.trim() ? { requester: { segment: segment.trim() } } : {} };
}
