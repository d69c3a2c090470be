import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
// The calendars or SLA policies with their draft and published state, and
// a form to start a new one, which saves its first draft and opens it.
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, Loading, problemText, When } from '../../components';
import { Problem } from '../../api/problem';
import { useLoad } from '../../useLoad';
import { useSubmit } from '../../useSubmit';
import { useLanguage } from '../../i18n/useLanguage';
import { localText } from '../../i18n/format';
import { draftState } from '../workflows/model';
import { listHeads, saveDraft } from './api';
import { newCalendar, newPolicy, timeZones } from './model';
import { CalendarPicker } from './PolicyEditor';
export function ListPage({ kind }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const heads = useLoad((signal) => listHeads(kind, signal), [kind]);
    return (_jsxs("section", { "aria-labelledby": "sla-list-title", className: "sla-list", children: [_jsx("p", { children: _jsx(Link, { to: "/design", children: t('nav.design') }) }), _jsx("h1", { id: "sla-list-title", children: t(`sla.${kind}.listTitle`) }), _jsx("p", { className: "muted", children: t(`sla.${kind}.intro`) }), heads.loading && _jsx(Loading, {}), heads.error !== undefined && _jsx(ErrorSummary, { messages: [problemText(heads.error, t)] }), heads.data && (_jsx("ul", { className: "cards", "data-testid": "sla-heads", children: heads.data.map((h) => (_jsxs("li", { className: "card", children: [_jsx(Link, { to: `/design/${kind}/${h.key}`, children: localText(h.title, lang) || h.key }), " ", _jsx("bdi", { dir: "ltr", className: "code", children: h.key }), _jsxs("p", { className: "muted", children: [_jsx("span", { className: `badge sla-state-${draftState(h)}`, children: t(`sla.state.${draftState(h)}`, { version: h.latestVersion }) }), " ", _jsx(When, { at: h.updatedAt })] })] }, h.key))) })), heads.data && !heads.data.length && _jsx("p", { className: "muted", children: t('sla.none') }), _jsx(NewForm, { kind: kind })] }));
}
/** NewForm starts a definition: created with If-None-Match: *, so a key taken is said, never overwritten. */
function NewForm({ kind }) {
    const { t } = useTranslation();
    const navigate = useNavigate();
    const zones = useMemo(() => timeZones(), []);
    const [key, setKey] = useState('');
    const [en, setEn] = useState('');
    const [fa, setFa] = useState('');
    const [category, setCategory] = useState('');
    const [timeZone, setTimeZone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC');
    const [calendar, setCalendar] = useState('');
    const s = useSubmit(async () => {
        const body = kind === 'calendars' ? newCalendar(key, { en, fa }, category, timeZone) : newPolicy(key, { en, fa }, category, calendar);
        try {
            await saveDraft(kind, key, body, undefined);
        }
        catch (err) {
            if (err instanceof Problem && err.status === 412)
                throw new Problem({ status: 412, detail: t('sla.keyTaken', { key }) });
            // The server checks the category of an existing key before the key
            // itself, so a key taken in a category the caller may not write is 403.
            if (err instanceof Problem && err.status === 403)
                throw new Problem({ status: 403, detail: t('sla.createForbidden', { category: category || 'general' }) });
            throw err;
        }
        navigate(`/design/${kind}/${key}`);
    });
    return (_jsxs("form", { onSubmit: s.submit, className: "sla-new", "aria-labelledby": "sla-new-title", children: [_jsx("h2", { id: "sla-new-title", children: t(`sla.${kind}.new`) }), _jsx(ErrorSummary, { messages: s.error ? [s.error] : [] }), _jsxs("label", { children: [t('sla.key'), _jsx("input", { value: key, onChange: (e) => setKey(e.target.value), required: true, pattern: "[a-z][a-z0-9\\-]{1,62}", dir: "ltr", name: "key", "aria-describedby": "sla-key-help" })] }), _jsx("p", { className: "muted", id: "sla-key-help", children: t('sla.keyHelp') }), _jsxs("label", { children: [t('sla.titleEn'), _jsx("input", { value: en, onChange: (e) => setEn(e.target.value), required: true, dir: "ltr", name: "titleEn" })] }), _jsxs("label", { children: [t('sla.titleFa'), _jsx("input", { value: fa, onChange: (e) => setFa(e.target.value), dir: "rtl", name: "titleFa" })] }), _jsxs("label", { children: [t('sla.category'), _jsx("input", { value: category, onChange: (e) => setCategory(e.target.value), dir: "ltr", name: "category" })] }), kind === 'calendars' ? (_jsxs("label", { children: [t('sla.cal.timeZone'), _jsx("input", { value: timeZone, onChange: (e) => setTimeZone(e.target.value), required: true, dir: "ltr", name: "timeZone", list: "sla-new-zones" }), _jsx("datalist", { id: "sla-new-zones", children: zones.map((z) => (_jsx("option", { value: z }, z))) })] })) : (_jsx(CalendarPicker, { value: calendar, set: setCalendar, name: "newCalendar", pointer: "/new/calendar" })), _jsx("button", { type: "submit", className: "primary", disabled: s.busy, children: t('sla.create') })] }));
}
