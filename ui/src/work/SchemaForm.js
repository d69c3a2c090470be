import { jsx as _jsx, Fragment as _Fragment, jsxs as _jsxs } from "react/jsx-runtime";
// A JSON Schema form as the workspace fills them (a task's form, a request
// entered for a caller): @rjsf/core in the UI's language, validated in the
// browser with the same schema as the server, and the server's 422 field
// errors shown under the fields they point at.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Form from '@rjsf/core';
import { Problem, fieldErrors } from '../api/problem';
import { ErrorSummary, problemText } from '../components';
import { useLanguage } from '../i18n/useLanguage';
import { translateErrors, validator } from '../portal/validator';
import { applyEvaluation, useFieldRules } from '../portal/formRules';
/** useSending is the state of a form whose data goes to the API under /data. */
export function useSending() {
    const { t } = useTranslation();
    const [busy, setBusy] = useState(false);
    const [general, setGeneral] = useState([]);
    const [fields, setFields] = useState({});
    async function send(call) {
        setBusy(true);
        setGeneral([]);
        setFields({});
        try {
            await call();
        }
        catch (err) {
            if (err instanceof Problem && err.errors.length) {
                const { tree, general } = fieldErrors(err, '/data');
                setFields(tree);
                setGeneral([problemText(err, t), ...general]);
            }
            else
                setGeneral([problemText(err, t)]);
        }
        finally {
            setBusy(false);
        }
    }
    return { busy, general, fields, send, refuse: setGeneral };
}
/** SchemaForm renders schema for sending; children are its buttons. */
export function SchemaForm({ schema, ui, sending, idPrefix, rules, submit, children, }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const [data, setData] = useState({});
    const transformErrors = useMemo(() => translateErrors(t), [t]);
    const evaluation = useFieldRules(rules?.form ?? '', rules?.body ?? {}, data, !!rules);
    const shown = useMemo(() => applyEvaluation(schema, (ui ?? {}), data, evaluation), [schema, ui, data, evaluation]);
    return (_jsxs(_Fragment, { children: [_jsx(ErrorSummary, { messages: sending.general }), _jsx(Form, { schema: shown.schema, uiSchema: shown.ui, formData: shown.data, validator: validator, transformErrors: transformErrors, extraErrors: sending.fields, showErrorList: false, focusOnFirstError: true, noHtml5Validate: true, disabled: sending.busy, idPrefix: idPrefix, onChange: (e) => setData(e.formData), onSubmit: (e) => submit(e.formData ?? {}), children: children }, lang /* labels and messages follow the language */)] }));
}
