// A JSON Schema form as the workspace fills them (a task's form, a request
// entered for a caller): @rjsf/core in the UI's language, validated in the
// browser with the same schema as the server, and the server's 422 field
// errors shown under the fields they point at.
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Form from '@rjsf/core';
import type { ErrorSchema, UiSchema } from '@rjsf/utils';
import { Problem, fieldErrors } from '../api/problem';
import { ErrorSummary, problemText } from '../components';
import { useLanguage } from '../i18n/useLanguage';
import { translateErrors, validator } from '../portal/validator';
import { applyEvaluation, useFieldRules } from '../portal/formRules';

/** A form's sending state with the server's verdict split into field errors and the rest. */
export interface Sending {
  busy: boolean;
  /** errors for the summary at the top */
  general: string[];
  /** errors under the fields, from the problem's pointers below /data */
  fields: ErrorSchema;
  /** send runs call, keeping busy and what went wrong */
  send(call: () => Promise<unknown>): Promise<void>;
  /** refuse shows messages without calling anything */
  refuse(messages: string[]): void;
}

/** useSending is the state of a form whose data goes to the API under /data. */
export function useSending(): Sending {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [general, setGeneral] = useState<string[]>([]);
  const [fields, setFields] = useState<ErrorSchema>({});
  async function send(call: () => Promise<unknown>) {
    setBusy(true);
    setGeneral([]);
    setFields({});
    try {
      await call();
    } catch (err) {
      if (err instanceof Problem && err.errors.length) {
        const { tree, general } = fieldErrors(err, '/data');
        setFields(tree as ErrorSchema);
        setGeneral([problemText(err, t), ...general]);
      } else setGeneral([problemText(err, t)]);
    } finally {
      setBusy(false);
    }
  }
  return { busy, general, fields, send, refuse: setGeneral };
}

/** A published form whose field rules the server evaluates as one types (portal/formRules.ts). */
export interface LiveRules {
  form: string;
  /** what the evaluation sends besides the data: version, type, channel, requester */
  body: Record<string, unknown>;
}

/** SchemaForm renders schema for sending; children are its buttons. */
export function SchemaForm({
  schema,
  ui,
  sending,
  idPrefix,
  rules,
  submit,
  children,
}: {
  schema: Record<string, unknown>;
  ui?: UiSchema;
  sending: Sending;
  idPrefix?: string;
  rules?: LiveRules;
  submit(data: Record<string, unknown>): void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const [data, setData] = useState<Record<string, unknown>>({});
  const transformErrors = useMemo(() => translateErrors(t), [t]);
  const evaluation = useFieldRules(rules?.form ?? '', rules?.body ?? {}, data, !!rules);
  const shown = useMemo(() => applyEvaluation(schema, (ui ?? {}) as Record<string, unknown>, data, evaluation), [schema, ui, data, evaluation]);
  return (
    <>
      <ErrorSummary messages={sending.general} />
      <Form
        key={lang /* labels and messages follow the language */}
        schema={shown.schema}
        uiSchema={shown.ui as UiSchema}
        formData={shown.data}
        validator={validator}
        transformErrors={transformErrors}
        extraErrors={sending.fields}
        showErrorList={false}
        focusOnFirstError
        noHtml5Validate
        disabled={sending.busy}
        idPrefix={idPrefix}
        onChange={(e) => setData(e.formData)}
        onSubmit={(e) => submit(e.formData ?? {})}
      >
        {children}
      </Form>
    </>
  );
}
