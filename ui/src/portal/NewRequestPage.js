import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
// The request form: the published form of a catalog entry, rendered by
// @rjsf/core in the UI's language, validated in the browser with the same
// schema as the server, and submitted to POST /requests. The server's 422
// field errors are shown under the fields they point at.
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import Form from '@rjsf/core';
import { api } from '../api/client';
import { Problem, fieldErrors } from '../api/problem';
import { useLoad } from '../useLoad';
import { Code, ErrorSummary, Loading, problemText } from '../components';
import { useLanguage } from '../i18n/useLanguage';
import { localText } from '../i18n/format';
import { fragmentRefs, inlineFragments, titleFragmentFields, uiSchema } from './formSchema';
import { translateErrors, translateStrings, validator } from './validator';
import { applyEvaluation, hasFieldRules, useFieldRules } from './formRules';
/** loadForm fetches a catalog entry's published form and the fragments it was published with. */
export async function loadForm(type, signal) {
    const catalog = await api.get('/catalog', { signal });
    const entry = catalog.items.find((e) => e.key === type);
    if (!entry)
        throw new Problem({ status: 404, title: '' });
    const version = await api.get(`/forms/${encodeURIComponent(entry.form.key)}/versions/${entry.form.version}`, { signal });
    const pinned = version.fragments ?? [];
    const fragments = {};
    const titles = {};
    // Fragments may name fragments: fetch until nothing new is named.
    for (let todo = [...fragmentRefs(version.definition.schema, pinned)]; todo.length;) {
        const got = await Promise.all(todo.map((ref) => {
            const [key, n] = ref.split('@');
            return api.get(`/fragments/${key}/versions/${n}`, { signal });
        }));
        got.forEach((f) => {
            fragments[`${f.key}@${f.version}`] = f.definition.schema;
            if (f.title)
                titles[`${f.key}@${f.version}`] = f.title;
        });
        todo = got.flatMap((f) => [...fragmentRefs(f.definition.schema, pinned)]).filter((r) => !(r in fragments));
    }
    const schema = inlineFragments(version.definition.schema, pinned, fragments);
    version.definition = titleFragmentFields(version.definition, pinned, titles);
    delete schema.title; // the page shows the title in the UI's language
    return { entry, version, schema };
}
export function NewRequestPage() {
    const { type = '' } = useParams();
    const { t } = useTranslation();
    const lang = useLanguage();
    const form = useLoad((signal) => loadForm(type, signal), [type]);
    const [data, setData] = useState({});
    const [serverErrors, setServerErrors] = useState({});
    const [general, setGeneral] = useState([]);
    const [busy, setBusy] = useState(false);
    const [receipt, setReceipt] = useState(null);
    const ui = useMemo(() => (form.data ? uiSchema(form.data.version.definition, lang, form.data.schema) : {}), [form.data, lang]);
    // The form's rules, evaluated by the server as she types (docs/rules.md).
    const rulesBody = useMemo(() => ({ version: form.data?.version.version, type, channel: 'portal' }), [form.data, type]);
    const evaluation = useFieldRules(form.data?.version.key ?? '', rulesBody, data, !!form.data && hasFieldRules(form.data.version.definition.ui?.fields));
    const shown = useMemo(() => (form.data ? applyEvaluation(form.data.schema, ui, data, evaluation) : null), [form.data, ui, data, evaluation]);
    const transformErrors = useMemo(() => translateErrors(t), [t]);
    const translateString = useMemo(() => translateStrings(t), [t]);
    if (form.loading)
        return _jsx(Loading, {});
    if (form.error || !form.data)
        return (_jsxs("section", { children: [_jsx("h1", { children: t('newRequest.title') }), _jsx(ErrorSummary, { messages: [form.error instanceof Problem && form.error.status === 404 ? t('newRequest.unknownType') : problemText(form.error, t)] }), _jsx(Link, { to: "/catalog", children: t('newRequest.backToCatalog') })] }));
    const title = localText(form.data.entry.title, lang);
    if (receipt) {
        return (_jsxs("section", { "aria-labelledby": "receipt-title", className: "receipt", children: [_jsx("h1", { id: "receipt-title", children: t('newRequest.receivedTitle') }), _jsx("p", { role: "status", children: t('newRequest.received', { title }) }), _jsxs("p", { className: "tracking", children: [t('common.trackingCode'), ": ", _jsx(Code, { children: receipt.trackingCode })] }), _jsx("p", { children: t('newRequest.keepCode') }), _jsxs("ul", { className: "actions", children: [_jsx("li", { children: _jsx(Link, { to: `/requests/${receipt.id}`, "data-testid": "receipt-link", children: t('newRequest.viewRequest') }) }), _jsx("li", { children: _jsx(Link, { to: "/requests", children: t('nav.myRequests') }) })] })] }));
    }
    async function submit(e) {
        setBusy(true);
        setGeneral([]);
        setServerErrors({});
        try {
            setReceipt(await api.post('/requests', { type, channel: 'portal', data: e.formData ?? {} }));
        }
        catch (err) {
            if (err instanceof Problem && err.errors.length) {
                const { tree, general } = fieldErrors(err, '/data');
                setServerErrors(tree);
                setGeneral([err.title || problemText(err, t), ...general]);
            }
            else
                setGeneral([problemText(err, t)]);
        }
        finally {
            setBusy(false);
        }
    }
    return (_jsxs("section", { "aria-labelledby": "form-title", children: [_jsx("h1", { id: "form-title", children: title }), form.data.entry.description && _jsx("p", { children: localText(form.data.entry.description, lang) }), _jsx(ErrorSummary, { messages: general }), _jsx(Form, { schema: shown?.schema ?? form.data.schema, uiSchema: shown?.ui ?? ui, formData: shown?.data ?? data, validator: validator, transformErrors: transformErrors, translateString: translateString, extraErrors: serverErrors, showErrorList: false, focusOnFirstError: true, noHtml5Validate: true, disabled: busy, onChange: (e) => setData(e.formData), onSubmit: submit, children: _jsx("button", { type: "submit", className: "primary", disabled: busy, children: t('newRequest.submit') }) }, lang /* labels and messages follow the language */)] }));
}
