import { describe, expect, it } from 'vitest';
import { parseRawJSON, rawJSON, fieldTypes, fromDefinition, keyProblem, moveField, newField, pointerPath, toDefinition, typeOf, updateList } from './model';
import complaint from './testdata/complaint.json';
import itSupport from './testdata/it-support.json';
import purchase from './testdata/purchase-request.json';
const demo = { complaint, 'it-support': itSupport, 'purchase-request': purchase };
describe('the demo forms round-trip through the model', () => {
    for (const [name, def] of Object.entries(demo)) {
        it(name, () => {
            const m = fromDefinition(def);
            expect(m.fields.map((f) => f.key)).toEqual(def.ui.order);
            expect(toDefinition(m)).toEqual(def);
            // and the model itself is stable
            expect(fromDefinition(toDefinition(m))).toEqual(m);
        });
    }
});
describe('fields of the demo forms are read as the designer shows them', () => {
    it('types, lengths, options and rules', () => {
        const m = fromDefinition(demo['it-support']);
        const by = Object.fromEntries(m.fields.map((f) => [f.key, f]));
        expect(by.contact.type).toBe('fragment');
        expect(by.contact.fragment).toBe('contact');
        expect(by.category.type).toBe('choice');
        expect(by.category.options.map((o) => o.value)).toEqual(['hardware', 'software', 'access', 'network']);
        expect(by.subject).toMatchObject({ type: 'text', minLength: 5, maxLength: 150, required: true });
        expect(by.description.type).toBe('textarea');
        expect(by.assetSerial.pattern).toBe('^[A-Z0-9-]{4,30}$');
        expect(by.urgency.extra).toEqual({ default: 'medium' });
        // the schema's conditional stays with the form
        expect(Object.keys(m.extra)).toEqual(expect.arrayContaining(['if', 'then', 'additionalProperties']));
        // hints of the fragment's own fields are kept
        expect(m.otherHints['contact.email']).toMatchObject({ widget: 'email' });
    });
});
describe('every palette type writes a schema that reads back as the same type', () => {
    for (const type of fieldTypes) {
        it(type, () => {
            const f = newField(type, []);
            const m = { key: 'x', title: { en: 'X' }, fields: [f], extra: {}, otherHints: {} };
            const def = toDefinition(m);
            const s = def.schema.properties[f.key];
            expect(typeOf(s, def.ui?.fields?.[f.key]?.widget)).toBe(type);
            expect(fromDefinition(def).fields[0]).toEqual(f);
        });
    }
});
describe('the visual model writes what the server expects', () => {
    const m = {
        key: 'leave',
        title: { en: 'Leave', fa: 'مرخصی' },
        extra: { additionalProperties: false },
        otherHints: {},
        fields: [
            { ...newField('text', []), key: 'name', required: true, title: { en: 'Name', fa: 'نام' }, minLength: 2, maxLength: 80 },
            { ...newField('choice', []), key: 'kind', options: [{ value: 'sick', label: { en: 'Sick', fa: 'استعلاجی' } }, { value: 'annual', label: { en: 'Annual', fa: '' } }] },
            { ...newField('integer', []), key: 'days', minimum: 1, maximum: 30, visibleWhen: 'form.kind == "annual"' },
            { ...newField('list', []), key: 'items', fields: [{ ...newField('number', []), key: 'qty', required: true, title: { en: 'Qty' } }] },
        ],
    };
    it('schema, required list, option labels and hints by dotted path', () => {
        const def = toDefinition(m);
        expect(def.schema).toEqual({
            type: 'object',
            additionalProperties: false,
            required: ['name'],
            properties: {
                name: { type: 'string', minLength: 2, maxLength: 80 },
                kind: { type: 'string', enum: ['sick', 'annual'], 'x-enumTitles': { sick: { en: 'Sick', fa: 'استعلاجی' }, annual: { en: 'Annual' } } },
                days: { type: 'integer', minimum: 1, maximum: 30 },
                items: { type: 'array', items: { type: 'object', properties: { qty: { type: 'number' } }, required: ['qty'] } },
            },
        });
        expect(def.ui).toEqual({
            order: ['name', 'kind', 'days', 'items'],
            fields: {
                name: { title: { en: 'Name', fa: 'نام' } },
                kind: { widget: 'select' },
                days: { visibleWhen: 'form.kind == "annual"' },
                'items.qty': { title: { en: 'Qty' } },
            },
        });
    });
});
describe('editing', () => {
    const three = ['a', 'b', 'c'].map((key) => ({ ...newField('text', []), key }));
    it('moves a field up and down', () => {
        expect(moveField(three, 2, 1).map((f) => f.key)).toEqual(['a', 'c', 'b']);
        expect(moveField(three, 0, 2).map((f) => f.key)).toEqual(['b', 'c', 'a']);
        expect(moveField(three, 0, -1)).toBe(three);
        expect(moveField(three, 2, 3)).toBe(three);
    });
    it('gives new fields keys not yet used', () => {
        expect(newField('text', three).key).toBe('text');
        expect(newField('text', [{ ...three[0], key: 'text' }]).key).toBe('text2');
    });
    it('edits the fields of a group in place', () => {
        const group = { ...newField('group', []), key: 'g', fields: three };
        const out = updateList([group], [0], (l) => moveField(l, 0, 1));
        expect(out[0].fields.map((f) => f.key)).toEqual(['b', 'a', 'c']);
        expect(group.fields.map((f) => f.key)).toEqual(['a', 'b', 'c']);
    });
    it('checks keys', () => {
        expect(keyProblem('', three, 0)).toBe('empty');
        expect(keyProblem('a b', three, 0)).toBe('invalid');
        expect(keyProblem('b', three, 0)).toBe('taken');
        expect(keyProblem('a', three, 0)).toBeNull();
    });
    it('finds the field a publish problem points at', () => {
        expect(pointerPath('/schema/properties/age/type')).toBe('age');
        expect(pointerPath('/schema/properties/items/items/properties/qty/minimum')).toBe('items.qty');
        expect(pointerPath('/ui/fields/contact.email/visibleWhen')).toBe('contact.email');
        expect(pointerPath('/title')).toBeNull();
    });
});
describe('the raw JSON view', () => {
    const def = demo['it-support'];
    it('round-trips with the visual model', () => {
        const got = parseRawJSON(rawJSON(def), { ...def, schema: {}, ui: {} });
        expect(got.def).toEqual(def);
        expect(toDefinition(fromDefinition(got.def))).toEqual(def);
    });
    it('applies an edit made in the text to the model', () => {
        const text = JSON.parse(rawJSON(def));
        text.schema.properties.subject.maxLength = 99;
        text.ui.fields.subject.title.fa = 'عنوان';
        const m = fromDefinition(parseRawJSON(JSON.stringify(text), def).def);
        const subject = m.fields.find((f) => f.key === 'subject');
        expect(subject.maxLength).toBe(99);
        expect(subject.title.fa).toBe('عنوان');
    });
    it('refuses what is not JSON, or not a schema and hints', () => {
        expect(parseRawJSON('{"schema": ', def)).toMatchObject({ error: 'syntax' });
        expect(parseRawJSON('[]', def)).toEqual({ error: 'shape' });
        expect(parseRawJSON('{"schema": []}', def)).toEqual({ error: 'shape' });
        expect(parseRawJSON('{"schema": {}, "ui": 3}', def)).toEqual({ error: 'shape' });
        expect(parseRawJSON('{"schema": {"type": "object"}}', def).def).toMatchObject({ key: 'it-support', schema: { type: 'object' }, ui: {} });
    });
});
