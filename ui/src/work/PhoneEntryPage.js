import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
// Entering a request received by phone: the agent picks the kind of
// request, says who called (a customer by contact details: intake finds or
// creates their profile, docs/service-desk.md), fills the request's own
// form for them and submits it with channel "phone". The caller gets the
// tracking code to note down.
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { Code, ErrorSummary, Loading, problemText } from '../components';
import { useLoad } from '../useLoad';
import { useLanguage } from '../i18n/useLanguage';
import { localText } from '../i18n/format';
import { loadForm } from '../portal/NewRequestPage';
import { uiSchema } from '../portal/formSchema';
import { hasFieldRules } from '../portal/formRules';
import { SchemaForm, useSending } from './SchemaForm';
import { callerProblems, requesterOf } from './caller';
export function PhoneEntryPage() {
    const { t } = useTranslation();
    const lang = useLanguage();
    const types = useLoad((signal) => api.get('/catalog', { signal, query: { for: 'anyone', channel: 'phone' } }), []);
    const [type, setType] = useState('');
    const [caller, setCaller] = useState({ name: '', phone: '', email: '' });
    const [receipt, setReceipt] = useState(null);
    if (receipt)
        return (_jsxs("section", { "aria-labelledby": "receipt-title", className: "receipt", children: [_jsx("h1", { id: "receipt-title", children: t('work.phone.received') }), _jsxs("p", { className: "tracking", role: "status", children: [t('work.phone.tellCaller'), ": ", _jsx(Code, { children: receipt.trackingCode })] }), _jsxs("ul", { className: "actions", children: [_jsx("li", { children: _jsx(Link, { to: `/work/requests/${encodeURIComponent(receipt.id)}`, "data-testid": "receipt-link", children: t('work.phone.open') }) }), _jsx("li", { children: _jsx("button", { type: "button", onClick: () => {
                                    setReceipt(null);
                                    setCaller({ name: '', phone: '', email: '' });
                                    setType('');
                                }, children: t('work.phone.another') }) })] })] }));
    const entries = types.data?.items ?? [];
    return (_jsxs("section", { "aria-labelledby": "phone-title", children: [_jsx("h1", { id: "phone-title", children: t('work.phone.title') }), types.loading && _jsx(Loading, {}), types.error !== undefined && _jsx(ErrorSummary, { messages: [problemText(types.error, t)] }), _jsxs("fieldset", { children: [_jsx("legend", { children: t('work.phone.caller') }), _jsx("div", { className: "stack", children: ['name', 'phone', 'email'].map((k) => (_jsxs("div", { className: "stack", children: [_jsx("label", { htmlFor: `caller-${k}`, children: t(`work.phone.${k}`) }), _jsx("input", { id: `caller-${k}`, type: k === 'email' ? 'email' : k === 'phone' ? 'tel' : 'text', autoComplete: "off", value: caller[k], onChange: (e) => setCaller({ ...caller, [k]: e.target.value }) })] }, k))) })] }), _jsx("label", { htmlFor: "phone-type", children: t('work.phone.type') }), _jsxs("select", { id: "phone-type", value: type, onChange: (e) => setType(e.target.value), children: [_jsx("option", { value: "", children: t('work.refer.choose') }), entries.map((e) => (_jsxs("option", { value: e.key, disabled: e.channels?.some((c) => c.channel === 'phone' && !c.open), children: [localText(e.title, lang), e.channels?.some((c) => c.channel === 'phone' && !c.open) ? ` (${t('work.phone.closed')})` : ''] }, e.key)))] }), type && _jsx(PhoneForm, { type: type, caller: caller, received: setReceipt }, type)] }));
}
/** PhoneForm is the chosen type's form, submitted for the caller. */
function PhoneForm({ type, caller, received }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const form = useLoad((signal) => loadForm(type, signal), [type]);
    const sending = useSending();
    const ui = useMemo(() => (form.data ? uiSchema(form.data.version.definition, lang) : {}), [form.data, lang]);
    // The form's rules see the caller, as at submission; until the caller
    // is named the server cannot say, and every field shows.
    const version = form.data?.version;
    const requester = callerProblems(caller).includes('contact') ? '' : JSON.stringify(requesterOf(caller));
    const rules = useMemo(() => version && requester && hasFieldRules(version.definition.ui?.fields)
        ? { form: version.key, body: { version: version.version, type, channel: 'phone', requester: JSON.parse(requester) } }
        : undefined, [version, type, requester]);
    if (form.loading)
        return _jsx(Loading, {});
    if (!form.data)
        return _jsx(ErrorSummary, { messages: [problemText(form.error, t)] });
    function submit(data) {
        const missing = callerProblems(caller);
        if (missing.length)
            return sending.refuse(missing.map((m) => t(`work.phone.missing.${m}`)));
        sending.send(async () => received(await api.post('/requests', { type, channel: 'phone', requester: requesterOf(caller), data })));
    }
    return (_jsx(SchemaForm, { schema: form.data.schema, ui: ui, sending: sending, rules: rules, submit: submit, children: _jsx("button", { type: "submit", className: "primary", disabled: sending.busy, "data-testid": "phone-submit", children: t('work.phone.submit') }) }));
}
