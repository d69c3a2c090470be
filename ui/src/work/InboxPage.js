import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
// The agent's inbox: their own tasks and their groups' queues (GET /tasks),
// soonest due first by default, each with its SLA clock and priority, and
// a claim button for what waits in a queue.
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import { useSubmit } from '../useSubmit';
import { Code, ErrorSummary, Loading, problemText } from '../components';
import { useLanguage } from '../i18n/useLanguage';
import { localText } from '../i18n/format';
import { SlaClock, useNow } from './SlaClock';
import { actionsFor, sorts, views } from './tasks';
export function InboxPage() {
    const { t } = useTranslation();
    const [params, setParams] = useSearchParams();
    const view = views.includes(params.get('view') ?? 'x') ? params.get('view') : 'mine';
    const sort = sorts.includes(params.get('sort') ?? '') ? params.get('sort') : 'due';
    const tasks = useLoad((signal) => api.get('/tasks', { signal, query: { view, sort, limit: 100 } }), [view, sort]);
    const now = useNow();
    function set(name, value) {
        const next = new URLSearchParams(params);
        next.set(name, value);
        setParams(next, { replace: true });
    }
    return (_jsxs("section", { "aria-labelledby": "inbox-title", children: [_jsx("h1", { id: "inbox-title", children: t('work.inbox.title') }), _jsx("p", { children: _jsx(Link, { to: "/work/phone", "data-testid": "phone-link", children: t('work.phone.link') }) }), _jsxs("div", { className: "filters", children: [_jsxs("div", { children: [_jsx("label", { htmlFor: "view", children: t('work.inbox.view') }), _jsx("select", { id: "view", value: view, onChange: (e) => set('view', e.target.value), children: views.map((v) => (_jsx("option", { value: v, children: t(`work.inbox.views.${v || 'all'}`) }, v))) })] }), _jsxs("div", { children: [_jsx("label", { htmlFor: "sort", children: t('work.inbox.sort') }), _jsx("select", { id: "sort", value: sort, onChange: (e) => set('sort', e.target.value), children: sorts.map((s) => (_jsx("option", { value: s, children: t(`work.inbox.sorts.${s}`) }, s))) })] })] }), tasks.loading && !tasks.data && _jsx(Loading, {}), tasks.error !== undefined && _jsx(ErrorSummary, { messages: [problemText(tasks.error, t)] }), tasks.data && tasks.data.items.length === 0 && _jsx("p", { className: "muted", children: t('work.inbox.empty') }), tasks.data && tasks.data.items.length > 0 && (_jsx("ul", { className: "cards tasks", "data-testid": "tasks", children: tasks.data.items.map((task) => (_jsx(TaskCard, { task: task, now: now, reload: tasks.reload }, task.id))) }))] }));
}
/** TaskCard is one task of the inbox: what, for which request, how urgent, and claim. */
function TaskCard({ task, now, reload }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const { user } = useSession();
    const can = actionsFor(task, user?.username ?? '', user?.groups ?? []);
    const claim = useSubmit(async () => {
        await api.post(`/tasks/${encodeURIComponent(task.id)}/claim`);
        reload();
    });
    const request = task.request ?? '';
    return (_jsxs("li", { className: `card task${task.overdue ? ' overdue' : ''}`, "data-testid": `task-${task.id}`, children: [_jsx(Link, { to: `/work/requests/${encodeURIComponent(request)}?task=${encodeURIComponent(task.id)}`, children: _jsx("strong", { children: localText(task.title, lang) || t(`work.kind.${task.kind}`, { defaultValue: task.kind }) }) }), ' ', "\u00B7 ", _jsx(Code, { children: request }), _jsx("p", { children: _jsx(SlaClock, { due: task.due, now: now }) }), _jsxs("p", { className: "muted", children: [t('work.priority'), ": ", t(`priority.${task.priority ?? 'normal'}`, { defaultValue: task.priority ?? '' }), " \u00B7", ' ', task.assignee ? t('work.heldBy', { name: task.assignee }) : t('work.inQueue', { groups: (task.groups ?? []).join(', ') })] }), can.claim && (_jsxs("form", { onSubmit: claim.submit, children: [_jsx(ErrorSummary, { messages: claim.error ? [claim.error] : [] }), _jsx("button", { type: "submit", disabled: claim.busy, "data-testid": "claim", children: t('work.claim') })] }))] }));
}
