import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../api/types';
import { labelData } from './dataLabels';

const def: FormDefinition = {
  key: 'laptop',
  title: { en: 'New laptop', fa: 'لپ‌تاپ تازه' },
  schema: {
    type: 'object',
    properties: {
      reason: { type: 'string' },
      model: { type: 'string', enum: ['standard', 'pro'], 'x-enumTitles': { standard: { en: 'Standard', fa: 'معمولی' }, pro: { en: 'Pro', fa: 'حرفه‌ای' } } },
      extras: { type: 'array', items: { type: 'string', enum: ['bag', 'mouse'], 'x-enumTitles': { bag: { en: 'Bag', fa: 'کیف' } } } },
      contact: { $ref: 'fragment:contact' },
    },
  },
  ui: { order: ['model', 'reason'], fields: { reason: { title: { en: 'What is it for?', fa: 'برای چه کاری؟' } }, model: { title: { en: 'Model', fa: 'مدل' } }, 'contact.email': { title: { en: 'Email', fa: 'ایمیل' } } } },
};

describe('labelData', () => {
  it('labels fields and options in Persian, in the form order', () => {
    const out = labelData({ reason: 'طراحی', model: 'pro', extras: ['bag', 'mouse'], contact: { name: 'سارا', email: 's@example.com' } }, def, 'fa');
    expect(out).toEqual([
      { key: 'model', label: 'مدل', value: 'حرفه‌ای' },
      { key: 'reason', label: 'برای چه کاری؟', value: 'طراحی' },
      { key: 'extras', label: 'extras', value: 'کیف، mouse' },
      {
        key: 'contact',
        label: 'contact',
        fields: [
          { key: 'name', label: 'name', value: 'سارا' },
          { key: 'email', label: 'ایمیل', value: 's@example.com' },
        ],
      },
    ]);
  });

  it('keeps keys and values where the form says nothing, and without a form', () => {
    expect(labelData({ model: 'pro', other: 3 }, def, 'en')).toEqual([
      { key: 'model', label: 'Model', value: 'Pro' },
      { key: 'other', label: 'other', value: '3' },
    ]);
    expect(labelData({ a: true }, undefined, 'en')).toEqual([{ key: 'a', label: 'a', value: 'true' }]);
  });
});
