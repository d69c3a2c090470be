// The client for Pishkhan's /api/v1 (docs/api.md). A browser logs in once
// and is then carried by the HttpOnly session cookie; every write also
// sends the session's CSRF token, which login answers and the client keeps
// (the cookie cannot be read by scripts, the token must be). Every call
// sends Accept-Language so that titles and messages of problems come back
// in the UI's language. Failures are thrown as Problem.
import { Problem } from './problem';
/** Where the CSRF token of the browser's session is kept between page loads. */
export const csrfStorageKey = 'pishkhan.csrf';
/** ApiClient calls /api/v1 from the browser. One instance serves the app. */
export class ApiClient {
    base;
    storage;
    fetcher;
    language = 'en';
    csrf;
    listeners = new Set();
    constructor(base = '/api/v1', storage = typeof localStorage === 'undefined' ? null : localStorage, fetcher = (...a) => fetch(...a)) {
        this.base = base;
        this.storage = storage;
        this.fetcher = fetcher;
        this.csrf = storage?.getItem(csrfStorageKey) ?? null;
    }
    /** setLanguage makes later calls ask for answers in lang. */
    setLanguage(lang) {
        this.language = lang;
    }
    /** setCSRF keeps the token login answered (null forgets it). */
    setCSRF(token) {
        this.csrf = token;
        if (token)
            this.storage?.setItem(csrfStorageKey, token);
        else
            this.storage?.removeItem(csrfStorageKey);
    }
    /** onUnauthenticated calls fn whenever a call is answered 401, so the shell can ask for a login. */
    onUnauthenticated(fn) {
        this.listeners.add(fn);
        return () => this.listeners.delete(fn);
    }
    get(path, opts) {
        return this.call('GET', path, undefined, opts);
    }
    post(path, body, opts) {
        return this.call('POST', path, body ?? {}, opts);
    }
    put(path, body, opts) {
        return this.call('PUT', path, body, opts);
    }
    delete(path, opts) {
        return this.call('DELETE', path, undefined, opts);
    }
    /** call sends one request and answers its JSON body, or throws a Problem. */
    async call(method, path, body, opts = {}) {
        const headers = { Accept: 'application/json, application/problem+json', 'Accept-Language': this.language, ...opts.headers };
        if (body !== undefined)
            headers['Content-Type'] = 'application/json';
        if (method !== 'GET' && method !== 'HEAD' && this.csrf)
            headers['X-CSRF-Token'] = this.csrf;
        let res;
        try {
            res = await this.fetcher(this.base + path + queryString(opts.query), {
                method,
                headers,
                body: body === undefined ? undefined : JSON.stringify(body),
                credentials: 'same-origin',
                signal: opts.signal,
            });
        }
        catch (err) {
            if (err.name === 'AbortError')
                throw err;
            // No answer at all: the network or the server is down. status 0 tells
            // the UI to say so rather than show a server message.
            throw new Problem({ type: 'network', status: 0, title: err.message });
        }
        if (res.ok) {
            if (res.status === 204)
                return undefined;
            const text = await res.text();
            return (text ? JSON.parse(text) : undefined);
        }
        const problem = await readProblem(res);
        if (problem.status === 401)
            this.listeners.forEach((fn) => fn(problem));
        throw problem;
    }
}
/** readProblem reads a failed answer as a Problem, whatever its body is. */
export async function readProblem(res) {
    const type = res.headers.get('Content-Type') ?? '';
    if (type.includes('json')) {
        try {
            const body = await res.json();
            return new Problem({ ...body, status: res.status });
        }
        catch {
            // fall through: a broken body is reported by its status
        }
    }
    return new Problem({ status: res.status, title: res.statusText });
}
/** queryString encodes the defined parameters as ?a=1&b=2. */
export function queryString(q) {
    if (!q)
        return '';
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(q))
        if (v !== undefined && v !== '')
            p.set(k, String(v));
    const s = p.toString();
    return s ? `?${s}` : '';
}
/** api is the app's client. */
export const api = new ApiClient();
