// What the agent workspace reads from the API and derives from it: tasks in
// the inbox, the staff's view of a request, and which task form and actions
// apply to whom.
import type { Message, RequestView, SLAGoal } from '../api/types';
import type { Text } from '../i18n/format';

/** An open task as GET /tasks lists it (engine.TaskItem) or a request's workflow holds it. */
export interface WorkTask {
  id: string;
  node: string;
  kind: string; // task, approval, referral, resubmit
  title?: Text;
  status: string;
  assignee?: string;
  groups?: string[];
  outcomes?: string[];
  priority?: string;
  due?: string;
  overdue?: boolean;
  createdAt?: string;
  comment?: string;
  outcome?: string;
  completedBy?: string;
  completedAt?: string;
  /** the request (inbox items only) */
  request?: string;
  requestStatus?: string;
  form?: { key: string; version?: number };
}

/** A file attached to a request (engine.Attachment). */
export interface Attachment {
  id: string;
  name: string;
  type: string;
  size: number;
  by?: string;
  at?: string;
  internal?: boolean;
}

/** An SLA goal as staff read it (slaStatus.goals). */
export interface StaffGoal extends SLAGoal {
  target?: string;
  left?: string;
}

/** A history entry as staff read it: who did it and the detail. */
export interface StaffHistoryEntry {
  at: string;
  type: string;
  status?: string;
  actor?: string;
  to?: string;
  detail?: string;
  node?: string;
}

/** A request as staff read it (GET /requests/{id} with requests:read). */
export interface StaffRequest extends RequestView {
  ownerGroup?: string;
  enteredBy?: string;
  history?: StaffHistoryEntry[];
  messages?: Message[];
  attachments?: Attachment[];
  slaStatus?: { goals?: StaffGoal[] };
  workflow?: { workflow: string; version: number; tasks?: WorkTask[] };
  profile?: { name?: string; email?: string; phone?: string; segment?: string };
}

/** A workflow node as published (the fields the workspace reads). */
export interface WorkflowNode {
  id: string;
  kind: string;
  form?: Record<string, unknown>;
}

/** A published workflow version (GET /workflows/{key}/versions/{n}). */
export interface WorkflowVersion {
  definition: { nodes: WorkflowNode[] };
}

/** The inbox's views (docs/workflows.md): mine, my groups' queues, or both. */
export const views = ['mine', 'queues', ''] as const;
export type View = (typeof views)[number];

/** The inbox's sort orders. */
export const sorts = ['due', 'priority', 'created'] as const;
export type Sort = (typeof sorts)[number];

/** taskForm is the JSON Schema the workflow gives the task's node, if any. */
export function taskForm(workflow: WorkflowVersion | undefined, node: string): Record<string, unknown> | undefined {
  const form = workflow?.definition.nodes.find((n) => n.id === node)?.form;
  return form && Object.keys(form).length ? form : undefined;
}

/** openTasks are a request's workflow tasks still to do, soonest due first; referrals are listed apart. */
export function openTasks(r: StaffRequest): WorkTask[] {
  return (r.workflow?.tasks ?? [])
    .filter((t) => t.status === 'open' && t.kind !== 'referral')
    .sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999'));
}

/** referrals are the tasks the owner handed to other departments (kind referral), open or answered. */
export function referrals(r: StaffRequest): WorkTask[] {
  return (r.workflow?.tasks ?? []).filter((t) => t.kind === 'referral');
}

/** What a user may do with a task: the server decides; this only spares buttons that would be refused. */
export interface TaskActions {
  claim: boolean;
  release: boolean;
  complete: boolean;
}

/** actionsFor says which of a task's buttons to offer to user in groups. */
export function actionsFor(task: WorkTask, user: string, groups: readonly string[]): TaskActions {
  const mine = task.assignee === user;
  const queued = !task.assignee && (task.groups ?? []).some((g) => groups.includes(g));
  return { claim: queued, release: mine, complete: mine || queued };
}
