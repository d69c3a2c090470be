// What a requester submitted, as they read it back on the request's page:
// each field under its label from the form (in the UI's language) and a
// choice under its option's label (x-enumTitles), not the keys and values
// the API stores.
import type { FormDefinition } from '../api/types';
import { localText, type Language, type Text } from '../i18n/format';
import { optionTitles } from './formSchema';

type Schema = Record<string, unknown>;

/** One submitted field: its label and either its value in words or the fields under it. */
export interface LabelledField {
  key: string;
  label: string;
  value?: string;
  fields?: LabelledField[];
}

/** optionLabel is a choice's label in lang, or the value itself. */
function optionLabel(schema: Schema | undefined, v: unknown, lang: Language): string {
  const labels = schema?.[optionTitles] as Record<string, Text> | undefined;
  return localText(labels?.[String(v)], lang) || String(v);
}

/**
 * labelData labels data with def's hints (titles by dotted path) and
 * schema (property order, option labels). Fields the form does not name
 * keep their keys; fields follow the form's order, the rest after.
 */
export function labelData(data: Record<string, unknown>, def: FormDefinition | undefined, lang: Language): LabelledField[] {
  const hints = def?.ui?.fields ?? {};
  const walk = (value: Record<string, unknown>, schema: Schema | undefined, path: string, order: string[]): LabelledField[] => {
    const props = (schema?.properties ?? {}) as Record<string, Schema>;
    const keys = [...new Set([...order, ...Object.keys(props)])].filter((k) => k in value);
    for (const k of Object.keys(value)) if (!keys.includes(k)) keys.push(k);
    return keys.map((key) => {
      const at = path ? `${path}.${key}` : key;
      const s = props[key];
      const title = hints[at]?.title ?? (s?.title as Text | string | undefined);
      const label = (typeof title === 'string' ? title : localText(title, lang)) || key;
      const v = value[key];
      if (v && typeof v === 'object' && !Array.isArray(v)) return { key, label, fields: walk(v as Record<string, unknown>, s, at, []) };
      if (Array.isArray(v)) return { key, label, value: v.map((x) => (x && typeof x === 'object' ? JSON.stringify(x) : optionLabel(s?.items as Schema | undefined, x, lang))).join(lang === 'fa' ? '، ' : ', ') };
      return { key, label, value: optionLabel(s, v, lang) };
    });
  };
  return walk(data, def?.schema, '', def?.ui?.order ?? []);
}
