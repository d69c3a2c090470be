// The client for Pishkhan's /api/v1 (docs/api.md). A browser logs in once
// and is then carried by the HttpOnly session cookie; every write also
// sends the session's CSRF token, which login answers and the client keeps
// (the cookie cannot be read by scripts, the token must be). Every call
// sends Accept-Language so that titles and messages of problems come back
// in the UI's language. Failures are thrown as Problem.

import { Problem } from './problem';

/** Where the CSRF token of the browser's session is kept between page loads. */
export const csrfStorageKey = 'pishkhan.csrf';

/** Options of one call. */
export interface CallOptions {
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
  /** Headers of this call only, such as If-Match or If-None-Match. */
  headers?: Record<string, string>;
}

type Listener = (p: Problem) => void;

/** ApiClient calls /api/v1 from the browser. One instance serves the app. */
export class ApiClient {
  private language = 'en';
  private csrf: string | null;
  private listeners = new Set<Listener>();

  constructor(
    private readonly base = '/api/v1',
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null = typeof localStorage === 'undefined' ? null : localStorage,
    private readonly fetcher: typeof fetch = (...a) => fetch(...a),
  ) {
    this.csrf = storage?.getItem(csrfStorageKey) ?? null;
  }

  /** setLanguage makes later calls ask for answers in lang. */
  setLanguage(lang: string): void {
    this.language = lang;
  }

  /** setCSRF keeps the token login answered (null forgets it). */
  setCSRF(token: string | null): void {
    this.csrf = token;
    if (token) this.storage?.setItem(csrfStorageKey, token);
    else this.storage?.removeItem(csrfStorageKey);
  }

  /** onUnauthenticated calls fn whenever a call is answered 401, so the shell can ask for a login. */
  onUnauthenticated(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get<T>(path: string, opts?: CallOptions): Promise<T> {
    return this.call<T>('GET', path, undefined, opts);
  }

  post<T>(path: string, body?: unknown, opts?: CallOptions): Promise<T> {
    return this.call<T>('POST', path, body ?? {}, opts);
  }

  put<T>(path: string, body: unknown, opts?: CallOptions): Promise<T> {
    return this.call<T>('PUT', path, body, opts);
  }

  delete<T>(path: string, opts?: CallOptions): Promise<T> {
    return this.call<T>('DELETE', path, undefined, opts);
  }

  /** call sends one request and answers its JSON body, or throws a Problem. */
  async call<T>(method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', 'Accept-Language': this.language, ...opts.headers };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && method !== 'HEAD' && this.csrf) headers['X-CSRF-Token'] = this.csrf;
    let res: Response;
    try {
      res = await this.fetcher(this.base + path + queryString(opts.query), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        signal: opts.signal,
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      // No answer at all: the network or the server is down. status 0 tells
      // the UI to say so rather than show a server message.
      throw new Problem({ type: 'network', status: 0, title: (err as Error).message });
    }
    if (res.ok) {
      if (res.status === 204) return undefined as T;
      const text = await res.text();
      return (text ? JSON.parse(text) : undefined) as T;
    }
    const problem = await readProblem(res);
    if (problem.status === 401) this.listeners.forEach((fn) => fn(problem));
    throw problem;
  }
}

/** readProblem reads a failed answer as a Problem, whatever its body is. */
export async function readProblem(res: Response): Promise<Problem> {
  const type = res.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    try {
      const body = await res.json();
      return new Problem({ ...body, status: res.status });
    } catch {
      // fall through: a broken body is reported by its status
    }
  }
  return new Problem({ status: res.status, title: res.statusText });
}

/** queryString encodes the defined parameters as ?a=1&b=2. */
export function queryString(q?: CallOptions['query']): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** api is the app's client. */
export const api = new ApiClient();
