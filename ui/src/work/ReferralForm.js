import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
// Referring the work, not the requester (docs/service-desk.md): the owner
// hands a question to another department as an internal task, with a note
// and a time to answer within; the owner stays the owner.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { ErrorSummary } from '../components';
import { useLoad } from '../useLoad';
import { useSubmit } from '../useSubmit';
import { useLanguage } from '../i18n/useLanguage';
import { localText } from '../i18n/format';
/** The answer times offered; the API takes any Go duration. */
export const withins = ['1h', '4h', '8h', '24h', '72h'];
export function ReferralForm({ request, done }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const groups = useLoad((signal) => api.get('/groups', { signal }), []);
    const [group, setGroup] = useState('');
    const [note, setNote] = useState('');
    const [within, setWithin] = useState('4h');
    const { busy, error, submit } = useSubmit(async () => {
        await api.post(`/requests/${encodeURIComponent(request)}/referrals`, { group, note: note.trim(), within });
        setNote('');
        done(t('work.refer.done', { group }));
    });
    return (_jsxs("form", { onSubmit: submit, className: "stack", "data-testid": "refer", children: [_jsx(ErrorSummary, { messages: error ? [error] : [] }), _jsx("label", { htmlFor: "refer-group", children: t('work.refer.group') }), _jsxs("select", { id: "refer-group", value: group, onChange: (e) => setGroup(e.target.value), required: true, children: [_jsx("option", { value: "", children: t('work.refer.choose') }), (groups.data?.items ?? []).map((g) => (_jsx("option", { value: g.key, children: localText(g.title, lang) || g.key }, g.key)))] }), _jsx("label", { htmlFor: "refer-note", children: t('work.refer.note') }), _jsx("textarea", { id: "refer-note", rows: 3, value: note, onChange: (e) => setNote(e.target.value), maxLength: 20000, required: true }), _jsx("label", { htmlFor: "refer-within", children: t('work.refer.within') }), _jsx("select", { id: "refer-within", value: within, onChange: (e) => setWithin(e.target.value), children: withins.map((w) => (_jsx("option", { value: w, children: t(`work.refer.withins.${w}`) }, w))) }), _jsx("button", { type: "submit", disabled: busy || !group || !note.trim(), "data-testid": "refer-send", children: t('work.refer.send') })] }));
}
