// The request type editor's calls to /api/v1/request-types (docs/api.md,
// "Drafts and versions"; docs/service-desk.md, "Request types").
import { api } from '../../api/client';
import type { FormHead } from '../forms/formsApi';
import type { RequestTypeDefinition } from './model';

/** The head of a request type: its draft, revision and newest published version, as a form's head but for the draft. */
export type TypeHead = Omit<FormHead, 'draft'> & { draft?: RequestTypeDefinition };

/** A published version, without its body. */
export interface TypeVersion {
  key: string;
  version: number;
  publishedAt: string;
}

const path = (key: string) => `/request-types/${encodeURIComponent(key)}`;

export const listTypes = (signal?: AbortSignal) => api.get<{ items: TypeHead[] }>('/request-types', { signal });
export const getType = (key: string, signal?: AbortSignal) => api.get<TypeHead>(path(key), { signal });
export const listVersions = (key: string, signal?: AbortSignal) => api.get<{ items: TypeVersion[] }>(`${path(key)}/versions`, { signal });
export const publish = (key: string) => api.post<{ key: string; version: number }>(`${path(key)}/publish`);

/**
 * saveDraft PUTs the draft: with the revision it was read or last saved at
 * as If-Match, so someone else's newer save is refused (412), not lost;
 * without one it creates, with If-None-Match: *, so an existing key is
 * refused (412), not replaced.
 */
export const saveDraft = (def: RequestTypeDefinition, revision: number | undefined) =>
  api.put<TypeHead>(path(def.key), def, { headers: revision ? { 'If-Match': `"${revision}"` } : { 'If-None-Match': '*' } });
