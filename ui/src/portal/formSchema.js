import { localText } from '../i18n/format';
const fragmentRef = /^fragment:([a-z][a-z0-9-]*)(?:@(\d+))?$/;
/** fragmentKey is the "key@version" a form's `$ref` resolves to, given the versions the form was published with. */
export function fragmentKey(ref, pinned) {
    const m = fragmentRef.exec(ref);
    if (!m)
        return null;
    const version = m[2] ? Number(m[2]) : pinned.find((p) => p.key === m[1])?.version;
    return version ? `${m[1]}@${version}` : null;
}
/**
 * inlineFragments replaces every {"$ref": "fragment:..."} with the
 * fragment's schema (keywords beside the $ref win, as in JSON Schema
 * 2020-12 they apply alongside it). A fragment that is missing stays an
 * empty schema: the server still validates the submission.
 */
export function inlineFragments(schema, pinned, fragments) {
    if (Array.isArray(schema))
        return schema.map((s) => inlineFragments(s, pinned, fragments));
    if (!schema || typeof schema !== 'object')
        return schema;
    const out = {};
    let base = {};
    for (const [k, v] of Object.entries(schema)) {
        if (k === '$ref' && typeof v === 'string' && v.startsWith('fragment:')) {
            const key = fragmentKey(v, pinned);
            base = (key && inlineFragments(fragments[key], pinned, fragments)) || {};
            continue;
        }
        out[k] = inlineFragments(v, pinned, fragments);
    }
    return { ...base, ...out };
}
/** fragmentRefs lists the "key@version" of every fragment a schema names. */
export function fragmentRefs(schema, pinned, into = new Set()) {
    if (Array.isArray(schema))
        schema.forEach((s) => fragmentRefs(s, pinned, into));
    else if (schema && typeof schema === 'object') {
        for (const [k, v] of Object.entries(schema)) {
            if (k === '$ref' && typeof v === 'string') {
                const key = fragmentKey(v, pinned);
                if (key)
                    into.add(key);
            }
            else
                fragmentRefs(v, pinned, into);
        }
    }
    return into;
}
/** Widgets of the form's hints that rjsf names differently. */
function widgetHints(widget) {
    switch (widget) {
        case 'select':
        case 'radio':
        case 'textarea':
        case 'checkbox':
        case 'checkboxes':
            return { 'ui:widget': widget };
        case 'email':
            return { 'ui:widget': 'email' };
        case 'tel':
            return { 'ui:options': { inputType: 'tel' } };
        case 'date':
            return { 'ui:widget': 'date' };
        default:
            return {};
    }
}
/**
 * uiSchema builds rjsf's uiSchema from the form's hints: titles, help and
 * placeholders in lang, widgets, and the field order. Calculated fields are
 * read-only: the server computes them (docs/rules.md). The hints name a
 * field of a list's items as "items.qty"; rjsf wants the list's `items`
 * level in between, which the (inlined) schema tells.
 */
/** Where a choice keeps its options' labels: JSON Schema has no texts in several languages, and the validator ignores x- keywords. */
export const optionTitles = 'x-enumTitles';
/** labelOptions puts each choice's labels (x-enumTitles) into the uiSchema as ui:enumNames, walking groups and lists. */
export function labelOptions(schema, ui, lang) {
    const enumNames = (s) => {
        const labels = s[optionTitles];
        const values = s.enum;
        if (!labels || !values)
            return undefined;
        return values.map((v) => localText(labels[String(v)], lang) || String(v));
    };
    const own = enumNames(schema) ?? (schema.type === 'array' ? enumNames((schema.items ?? {})) : undefined);
    if (own)
        ui['ui:enumNames'] = own;
    for (const [key, s] of Object.entries((schema.properties ?? {}))) {
        if (!s || typeof s !== 'object')
            continue;
        const node = ui[key] ?? (ui[key] = {});
        labelOptions(s, node, lang);
    }
    const items = schema.items;
    if (schema.type === 'array' && items?.type === 'object')
        labelOptions(items, ui.items ?? (ui.items = {}), lang);
}
export function uiSchema(def, lang, schema = def.schema) {
    const ui = {};
    if (def.ui?.order?.length)
        ui['ui:order'] = [...def.ui.order, '*'];
    for (const [path, hints] of Object.entries(def.ui?.fields ?? {})) {
        let node = ui;
        let at = schema;
        for (const seg of path.split('.')) {
            if (at?.type === 'array') {
                node = node.items ?? (node.items = {});
                at = at.items;
            }
            node = node[seg] ?? (node[seg] = {});
            at = at?.properties?.[seg];
        }
        Object.assign(node, fieldHints(hints, lang));
    }
    // The options' labels (the form designer's x-enumTitles) in lang.
    if (schema && typeof schema === 'object')
        labelOptions(schema, ui, lang);
    return ui;
}
function fieldHints(h, lang) {
    const out = { ...widgetHints(h.widget) };
    if (h.title)
        out['ui:title'] = localText(h.title, lang);
    if (h.help)
        out['ui:help'] = localText(h.help, lang);
    if (h.placeholder)
        out['ui:placeholder'] = localText(h.placeholder, lang);
    if (h.calculate)
        out['ui:readonly'] = true;
    return out;
}
/**
 * titleFragmentFields gives a field that reuses a fragment, and has no
 * title of its own in the form's hints, the fragment's title (in both
 * languages) rather than its bare key.
 */
export function titleFragmentFields(def, pinned, titles) {
    const props = (def.schema.properties ?? {});
    const fields = { ...(def.ui?.fields ?? {}) };
    for (const [name, prop] of Object.entries(props)) {
        const key = typeof prop?.$ref === 'string' ? fragmentKey(prop.$ref, pinned) : null;
        if (key && titles[key] && !fields[name]?.title)
            fields[name] = { ...fields[name], title: titles[key] };
    }
    return { ...def, ui: { ...def.ui, fields } };
}
