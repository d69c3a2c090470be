// The designer's calls to /api/v1/workflows and its neighbours (docs/api.md,
// "Drafts and versions"; docs/workflows.md, "Simulation").
import { api } from '../../api/client';
import { Problem } from '../../api/problem';
const enc = encodeURIComponent;
export const listWorkflows = (signal) => api.get('/workflows', { signal });
export const getWorkflow = (key, signal) => api.get(`/workflows/${enc(key)}`, { signal });
export const listVersions = (key, signal) => api.get(`/workflows/${enc(key)}/versions`, { signal });
export const getVersion = (key, n) => api.get(`/workflows/${enc(key)}/versions/${n}`);
export const publish = (key) => api.post(`/workflows/${enc(key)}/publish`);
export const checkExpression = (expr, form, signal) => api.post('/expressions/check', { expr, form, type: 'boolean' }, { signal });
export const simulate = (key, body) => api.post(`/workflows/${enc(key)}/simulate`, body);
/** listOf answers the items of a list call, or [] when the caller may not read it. */
export async function listOf(path, signal) {
    try {
        const page = await api.get(path, { signal });
        return { items: page.items ?? [], forbidden: false };
    }
    catch (err) {
        if (err instanceof Problem && err.status === 403)
            return { items: [], forbidden: true };
        throw err;
    }
}
/**
 * saveDraft PUTs the draft. With a revision it sends If-Match, so a save
 * over someone else's newer one is refused (412) rather than lost; without
 * one it creates, with If-None-Match: *, so a key that exists is refused
 * (412) rather than overwritten.
 */
export const saveDraft = (wf, revision) => api.put(`/workflows/${enc(wf.key)}`, wf, { headers: revision ? { 'If-Match': `"${revision}"` } : { 'If-None-Match': '*' } });
/** titleOf is a picked item's title in lang, or its key. */
export function titleOf(item, lang) {
    const t = item.title ?? item.name;
    if (typeof t === 'string')
        return t || item.key;
    return (t?.[lang] || t?.en || item.key);
}
