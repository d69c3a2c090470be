// What the designer's preview renders: the definition being edited, turned
// into @rjsf/core's schema and uiSchema as the portal turns a published
// form (portal/formSchema.ts), plus the options' labels in the preview's
// language, which the designer keeps beside the options (model.ts).
import type { FormDefinition } from '../../api/types';
import { localText, type Language, type Text } from '../../i18n/format';
import { inlineFragments, uiSchema, type FragmentSchemas } from '../../portal/formSchema';
import { optionTitles } from './model';

type Schema = Record<string, unknown>;

/** previewForm answers the schema and uiSchema that show def in lang, with the fragments (by "key@version") inlined. */
export function previewForm(def: FormDefinition, lang: Language, fragments: FragmentSchemas, pinned: { key: string; version: number }[]) {
  const schema = inlineFragments(def.schema, pinned, fragments) as Schema;
  const ui = uiSchema(def, lang, schema);
  labelOptions(schema, ui, lang);
  return { schema, ui };
}

/** labelOptions puts each choice's labels (x-enumTitles) into the uiSchema as ui:enumNames, walking groups and lists. */
function labelOptions(schema: Schema, ui: Schema, lang: Language): void {
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

/** usedFragments lists the keys (and pinned versions, if named) of the fragments a schema reuses: "contact", "contact@2". */
export function usedFragments(schema: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((s) => usedFragments(s, into));
  else if (schema && typeof schema === 'object')
    for (const [k, v] of Object.entries(schema as Schema)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('fragment:')) into.add(v.slice('fragment:'.length));
      else usedFragments(v, into);
    }
  return into;
}
