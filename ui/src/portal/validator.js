// The browser validates with the form's own JSON Schema (2020-12, the
// draft the server uses) before sending, so most mistakes show at once; the
// server's verdict (a 422 with field pointers) is the one that counts.
import { customizeValidator } from '@rjsf/validator-ajv8';
import Ajv2020 from 'ajv/dist/2020';
import { TranslatableString, englishStringTranslator, replaceStringParameters } from '@rjsf/utils';
/** validator is @rjsf's ajv validator set to JSON Schema 2020-12. */
export const validator = customizeValidator({ AjvClass: Ajv2020 });
/**
 * translateErrors replaces ajv's English messages with the UI's, keyed by
 * the failing keyword (the same codes the server sends, docs/api.md).
 */
export function translateErrors(t) {
    return (errors) => errors
        // "must match the then schema" says nothing the field it made required does not.
        .filter((e) => e.name !== 'if')
        .map((e) => {
        const params = (e.params ?? {});
        const message = t(`validation.${e.name}`, { defaultValue: '', ...params });
        return message ? { ...e, message, stack: message } : e;
    });
}
/**
 * translateStrings gives @rjsf's own words (its buttons, "Item", "Yes") in
 * the UI's language: the `form.<name>` messages, by the name rjsf gives
 * each string, else rjsf's English.
 */
export function translateStrings(t) {
    const names = new Map(Object.entries(TranslatableString).map(([name, english]) => [english, name]));
    return (s, params) => {
        const name = names.get(s);
        const message = name ? t(`form.${name}`, { defaultValue: '' }) : '';
        return message ? replaceStringParameters(message, params) : englishStringTranslator(s, params);
    };
}
