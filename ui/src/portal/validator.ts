// The browser validates with the form's own JSON Schema (2020-12, the
// draft the server uses) before sending, so most mistakes show at once; the
// server's verdict (a 422 with field pointers) is the one that counts.
import { customizeValidator } from '@rjsf/validator-ajv8';
import Ajv2020 from 'ajv/dist/2020';
import type { RJSFValidationError } from '@rjsf/utils';

/** validator is @rjsf's ajv validator set to JSON Schema 2020-12. */
export const validator = customizeValidator({ AjvClass: Ajv2020 });

/**
 * translateErrors replaces ajv's English messages with the UI's, keyed by
 * the failing keyword (the same codes the server sends, docs/api.md).
 */
export function translateErrors(t: (key: string, opts?: Record<string, unknown>) => string) {
  return (errors: RJSFValidationError[]): RJSFValidationError[] =>
    errors.map((e) => {
      const params = (e.params ?? {}) as Record<string, unknown>;
      const message = t(`validation.${e.name}`, { defaultValue: '', ...params });
      return message ? { ...e, message, stack: message } : e;
    });
}
