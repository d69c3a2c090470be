// The designer's calls (docs/api.md "Drafts and versions"). Saving a draft
// needs the ETag of the draft it was read from, sent back as If-Match, so a
// save never overwrites someone else's: the app's client does not expose
// headers, so these calls go through a client of their own whose fetch
// reads the ETag and adds If-Match. Cookie, CSRF token and problems work
// as in the app's client.
import { ApiClient, api } from '../../api/client';
import { Problem } from '../../api/problem';
import i18n from '../../i18n';
async function tagged(method, path, body, condition = {}) {
    let etag = null;
    const client = new ApiClient('/api/v1', typeof localStorage === 'undefined' ? null : localStorage, async (input, init) => {
        const headers = { ...init?.headers, ...condition };
        const res = await fetch(input, { ...init, headers });
        etag = res.headers.get('ETag');
        return res;
    });
    client.setLanguage(i18n.language);
    const answer = await client.call(method, path, body);
    return { body: answer, etag };
}
const formPath = (key) => `/forms/${encodeURIComponent(key)}`;
/** listForms answers every form's head. */
export const listForms = (signal) => api.get('/forms', { signal });
/** loadForm answers a form's head with its draft and the draft's ETag. */
export const loadForm = (key) => tagged('GET', formPath(key));
/**
 * saveDraft stores the draft; ifMatch refuses to overwrite a newer save
 * (412). null creates a new form: If-None-Match: * makes the save fail
 * (412) if the key exists, rather than replace that form.
 */
export const saveDraft = (def, ifMatch) => tagged('PUT', formPath(def.key), def, ifMatch === null ? { 'If-None-Match': '*' } : { 'If-Match': ifMatch });
/** publish stores the draft as the next version. */
export const publish = (key) => api.post(`${formPath(key)}/publish`);
/** listVersions answers the published versions, newest first. */
export const listVersions = (key, signal) => api.get(`${formPath(key)}/versions`, { signal });
/**
 * checkExpression compiles expr against the form's saved draft (or an open
 * form when it has none yet). The API compiles the whole draft to learn its
 * fields, so a draft with a problem elsewhere answers 422: then expr is
 * checked against an open form (syntax, functions, types of literals) and
 * the answer says the field names went unchecked (`loose`).
 */
export async function checkExpression(expr, form, type, signal) {
    const call = (withForm) => api.post('/expressions/check', { expr, type, ...(withForm && form ? { form, draft: true } : {}) }, { signal });
    try {
        return { ...(await call(true)), loose: !form };
    }
    catch (err) {
        if (!(err instanceof Problem) || err.status !== 422 || !form)
            throw err;
        return { ...(await call(false)), loose: true };
    }
}
/** listFragments answers the reusable fragments a form may name. */
export const listFragments = (signal) => api.get('/fragments', { signal });
