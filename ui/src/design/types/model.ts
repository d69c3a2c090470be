// The request type editor's model: a catalog entry (docs/service-desk.md,
// "Request types: the catalog") as the editor's inputs hold it, and back.
// The editor edits what a process owner needs to put a form and workflow
// into the catalog (titles, category, interaction, form, workflow, SLA
// policy, channels, owner group, reopening); everything else a definition
// may hold (audience, hours, email intake, rule sets that choose the owner
// or the policy) is kept as it was, so saving never drops it.
import { parsePointer, type FieldProblem } from '../../api/problem';
import type { Text } from '../../i18n/format';

/** A request type as the API stores it (engine.RequestType). */
export interface RequestTypeDefinition {
  key: string;
  title: Text;
  description?: Text;
  category?: string;
  interaction: string;
  form: string;
  workflow?: string;
  sla?: { policy?: string; ruleSet?: string };
  channels?: string[];
  owner?: { enteredBy?: boolean; ruleSet?: string; group?: string; pick?: string };
  reopenDays?: number;
  [other: string]: unknown;
}

/** The kinds of interaction a type may be (engine.Interactions). */
export const interactions = ['service', 'order', 'order-change', 'inquiry', 'support', 'incident', 'approval', 'feedback', 'complaint', 'suggestion'] as const;

/** The channels a type may be requested through (engine.Channels). */
export const channels = ['portal', 'api', 'email', 'phone', 'walk-in', 'chat', 'social', 'mobile', 'partner'] as const;

/** How an owner is picked within the owner group. */
export const picks = ['round-robin', 'least-loaded'] as const;

/** The editor's state: one string or flag per input, and what it does not edit. */
export interface TypeModel {
  key: string;
  titleEn: string;
  titleFa: string;
  descriptionEn: string;
  descriptionFa: string;
  category: string;
  interaction: string;
  form: string;
  /** '' is the workflow with the form's key */
  workflow: string;
  /** '' is no SLA goals (or the rule set below chooses) */
  slaPolicy: string;
  /** kept, not edited: a rule set that chooses the policy */
  slaRuleSet: string;
  channels: string[];
  ownerGroup: string;
  ownerPick: string;
  enteredBy: boolean;
  /** kept, not edited: a rule set that chooses the owner */
  ownerRuleSet: string;
  /** days as typed; '' or 0 is never */
  reopenDays: string;
  /** the definition's other fields, kept as they were */
  rest: Record<string, unknown>;
}

/** emptyType is a new type's model: a portal and API entry for anyone who may submit. */
export function emptyType(key = ''): TypeModel {
  return {
    key,
    titleEn: '',
    titleFa: '',
    descriptionEn: '',
    descriptionFa: '',
    category: '',
    interaction: 'service',
    form: '',
    workflow: '',
    slaPolicy: '',
    slaRuleSet: '',
    channels: ['portal', 'api'],
    ownerGroup: '',
    ownerPick: '',
    enteredBy: false,
    ownerRuleSet: '',
    reopenDays: '',
    rest: {},
  };
}

/** fromDefinition reads a stored definition into the editor's model. */
export function fromDefinition(def: RequestTypeDefinition): TypeModel {
  const { key, title, description, category, interaction, form, workflow, sla, channels: chosen, owner, reopenDays, ...rest } = def;
  return {
    key,
    titleEn: title?.en ?? '',
    titleFa: title?.fa ?? '',
    descriptionEn: description?.en ?? '',
    descriptionFa: description?.fa ?? '',
    category: category ?? '',
    interaction: interaction ?? '',
    form: form ?? '',
    workflow: workflow ?? '',
    slaPolicy: sla?.policy ?? '',
    slaRuleSet: sla?.ruleSet ?? '',
    channels: [...(chosen ?? [])],
    ownerGroup: owner?.group ?? '',
    ownerPick: owner?.pick ?? '',
    enteredBy: owner?.enteredBy ?? false,
    ownerRuleSet: owner?.ruleSet ?? '',
    reopenDays: reopenDays ? String(reopenDays) : '',
    rest,
  };
}

