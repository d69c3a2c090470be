/** The inbox's views (docs/workflows.md): mine, my groups' queues, or both. */
export const views = ['mine', 'queues', ''];
/** The inbox's sort orders. */
export const sorts = ['due', 'priority', 'created'];
/** taskForm is the JSON Schema the workflow gives the task's node, if any. */
export function taskForm(workflow, node) {
    const form = workflow?.definition.nodes.find((n) => n.id === node)?.form;
    return form && Object.keys(form).length ? form : undefined;
}
/** openTasks are a request's workflow tasks still to do, soonest due first; referrals are listed apart. */
export function openTasks(r) {
    return (r.workflow?.tasks ?? [])
        .filter((t) => t.status === 'open' && t.kind !== 'referral')
        .sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999'));
}
/** referrals are the tasks the owner handed to other departments (kind referral), open or answered. */
export function referrals(r) {
    return (r.workflow?.tasks ?? []).filter((t) => t.kind === 'referral');
}
/** actionsFor says which of a task's buttons to offer to user in groups. */
export function actionsFor(task, user, groups) {
    const mine = task.assignee === user;
    const queued = !task.assignee && (task.groups ?? []).some((g) => groups.includes(g));
    return { claim: queued, release: mine, complete: mine || queued };
}
