import { describe, expect, it } from 'vitest';
import { ApiClient, csrfStorageKey, queryString } from './client';
import { Problem } from './problem';
/** A recorded call and a scripted answer. */
function fakeServer(answer) {
    const calls = [];
    const fetcher = (async (url, init) => {
        calls.push({ url, init });
        return answer(url, init);
    });
    return { calls, fetcher };
}
function memoryStorage() {
    const m = new Map();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k), m };
}
const json = (status, body, type = 'application/json') => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });
describe('the API client', () => {
    it('sends the language, and the CSRF token on writes only', async () => {
        const { calls, fetcher } = fakeServer(() => json(200, { ok: true }));
        const storage = memoryStorage();
        const api = new ApiClient('/api/v1', storage, fetcher);
        api.setLanguage('fa');
        api.setCSRF('tok');
        expect(storage.m.get(csrfStorageKey)).toBe('tok');
        await api.get('/catalog');
        await api.post('/requests', { type: 'it-support' });
        const [get, post] = calls.map((c) => c.init.headers);
        expect(get['Accept-Language']).toBe('fa');
        expect(get['X-CSRF-Token']).toBeUndefined();
        expect(post['X-CSRF-Token']).toBe('tok');
        expect(post['Content-Type']).toBe('application/json');
        expect(calls[1].init.body).toBe('{"type":"it-support"}');
        expect(calls[1].init.credentials).toBe('same-origin');
        expect(calls[1].url).toBe('/api/v1/requests');
    });
    it("sends a call's own headers (If-Match, If-None-Match) beside its usual ones", async () => {
        const { calls, fetcher } = fakeServer(() => json(200, { ok: true }));
        const api = new ApiClient('/api/v1', memoryStorage(), fetcher);
        api.setCSRF('tok');
        await api.put('/workflows/leave', { key: 'leave' }, { headers: { 'If-None-Match': '*' } });
        await api.put('/workflows/leave', { key: 'leave' });
        const [create, save] = calls.map((c) => c.init.headers);
        expect(create['If-None-Match']).toBe('*');
        expect(create['X-CSRF-Token']).toBe('tok');
        expect(save['If-None-Match']).toBeUndefined();
    });
    it('keeps the CSRF token across page loads, and forgets it on logout', () => {
        const storage = memoryStorage();
        new ApiClient('/api/v1', storage, fetch).setCSRF('kept');
        const next = new ApiClient('/api/v1', storage, fakeServer(() => json(200, {})).fetcher);
        expect(storage.m.get(csrfStorageKey)).toBe('kept');
        next.setCSRF(null);
        expect(storage.m.has(csrfStorageKey)).toBe(false);
    });
    it('throws problem+json answers as Problem with their field errors', async () => {
        const body = { type: 'urn:pishkhan:problem:validation-failed', title: 'Invalid', status: 422, errors: [{ pointer: '/data/subject', code: 'minLength', message: 'Too short.' }] };
        const api = new ApiClient('/api/v1', null, fakeServer(() => json(422, body, 'application/problem+json')).fetcher);
        const err = (await api.post('/requests', {}).catch((e) => e));
        expect(err).toBeInstanceOf(Problem);
        expect(err.status).toBe(422);
        expect(err.slug).toBe('validation-failed');
        expect(err.errors).toEqual(body.errors);
    });
    it('turns a failure without a problem body, and no answer at all, into a Problem', async () => {
        const html = new ApiClient('/api/v1', null, fakeServer(() => new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway', headers: { 'Content-Type': 'text/html' } })).fetcher);
        const e1 = (await html.get('/catalog').catch((e) => e));
        expect(e1).toBeInstanceOf(Problem);
        expect(e1.status).toBe(502);
        const down = new ApiClient('/api/v1', null, (async () => {
            throw new TypeError('Failed to fetch');
        }));
        const e2 = (await down.get('/catalog').catch((e) => e));
        expect(e2).toBeInstanceOf(Problem);
        expect(e2.status).toBe(0);
    });
    it('tells its listeners when the session is gone (401)', async () => {
        const api = new ApiClient('/api/v1', null, fakeServer(() => json(401, { type: 'urn:pishkhan:problem:unauthenticated', status: 401 }, 'application/problem+json')).fetcher);
        const heard = [];
        const off = api.onUnauthenticated((p) => heard.push(p.status));
        await api.get('/auth/me').catch(() => { });
        off();
        await api.get('/auth/me').catch(() => { });
        expect(heard).toEqual([401]);
    });
    it('answers nothing for 204 and encodes only the query parameters given', async () => {
        const api = new ApiClient('/api/v1', null, fakeServer(() => new Response(null, { status: 204 })).fetcher);
        expect(await api.delete('/uploads/x')).toBeUndefined();
        expect(queryString({ limit: 200, cursor: undefined, q: 'چاپگر' })).toBe('?limit=200&q=%DA%86%D8%A7%D9%BE%DA%AF%D8%B1');
        expect(queryString({})).toBe('');
    });
});