/** text answers {en, fa} with the languages given, or undefined when none is. */
function text(en: string, fa: string): Text | undefined {
  const t: Text = {};
  if (en.trim()) t.en = en.trim();
  if (fa.trim()) t.fa = fa.trim();
  return Object.keys(t).length ? t : undefined;
}

/**
 * toDefinition writes the model as the API takes it. Empty inputs are
 * left out rather than sent empty: the API reads a missing workflow as
 * "the form's own", a missing policy as "no SLA goals", missing channels
 * as "every channel".
 */
export function toDefinition(m: TypeModel): RequestTypeDefinition {
  const def: RequestTypeDefinition = { key: m.key, title: text(m.titleEn, m.titleFa) ?? {}, interaction: m.interaction, form: m.form };
  const description = text(m.descriptionEn, m.descriptionFa);
  if (description) def.description = description;
  if (m.category.trim()) def.category = m.category.trim();
  if (m.workflow) def.workflow = m.workflow;
  if (m.slaPolicy) def.sla = { policy: m.slaPolicy };
  else if (m.slaRuleSet) def.sla = { ruleSet: m.slaRuleSet };
  if (m.channels.length) def.channels = [...m.channels];
  const owner: NonNullable<RequestTypeDefinition['owner']> = {};
  if (m.enteredBy) owner.enteredBy = true;
  if (m.ownerRuleSet) owner.ruleSet = m.ownerRuleSet;
  if (m.ownerGroup) owner.group = m.ownerGroup;
  if (m.ownerPick) owner.pick = m.ownerPick;
  if (Object.keys(owner).length) def.owner = owner;
  const days = Number(m.reopenDays);
  // Not a number is sent as typed, so the server's problem names it.
  if (m.reopenDays.trim() && days !== 0) def.reopenDays = Number.isInteger(days) ? days : (m.reopenDays as unknown as number);
  // The fields the editor does not edit, in the order the API writes them.
  return { ...def, ...m.rest };
}

/** toggleChannel turns a channel on or off, keeping the order of the others. */
export function toggleChannel(chosen: readonly string[], channel: string, on: boolean): string[] {
  const without = chosen.filter((c) => c !== channel);
  return on ? [...without, channel] : without;
}

/** The inputs of the editor a problem can be shown under. */
export type Input = 'key' | 'title' | 'description' | 'category' | 'interaction' | 'form' | 'workflow' | 'sla' | 'channels' | 'owner' | 'reopenDays';

const inputs: readonly string[] = ['key', 'title', 'description', 'category', 'interaction', 'form', 'workflow', 'sla', 'channels', 'owner', 'reopenDays'];

/** inputOf is the input a problem's pointer names (/sla/policy is the SLA picker), or null for what the editor does not show. */
export function inputOf(pointer: string): Input | null {
  const first = parsePointer(pointer)[0] ?? '';
  return inputs.includes(first) ? (first as Input) : null;
}

/** placeProblems sorts the API's problems under the inputs they name; the rest are shown above the editor. */
export function placeProblems(problems: readonly FieldProblem[]): { at: Partial<Record<Input, string[]>>; general: string[] } {
  const at: Partial<Record<Input, string[]>> = {};
  const general: string[] = [];
  for (const p of problems) {
    const input = inputOf(p.pointer);
    if (input) (at[input] ??= []).push(p.message);
    else general.push(p.message);
  }
  return { at, general };
}

/** localProblems are what the editor can tell before asking the server: a key, a title in both languages, a form. */
export function localProblems(m: TypeModel, t: (key: string) => string): FieldProblem[] {
  const out: FieldProblem[] = [];
  const add = (pointer: string, message: string) => out.push({ pointer, code: 'required', message });
  if (!/^[a-z][a-z0-9-]{1,62}$/.test(m.key)) add('/key', t('types.keyRule'));
  if (!m.titleEn.trim() || !m.titleFa.trim()) add('/title', t('types.titleNeeded'));
  if (!m.form) add('/form', t('types.formNeeded'));
  return out;
}
