/** The hit policies of docs/rules.md, in the order the editor offers them. */
export const hitPolicies = ['first', 'unique', 'collect'];
/** The types an output may have. */
export const outputTypes = ['string', 'number', 'boolean', 'list'];
let seq = 0;
/** nextID gives a column or row an id of its own for the page's life. */
const nextID = (prefix) => `${prefix}${++seq}`;
/** thenText shows a stored output value as the text of its cell. */
export function thenText(value, type) {
    if (value === undefined || value === null)
        return '';
    if (typeof value === 'string')
        return value;
    if (typeof value === 'number' || typeof value === 'boolean')
        return String(value);
    if (type === 'list' && Array.isArray(value) && value.every((v) => typeof v === 'string' && !v.includes(',')))
        return value.map((v) => v.trim()).join(', ');
    return JSON.stringify(value);
}
/**
 * thenValue is the value a cell's text stores under its output's type. Text
 * that does not fit the type (a word in a number column) is stored as it
 * is, so nothing typed is lost and the server's problem lands on the cell.
 */
export function thenValue(text, type) {
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
                }
                catch {
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
export function fromDefinition(body, key) {
    const d = (body && typeof body === 'object' ? body : {});
    const inputs = (d.inputs ?? []).map((c) => ({ id: nextID('i'), name: c.name ?? '', expr: c.expr ?? '' }));
    const outputs = (d.outputs ?? []).map((c) => ({ id: nextID('o'), name: c.name ?? '', type: c.type ?? 'string' }));
    const rows = (d.rows ?? []).map((r) => {
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
export function toDefinition(m) {
    const title = {};
    for (const [lang, s] of Object.entries(m.title))
        if (s)
            title[lang] = s;
    const def = {
        key: m.key,
        title,
        ...(m.category ? { category: m.category } : {}),
        ...(m.form ? { form: m.form } : {}),
        hitPolicy: m.hitPolicy,
        inputs: m.inputs.map((c) => ({ name: c.name, expr: c.expr })),
        outputs: m.outputs.map((c) => ({ name: c.name, type: c.type })),
        rows: m.rows.map((r) => {
            const then = { ...r.extraThen };
            m.outputs.forEach((o, i) => {
                if (r.then[i]?.trim())
                    then[o.name] = thenValue(r.then[i], o.type);
            });
            return { when: [...r.when, ...r.extraWhen], then, ...(r.note ? { note: r.note } : {}) };
        }),
    };
    return def;
}
/** starter is a new rule set's first draft: no columns and no rows yet. */
export function starter(head) {
    return toDefinition({ ...head, hitPolicy: 'first', inputs: [], outputs: [], rows: [] });
}
/** freeName is base, or base followed by the first number no column uses yet. */
function freeName(base, taken) {
    if (!taken.includes(base))
        return base;
    for (let n = 2;; n++)
        if (!taken.includes(`${base}${n}`))
            return `${base}${n}`;
}
/** The two kinds of columns, each with the part of a row that holds its cells. */
const parts = { inputs: 'when', outputs: 'then' };
/** withColumn adds col at the end of a kind of columns, with an empty cell in every row (a `when` that matches anything, a `then` that gives nothing). */
function withColumn(m, kind, col) {
    const part = parts[kind];
    return { ...m, [kind]: [...m[kind], col], rows: m.rows.map((r) => ({ ...r, [part]: [...r[part], ''] })) };
}
/** withoutColumn removes a column and its cell in every row. */
function withoutColumn(m, kind, id) {
    const i = m[kind].findIndex((c) => c.id === id);
    if (i < 0)
        return m;
    const part = parts[kind];
    return { ...m, [kind]: m[kind].filter((c) => c.id !== id), rows: m.rows.map((r) => ({ ...r, [part]: r[part].filter((_, j) => j !== i) })) };
}
/** addInput adds an input column at the end; every row gets an empty cell, which matches anything. */
export function addInput(m, name = 'input', expr = '') {
    return withColumn(m, 'inputs', { id: nextID('i'), name: freeName(name, m.inputs.map((c) => c.name)), expr });
}
/** removeInput removes an input column and its cell in every row. */
export const removeInput = (m, id) => withoutColumn(m, 'inputs', id);
/** updateInput changes an input's name or expression. */
export function updateInput(m, id, patch) {
    return { ...m, inputs: m.inputs.map((c) => (c.id === id ? { ...c, ...patch } : c)) };
}
/** addOutput adds an output column at the end; no row gives it a value yet. */
export function addOutput(m, name = 'output', type = 'string') {
    return withColumn(m, 'outputs', { id: nextID('o'), name: freeName(name, m.outputs.map((c) => c.name)), type });
}
/** removeOutput removes an output column and its values. */
export const removeOutput = (m, id) => withoutColumn(m, 'outputs', id);
/** updateOutput renames an output or changes its type; the cells keep their text, read under the new type when saved. */
export function updateOutput(m, id, patch) {
    return { ...m, outputs: m.outputs.map((c) => (c.id === id ? { ...c, ...patch } : c)) };
}
/** newRow is an empty row for m's columns: it matches anything and gives nothing. */
function newRow(m) {
    return { id: nextID('r'), when: m.inputs.map(() => ''), then: m.outputs.map(() => ''), note: '', extraWhen: [], extraThen: {} };
}
/** addRow adds an empty row at the end, or after the row `after`. */
export function addRow(m, after) {
    const rows = [...m.rows];
    const i = after === undefined ? -1 : rows.findIndex((r) => r.id === after);
    rows.splice(i < 0 ? rows.length : i + 1, 0, newRow(m));
    return { ...m, rows };
}
/** duplicateRow puts a copy of a row (with an id of its own) right after it. */
export function duplicateRow(m, id) {
    const i = m.rows.findIndex((r) => r.id === id);
    if (i < 0)
        return m;
    const r = m.rows[i];
    const copy = { ...r, id: nextID('r'), when: [...r.when], then: [...r.then], extraWhen: [...r.extraWhen], extraThen: { ...r.extraThen } };
    return { ...m, rows: [...m.rows.slice(0, i + 1), copy, ...m.rows.slice(i + 1)] };
}
/** removeRow removes a row. */
export function removeRow(m, id) {
    return { ...m, rows: m.rows.filter((r) => r.id !== id) };
}
/** moveRow moves a row by delta places (-1 up, +1 down); a move past either end changes nothing. */
export function moveRow(m, id, delta) {
    const i = m.rows.findIndex((r) => r.id === id);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= m.rows.length)
        return m;
    const rows = [...m.rows];
    [rows[i], rows[j]] = [rows[j], rows[i]];
    return { ...m, rows };
}
/** setCell changes one cell's text: a `when` cell by input index, a `then` cell by output index. */
export function setCell(m, rowID, part, index, text) {
    return {
        ...m,
        rows: m.rows.map((r) => {
            if (r.id !== rowID)
                return r;
            const cells = [...r[part]];
            cells[index] = text;
            return { ...r, [part]: cells };
        }),
    };
}
/** setNote changes a row's note. */
export function setNote(m, rowID, note) {
    return { ...m, rows: m.rows.map((r) => (r.id === rowID ? { ...r, note } : r)) };
}
/** problemTarget answers where a pointer such as /rows/3/when/1 points in m, or null when nowhere in particular. */
export function problemTarget(m, pointer) {
    const segs = pointer.replace(/^\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const n = Number(segs[1]);
    switch (segs[0]) {
        case 'rows': {
            const row = segs.length > 1 ? m.rows[n] : undefined;
            if (segs.length === 1)
                return 'rows';
            if (!row)
                return null;
            if (segs[2] === 'when' && segs.length > 3) {
                const input = m.inputs[Number(segs[3])];
                return input ? `when:${row.id}:${input.id}` : `row:${row.id}`;
            }
            if (segs[2] === 'then' && segs.length > 3) {
                const output = m.outputs.find((o) => o.name === segs[3]);
                return output ? `then:${row.id}:${output.id}` : `row:${row.id}`;
            }
            if (segs[2] === 'note')
                return `note:${row.id}`;
            return `row:${row.id}`;
        }
        case 'inputs': {
            if (segs.length === 1)
                return 'inputs';
            const input = m.inputs[n];
            if (!input)
                return 'inputs';
            return segs[2] === 'name' ? `input-name:${input.id}` : `input-expr:${input.id}`;
        }
        case 'outputs': {
            if (segs.length === 1)
                return 'outputs';
            const output = m.outputs[n];
            if (!output)
                return 'outputs';
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
/** placeProblems places every problem of an answer on the model the answer was about. */
export function placeProblems(m, problems) {
    return problems.map((p) => ({ ...p, target: problemTarget(m, p.pointer ?? '') }));
}
/** problemsAt lists the messages of the problems placed on target. */
export function problemsAt(placed, target) {
    return placed.filter((p) => p.target === target).map((p) => p.message);
}
/** rowHasProblems says whether any problem is placed on a row or one of its cells. */
export function rowHasProblems(placed, rowID) {
    return placed.some((p) => p.target !== null && (p.target === `row:${rowID}` || p.target.split(':')[1] === rowID));
}
/** domID is the id of the element that shows target, for focusing it from the problem list. */
export function domID(target) {
    return `rsd-${target.replace(/:/g, '-')}`;
}
/** matchedRows answers the ids of the rows an evaluation's `matched` indexes name. */
export function matchedRows(m, matched) {
    return new Set(matched.map((i) => m.rows[i]?.id).filter((id) => !!id));
}
/** sample builds the evaluation's body from the form data and the requester's segment (left out when empty). */
export function sample(form, segment) {
    return { form, request: segment.trim() ? { requester: { segment: segment.trim() } } : {} };
}
