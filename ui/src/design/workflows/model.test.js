import { describe, expect, it } from 'vitest';
import itSupport from './testdata/it-support.json';
import { addNode, connect, draftState, fromDefinition, layout, moveEdge, newNode, outcomesOf, parseScript, placeProblems, removeNode, toDefinition, trail, updateNode, } from './model';
const demo = () => fromDefinition(structuredClone(itSupport), 'it-support');
describe('layout', () => {
    it('puts every edge but a loop left to right', () => {
        const wf = demo();
        const p = layout(wf);
        expect(Object.keys(p).sort()).toEqual(wf.nodes.map((n) => n.id).sort());
        const loops = wf.edges.filter((e) => p[e.to].x <= p[e.from].x);
        // resume -> triage closes the need-info loop; nothing else goes back.
        expect(loops).toEqual([{ from: 'resume', to: 'triage' }]);
        expect(p.start.x).toBe(0);
        // resolved is reached by the longest path (via handle), so after it
        expect(p.resolved.x).toBeGreaterThan(p.handle.x);
    });
    it('gives nodes of one layer distinct places', () => {
        const p = layout(demo());
        const seen = new Set(Object.values(p).map((q) => `${q.x},${q.y}`));
        expect(seen.size).toBe(Object.keys(p).length);
    });
});
describe('editing', () => {
    it('adds nodes with free ids and the fields their kind needs', () => {
        let wf = demo();
        const a = newNode(wf, 'decision');
        wf = addNode(wf, a);
        const b = newNode(wf, 'decision');
        expect([a.id, b.id]).toEqual(['decision-1', 'decision-2']);
        expect(newNode(wf, 'end')).toMatchObject({ kind: 'end', outcome: 'resolved' });
        expect(newNode(wf, 'wait')).toMatchObject({ kind: 'wait', duration: '1d' });
    });
    it('makes the first edge of a decision its default and the next ones conditions', () => {
        let wf = addNode(demo(), { id: 'd', kind: 'decision' });
        wf = connect(wf, 'd', 'resolved');
        wf = connect(wf, 'd', 'handle');
        expect(wf.edges.slice(-2)).toEqual([
            { from: 'd', to: 'resolved', default: true },
            { from: 'd', to: 'handle', condition: '' },
        ]);
    });
    it('renames a node in its edges and removes edges with a node', () => {
        let wf = demo();
        const triage = wf.nodes.find((n) => n.id === 'triage');
        wf = updateNode(wf, 'triage', { ...triage, id: 'first-look' });
        expect(wf.edges.filter((e) => e.from === 'first-look' || e.to === 'first-look')).toHaveLength(5);
        expect(wf.edges.some((e) => e.from === 'triage' || e.to === 'triage')).toBe(false);
        wf = removeNode(wf, 'first-look');
        expect(wf.nodes.some((n) => n.id === 'first-look')).toBe(false);
        expect(wf.edges).toHaveLength(4);
    });
    it('moves an edge up and down but not past the ends', () => {
        const wf = demo();
        expect(moveEdge(wf, 0, -1)).toBe(wf);
        const moved = moveEdge(wf, 0, 1);
        expect(moved.edges[1]).toEqual(wf.edges[0]);
        expect(moved.edges[0]).toEqual(wf.edges[1]);
    });
    it('knows the outcomes an edge may follow', () => {
        const wf = demo();
        expect(outcomesOf(wf.nodes.find((n) => n.id === 'triage'))).toEqual(['refer', 'need-info', 'resolve']);
        expect(outcomesOf(wf.nodes.find((n) => n.id === 'answer'))).toEqual(['message', 'timeout']);
        expect(outcomesOf({ id: 'x', kind: 'task' })).toEqual(['done']);
        expect(outcomesOf({ id: 'x', kind: 'decision' })).toEqual([]);
    });
});
describe('the saved JSON', () => {
    it('gives back the demo workflow unchanged', () => {
        expect(toDefinition(demo())).toEqual(itSupport);
    });
    it('drops what the panel left empty, which the server would refuse as unused fields', () => {
        const wf = addNode(demo(), { id: 't', kind: 'task', title: { en: 'Check', fa: '' }, groups: [], assignee: '', due: '' });
        const saved = toDefinition(connect(wf, 'start', 't'));
        expect(saved.nodes.at(-1)).toEqual({ id: 't', kind: 'task', title: { en: 'Check' } });
        expect(saved.edges.at(-1)).toEqual({ from: 'start', to: 't' });
    });
    it('keeps a task form as given', () => {
        const form = { type: 'object', properties: {} };
        const saved = toDefinition(addNode(demo(), { id: 't', kind: 'task', form }));
        expect(saved.nodes.at(-1).form).toEqual(form);
    });
    it('reads a body with no lists', () => {
        expect(fromDefinition({ form: 'x' }, 'k')).toEqual({ key: 'k', title: { en: '', fa: '' }, category: undefined, form: 'x', nodes: [], edges: [] });
    });
});
describe('problems', () => {
    it('puts each problem on the node or edge its pointer names', () => {
        const wf = demo();
        const placed = placeProblems([
            { pointer: '/nodes/1/groups', message: 'no such group' },
            { pointer: '/nodes/1', message: 'unreachable' },
            { pointer: '/edges/4/condition', message: 'not a boolean' },
            { pointer: '/nodes/99', message: 'gone' },
            { pointer: '/form', message: 'not published' },
        ], wf);
        expect(placed.nodes.get(1).map((p) => p.message)).toEqual(['no such group', 'unreachable']);
        expect(placed.edges.get(4).map((p) => p.message)).toEqual(['not a boolean']);
        expect(placed.general.map((p) => p.message)).toEqual(['gone', 'not published']);
    });
});
describe('trail', () => {
    it('marks the nodes visited and the edges between them', () => {
        const wf = demo();
        const path = [
            { type: 'submitted' },
            { type: 'workflow-started' },
            { type: 'task-created', node: 'triage' },
            { type: 'task-completed', node: 'triage', outcome: 'resolve' },
            { type: 'ended', node: 'resolved' },
        ];
        const t = trail(wf, path);
        expect([...t.nodes].sort()).toEqual(['resolved', 'start', 'triage']);
        const taken = [...t.edges].map((i) => `${wf.edges[i].from}>${wf.edges[i].to}`).sort();
        expect(taken).toEqual(['start>triage', 'triage>resolved']);
    });
    it('marks the edge a decision names', () => {
        const wf = {
            key: 'k',
            title: {},
            form: 'f',
            nodes: [
                { id: 's', kind: 'start' },
                { id: 'd', kind: 'decision' },
                { id: 'a', kind: 'end' },
                { id: 'b', kind: 'end' },
            ],
            edges: [
                { from: 's', to: 'd' },
                { id: 'big', from: 'd', to: 'a', condition: 'form.total > 5' },
                { from: 'd', to: 'b', default: true },
            ],
        };
        const t = trail(wf, [{ type: 'workflow-started' }, { type: 'x', node: 'd' }, { type: 'x', node: 'a' }], [{ type: 'decided', edge: 'big' }]);
        expect([...t.edges].sort()).toEqual([0, 1]);
    });
});
describe('the simulation script', () => {
    it('reads one node per line with its outcomes in order', () => {
        expect(parseScript('triage: need-info, resolve\n\n  manager :approve\nnonsense\nempty:')).toEqual({ triage: ['need-info', 'resolve'], manager: ['approve'] });
    });
});
describe('draft state', () => {
    it('tells a draft never published, one changed since publishing, and one published as it is', () => {
        expect(draftState({ latestVersion: 0, updatedAt: '2026-01-01T00:00:00Z' })).toBe('unpublished');
        expect(draftState({ latestVersion: 2, updatedAt: '2026-01-02T00:00:00Z', publishedAt: '2026-01-01T00:00:00Z' })).toBe('changed');
        expect(draftState({ latestVersion: 2, updatedAt: '2026-01-01T00:00:00Z', publishedAt: '2026-01-01T00:00:01Z' })).toBe('published');
    });
});
