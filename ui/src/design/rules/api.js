// The editor's calls to /api/v1/rules and its neighbours (docs/api.md,
// "Drafts and versions"; docs/rules.md, "Rule sets (decision tables)").
import { api } from '../../api/client';
import { fragmentRefs, inlineFragments, titleFragmentFields } from '../../portal/formSchema';
const enc = encodeURIComponent;
export const listRuleSets = (signal) => api.get('/rules', { signal });
export const getRuleSet = (key, signal) => api.get(`/rules/${enc(key)}`, { signal });
export const listRuleSetVersions = (key, signal) => api.get(`/rules/${enc(key)}/versions`, { signal });
export const getRuleSetVersion = (key, n) => api.get(`/rules/${enc(key)}/versions/${n}`);
export const publishRuleSet = (key) => api.post(`/rules/${enc(key)}/publish`);
/** evaluate tries the draft (version "draft") or a published version on a sample. */
export const evaluate = (key, version, body) => api.post(`/rules/${enc(key)}/evaluate`, body, { query: { version } });
/** checkInput checks an input's expression against the rule set's form (its newest version, which publishing checks against). */
export const checkInput = (expr, form, signal) => api.post('/expressions/check', { expr, form }, { signal });
/**
 * saveRuleSet PUTs the draft: with a revision it sends If-Match, so a save
 * over someone else's newer one is refused (412) rather than lost; without
 * one it creates, with If-None-Match: *, so an existing key is refused
 * (412) rather than overwritten.
 */
export const saveRuleSet = (def, revision) => api.put(`/rules/${enc(def.key)}`, def, { headers: revision ? { 'If-Match': `"${revision}"` } : { 'If-None-Match': '*' } });
/**
 * loadSampleForm fetches the newest published version of a form and the
 * fragments it was published with (fragments may name fragments: one
 * round of calls per level), for rendering a sample as the portal would.
 */
export async function loadSampleForm(key, signal) {
    const version = await api.get(`/forms/${enc(key)}/versions/latest`, { signal });
    const pinned = version.fragments ?? [];
    const schemas = {};
    const titles = {};
    let wanted = [...fragmentRefs(version.definition.schema, pinned)];
    while (wanted.length) {
        const level = await Promise.all(wanted.map((ref) => api.get(`/fragments/${ref.replace('@', '/versions/')}`, { signal })));
        const named = new Set();
        for (const f of level) {
            schemas[`${f.key}@${f.version}`] = f.definition.schema;
            if (f.title)
                titles[`${f.key}@${f.version}`] = f.title;
            fragmentRefs(f.definition.schema, pinned, named);
        }
        wanted = [...named].filter((ref) => !(ref in schemas));
    }
    const schema = inlineFragments(version.definition.schema, pinned, schemas);
    delete schema.title;
    return { version: { ...version, definition: titleFragmentFields(version.definition, pinned, titles) }, schema };
}
