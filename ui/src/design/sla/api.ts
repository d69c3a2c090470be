// The editors' calls to /api/v1/calendars and /api/v1/sla-policies, which
// are drafted, published and versioned alike (docs/api.md, "Drafts and
// versions"; docs/sla.md).
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import type { WorkflowHead } from '../workflows/api';
import type { Texts } from './model';

/** The two kinds of definition these editors write, by their collection. */
export type Kind = 'calendars' | 'sla-policies';

/**
 * A definition's head: its draft, revision and newest published version
 * (every kind answers the same head; the workflow designer named it first).
 */
export type Head = WorkflowHead;

/** A published version; the body only when one version was asked for. */
export interface Version {
  key: string;
  version: number;
  title?: Texts;
  publishedAt: string;
  definition?: unknown;
}

const path = (kind: Kind, key?: string) => (key === undefined ? `/${kind}` : `/${kind}/${encodeURIComponent(key)}`);

/** listHeads answers every head of a kind, following the pages. */
export async function listHeads(kind: Kind, signal?: AbortSignal): Promise<Head[]> {
  const out: Head[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<Page<Head>>(path(kind), { signal, query: { limit: 200, cursor } });
    out.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return out;
}

export const getHead = (kind: Kind, key: string, signal?: AbortSignal) => api.get<Head>(path(kind, key), { signal });
export const getVersion = (kind: Kind, key: string, n: number | 'latest', signal?: AbortSignal) => api.get<Version>(`${path(kind, key)}/versions/${n}`, { signal });
export const listVersions = (kind: Kind, key: string, signal?: AbortSignal) => api.get<Page<Version>>(`${path(kind, key)}/versions`, { signal });
export const publish = (kind: Kind, key: string) => api.post<{ key: string; version: number; publishedAt: string }>(`${path(kind, key)}/publish`);

/**
 * saveDraft PUTs a draft. With the revision it was read or last saved at
 * (the ETag) it sends If-Match, so someone else's newer save is refused
 * (412) rather than lost; without one it creates, with If-None-Match: *,
 * so a key that exists is refused (412) rather than overwritten.
 */
export const saveDraft = (kind: Kind, key: string, body: unknown, revision: number | undefined) =>
  api.put<Head>(path(kind, key), body, { headers: revision ? { 'If-Match': `"${revision}"` } : { 'If-None-Match': '*' } });
