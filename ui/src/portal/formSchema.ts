// A published form (docs/api.md, docs/rules.md) turned into what
// @rjsf/core renders: its schema with the fragments it names inlined, and
// a uiSchema built from its `ui` hints in the chosen language.
import type { FieldHints, FormDefinition } from '../api/types';
import { localText, type Language, type Text } from '../i18n/format';

type Schema = Record<string, unknown>;
/** A fragment's schema by key and version. */
export type FragmentSchemas = Record<string, Schema>;

const fragmentRef = /^fragment:([a-z][a-z0-9-]*)(?:@(\d+))?$/;

/** fragmentKey is the "key@version" a form's `$ref` resolves to, given the versions the form was published with. */
export function fragmentKey(ref: string, pinned: { key: string; version: number }[]): string | null {
  const m = fragmentRef.exec(ref);
  if (!m) return null;
  const version = m[2] ? Number(m[2]) : pinned.find((p) => p.key === m[1])?.version;
  return version ? `${m[1]}@${version}` : null;
}

/**
 * inlineFragments replaces every {"$ref": "fragment:..."} with the
 * fragment's schema (keywords beside the $ref win, as in JSON Schema
 * 2020-12 they apply alongside it). A fragment that is missing stays an
 * empty schema: the server still validates the submission.
 */
export function inlineFragments(schema: unknown, pinned: { key: string; version: number }[], fragments: FragmentSchemas): unknown {
  if (Array.isArray(schema)) return schema.map((s) => inlineFragments(s, pinned, fragments));
  if (!schema || typeof schema !== 'object') return schema;
  const out: Schema = {};
  let base: Schema = {};
  for (const [k, v] of Object.entries(schema as Schema)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('fragment:')) {
      const key = fragmentKey(v, pinned);
      base = (key && (inlineFragments(fragments[key], pinned, fragments) as Schema)) || {};
      continue;
    }
    out[k] = inlineFragments(v, pinned, fragments);
  }
  return { ...base, ...out };
}

/** fragmentRefs lists the "key@version" of every fragment a schema names. */
export function fragmentRefs(schema: unknown, pinned: { key: string; version: number }[], into = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((s) => fragmentRefs(s, pinned, into));
  else if (schema && typeof schema === 'object') {
    for (const [k, v] of Object.entries(schema as Schema)) {
      if (k === '$ref' && typeof v === 'string') {
        const key = fragmentKey(v, pinned);
        if (key) into.add(key);
      } else fragmentRefs(v, pinned, into);
    }
  }
  return into;
}

/** Widgets of the form's hints that rjsf names differently. */
function widgetHints(widget: string | undefined): Schema {
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
export function labelOptions(schema: Schema, ui: Schema, lang: Language): void {
  const enumNames = (s: Schema) => {
    const labels = s[optionTitles] as Record<string, Text> | undefined;
    const values = s.enum as unknown[] | undefined;
    if (!labels || !values) return undefined;
    return values.map((v) => localText(labels[String(v)], lang) || String(v));
  };
  const own = enumNames(schema) ?? (schema.type === 'array' ? enumNames((schema.items ?? {}) as Schema) : undefined);
  if (own) ui['ui:enumNames'] = own;
  for (const [key, s] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    if (!s || typeof s !== 'object') continue;
    const node = (ui[key] as Schema) ?? (ui[key] = {});
    labelOptions(s, node, lang);
  }
  const items = schema.items as Schema | undefined;
  if (schema.type === 'array' && items?.type === 'object') labelOptions(items, (ui.items as Schema) ?? (ui.items = {}), lang);
}

export function uiSchema(def: FormDefinition, lang: Language, schema: unknown = def.schema): Schema {
  const ui: Schema = {};
  if (def.ui?.order?.length) ui['ui:order'] = [...def.ui.order, '*'];
  for (const [path, hints] of Object.entries(def.ui?.fields ?? {})) {
    let node = ui;
    let at = schema as Schema | undefined;
    for (const seg of path.split('.')) {
      if (at?.type === 'array') {
        node = (node.items as Schema) ?? (node.items = {});
        at = at.items as Schema | undefined;
      }
      node = (node[seg] as Schema) ?? (node[seg] = {});
      at = (at?.properties as Record<string, Schema> | undefined)?.[seg];
    }
    Object.assign(node, fieldHints(hints, lang));
  }
  // The options' labels (the form designer's x-enumTitles) in lang.
  if (schema && typeof schema === 'object') labelOptions(schema as Schema, ui, lang);
  return ui;
}

function fieldHints(h: FieldHints, lang: Language): Schema {
  const out: Schema = { ...widgetHints(h.widget) };
  if (h.title) out['ui:title'] = localText(h.title, lang);
  if (h.help) out['ui:help'] = localText(h.help, lang);
  if (h.placeholder) out['ui:placeholder'] = localText(h.placeholder, lang);
  if (h.calculate) out['ui:readonly'] = true;
  return out;
}

/**
 * titleFragmentFields gives a field that reuses a fragment, and has no
 * title of its own in the form's hints, the fragment's title (in both
 * languages) rather than its bare key.
 */
export function titleFragmentFields(def: FormDefinition, pinned: { key: string; version: number }[], titles: Record<string, Text>): FormDefinition {
  const props = ((def.schema.properties ?? {}) as Record<string, { $ref?: unknown }>);
  const fields = { ...(def.ui?.fields ?? {}) };
  for (const [name, prop] of Object.entries(props)) {
    const key = typeof prop?.$ref === 'string' ? fragmentKey(prop.$ref, pinned) : null;
    if (key && titles[key] && !fields[name]?.title) fields[name] = { ...fields[name], title: titles[key] };
  }
  return { ...def, ui: { ...def.ui, fields } };
}
