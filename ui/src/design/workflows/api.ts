// The designer's calls to /api/v1/workflows and its neighbours (docs/api.md,
// "Drafts and versions"; docs/workflows.md, "Simulation").
import { api } from '../../api/client';
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
 * over someone else's newer one is refused (412) rather than lost; without
 * one it creates, with If-None-Match: *, so a key that exists is refused
 * (412) rather than overwritten.
 */
export const saveDraft = (wf: Workflow, revision: number | undefined) =>
  api.put<WorkflowHead>(`/workflows/${enc(wf.key)}`, wf, { headers: revision ? { 'If-Match': `"${revision}"` } : { 'If-None-Match': '*' } });

/** titleOf is a picked item's title in lang, or its key. */
export function titleOf(item: Named, lang: string): string {
  const t = item.title ?? item.name;
  if (typeof t === 'string') return t || item.key;
  return (t?.[lang as 'en' | 'fa'] || t?.en || item.key) as string;
}
