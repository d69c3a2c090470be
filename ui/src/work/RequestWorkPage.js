import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "react/jsx-runtime";
// The request's whole picture for the people working on it: its open tasks
// to do, SLA clocks, the data, the conversation with internal notes,
// referrals, attachments and history; and the owner's tools: reply, note,
// refer.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { Code, ErrorSummary, Loading, problemText, StatusBadge, When } from '../components';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import { useLanguage } from '../i18n/useLanguage';
import { formatNumber, localText } from '../i18n/format';
import { DataList } from '../portal/RequestPage';
import { SlaClock, useNow } from './SlaClock';
import { TaskPanel } from './TaskPanel';
import { Composer } from './Composer';
import { ReferralForm } from './ReferralForm';
import { openTasks, referrals, taskForm } from './tasks';
/** loadPicture reads the request as staff see it and the workflow version it runs (for the task forms). */
async function loadPicture(id, signal) {
    const request = await api.get(`/requests/${encodeURIComponent(id)}`, { signal });
    const wf = request.workflow;
    const workflow = wf ? await api.get(`/workflows/${encodeURIComponent(wf.workflow)}/versions/${wf.version}`, { signal }) : undefined;
    return { request, workflow };
}
export function RequestWorkPage() {
    const { id = '' } = useParams();
    const { t } = useTranslation();
    const lang = useLanguage();
    const { user } = useSession();
    const pic = useLoad((signal) => loadPicture(id, signal), [id]);
    const [notice, setNotice] = useState('');
    const now = useNow();
    if (pic.loading && !pic.data)
        return _jsx(Loading, {});
    if (!pic.data)
        return (_jsxs("section", { children: [_jsx("h1", { children: t('work.request.title') }), _jsx(ErrorSummary, { messages: [problemText(pic.error, t)] }), _jsx(Link, { to: "/work", children: t('work.inbox.back') })] }));
    const r = pic.data.request;
    const done = (message) => {
        setNotice(message);
        pic.reload();
    };
    const tasks = openTasks(r);
    const refs = referrals(r);
    const owner = r.owner === user?.username;
    const running = !r.closed && !!r.workflow;
    return (_jsxs("section", { "aria-labelledby": "request-title", className: "work-request", children: [_jsx("p", { children: _jsxs(Link, { to: "/work", children: ["\u2190 ", t('work.inbox.back')] }) }), _jsxs("h1", { id: "request-title", children: [t('work.request.title'), " ", _jsx(Code, { children: r.trackingCode ?? r.id })] }), _jsx("p", { role: "status", "aria-live": "polite", className: "notice", "data-testid": "notice", children: notice }), _jsxs("dl", { className: "facts", children: [_jsx("dt", { children: t('request.status') }), _jsx("dd", { "data-testid": "status", children: _jsx(StatusBadge, { status: r.status }) }), _jsx("dt", { children: t('work.priority') }), _jsx("dd", { children: t(`priority.${r.priority ?? 'normal'}`, { defaultValue: r.priority ?? '' }) }), _jsx("dt", { children: t('work.request.type') }), _jsx("dd", { children: localText(r.type?.title, lang) || r.type?.key || r.form?.key }), _jsx("dt", { children: t('work.request.channel') }), _jsx("dd", { children: t(`work.channel.${r.channel}`, { defaultValue: r.channel ?? '' }) }), _jsx("dt", { children: t('work.request.requester') }), _jsx("dd", { children: r.profile?.name ?? r.requester }), _jsx("dt", { children: t('work.request.owner') }), _jsx("dd", { "data-testid": "owner", children: r.owner ?? t('work.request.noOwner', { group: r.ownerGroup ?? '' }) }), _jsx("dt", { children: t('request.submitted') }), _jsx("dd", { children: _jsx(When, { at: r.createdAt }) })] }), _jsxs("section", { "aria-labelledby": "sla", children: [_jsx("h2", { id: "sla", children: t('work.request.sla') }), !r.slaStatus?.goals?.length && _jsx("p", { className: "muted", children: t('work.request.noSla') }), _jsx("ul", { className: "plain", children: (r.slaStatus?.goals ?? []).map((g) => (_jsxs("li", { children: [t(`goal.${g.goal}`, { defaultValue: g.goal }), ":", ' ', g.state === 'running' ? _jsx(SlaClock, { due: g.due, warning: g.warning, now: now }) : t(`goalState.${g.state}`, { defaultValue: g.state })] }, g.goal))) })] }), _jsxs("section", { "aria-labelledby": "todo", children: [_jsx("h2", { id: "todo", children: t('work.request.tasks') }), tasks.length === 0 && _jsx("p", { className: "muted", children: t('work.request.noTasks') }), tasks.map((task) => (_jsx(TaskPanel, { task: task, form: taskForm(pic.data?.workflow, task.node), now: now, done: done }, task.id)))] }), _jsxs("section", { "aria-labelledby": "conversation", children: [_jsx("h2", { id: "conversation", children: t('request.conversation') }), !r.messages?.length && _jsx("p", { className: "muted", children: t('request.noMessages') }), _jsx("ol", { className: "messages", children: (r.messages ?? []).map((m) => (_jsxs("li", { className: `message ${m.kind}`, "data-testid": `message-${m.kind}`, children: [_jsxs("div", { className: "meta", children: [_jsx("strong", { children: m.author || t('work.request.requester') }), " \u00B7 ", t(`work.messageKind.${m.kind}`), " \u00B7 ", _jsx(When, { at: m.at })] }), _jsx("p", { children: m.body })] }, m.id))) }), !r.closed && _jsx(Composer, { request: r.id, owner: owner, done: done })] }), _jsxs("section", { "aria-labelledby": "referrals", children: [_jsx("h2", { id: "referrals", children: t('work.request.referrals') }), refs.length === 0 && _jsx("p", { className: "muted", children: t('work.refer.none') }), _jsx("ul", { className: "plain", "data-testid": "referrals", children: refs.map((ref) => (_jsxs("li", { children: [(ref.groups ?? []).join(', '), " \u00B7 ", t(`referralStatus.${ref.status}`, { defaultValue: ref.status }), ref.status === 'open' && (_jsxs(_Fragment, { children: [' ', "\u00B7 ", _jsx(SlaClock, { due: ref.due, now: now })] })), ref.comment && _jsx("p", { className: "muted", children: ref.comment })] }, ref.id))) }), running && (_jsxs("details", { children: [_jsx("summary", { children: t('work.refer.title') }), _jsx(ReferralForm, { request: r.id, done: done })] }))] }), r.data && (_jsxs("section", { "aria-labelledby": "data", children: [_jsx("h2", { id: "data", children: t('work.request.data') }), _jsx(DataList, { data: r.data })] })), _jsxs("section", { "aria-labelledby": "attachments", children: [_jsx("h2", { id: "attachments", children: t('work.request.attachments') }), !r.attachments?.length && _jsx("p", { className: "muted", children: t('work.request.noAttachments') }), _jsx("ul", { className: "plain", children: (r.attachments ?? []).map((a) => (_jsxs("li", { children: [_jsx("a", { href: `/api/v1/requests/${encodeURIComponent(r.id)}/attachments/${encodeURIComponent(a.id)}`, children: a.name }), " \u00B7", ' ', t('work.request.size', { size: formatNumber(Math.ceil(a.size / 1024), lang) }), a.internal && _jsxs(_Fragment, { children: [" \u00B7 ", t('work.messageKind.note')] })] }, a.id))) })] }), _jsxs("section", { "aria-labelledby": "history", children: [_jsx("h2", { id: "history", children: t('request.history') }), _jsx("ol", { className: "history", children: (r.history ?? []).map((h, i) => (_jsxs("li", { children: [_jsx(When, { at: h.at }), " \u00B7 ", t(`history.${h.type}`, { defaultValue: h.type }), h.actor && _jsxs(_Fragment, { children: [" \u00B7 ", h.actor] }), h.detail && _jsxs("span", { className: "muted", children: [" \u00B7 ", h.detail] })] }, i))) })] })] }));
}
