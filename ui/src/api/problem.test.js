import { describe, expect, it } from 'vitest';
import { Problem, fieldErrors, firstFieldPath, parsePointer } from './problem';
// The example of docs/api.md, as the server sends it.
const validationFailed = new Problem({
    type: 'urn:pishkhan:problem:validation-failed',
    title: 'The submission has invalid fields',
    status: 422,
    detail: '2 field(s) failed validation; see errors.',
    errors: [
        { pointer: '/data/contact/email', code: 'format', message: 'Must be a valid email address.' },
        { pointer: '/data/system', code: 'required', message: 'This field is required.' },
        { pointer: '/data/system', code: 'ruleFailed', message: 'The rule failed.' },
        { pointer: '/type', code: 'enum', message: 'No such request type.' },
    ],
});
describe('problems', () => {
    it('unescapes RFC 6901 pointers', () => {
        expect(parsePointer('/data/a~1b/c~0d/0')).toEqual(['data', 'a/b', 'c~d', '0']);
        expect(parsePointer('')).toEqual([]);
        expect(parsePointer('/')).toEqual([]);
    });
    it('puts each error under the field its pointer names, and the rest at the top', () => {
        const { tree, general } = fieldErrors(validationFailed, '/data');
        expect(tree).toEqual({
            contact: { email: { __errors: ['Must be a valid email address.'] } },
            system: { __errors: ['This field is required.', 'The rule failed.'] },
        });
        expect(general).toEqual(['No such request type.']);
    });
    it('answers the first field with errors, to move the focus there', () => {
        expect(firstFieldPath(fieldErrors(validationFailed, '/data').tree)).toEqual(['contact', 'email']);
        expect(firstFieldPath({})).toBeNull();
    });
    it('says what went wrong when a problem names no field', () => {
        const p = new Problem({ type: 'urn:pishkhan:problem:forbidden', title: 'Forbidden', status: 403, detail: 'You may not.' });
        expect(fieldErrors(p, '/data')).toEqual({ tree: {}, general: ['You may not.'] });
        expect(p.slug).toBe('forbidden');
    });
    it('does not take a sibling prefix for the base', () => {
        const p = new Problem({ status: 422, errors: [{ pointer: '/database', code: 'x', message: 'not a field' }] });
        expect(fieldErrors(p, '/data')).toEqual({ tree: {}, general: ['not a field'] });
    });
});
