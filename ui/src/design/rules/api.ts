// The editor's calls to /api/v1/rules and its neighbours (docs/api.md,
// "Drafts and versions"; docs/rules.md, "Rule sets (decision tables)").
import { api } from '../../api/client';
import type { FormVersion, FragmentVersion } from '../../api/types';
import { fragmentRefs, inlineFragments, titleFragmentFields, type FragmentSchemas } from '../../portal/formSchema';
import type { Text } from '../../i18n/format';
import type { RuleSetDefinition, Sample } from './model';

// A rule set's head and versions have the shape of every definition's
// (docs/api.md, "Drafts and versions"), which the workflow designer names.
export type { WorkflowHead as RuleSetHead, WorkflowVersion as RuleSetVersion } from '../workflows/api';
import type { WorkflowHead as RuleSetHead, WorkflowVersion as RuleSetVersion } from '../workflows/api';

/** The answer of an evaluation: the outputs of the matched rows and their indexes. */
export interface Evaluation {
  key: string;
  version?: number;
  draft?: boolean;
  outputs: Record<string, unknown>[];
  matched: number[];
}

const enc = encodeURIComponent;

export const listRuleSets = (signal?: AbortSignal) => api.get<{ items: RuleSetHead[] }>('/rules', { signal });
export const getRuleSet = (key: string, signal?: AbortSignal) => api.get<RuleSetHead>(`/rules/${enc(key)}`, { signal });
export const listRuleSetVersions = (key: string, signal?: AbortSignal) => api.get<{ items: RuleSetVersion[] }>(`/rules/${enc(key)}/versions`, { signal });
export const getRuleSetVersion = (key: string, n: number | 'latest') => api.get<RuleSetVersion>(`/rules/${enc(key)}/versions/${n}`);
export const publishRuleSet = (key: string) => api.post<{ key: string; version: number }>(`/rules/${enc(key)}/publish`);
/** evaluate tries the draft (version "draft") or a published version on a sample. */
export const evaluate = (key: string, version: number | 'draft', body: Sample) =>
  api.post<Evaluation>(`/rules/${enc(key)}/evaluate`, body, { query: { version } });
/** checkInput checks an input's expression against the rule set's form (its newest version, which publishing checks against). */
export const checkInput = (expr: string, form: string, signal?: AbortSignal) =>
  api.post<{ valid: boolean; error?: { message: string } }>('/expressions/check', { expr, form }, { signal });

/**
 * saveRuleSet PUTs the draft: with a revision it sends If-Match, so a save
 * over someone else's newer one is refused (412) rather than lost; without
 * one it creates, with If-None-Match: *, so an existing key is refused
 * (412) rather than overwritten.
 */
export const saveRuleSet = (def: RuleSetDefinition, revision: number | undefined) =>
  api.put<RuleSetHead>(`/rules/${enc(def.key)}`, def, { headers: revision ? { 'If-Match': `"${revision}"` } : { 'If-None-Match': '*' } });

/** A form to fill a sample with: its newest published version, with its fragments inlined. */
export interface SampleForm {
  version: FormVersion;
  schema: Record<string, unknown>;
}

/**
 * loadSampleForm fetches the newest published version of a form and the
 * fragments it was published with (fragments may name fragments: one
 * round of calls per level), for rendering a sample as the portal would.
 */
export async function loadSampleForm(key: string, signal: AbortSignal): Promise<SampleForm> {
  const version = await api.get<FormVersion>(`/forms/${enc(key)}/versions/latest`, { signal });
  const pinned = version.fragments ?? [];
  const schemas: FragmentSchemas = {};
  const titles: Record<string, Text> = {};
  let wanted = [...fragmentRefs(version.definition.schema, pinned)];
  while (wanted.length) {
    const level = await Promise.all(wanted.map((ref) => api.get<FragmentVersion>(`/fragments/${ref.replace('@', '/versions/')}`, { signal })));
    const named = new Set<string>();
    for (const f of level) {
      schemas[`${f.key}@${f.version}`] = f.definition.schema;
      if (f.title) titles[`${f.key}@${f.version}`] = f.title;
      fragmentRefs(f.definition.schema, pinned, named);
    }
    wanted = [...named].filter((ref) => !(ref in schemas));
  }
  const schema = inlineFragments(version.definition.schema, pinned, schemas) as Record<string, unknown>;
  delete schema.title;
  return { version: { ...version, definition: titleFragmentFields(version.definition, pinned, titles) }, schema };
}
