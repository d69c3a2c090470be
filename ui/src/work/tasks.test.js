import { describe, expect, it } from 'vitest';
import { actionsFor, openTasks, referrals, taskForm } from './tasks';
const workflow = {
    definition: {
        nodes: [
            { id: 'triage', kind: 'task' },
            { id: 'handle', kind: 'task', form: { type: 'object', required: ['resolution'] } },
            { id: 'empty', kind: 'task', form: {} },
        ],
    },
};
describe('taskForm', () => {
    it("finds the schema the workflow gives the task's node", () => {
        expect(taskForm(workflow, 'handle')).toEqual({ type: 'object', required: ['resolution'] });
    });
    it('has none for a node without a form, an empty form or an unknown node', () => {
        expect(taskForm(workflow, 'triage')).toBeUndefined();
        expect(taskForm(workflow, 'empty')).toBeUndefined();
        expect(taskForm(workflow, 'gone')).toBeUndefined();
        expect(taskForm(undefined, 'handle')).toBeUndefined();
    });
});
describe('tasks of a request', () => {
    const task = (id, over) => ({ id, node: 'n', kind: 'task', status: 'open', ...over });
    const r = {
        id: 'R',
        status: 'in-progress',
        workflow: {
            workflow: 'w',
            version: 1,
            tasks: [
                task('late', { due: '2026-11-25T00:00:00Z' }),
                task('done', { status: 'completed' }),
                task('none', {}),
                task('early', { due: '2026-11-24T00:00:00Z' }),
                task('ref', { kind: 'referral', status: 'completed' }),
                task('asked', { kind: 'referral', due: '2026-11-23T00:00:00Z' }),
            ],
        },
    };
    it('lists the open workflow tasks soonest due first, those without a due time last, referrals apart', () => {
        expect(openTasks(r).map((t) => t.id)).toEqual(['early', 'late', 'none']);
    });
    it('lists referrals whatever their status', () => {
        expect(referrals(r).map((t) => t.id)).toEqual(['ref', 'asked']);
    });
});
describe('actionsFor', () => {
    const queued = { id: 't', node: 'n', kind: 'task', status: 'open', groups: ['it-support'] };
    it('offers claim and complete on a task in my group’s queue', () => {
        expect(actionsFor(queued, 'reza', ['it-support'])).toEqual({ claim: true, release: false, complete: true });
    });
    it('offers release and complete on my task', () => {
        expect(actionsFor({ ...queued, assignee: 'reza' }, 'reza', ['it-support'])).toEqual({ claim: false, release: true, complete: true });
    });
    it('offers nothing on a task someone else holds, or another group’s', () => {
        expect(actionsFor({ ...queued, assignee: 'ali' }, 'reza', ['it-support'])).toEqual({ claim: false, release: false, complete: false });
        expect(actionsFor(queued, 'ali', ['billing'])).toEqual({ claim: false, release: false, complete: false });
    });
});
