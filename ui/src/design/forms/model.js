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
];
export { optionTitles } from '../../portal/formSchema';
import { optionTitles } from '../../portal/formSchema';
/** newField is a field of the given type with a key not yet used among siblings. */
export function newField(type, siblings) {
    const base = type === 'textarea' ? 'text' : type;
    let key = base;
    for (let n = 2; siblings.some((f) => f.key === key); n++)
        key = `${base}${n}`;
    const f = { key, type, title: {}, help: {}, required: false, extra: {}, extraHints: {} };
    if (type === 'choice' || type === 'multichoice')
        f.options = [{ value: 'a', label: { en: 'A', fa: 'الف' } }, { value: 'b', label: { en: 'B', fa: 'ب' } }];
    if (type === 'group' || type === 'list')
        f.fields = [];
    if (type === 'fragment')
        f.fragment = 'contact';
    return f;
}
// ---- model -> definition ----
/** toDefinition writes the model as the definition the API stores. */
export function toDefinition(m) {
    const fields = { ...m.otherHints };
    const schema = { type: 'object', ...objectSchema(m.fields, '', fields), ...m.extra };
    const def = { key: m.key, title: m.title, schema, ui: {} };
    if (m.category)
        def.category = m.category;
    if (m.fields.length)
        def.ui.order = m.fields.map((f) => f.key);
    if (Object.keys(fields).length)
        def.ui.fields = fields;
    return def;
}
function objectSchema(list, prefix, hints) {
    const properties = {};
    for (const f of list) {
        properties[f.key] = fieldSchema(f, prefix + f.key, hints);
        const h = fieldHints(f);
        if (Object.keys(h).length)
            hints[prefix + f.key] = h;
    }
    const required = list.filter((f) => f.required).map((f) => f.key);
    return { properties, ...(required.length ? { required } : {}) };
}
function nonEmpty(t) {
    const out = {};
    for (const [k, v] of Object.entries(t))
        if (v)
            out[k] = v;
    return Object.keys(out).length ? out : undefined;
}
function labelsOf(options) {
    const out = {};
    for (const o of options) {
        const label = nonEmpty(o.label);
        if (label)
            out[o.value] = label;
    }
    return Object.keys(out).length ? out : undefined;
}
function fieldSchema(f, path, hints) {
    const s = {};
    const lengths = () => {
        if (f.minLength !== undefined)
            s.minLength = f.minLength;
        if (f.maxLength !== undefined)
            s.maxLength = f.maxLength;
        if (f.pattern)
            s.pattern = f.pattern;
    };
    const range = () => {
        if (f.minimum !== undefined)
            s.minimum = f.minimum;
        if (f.maximum !== undefined)
            s.maximum = f.maximum;
    };
    const choices = (into) => {
        into.enum = (f.options ?? []).map((o) => o.value);
        const labels = labelsOf(f.options ?? []);
        if (labels)
            into[optionTitles] = labels;
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
            const items = { type: 'string' };
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
const widgetOf = {
    textarea: 'textarea',
    email: 'email',
    phone: 'tel',
    date: 'date',
    choice: 'select',
    multichoice: 'checkboxes',
    file: 'file',
};
function fieldHints(f) {
    const h = { ...f.extraHints };
    const title = nonEmpty(f.title);
    const help = nonEmpty(f.help);
    if (title)
        h.title = title;
    if (help)
        h.help = help;
    if (widgetOf[f.type] && !h.widget)
        h.widget = widgetOf[f.type];
    if (f.visibleWhen)
        h.visibleWhen = f.visibleWhen;
    if (f.requiredWhen)
        h.requiredWhen = f.requiredWhen;
    if (f.calculate)
        h.calculate = f.calculate;
    return h;
}
// ---- definition -> model ----
/** fromDefinition reads a stored definition into the model. */
export function fromDefinition(def) {
    const schema = (def.schema ?? {});
    const hints = def.ui?.fields ?? {};
    const { type: _type, properties: _p, required: _r, ...extra } = schema;
    void _type, void _p, void _r;
    const fields = readFields(schema, '', hints);
    const order = def.ui?.order ?? [];
    // Fields the order names come first, in that order; the rest keep the schema's order.
    const rank = (f) => (order.includes(f.key) ? order.indexOf(f.key) : order.length);
    fields.sort((a, b) => rank(a) - rank(b));
    const used = new Set();
    const walk = (list, prefix) => list.forEach((f) => (used.add(prefix + f.key), walk(f.fields ?? [], prefix + f.key + '.')));
    walk(fields, '');
    const otherHints = Object.fromEntries(Object.entries(hints).filter(([path]) => !used.has(path)));
    const m = { key: def.key, title: def.title ?? {}, fields, extra, otherHints };
    if (def.category)
        m.category = def.category;
    return m;
}
function readFields(obj, prefix, hints) {
    const props = (obj.properties ?? {});
    const required = new Set(obj.required ?? []);
    return Object.entries(props).map(([key, s]) => readField(key, s ?? {}, required.has(key), prefix + key, hints));
}
function readOptions(s) {
    const labels = (s[optionTitles] ?? {});
    return (s.enum ?? []).map((v) => ({ value: String(v), label: { ...(labels[String(v)] ?? {}) } }));
}
/** typeOf tells the field type a property's schema and widget make. */
export function typeOf(s, widget) {
    if (typeof s.$ref === 'string' && s.$ref.startsWith('fragment:'))
        return 'fragment';
    const items = (s.items ?? {});
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
    if (s.enum)
        return 'choice';
    if (s.format === 'date')
        return 'date';
    if (s.format === 'email')
        return 'email';
    if (widget === 'file')
        return 'file';
    if (widget === 'tel')
        return 'phone';
    if (widget === 'textarea')
        return 'textarea';
    return 'text';
}
function readField(key, s, required, path, hints) {
    const h = { ...(hints[path] ?? {}) };
    const type = typeOf(s, h.widget);
    const f = { key, type, title: { ...(h.title ?? {}) }, help: { ...(h.help ?? {}) }, required, extra: {}, extraHints: {} };
    // Keywords a type does not own stay in extra (a date's maxLength, say), so they round-trip.
    const ownedBy = {
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
    if (type === 'multichoice' && !isPlainChoiceItems(s))
        keep.delete('items');
    if (type === 'multichoice' && s.uniqueItems !== true)
        keep.delete('uniqueItems');
    if (type === 'list' && !isPlainObjectItems(s))
        keep.delete('items');
    for (const [k, v] of Object.entries(s))
        if (!keep.has(k))
            f.extra[k] = v;
    if (typeof s.minLength === 'number' && keep.has('minLength'))
        f.minLength = s.minLength;
    if (typeof s.maxLength === 'number' && keep.has('maxLength'))
        f.maxLength = s.maxLength;
    if (typeof s.pattern === 'string' && keep.has('pattern'))
        f.pattern = s.pattern;
    if (typeof s.minimum === 'number' && keep.has('minimum'))
        f.minimum = s.minimum;
    if (typeof s.maximum === 'number' && keep.has('maximum'))
        f.maximum = s.maximum;
    if (type === 'choice')
        f.options = readOptions(s);
    if (type === 'multichoice')
        f.options = keep.has('items') ? readOptions(s.items) : [];
    if (type === 'group')
        f.fields = readFields(s, path + '.', hints);
    if (type === 'list')
        f.fields = keep.has('items') ? readFields(s.items, path + '.', hints) : [];
    if (type === 'fragment')
        f.fragment = s.$ref.slice('fragment:'.length);
    // Hints the designer edits move into the field; the rest stay.
    if (h.visibleWhen)
        f.visibleWhen = h.visibleWhen;
    if (h.requiredWhen)
        f.requiredWhen = h.requiredWhen;
    if (h.calculate)
        f.calculate = h.calculate;
    delete h.title, delete h.help, delete h.visibleWhen, delete h.requiredWhen, delete h.calculate;
    if (h.widget && h.widget === widgetOf[type])
        delete h.widget;
    f.extraHints = h;
    return f;
}
function isPlainChoiceItems(s) {
    const items = s.items;
    return !!items && Object.keys(items).every((k) => ['type', 'enum', optionTitles].includes(k)) && items.type === 'string' && Array.isArray(items.enum);
}
function isPlainObjectItems(s) {
    const items = s.items;
    return !!items && Object.keys(items).every((k) => ['type', 'properties', 'required'].includes(k));
}
// ---- editing ----
/** moveField answers the list with the field at `from` moved to `to`. */
export function moveField(list, from, to) {
    if (from === to || from < 0 || to < 0 || from >= list.length || to >= list.length)
        return list;
    const out = [...list];
    const [f] = out.splice(from, 1);
    out.splice(to, 0, f);
    return out;
}
/** fieldAt answers the field a path names, if any. */
export function fieldAt(list, path) {
    let f;
    let at = list;
    for (const i of path) {
        f = at[i];
        if (!f)
            return undefined;
        at = f.fields ?? [];
    }
    return f;
}
/** updateList answers the model's fields with the list a path names (the top level for []) replaced by fn's result. */
export function updateList(list, parent, fn) {
    if (!parent.length)
        return fn(list);
    const [i, ...rest] = parent;
    return list.map((f, n) => (n === i ? { ...f, fields: updateList(f.fields ?? [], rest, fn) } : f));
}
/** keyProblem tells what is wrong with a field's key among its siblings, or null. */
export function keyProblem(key, siblings, self) {
    if (!key)
        return 'empty';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
        return 'invalid';
    if (siblings.some((f, i) => i !== self && f.key === key))
        return 'taken';
    return null;
}
/** pointerPath turns a definition pointer (/schema/properties/a/properties/b/...) into the field's dotted path ("a.b"), or null. */
export function pointerPath(pointer) {
    const segs = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (segs[0] === 'ui' && segs[1] === 'fields' && segs[2])
        return segs[2];
    if (segs[0] !== 'schema')
        return null;
    const out = [];
    for (let i = 1; i < segs.length; i++) {
        if (segs[i] === 'properties' && segs[i + 1] !== undefined) {
            out.push(segs[++i]);
        }
        else if (segs[i] !== 'items')
            break;
    }
    return out.length ? out.join('.') : null;
}
/**
 * parseRawJSON reads the raw JSON view's text ({"schema": {...}, "ui":
 * {...}}) into def. Text that is not JSON, or not that shape, is refused
 * and def stays as it was.
 */
export function parseRawJSON(text, def) {
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch (err) {
        return { error: 'syntax', message: err.message };
    }
    const isObject = (v) => !!v && typeof v === 'object' && !Array.isArray(v);
    if (!isObject(parsed) || !isObject(parsed.schema) || (parsed.ui !== undefined && !isObject(parsed.ui)))
        return { error: 'shape' };
    return { def: { ...def, schema: parsed.schema, ui: (parsed.ui ?? {}) } };
}
/** rawJSON is the raw JSON view's text for def. */
export const rawJSON = (def) => JSON.stringify({ schema: def.schema, ui: def.ui ?? {} }, null, 2);
