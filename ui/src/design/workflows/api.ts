// The designer's calls to /api/v1/workflows and its neighbours (docs/api.md,
// "Drafts and versions"; docs/workflows.md, "Simulation"). Saving a draft
// needs If-Match and the answer's ETag, which the shared client does not
// expose, so that one call is made here with the same headers and the same
// Problem on failure.
import { api, csrfStorageKey, readProblem } from '../../api/client';
import { Problem } from '../../api/problem';
import type { DefinitionProblem, PathEvent, Workflow } from './model';

/** The head of a workflow: its draft, revision and newest published version. */
export interface WorkflowHead {
  key: string;
  title: { en?: string; fa?: string };
  category?: string;
  revision: number;
  updatedAt?: string;
  latestVersion: number;
  publishedAt?: string;
  draft?: unknown;
  problems?: DefinitionProblem[];
}

/** A published version, without its body unless one was asked for. */
export interface WorkflowVersion {
  key: string;
  version: number;
  title: { en?: string; fa?: string };
  form?: { key: string; version: number };
  publishedAt: string;
  definition?: unknown;
}

/** The answer of POST /expressions/check. */
export interface CheckResult {
  valid: boolean;
  error?: { message: string; line?: number; column?: number; path?: string };
}

/** The answer of a simulation. */
export interface Simulation {
  status: string;
  closed: boolean;
  path: PathEvent[];
  decisions: PathEvent[];
  tasks: { node: string; outcomes?: string[] }[];
  stopped?: string;
}

/** Something with a key and a title: a group, form or rule set to pick. */
export interface Named {
  key: string;
  title?: { en?: string; fa?: string } | string;
  name?: { en?: string; fa?: string } | string;
}

const enc = encodeURIComponent;

export const listWorkflows = (signal?: AbortSignal) => api.get<{ items: WorkflowHead[] }>('/workflows', { signal });
export const getWorkflow = (key: string, signal?: AbortSignal) => api.get<WorkflowHead>(`/workflows/${enc(key)}`, { signal });
export const listVersions = (key: string, signal?: AbortSignal) => api.get<{ items: WorkflowVersion[] }>(`/workflows/${enc(key)}/versions`, { signal });
export const getVersion = (key: string, n: number | 'latest') => api.get<WorkflowVersion>(`/workflows/${enc(key)}/versions/${n}`);
export const publish = (key: string) => api.post<{ key: string; version: number }>(`/workflows/${enc(key)}/publish`);
export const checkExpression = (expr: string, form: string, signal?: AbortSignal) =>
  api.post<CheckResult>('/expressions/check', { expr, form, type: 'boolean' }, { signal });
export const simulate = (key: string, body: { draft?: boolean; data: unknown; outcomes?: Record<string, string[]> }) =>
  api.post<Simulation>(`/workflows/${enc(key)}/simulate`, body);

/** listOf answers the items of a list call, or [] when the caller may not read it. */
export async function listOf(path: string, signal?: AbortSignal): Promise<{ items: Named[]; forbidden: boolean }> {
  try {
    const page = await api.get<{ items: Named[] }>(path, { signal });
    return { items: page.items ?? [], forbidden: false };
  } catch (err) {
    if (err instanceof Problem && err.status === 403) return { items: [], forbidden: true };
    throw err;
  }
}

/**
 * saveDraft PUTs the draft. With a revision it sends If-Match, so a save
 * over someone else's newer one is refused (412) rather than lost.
 */
export async function saveDraft(wf: Workflow, revision: number | undefined, lang: string): Promise<WorkflowHead> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': lang,
    'Content-Type': 'application/json',
  };
  const csrf = typeof localStorage === 'undefined' ? null : localStorage.getItem(csrfStorageKey);
  if (csrf) headers['X-CSRF-Token'] = csrf;
  if (revision) headers['If-Match'] = `"${revision}"`;
  let res: Response;
  try {
    res = await fetch(`/api/v1/workflows/${enc(wf.key)}`, { method: 'PUT', headers, body: JSON.stringify(wf), credentials: 'same-origin' });
  } catch (err) {
    throw new Problem({ type: 'network', status: 0, title: (err as Error).message });
  }
  if (!res.ok) throw await readProblem(res);
  return (await res.json()) as WorkflowHead;
}

/** titleOf is a picked item's title in lang, or its key. */
export function titleOf(item: Named, lang: string): string {
  const t = item.title ?? item.name;
  if (typeof t === 'string') return t || item.key;
  return (t?.[lang as 'en' | 'fa'] || t?.en || item.key) as string;
}
