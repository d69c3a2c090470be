// What the portal derives from requests: which of the requester's lists a
// request belongs to, and its next deadline.
import type { RequestView, SLAGoal } from '../api/types';

/** The requester's three lists (DOMAIN.md: done, waiting, in progress). */
export type Bucket = 'waiting' | 'inProgress' | 'done';

/** Statuses in which the request waits on its requester (engine: awaiting-requester, returned). */
const waitingOnRequester = new Set(['awaiting-requester', 'returned']);

/** bucketOf says in which list a request belongs. */
export function bucketOf(r: Pick<RequestView, 'status' | 'closed' | 'resolvedAt'>): Bucket {
  if (r.closed || r.status === 'resolved' || r.status === 'closed') return 'done';
  if (waitingOnRequester.has(r.status)) return 'waiting';
  return 'inProgress';
}

/** Open goals first, earliest due first; met goals last. */
export function nextDeadline(goals: SLAGoal[] | undefined): SLAGoal | undefined {
  return (goals ?? [])
    .filter((g) => g.due && (g.state === 'running' || g.state === 'paused' || g.state === 'breached'))
    .sort((a, b) => (a.due! < b.due! ? -1 : a.due! > b.due! ? 1 : 0))[0];
}
