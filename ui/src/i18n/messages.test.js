import { describe, expect, it } from 'vitest';
import { messages } from './messages';
const { en, fa } = messages;
/** keys lists the dotted paths of every message in a tree. */
function keys(tree, prefix = '') {
    return Object.entries(tree).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}
function placeholders(s) {
    return [...s.matchAll(/\{\{\s*([a-zA-Z]+)/g)].map((m) => m[1]).sort();
}
function lookup(tree, key) {
    return key.split('.').reduce((node, k) => node?.[k], tree);
}
describe('messages', () => {
    it('has every English key in Persian and no Persian key missing from English', () => {
        expect(keys(fa).filter((k) => !keys(en).includes(k))).toEqual([]);
        expect(keys(en).filter((k) => !keys(fa).includes(k))).toEqual([]);
    });
    it('leaves no message empty', () => {
        for (const [name, tree] of [['en', en], ['fa', fa]]) {
            expect(keys(tree).filter((k) => !String(lookup(tree, k)).trim()), name).toEqual([]);
        }
    });
    it('uses the same placeholders in both languages', () => {
        for (const k of keys(en)) {
            expect(placeholders(String(lookup(fa, k))), k).toEqual(placeholders(String(lookup(en, k))));
        }
    });
    it('writes Persian messages in Persian', () => {
        // A copied English message is a missing translation; names that are
        // the same in both (the language switch says "English") are allowed.
        const same = keys(en).filter((k) => lookup(en, k) === lookup(fa, k) && !k.endsWith('count'));
        expect(same).toEqual([]);
    });
});
