import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "react/jsx-runtime";
// Tracking by code, without logging in (GET /track/{code}). With the email
// or phone the request was filed with (POST /track/{code}) the requester
// also sees what they wrote and the conversation, and may write, rate and
// reopen it.
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useLoad } from '../useLoad';
import { ErrorSummary, Loading, problemText } from '../components';
import { useSubmit } from '../useSubmit';
import { TrackingView } from './TrackingView';
import { Conversation } from './Conversation';
import { Reopen, Survey } from './Survey';
import { DataList } from './RequestPage';
import { bucketOf } from './requests';
/** normalizeCode tidies a typed code as the server would accept it: no spaces, upper case. */
export function normalizeCode(code) {
    return code.replace(/[\s-]/g, '').toUpperCase();
}
export function TrackPage() {
    const { code } = useParams();
    const { t } = useTranslation();
    const navigate = useNavigate();
    const [typed, setTyped] = useState(code ?? '');
    return (_jsxs("section", { "aria-labelledby": "track-title", children: [_jsx("h1", { id: "track-title", children: t('track.title') }), _jsx("p", { children: t('track.help') }), _jsxs("form", { className: "inline", onSubmit: (e) => {
                    e.preventDefault();
                    const c = normalizeCode(typed);
                    if (c)
                        navigate(`/track/${encodeURIComponent(c)}`);
                }, children: [_jsx("label", { htmlFor: "code", children: t('common.trackingCode') }), _jsx("input", { id: "code", dir: "ltr", autoComplete: "off", spellCheck: false, maxLength: 20, required: true, value: typed, onChange: (e) => setTyped(e.target.value) }), _jsx("button", { type: "submit", className: "primary", children: t('track.submit') })] }), code && _jsx(Tracked, { code: code }, code)] }));
}
function Tracked({ code }) {
    const { t } = useTranslation();
    const path = `/track/${encodeURIComponent(code)}`;
    const view = useLoad((signal) => api.get(path, { signal }), [path]);
    const [proof, setProof] = useState(null);
    const [proven, setProven] = useState(null);
    const [notice, setNotice] = useState('');
    async function prove(p) {
        setProven(await api.post(path, p));
        setProof(p);
    }
    async function act(call, message) {
        await call;
        setNotice(message);
        view.reload();
        if (proof)
            setProven(await api.post(path, proof));
    }
    if (view.loading && !view.data)
        return _jsx(Loading, {});
    if (!view.data)
        return _jsx(ErrorSummary, { messages: [problemText(view.error, t)] });
    const r = proven ? { ...view.data, ...proven } : view.data;
    const done = bucketOf(r) === 'done';
    return (_jsxs("section", { "aria-label": t('track.result'), className: "tracked", children: [_jsx("p", { role: "status", "aria-live": "polite", className: "notice", children: notice }), _jsx(TrackingView, { view: r }), !proof ? (_jsx(ProveForm, { prove: prove })) : (_jsxs(_Fragment, { children: [done && _jsx(Survey, { rate: (rating) => act(api.post(`${path}/feedback`, { ...proof, ...rating }), t('survey.thanks')) }), done && _jsx(Reopen, { reopen: (reason) => act(api.post(`${path}/reopen`, { ...proof, reason }), t('reopen.done')) }), _jsx(Conversation, { messages: r.messages ?? [], send: (body) => act(api.post(`${path}/messages`, { ...proof, body }), t('request.sent')) }), r.data && (_jsxs("section", { "aria-labelledby": "data", children: [_jsx("h2", { id: "data", children: t('request.data') }), _jsx(DataList, { data: r.data })] }))] }))] }));
}
/** ProveForm asks for the email or phone the request was filed with. */
function ProveForm({ prove }) {
    const { t } = useTranslation();
    const [value, setValue] = useState('');
    const { busy, error, submit } = useSubmit(async () => {
        const v = value.trim();
        await prove(v.includes('@') ? { email: v } : { phone: v });
    });
    return (_jsxs("form", { onSubmit: submit, className: "stack", children: [_jsx("h2", { children: t('track.proveTitle') }), _jsx("p", { children: t('track.proveHelp') }), _jsx(ErrorSummary, { messages: error ? [error] : [] }), _jsx("label", { htmlFor: "proof", children: t('track.proof') }), _jsx("input", { id: "proof", dir: "ltr", autoComplete: "email", required: true, value: value, onChange: (e) => setValue(e.target.value) }), _jsx("button", { type: "submit", disabled: busy, children: t('track.prove') })] }));
}
