import { describe, expect, it } from 'vitest';
import { callerProblems, requesterOf } from './caller';
describe('caller', () => {
    it('needs a name and a phone or an email', () => {
        expect(callerProblems({ name: ' ', phone: '', email: '' })).toEqual(['name', 'contact']);
        expect(callerProblems({ name: 'Parisa', phone: '0912 000 1111', email: '' })).toEqual([]);
        expect(callerProblems({ name: 'Parisa', phone: '', email: 'p@example.com' })).toEqual([]);
    });
    it('sends the caller trimmed, blanks left out', () => {
        expect(requesterOf({ name: ' Parisa ', phone: '', email: 'p@example.com' })).toEqual({ name: 'Parisa', email: 'p@example.com' });
    });
});
