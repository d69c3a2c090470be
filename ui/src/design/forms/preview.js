import { inlineFragments, uiSchema } from '../../portal/formSchema';
/** previewForm answers the schema and uiSchema that show def in lang, with the fragments (by "key@version") inlined. */
export function previewForm(def, lang, fragments, pinned) {
    const schema = inlineFragments(def.schema, pinned, fragments);
    // uiSchema labels the options too (x-enumTitles), as the portal shows them.
    return { schema, ui: uiSchema(def, lang, schema) };
}
/** usedFragments lists the keys (and pinned versions, if named) of the fragments a schema reuses: "contact", "contact@2". */
export function usedFragments(schema, into = new Set()) {
    if (Array.isArray(schema))
        schema.forEach((s) => usedFragments(s, into));
    else if (schema && typeof schema === 'object')
        for (const [k, v] of Object.entries(schema)) {
            if (k === '$ref' && typeof v === 'string' && v.startsWith('fragment:'))
                into.add(v.slice('fragment:'.length));
            else
                usedFragments(v, into);
        }
    return into;
}
