import { describe, expect, it } from 'vitest';
import { applyEvaluation, hasFieldRules } from './formRules';
import { uiSchema } from './formSchema';
import { validator } from './validator';
// The demo's purchase-request form, abridged (cmd/pishkhan/demo/forms),
// with a nested field that has a rule of its own.
const form = {
    key: 'purchase-request',
    title: { en: 'Purchase request', fa: 'درخواست خرید' },
    schema: {
        type: 'object',
        properties: {
            costCenter: { type: 'string' },
            justification: { type: 'string', minLength: 10 },
            urgent: { type: 'boolean' },
            urgentReason: { type: 'string', minLength: 5 },
            total: { type: 'number' },
            items: { type: 'array', items: { type: 'object', properties: { qty: { type: 'integer' }, price: { type: 'number' } } } },
            delivery: { type: 'object', properties: { city: { type: 'string' }, district: { type: 'string' } }, required: ['city'] },
        },
        required: ['costCenter', 'items'],
    },
    ui: {
        fields: {
            total: { calculate: 'sum(form.items, .qty * .price)' },
            justification: { requiredWhen: 'form.total > 1000' },
            urgentReason: { visibleWhen: 'form.urgent == true', requiredWhen: 'true' },
            'delivery.district': { visibleWhen: 'form.delivery.city == "Tehran"', requiredWhen: 'true' },
        },
    },
};
const schema = form.schema;
const ui = uiSchema(form, 'en');
function evaluation(fields) {
    return { form: { key: 'purchase-request', version: 1 }, fields };
}
const props = (s) => s.properties;
describe('applyEvaluation', () => {
    const typed = { costCenter: 'CC-1001', items: [{ qty: 2, price: 800 }], total: 1, urgent: false, urgentReason: 'typed before', delivery: { city: 'Shiraz', district: '3' } };
    const answer = evaluation({
        total: { visible: true, required: false, calculated: true, value: 1600 },
        justification: { visible: true, required: true },
        urgentReason: { visible: false, required: false },
        'delivery.district': { visible: false, required: false },
    });
    it('shows the calculated value, requires what requiredWhen requires and hides what visibleWhen hides', () => {
        const out = applyEvaluation(schema, ui, typed, answer);
        expect(out.data.total).toBe(1600);
        expect(out.schema.required).toEqual(['costCenter', 'items', 'justification']);
        expect(props(out.schema).urgentReason).toBeUndefined();
        expect(out.data).not.toHaveProperty('urgentReason');
        // inside a group: the group's own schema and data
        const delivery = props(out.schema).delivery;
        expect(props(delivery).district).toBeUndefined();
        expect(delivery.required).toEqual(['city']);
        expect(out.data.delivery).toEqual({ city: 'Shiraz' });
    });
    it('changes nothing it was given', () => {
        const before = JSON.stringify([schema, ui, typed]);
        applyEvaluation(schema, ui, typed, answer);
        expect(JSON.stringify([schema, ui, typed])).toBe(before);
    });
    it('brings a field back and unrequires it as the answer changes', () => {
        const later = evaluation({
            total: { visible: true, required: false, calculated: true, value: 20 },
            justification: { visible: true, required: false },
            urgentReason: { visible: true, required: true },
            'delivery.district': { visible: true, required: true },
        });
        const out = applyEvaluation(schema, ui, { ...typed, urgent: true, urgentReason: 'the old one broke' }, later);
        expect(out.schema.required).toEqual(['costCenter', 'items', 'urgentReason']);
        expect(out.data.urgentReason).toBe('the old one broke');
        expect(props(props(out.schema).delivery).district).toBeDefined();
        expect(props(out.schema).delivery.required).toEqual(['city', 'district']);
    });
    it('leaves a calculated field empty when it cannot be computed yet', () => {
        const out = applyEvaluation(schema, ui, typed, evaluation({ total: { visible: true, required: false, calculated: true } }));
        expect(out.data).not.toHaveProperty('total');
    });
    it('renders the form unchanged before the first answer', () => {
        const out = applyEvaluation(schema, ui, typed, null);
        expect(out.schema).toBe(schema);
        expect(out.data).toBe(typed);
    });
    it('makes the browser validation ask for a field requiredWhen requires', () => {
        const data = { costCenter: 'CC-1001', items: [{ qty: 2, price: 800 }] };
        const out = applyEvaluation(schema, ui, data, answer);
        const errors = validator.validateFormData(out.data, out.schema).errors;
        expect(errors.map((e) => e.property)).toEqual(['justification']);
        expect(validator.validateFormData(data, schema).errors).toEqual([]);
    });
});
describe('hasFieldRules', () => {
    it('tells forms with rules from forms without', () => {
        expect(hasFieldRules(form.ui?.fields)).toBe(true);
        expect(hasFieldRules({ a: { title: { en: 'A' } } })).toBe(false);
        expect(hasFieldRules(undefined)).toBe(false);
    });
});
