// The editors' calls to /api/v1/calendars and /api/v1/sla-policies, which
// are drafted, published and versioned alike (docs/api.md, "Drafts and
// versions"; docs/sla.md).
import { api } from '../../api/client';
const path = (kind, key) => (key === undefined ? `/${kind}` : `/${kind}/${encodeURIComponent(key)}`);
/** listHeads answers every head of a kind, following the pages. */
export async function listHeads(kind, signal) {
    const out = [];
    let cursor;
    do {
        const page = await api.get(path(kind), { signal, query: { limit: 200, cursor } });
        out.push(...page.items);
        cursor = page.next;
    } while (cursor);
    return out;
}
export const getHead = (kind, key, signal) => api.get(path(kind, key), { signal });
export const getVersion = (kind, key, n, signal) => api.get(`${path(kind, key)}/versions/${n}`, { signal });
export const listVersions = (kind, key, signal) => api.get(`${path(kind, key)}/versions`, { signal });
export const publish = (kind, key) => api.post(`${path(kind, key)}/publish`);
/**
 * saveDraft PUTs a draft. With the revision it was read or last saved at
 * (the ETag) it sends If-Match, so someone else's newer save is refused
 * (412) rather than lost; without one it creates, with If-None-Match: *,
 * so a key that exists is refused (412) rather than overwritten.
 */
export const saveDraft = (kind, key, body, revision) => api.put(path(kind, key), body, { headers: revision ? { 'If-Match': `"${revision}"` } : { 'If-None-Match': '*' } });
