import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "react/jsx-runtime";
// "Try it": a sample as the API takes it ({form, request}: the form's data
// filled in the rule set's own form, rendered as the portal renders it, and
// the requester's segment; raw JSON when the table reads no form), sent to
// POST /rules/{key}/evaluate for the draft or the version being read. The
// matched rows are highlighted in the table by the page; the outputs are
// listed here; a rule that fails on the sample is said in words.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Form from '@rjsf/core';
import { ErrorSummary, Loading, problemText } from '../../components';
import { Problem } from '../../api/problem';
import { useLoad } from '../../useLoad';
import { useLanguage } from '../../i18n/useLanguage';
import { formatNumber } from '../../i18n/format';
import { uiSchema } from '../../portal/formSchema';
import { translateStrings, validator } from '../../portal/validator';
import { evaluate, loadSampleForm } from './api';
import { sample, thenText } from './model';
export function TryPanel(props) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const { model, version } = props;
    const form = useLoad((signal) => (model.form ? loadSampleForm(model.form, signal) : Promise.resolve(null)), [model.form]);
    const ui = useMemo(() => (form.data ? { ...uiSchema(form.data.version.definition, lang, form.data.schema), 'ui:submitButtonOptions': { norender: true } } : {}), [form.data, lang]);
    const translateString = useMemo(() => translateStrings(t), [t]);
    const [data, setData] = useState({});
    const [raw, setRaw] = useState('{\n}');
    const [segment, setSegment] = useState('');
    const [result, setResult] = useState(null);
    const [errors, setErrors] = useState([]);
    const [busy, setBusy] = useState(false);
    async function run(formData) {
        setErrors([]);
        let body = formData;
        if (body === null) {
            try {
                body = JSON.parse(raw);
            }
            catch (err) {
                setErrors([t('rsd.try.badJSON', { error: err.message })]);
                return;
            }
            if (!body || typeof body !== 'object' || Array.isArray(body)) {
                setErrors([t('rsd.try.notObject')]);
                return;
            }
        }
        setBusy(true);
        try {
            if (version === 'draft' && !(await props.beforeDraft()))
                return;
            const e = await evaluate(model.key, version, sample(body, segment));
            setResult(e);
            props.onResult(e);
        }
        catch (err) {
            setResult(null);
            props.onResult(null);
            if (err instanceof Problem && err.slug === 'rule-failed')
                setErrors([t('rsd.try.failed', { detail: err.detail || err.title })]);
            else if (props.onRefused(err))
                setErrors([t('rsd.try.draftInvalid')]);
            else if (err instanceof Problem && err.errors.length)
                setErrors(err.errors.map((x) => `${x.pointer}: ${x.message}`));
            else
                setErrors([problemText(err, t)]);
        }
        finally {
            setBusy(false);
        }
    }
    const segmentField = (_jsxs("label", { className: "rsd-segment", children: [t('rsd.try.segment'), _jsx("input", { value: segment, onChange: (e) => setSegment(e.target.value), dir: "ltr", name: "sampleSegment", placeholder: "gold", "aria-describedby": "rsd-segment-help" }), _jsx("small", { id: "rsd-segment-help", className: "muted", children: t('rsd.try.segmentHelp') })] }));
    const submit = (_jsxs(_Fragment, { children: [segmentField, _jsx("p", { className: "muted", children: version === 'draft' ? t('rsd.try.onDraft') : t('rsd.try.onVersion', { version }) }), _jsx(ErrorSummary, { messages: errors }), _jsx("button", { type: "submit", disabled: busy, "data-testid": "rsd-try", children: t('rsd.try.run') })] }));
    return (_jsxs("section", { "aria-labelledby": "rsd-try-title", className: "rsd-try", children: [_jsx("h2", { id: "rsd-try-title", children: t('rsd.try.title') }), form.loading && _jsx(Loading, {}), form.data ? (_jsxs(_Fragment, { children: [_jsx("p", { className: "muted", children: t('rsd.try.formHelp') }), _jsx(Form, { schema: form.data.schema, uiSchema: ui, formData: data, validator: validator, 
                        // A sample may be partial: the server decides what the rules see.
                        noValidate: true, noHtml5Validate: true, idPrefix: "rsd-sample", translateString: translateString, onChange: (e) => setData(e.formData ?? {}), onSubmit: (e) => run(e.formData ?? {}), className: "rsd-sample-form", children: submit }, `${lang}-${model.form}`)] })) : (!form.loading && (_jsxs("form", { onSubmit: (e) => {
                    e.preventDefault();
                    run(null);
                }, children: [form.error !== undefined && _jsx("p", { className: "muted", children: t('rsd.try.formUnavailable', { form: model.form }) }), _jsxs("label", { children: [t('rsd.try.formJSON'), _jsx("textarea", { value: raw, onChange: (e) => setRaw(e.target.value), rows: 5, dir: "ltr", name: "sampleForm", spellCheck: false })] }), submit] }))), result && (_jsx("div", { role: "status", "aria-live": "polite", className: "rsd-try-result", "data-testid": "rsd-try-result", children: result.matched.length === 0 ? (_jsx("p", { children: t('rsd.try.noMatch') })) : (_jsxs(_Fragment, { children: [_jsx("p", { children: t('rsd.try.matched', { rows: result.matched.map((i) => formatNumber(i + 1, lang)).join(t('rsd.try.comma')), count: result.matched.length }) }), _jsx("div", { className: "rsd-table-wrap", children: _jsxs("table", { className: "rsd-outputs", children: [_jsx("caption", { children: t('rsd.try.outputs') }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: t('rsd.rowNumber') }), model.outputs.map((o) => (_jsx("th", { scope: "col", children: _jsx("bdi", { dir: "ltr", children: o.name }) }, o.id)))] }) }), _jsx("tbody", { children: result.outputs.map((out, i) => (_jsxs("tr", { children: [_jsx("th", { scope: "row", children: formatNumber(result.matched[i] + 1, lang) }), model.outputs.map((o) => (_jsx("td", { children: _jsx("bdi", { dir: "ltr", children: thenText(out[o.name], o.type) }) }, o.id)))] }, i))) })] }) })] })) }))] }));
}
