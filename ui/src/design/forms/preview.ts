// What the designer's preview renders: the definition being edited, turned
// into @rjsf/core's schema and uiSchema as the portal turns a published
// form (portal/formSchema.ts), with the options' labels in the preview's
// language (x-enumTitles, which the designer keeps beside the options).
import type { FormDefinition } from '../../api/types';
import type { Language } from '../../i18n/format';
import { inlineFragments, uiSchema, type FragmentSchemas } from '../../portal/formSchema';

type Schema = Record<string, unknown>;

/** previewForm answers the schema and uiSchema that show def in lang, with the fragments (by "key@version") inlined. */
export function previewForm(def: FormDefinition, lang: Language, fragments: FragmentSchemas, pinned: { key: string; version: number }[]) {
  const schema = inlineFragments(def.schema, pinned, fragments) as Schema;
  // uiSchema labels the options too (x-enumTitles), as the portal shows them.
  return { schema, ui: uiSchema(def, lang, schema) };
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
