import { describe, expect, it } from 'vitest';
import { bucketOf, nextDeadline } from './requests';
import { normalizeCode } from './TrackPage';
import { homeFor, sectionsFor } from '../navigation';
describe("the requester's lists", () => {
    it('sorts requests into waiting for me, in progress and done', () => {
        expect(bucketOf({ status: 'awaiting-requester' })).toBe('waiting');
        expect(bucketOf({ status: 'returned' })).toBe('waiting');
        expect(bucketOf({ status: 'in-progress' })).toBe('inProgress');
        expect(bucketOf({ status: 'submitted' })).toBe('inProgress');
        expect(bucketOf({ status: 'resolved' })).toBe('done');
        expect(bucketOf({ status: 'approved', closed: true })).toBe('done');
        // closed wins over a waiting status left behind
        expect(bucketOf({ status: 'returned', closed: true })).toBe('done');
    });
    it('shows the earliest open deadline, never a met one', () => {
        const goals = [
            { goal: 'resolution', state: 'running', due: '2026-11-28T12:30:00Z' },
            { goal: 'firstResponse', state: 'met', due: '2026-11-24T12:30:00Z' },
            { goal: 'approval', state: 'breached', due: '2026-11-25T12:30:00Z' },
        ];
        expect(nextDeadline(goals)?.goal).toBe('approval');
        expect(nextDeadline([goals[1]])).toBeUndefined();
        expect(nextDeadline(undefined)).toBeUndefined();
    });
    it('tidies a typed tracking code', () => {
        expect(normalizeCode(' nfeht-ahf9p ')).toBe('NFEHTAHF9P');
    });
});
describe('navigation by role', () => {
    const paths = (roles) => sectionsFor(roles.map((role) => ({ role, domain: '*' }))).map((s) => s.path);
    it('shows each role what it may use', () => {
        expect(paths(['requester'])).toEqual(['/catalog', '/requests']);
        expect(paths(['agent'])).toEqual(['/catalog', '/requests', '/work']);
        expect(paths(['process-owner'])).toEqual(['/design']);
        expect(paths(['supervisor'])).toEqual(['/catalog', '/requests', '/work', '/dashboards']);
        expect(paths(['admin'])).toEqual(['/catalog', '/requests', '/work', '/design', '/dashboards']);
        expect(paths([])).toEqual([]);
    });
    it('lands a user on their first section, or tracking', () => {
        expect(homeFor([{ role: 'process-owner', domain: 'category:it' }])).toBe('/design');
        expect(homeFor([])).toBe('/track');
    });
});
