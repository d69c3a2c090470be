import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
// One of the requester's requests: where it stands (the tracking view),
// what they wrote, the conversation with its owner, and once resolved the
// survey and reopening.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useLoad } from '../useLoad';
import { ErrorSummary, Loading, problemText } from '../components';
import { TrackingView } from './TrackingView';
import { Conversation } from './Conversation';
import { Reopen, Survey } from './Survey';
import { bucketOf } from './requests';
/** loadRequest joins the requester's whole request with its public tracking view (deadlines, referrals). */
async function loadRequest(id, signal) {
    const code = encodeURIComponent(id);
    const [full, track] = await Promise.all([api.get(`/requests/${code}`, { signal }), api.get(`/track/${code}`, { signal })]);
    return { ...track, data: full.data, messages: full.messages, feedback: full.feedback, owner: full.owner, id: full.id };
}
export function RequestPage() {
    const { id = '' } = useParams();
    const { t } = useTranslation();
    const req = useLoad((signal) => loadRequest(id, signal), [id]);
    const [notice, setNotice] = useState('');
    if (req.loading && !req.data)
        return _jsx(Loading, {});
    if (!req.data)
        return (_jsxs("section", { children: [_jsx("h1", { children: t('request.title') }), _jsx(ErrorSummary, { messages: [problemText(req.error, t)] })] }));
    const r = req.data;
    const path = `/requests/${encodeURIComponent(r.id)}`;
    const done = bucketOf(r) === 'done';
    const rated = r.feedback != null && Object.keys(r.feedback).length > 0;
    async function act(call, message) {
        await call;
        setNotice(message);
        req.reload();
    }
    return (_jsxs("section", { "aria-labelledby": "request-title", children: [_jsx("p", { children: _jsx(Link, { to: "/requests", children: t('nav.myRequests') }) }), _jsx("h1", { id: "request-title", children: t('request.title') }), _jsx("p", { role: "status", "aria-live": "polite", className: "notice", children: notice }), _jsx(TrackingView, { view: r }), done && !rated && _jsx(Survey, { rate: (rating) => act(api.post(`${path}/feedback`, rating), t('survey.thanks')) }), done && rated && _jsx("p", { "data-testid": "rated", children: t('survey.thanks') }), done && _jsx(Reopen, { reopen: (reason) => act(api.post(`${path}/reopen`, { reason }), t('reopen.done')) }), _jsx(Conversation, { messages: r.messages ?? [], send: (body) => act(api.post(`${path}/messages`, { body }), t('request.sent')) }), r.data && (_jsxs("section", { "aria-labelledby": "data", children: [_jsx("h2", { id: "data", children: t('request.data') }), _jsx(DataList, { data: r.data })] }))] }));
}
/** DataList shows what the requester submitted, nested objects indented. */
export function DataList({ data }) {
    return (_jsx("dl", { className: "data", children: Object.entries(data).map(([k, v]) => (_jsxs("div", { children: [_jsx("dt", { children: k }), _jsx("dd", { children: v && typeof v === 'object' && !Array.isArray(v) ? _jsx(DataList, { data: v }) : String(v) })] }, k))) }));
}
