import { describe, expect, it } from 'vitest';
import itRouting from './testdata/it-routing.json';
import { addInput, addOutput, addRow, domID, duplicateRow, fromDefinition, matchedRows, moveRow, placeProblems, problemTarget, problemsAt, removeInput, removeOutput, removeRow, rowHasProblems, sample, setCell, setNote, starter, thenText, thenValue, toDefinition, updateInput, updateOutput, } from './model';
const demo = () => fromDefinition(structuredClone(itRouting), 'it-routing');
describe('round trip', () => {
    it('saves the demo table exactly as it was read', () => {
        expect(toDefinition(demo())).toEqual(itRouting);
    });
    it('shows the demo table as a table: a column per input and output, a cell per when and then', () => {
        const m = demo();
        expect(m.inputs.map((c) => `${c.name}=${c.expr}`)).toEqual(['category=form.category', 'urgency=form.urgency', 'segment=request.requester.segment']);
        expect(m.outputs.map((c) => `${c.name}:${c.type}`)).toEqual(['group:string', 'priority:string', 'slaPolicy:string']);
        expect(m.rows[0].when).toEqual(['-', '"high"', 'in ["gold", "vip"]']);
        expect(m.rows[0].then).toEqual(['it-support', 'critical', 'it-vip']);
        expect(m.rows[0].note).toBe('Urgent requests of key customers jump the queue');
        expect(new Set(m.rows.map((r) => r.id)).size).toBe(m.rows.length);
    });
    it('keeps typed values of every output type', () => {
        const def = {
            key: 'typed',
            title: { en: 'Typed' },
            hitPolicy: 'collect',
            inputs: [{ name: 'amount', expr: 'form.amount' }],
            outputs: [
                { name: 'limit', type: 'number' },
                { name: 'urgent', type: 'boolean' },
                { name: 'groups', type: 'list' },
                { name: 'odd', type: 'list' },
            ],
            rows: [{ when: ['> 1000'], then: { limit: 2.5, urgent: false, groups: ['a', 'b'], odd: [1, 'x,y'] } }],
        };
        const m = fromDefinition(structuredClone(def), 'typed');
        expect(m.rows[0].then).toEqual(['2.5', 'false', 'a, b', '[1,"x,y"]']);
        expect(toDefinition(m)).toEqual(def);
    });
    it('keeps what the columns do not cover, for the server to name', () => {
        const def = { key: 'odd', title: {}, hitPolicy: 'first', inputs: [{ name: 'a', expr: 'form.a' }], outputs: [{ name: 'o', type: 'string' }], rows: [{ when: ['1', '2'], then: { o: 'x', ghost: 1 } }] };
        expect(toDefinition(fromDefinition(structuredClone(def), 'odd'))).toEqual(def);
    });
    it('reads a missing body as an empty table under its key, with the default hit policy', () => {
        const m = fromDefinition(undefined, 'new-one');
        expect(m.key).toBe('new-one');
        expect(m.hitPolicy).toBe('first');
        expect(toDefinition(m)).toEqual({ key: 'new-one', title: {}, hitPolicy: 'first', inputs: [], outputs: [], rows: [] });
    });
    it('starts a new rule set with its titles, category and form only', () => {
        expect(starter({ key: 'k1', title: { en: 'K', fa: '' }, category: 'it', form: '' })).toEqual({ key: 'k1', title: { en: 'K' }, category: 'it', hitPolicy: 'first', inputs: [], outputs: [], rows: [] });
    });
});
describe('cell values', () => {
    it('stores text as the output type says', () => {
        expect(thenValue(' 42 ', 'number')).toBe(42);
        expect(thenValue('true', 'boolean')).toBe(true);
        expect(thenValue('false', 'boolean')).toBe(false);
        expect(thenValue('a, b ,, c', 'list')).toEqual(['a', 'b', 'c']);
        expect(thenValue('[1, 2]', 'list')).toEqual([1, 2]);
        expect(thenValue('high', 'string')).toBe('high');
    });
    it('keeps text that does not fit the type as typed, so the server can point at it', () => {
        expect(thenValue('many', 'number')).toBe('many');
        expect(thenValue('yes', 'boolean')).toBe('yes');
        expect(thenValue('[1,', 'list')).toBe('[1,');
    });
    it('shows values as text', () => {
        expect(thenText(undefined, 'string')).toBe('');
        expect(thenText(3, 'number')).toBe('3');
        expect(thenText(true, 'boolean')).toBe('true');
        expect(thenText(['x', 'y'], 'list')).toBe('x, y');
        expect(thenText({ a: 1 }, 'string')).toBe('{"a":1}');
    });
});
describe('edits', () => {
    it('builds the e2e scenario table: an input, an output, two rows', () => {
        let m = fromDefinition(starter({ key: 'r', title: { en: 'R' }, category: 'it', form: 'it-support' }), 'r');
        m = addInput(m, 'urgency', 'form.urgency');
        m = addOutput(m, 'group');
        m = addRow(m);
        m = addRow(m);
        m = setCell(m, m.rows[0].id, 'when', 0, '"high"');
        m = setCell(m, m.rows[0].id, 'then', 0, 'it-support');
        m = setCell(m, m.rows[1].id, 'when', 0, '-');
        m = setCell(m, m.rows[1].id, 'then', 0, 'it-access');
        expect(toDefinition(m).rows).toEqual([
            { when: ['"high"'], then: { group: 'it-support' } },
            { when: ['-'], then: { group: 'it-access' } },
        ]);
        expect(toDefinition(m).form).toBe('it-support');
    });
    it('adds and removes columns in every row', () => {
        let m = addInput(demo(), 'category');
        expect(m.inputs.map((c) => c.name)).toEqual(['category', 'urgency', 'segment', 'category2']);
        expect(m.rows.every((r) => r.when.length === 4 && r.when[3] === '')).toBe(true);
        m = removeInput(m, m.inputs[1].id);
        expect(toDefinition(m).rows[0].when).toEqual(['-', 'in ["gold", "vip"]', '']);
        m = addOutput(m, 'due', 'number');
        m = setCell(m, m.rows[0].id, 'then', 3, '4');
        m = removeOutput(m, m.outputs[0].id);
        expect(toDefinition(m).rows[0].then).toEqual({ priority: 'critical', slaPolicy: 'it-vip', due: 4 });
    });
    it('renames an output in every row and reads its cells under a new type', () => {
        let m = demo();
        m = updateOutput(m, m.outputs[1].id, { name: 'level' });
        expect(toDefinition(m).rows[0].then).toEqual({ group: 'it-support', level: 'critical', slaPolicy: 'it-vip' });
        m = addOutput(m, 'hours');
        m = setCell(m, m.rows[0].id, 'then', 3, '8');
        expect(toDefinition(m).rows[0].then.hours).toBe('8');
        m = updateOutput(m, m.outputs[3].id, { type: 'number' });
        expect(toDefinition(m).rows[0].then.hours).toBe(8);
        expect(toDefinition(updateInput(m, m.inputs[0].id, { expr: 'form.kind' })).inputs[0]).toEqual({ name: 'category', expr: 'form.kind' });
    });
    it('moves, duplicates and removes rows', () => {
        let m = demo();
        const [a, b] = m.rows;
        m = moveRow(m, b.id, -1);
        expect(m.rows.slice(0, 2).map((r) => r.id)).toEqual([b.id, a.id]);
        expect(moveRow(m, b.id, -1)).toBe(m);
        expect(moveRow(m, m.rows[4].id, 1)).toBe(m);
        m = duplicateRow(m, a.id);
        expect(m.rows).toHaveLength(6);
        expect(m.rows[2].id).not.toBe(a.id);
        expect(toDefinition(m).rows[2]).toEqual(toDefinition(m).rows[1]);
        // the copy is its own row: editing it leaves the original alone
        m = setCell(m, m.rows[2].id, 'when', 0, '"printer"');
        expect(m.rows[1].when[0]).toBe('-');
        m = setNote(m, m.rows[2].id, 'printers');
        m = removeRow(m, a.id);
        expect(toDefinition(m).rows.map((r) => r.when[0])).toEqual(['"access"', '"printer"', '"network"', '-', '-']);
        expect(toDefinition(m).rows[1].note).toBe('printers');
    });
    it('adds a row after another', () => {
        const m = demo();
        const next = addRow(m, m.rows[0].id);
        expect(next.rows[1].when).toEqual(['', '', '']);
        expect(next.rows[1].then).toEqual(['', '', '']);
        expect(toDefinition(next).rows[1]).toEqual({ when: ['', '', ''], then: {} });
    });
});
describe('problems on cells', () => {
    it('maps pointers to cells, headers and settings', () => {
        const m = demo();
        const [r3, i1, o0] = [m.rows[3].id, m.inputs[1].id, m.outputs[0].id];
        expect(problemTarget(m, '/rows/3/when/1')).toBe(`when:${r3}:${i1}`);
        expect(problemTarget(m, '/rows/3/then/group')).toBe(`then:${r3}:${o0}`);
        expect(problemTarget(m, '/rows/3/then/ghost')).toBe(`row:${r3}`);
        expect(problemTarget(m, '/rows/3/when')).toBe(`row:${r3}`);
        expect(problemTarget(m, '/rows/3/note')).toBe(`note:${r3}`);
        expect(problemTarget(m, '/rows/3')).toBe(`row:${r3}`);
        expect(problemTarget(m, '/rows/3/when/9')).toBe(`row:${r3}`);
        expect(problemTarget(m, '/rows/99/when/0')).toBeNull();
        expect(problemTarget(m, '/rows')).toBe('rows');
        expect(problemTarget(m, '/inputs/1/expr')).toBe(`input-expr:${i1}`);
        expect(problemTarget(m, '/inputs/1/name')).toBe(`input-name:${i1}`);
        expect(problemTarget(m, '/inputs')).toBe('inputs');
        expect(problemTarget(m, '/outputs/0/type')).toBe(`output-type:${o0}`);
        expect(problemTarget(m, '/outputs/0/name')).toBe(`output-name:${o0}`);
        expect(problemTarget(m, '/hitPolicy')).toBe('hitPolicy');
        expect(problemTarget(m, '/form')).toBe('form');
        expect(problemTarget(m, '/title/en')).toBe('title');
        expect(problemTarget(m, '/extra')).toBeNull();
        expect(problemTarget(m, '')).toBeNull();
    });
    it('keeps a problem on its cell when rows move', () => {
        let m = demo();
        const placed = placeProblems(m, [{ pointer: '/rows/1/when/0', message: 'quote it' }, { pointer: '/extra', message: 'unknown field' }]);
        const cell = `when:${m.rows[1].id}:${m.inputs[0].id}`;
        m = moveRow(m, m.rows[1].id, -1);
        expect(problemsAt(placed, cell)).toEqual(['quote it']);
        expect(rowHasProblems(placed, m.rows[0].id)).toBe(true);
        expect(rowHasProblems(placed, m.rows[1].id)).toBe(false);
        expect(placed[1].target).toBeNull();
        expect(domID(cell)).toBe(`rsd-when-${m.rows[0].id}-${m.inputs[0].id}`);
    });
});
describe('evaluation', () => {
    it('names the matched rows by their ids', () => {
        const m = demo();
        expect([...matchedRows(m, [0, 4, 7])]).toEqual([m.rows[0].id, m.rows[4].id]);
    });
    it('builds the sample from the form data and the segment', () => {
        expect(sample({ urgency: 'high' }, ' vip ')).toEqual({ form: { urgency: 'high' }, request: { requester: { segment: 'vip' } } });
        expect(sample({}, '')).toEqual({ form: {}, request: {} });
    });
});
