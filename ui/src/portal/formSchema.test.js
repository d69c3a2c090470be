import { describe, expect, it } from 'vitest';
import { fragmentRefs, inlineFragments, titleFragmentFields, uiSchema } from './formSchema';
import { translateErrors, validator } from './validator';
const contact = { type: 'object', properties: { name: { type: 'string', minLength: 2 }, email: { type: 'string', format: 'email' } }, required: ['name', 'email'] };
// The demo's it-support form, abridged (cmd/pishkhan/demo/forms).
const form = {
    key: 'it-support',
    title: { en: 'IT support request', fa: 'درخواست پشتیبانی' },
    schema: {
        type: 'object',
        properties: {
            contact: { $ref: 'fragment:contact' },
            backup: { $ref: 'fragment:contact@1', description: 'someone else' },
            category: { type: 'string', enum: ['hardware', 'access'] },
            system: { type: 'string' },
            total: { type: 'number' },
            items: { type: 'array', items: { type: 'object', properties: { qty: { type: 'integer' } } } },
        },
        required: ['contact', 'category'],
        if: { properties: { category: { const: 'access' } }, required: ['category'] },
        then: { required: ['system'] },
    },
    ui: {
        order: ['category', 'contact'],
        fields: {
            contact: { title: { en: 'Your contact details', fa: 'اطلاعات تماس شما' } },
            'contact.name': { title: { en: 'Full name', fa: 'نام' }, help: { en: 'As on your card', fa: 'مانند کارت' } },
            'contact.email': { title: { en: 'Email', fa: 'ایمیل' }, widget: 'email' },
            category: { widget: 'radio' },
            total: { calculate: 'form.a + form.b' },
            items: { title: { en: 'Items', fa: 'اقلام' } },
            'items.qty': { title: { en: 'Quantity', fa: 'تعداد' } },
        },
    },
};
const pinned = [{ key: 'contact', version: 2 }];
describe('a published form as @rjsf renders it', () => {
    it('names the fragment versions the form was published with', () => {
        expect([...fragmentRefs(form.schema, pinned)].sort()).toEqual(['contact@1', 'contact@2']);
    });
    it('inlines the fragments, keeping keywords written beside the $ref', () => {
        const s = inlineFragments(form.schema, pinned, { 'contact@2': contact, 'contact@1': { ...contact, required: ['name'] } });
        expect(s.properties.contact).toEqual(contact);
        expect(s.properties.backup.required).toEqual(['name']);
        expect(s.properties.backup.description).toBe('someone else');
        expect(JSON.stringify(s)).not.toContain('fragment:');
    });
    it('builds titles and help in the chosen language, widgets, order, and read-only calculated fields', () => {
        const fa = uiSchema(form, 'fa');
        expect(fa['ui:order']).toEqual(['category', 'contact', '*']);
        expect(fa.contact['ui:title']).toBe('اطلاعات تماس شما');
        expect(fa.contact.name['ui:title']).toBe('نام');
        expect(fa.contact.name['ui:help']).toBe('مانند کارت');
        expect(fa.contact.email['ui:widget']).toBe('email');
        expect(fa.category['ui:widget']).toBe('radio');
        expect(fa.total['ui:readonly']).toBe(true);
        expect(uiSchema(form, 'en').contact.name['ui:title']).toBe('Full name');
        // a field of a list's items sits under the list's items
        expect(fa.items['ui:title']).toBe('اقلام');
        expect(fa.items.items.qty['ui:title']).toBe('تعداد');
    });
    it("labels a choice's options in the chosen language (the designer's x-enumTitles), in groups and lists too", () => {
        const labels = { annual: { en: 'Annual', fa: 'استحقاقی' }, sick: { en: 'Sick', fa: 'استعلاجی' } };
        const choice = { type: 'string', enum: ['annual', 'sick'], 'x-enumTitles': labels };
        const schema = {
            type: 'object',
            properties: { kind: choice, leave: { type: 'object', properties: { kind: choice } }, days: { type: 'array', items: { type: 'object', properties: { kind: choice } } } },
        };
        const def = { key: 'leave', title: { en: 'Leave' }, schema };
        const ui = uiSchema(def, 'fa', schema);
        expect(ui.kind['ui:enumNames']).toEqual(['استحقاقی', 'استعلاجی']);
        expect(ui.leave.kind['ui:enumNames']).toEqual(['استحقاقی', 'استعلاجی']);
        expect(ui.days.items.kind['ui:enumNames']).toEqual(['استحقاقی', 'استعلاجی']);
        expect(uiSchema(def, 'en', schema).kind['ui:enumNames']).toEqual(['Annual', 'Sick']);
    });
    it("titles a fragment's field by the fragment when the form gives it no title", () => {
        const titled = titleFragmentFields(form, pinned, { 'contact@1': { en: 'Contact details', fa: 'اطلاعات تماس' }, 'contact@2': { en: 'Ignored', fa: 'نه' } });
        expect(titled.ui?.fields?.backup?.title).toEqual({ en: 'Contact details', fa: 'اطلاعات تماس' });
        // the form's own title wins
        expect(titled.ui?.fields?.contact?.title).toEqual({ en: 'Your contact details', fa: 'اطلاعات تماس شما' });
        expect(form.ui?.fields?.backup).toBeUndefined(); // the definition itself is left alone
    });
    it('validates in the browser with the same schema as the server, if/then included', () => {
        const schema = inlineFragments(form.schema, pinned, { 'contact@2': contact, 'contact@1': contact });
        const ok = { contact: { name: 'Sara', email: 'sara@example.com' }, category: 'hardware' };
        expect(validator.validateFormData(ok, schema).errors).toEqual([]);
        const bad = validator.validateFormData({ contact: { name: 'S', email: 'nope' }, category: 'access' }, schema).errors;
        expect(bad.map((e) => `${e.property} ${e.name}`).sort()).toEqual(['.contact.email format', '.contact.name minLength', 'system required', ' if'].sort());
        // The if/then summary is dropped; the field it made required says it.
        const shown = translateErrors((k) => (k === 'validation.required' ? 'الزامی' : ''))(bad);
        expect(shown.map((e) => e.name).sort()).toEqual(['format', 'minLength', 'required']);
        expect(shown.find((e) => e.name === 'required')?.message).toBe('الزامی');
    });
});
