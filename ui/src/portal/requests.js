/** Statuses in which the request waits on its requester (engine: awaiting-requester, returned). */
const waitingOnRequester = new Set(['awaiting-requester', 'returned']);
/** bucketOf says in which list a request belongs. */
export function bucketOf(r) {
    if (r.closed || r.status === 'resolved' || r.status === 'closed')
        return 'done';
    if (waitingOnRequester.has(r.status))
        return 'waiting';
    return 'inProgress';
}
/** Open goals first, earliest due first; met goals last. */
export function nextDeadline(goals) {
    return (goals ?? [])
        .filter((g) => g.due && (g.state === 'running' || g.state === 'paused' || g.state === 'breached'))
        .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0))[0];
}
