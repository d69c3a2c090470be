// The designer's calls (docs/api.md "Drafts and versions"). Saving a draft
// needs the ETag of the draft it was read from, sent back as If-Match, so a
// save never overwrites someone else's: the app's client does not expose
// headers, so these calls go through a client of their own whose fetch
// reads the ETag and adds If-Match. Cookie, CSRF token and problems work
// as in the app's client.
import { ApiClient, api } from '../../api/client';
import { Problem, type FieldProblem } from '../../api/problem';
import type { FormDefinition, Page } from '../../api/types';
import type { Text } from '../../i18n/format';
import i18n from '../../i18n';

/** FormHead is a form as GET /forms/{key} answers it: the draft, its revision and the newest version. */
export interface FormHead {
  key: string;
  title: Text;
  category?: string;
  revision: number;
  updatedAt?: string;
  latestVersion: number;
  publishedAt?: string;
  draft?: FormDefinition;
  problems?: FieldProblem[];
}

/** A published version of a form, without its body. */
export interface FormVersionHead {
  key: string;
  version: number;
  title?: Text;
  fragments?: { key: string; version: number }[];
  draftRevision?: number;
  publishedAt: string;
}

/** The verdict of POST /expressions/check. */
export interface CheckResult {
  valid: boolean;
  error?: { message: string; line?: number; column?: number; path?: string };
}

/** A head with the ETag of its draft. */
export interface Tagged<T> {
  body: T;
  etag: string | null;
}

async function tagged<T>(method: string, path: string, body?: unknown, condition: Record<string, string> = {}): Promise<Tagged<T>> {
  let etag: string | null = null;
  const client = new ApiClient('/api/v1', typeof localStorage === 'undefined' ? null : localStorage, async (input, init) => {
    const headers = { ...(init?.headers as Record<string, string>), ...condition };
    const res = await fetch(input, { ...init, headers });
    etag = res.headers.get('ETag');
    return res;
  });
  client.setLanguage(i18n.language);
  const answer = await client.call<T>(method, path, body);
  return { body: answer, etag };
}

const formPath = (key: string) => `/forms/${encodeURIComponent(key)}`;

/** listForms answers every form's head. */
export const listForms = (signal?: AbortSignal) => api.get<Page<FormHead>>('/forms', { signal });

/** loadForm answers a form's head with its draft and the draft's ETag. */
export const loadForm = (key: string) => tagged<FormHead>('GET', formPath(key));

/**
 * saveDraft stores the draft; ifMatch refuses to overwrite a newer save
 * (412). null creates a new form: If-None-Match: * makes the save fail
 * (412) if the key exists, rather than replace that form.
 */
export const saveDraft = (def: FormDefinition, ifMatch: string | null) =>
  tagged<FormHead>('PUT', formPath(def.key), def, ifMatch === null ? { 'If-None-Match': '*' } : { 'If-Match': ifMatch });

/** publish stores the draft as the next version. */
export const publish = (key: string) => api.post<{ key: string; version: number; publishedAt: string }>(`${formPath(key)}/publish`);

/** listVersions answers the published versions, newest first. */
export const listVersions = (key: string, signal?: AbortSignal) => api.get<Page<FormVersionHead>>(`${formPath(key)}/versions`, { signal });

/**
 * checkExpression compiles expr against the form's saved draft (or an open
 * form when it has none yet). The API compiles the whole draft to learn its
 * fields, so a draft with a problem elsewhere answers 422: then expr is
 * checked against an open form (syntax, functions, types of literals) and
 * the answer says the field names went unchecked (`loose`).
 */
export async function checkExpression(expr: string, form: string | null, type: 'boolean' | 'any', signal?: AbortSignal): Promise<CheckResult & { loose?: boolean }> {
  const call = (withForm: boolean) => api.post<CheckResult>('/expressions/check', { expr, type, ...(withForm && form ? { form, draft: true } : {}) }, { signal });
  try {
    return { ...(await call(true)), loose: !form };
  } catch (err) {
    if (!(err instanceof Problem) || err.status !== 422 || !form) throw err;
    return { ...(await call(false)), loose: true };
  }
}

/** listFragments answers the reusable fragments a form may name. */
export const listFragments = (signal?: AbortSignal) => api.get<Page<{ key: string; title: Text; latestVersion: number }>>('/fragments', { signal });
