import { describe, expect, it } from 'vitest';
import { previewForm, usedFragments } from './preview';
import { formState } from './FormListPage';
const def = {
    key: 'leave',
    title: { en: 'Leave', fa: 'مرخصی' },
    schema: {
        type: 'object',
        properties: {
            contact: { $ref: 'fragment:contact' },
            kind: { type: 'string', enum: ['sick', 'annual'], 'x-enumTitles': { sick: { en: 'Sick', fa: 'استعلاجی' } } },
            tags: { type: 'array', uniqueItems: true, items: { type: 'string', enum: ['a'], 'x-enumTitles': { a: { en: 'A', fa: 'الف' } } } },
            items: { type: 'array', items: { type: 'object', properties: { unit: { type: 'string', enum: ['kg'], 'x-enumTitles': { kg: { en: 'Kilogram', fa: 'کیلوگرم' } } } } } },
        },
    },
    ui: { order: ['kind', 'contact'], fields: { kind: { title: { en: 'Kind', fa: 'نوع' }, widget: 'select' } } },
};
describe('previewForm', () => {
    it('shows the options with their labels in the chosen language, at every depth', () => {
        const { ui } = previewForm(def, 'fa', {}, []);
        expect(ui.kind).toMatchObject({ 'ui:title': 'نوع', 'ui:enumNames': ['استعلاجی', 'annual'], 'ui:widget': 'select' });
        expect(ui.tags['ui:enumNames']).toEqual(['الف']);
        expect(ui.items.items.unit['ui:enumNames']).toEqual(['کیلوگرم']);
        expect(ui['ui:order']).toEqual(['kind', 'contact', '*']);
        expect(previewForm(def, 'en', {}, []).ui.kind).toMatchObject({ 'ui:title': 'Kind', 'ui:enumNames': ['Sick', 'annual'] });
    });
    it('inlines the fragments it was given', () => {
        const contact = { type: 'object', properties: { name: { type: 'string' } } };
        const { schema } = previewForm(def, 'en', { 'contact@3': contact }, [{ key: 'contact', version: 3 }]);
        expect(schema.properties.contact).toEqual(contact);
    });
    it('lists the fragments a schema reuses', () => {
        expect([...usedFragments({ properties: { a: { $ref: 'fragment:contact' }, b: { items: { $ref: 'fragment:address@2' } }, c: { $ref: '#/x' } } })]).toEqual(['contact', 'address@2']);
    });
});
describe('formState', () => {
    it('tells draft, published and changed since publishing', () => {
        expect(formState({ latestVersion: 0 })).toBe('draft');
        expect(formState({ latestVersion: 2, updatedAt: '2026-01-01T10:00:00Z', publishedAt: '2026-01-01T10:00:01Z' })).toBe('published');
        expect(formState({ latestVersion: 2, updatedAt: '2026-01-02T10:00:00Z', publishedAt: '2026-01-01T10:00:01Z' })).toBe('changed');
    });
});
