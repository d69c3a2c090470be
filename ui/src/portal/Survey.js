import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary } from '../components';
import { useSubmit } from '../useSubmit';
import { useLanguage } from '../i18n/useLanguage';
import { formatNumber } from '../i18n/format';
/** Survey asks a resolved request's requester how satisfied they are (CSAT 1-5, NPS 0-10). */
export function Survey({ rate }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const [csat, setCsat] = useState(null);
    const [nps, setNps] = useState('');
    const [comment, setComment] = useState('');
    const { busy, error, setError, submit } = useSubmit(async () => {
        if (csat == null)
            return setError(t('survey.pickScore'));
        await rate({ csat, nps: nps === '' ? undefined : Number(nps), comment: comment.trim() || undefined });
    });
    return (_jsxs("section", { "aria-labelledby": "survey", className: "survey", children: [_jsx("h2", { id: "survey", children: t('survey.title') }), _jsxs("form", { onSubmit: submit, className: "stack", children: [_jsx(ErrorSummary, { messages: error ? [error] : [] }), _jsxs("fieldset", { children: [_jsx("legend", { children: t('survey.csat') }), _jsx("div", { className: "scale", children: [1, 2, 3, 4, 5].map((n) => (_jsxs("label", { children: [_jsx("input", { type: "radio", name: "csat", value: n, checked: csat === n, onChange: () => setCsat(n), "data-testid": `csat-${n}` }), formatNumber(n, lang)] }, n))) }), _jsx("p", { className: "muted", children: t('survey.csatHelp') })] }), _jsx("label", { htmlFor: "nps", children: t('survey.nps') }), _jsxs("select", { id: "nps", value: nps, onChange: (e) => setNps(e.target.value), children: [_jsx("option", { value: "", children: t('survey.npsSkip') }), Array.from({ length: 11 }, (_, n) => (_jsx("option", { value: n, children: formatNumber(n, lang) }, n)))] }), _jsx("label", { htmlFor: "comment", children: t('survey.comment') }), _jsx("textarea", { id: "comment", rows: 2, maxLength: 2000, value: comment, onChange: (e) => setComment(e.target.value) }), _jsx("button", { type: "submit", className: "primary", disabled: busy, children: t('survey.submit') })] })] }));
}
/** Reopen lets the requester reopen a resolved request, saying why. */
export function Reopen({ reopen }) {
    const { t } = useTranslation();
    const [reason, setReason] = useState('');
    const { busy, error, submit } = useSubmit(async () => {
        await reopen(reason.trim());
        setReason('');
    });
    return (_jsxs("section", { "aria-labelledby": "reopen", children: [_jsx("h2", { id: "reopen", children: t('reopen.title') }), _jsxs("form", { onSubmit: submit, className: "stack", children: [_jsx(ErrorSummary, { messages: error ? [error] : [] }), _jsx("label", { htmlFor: "reopen-reason", children: t('reopen.reason') }), _jsx("textarea", { id: "reopen-reason", rows: 2, required: true, value: reason, onChange: (e) => setReason(e.target.value) }), _jsx("button", { type: "submit", disabled: busy || !reason.trim(), children: t('reopen.submit') })] })] }));
}
