import { jsx as _jsx, Fragment as _Fragment, jsxs as _jsxs } from "react/jsx-runtime";
// One open task of a request, as its worker does it: claim or release it,
// fill the task's own form when the workflow gives one, write a comment,
// and complete it with one of its outcomes.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { ErrorSummary } from '../components';
import { useSession } from '../session';
import { useLanguage } from '../i18n/useLanguage';
import { localText } from '../i18n/format';
import { SlaClock } from './SlaClock';
import { SchemaForm, useSending } from './SchemaForm';
import { actionsFor } from './tasks';
export function TaskPanel({ task, form, now, done }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const { user } = useSession();
    const can = actionsFor(task, user?.username ?? '', user?.groups ?? []);
    const [comment, setComment] = useState('');
    const sending = useSending();
    // Which outcome button sent the form: each is a submit button, so the
    // form (and its schema's validation) runs whichever is pressed.
    const outcome = useRef('');
    const path = `/tasks/${encodeURIComponent(task.id)}`;
    const outcomes = task.outcomes?.length ? task.outcomes : ['done'];
    const title = localText(task.title, lang) || t(`work.kind.${task.kind}`, { defaultValue: task.kind });
    const act = (call, message) => sending.send(async () => {
        await call();
        done(message);
    });
    const complete = (data) => {
        const chosen = outcome.current || outcomes[0];
        return act(() => api.post(`${path}/complete`, { outcome: chosen, data, comment: comment.trim() || undefined }), t('work.task.completed', { outcome: t(`work.outcome.${chosen}`, { defaultValue: chosen }) }));
    };
    const buttons = (_jsxs(_Fragment, { children: [_jsx("label", { htmlFor: `comment-${task.id}`, children: t('work.task.comment') }), _jsx("textarea", { id: `comment-${task.id}`, rows: 2, value: comment, onChange: (e) => setComment(e.target.value), maxLength: 20000 }), _jsx("div", { className: "outcomes", role: "group", "aria-label": t('work.task.outcomes'), children: outcomes.map((o) => (_jsx("button", { type: "submit", className: o === outcomes[0] ? 'primary' : '', disabled: sending.busy, "data-testid": `outcome-${o}`, onClick: () => (outcome.current = o), children: t(`work.outcome.${o}`, { defaultValue: o }) }, o))) })] }));
    return (_jsxs("section", { className: "card task-panel", "aria-labelledby": `task-${task.id}`, "data-testid": `panel-${task.id}`, children: [_jsx("h3", { id: `task-${task.id}`, children: title }), _jsxs("p", { children: [_jsx(SlaClock, { due: task.due, now: now }), " \u00B7 ", task.assignee ? t('work.heldBy', { name: task.assignee }) : t('work.inQueue', { groups: (task.groups ?? []).join(', ') })] }), _jsxs("div", { className: "inline", children: [can.claim && (_jsx("button", { type: "button", disabled: sending.busy, "data-testid": "claim", onClick: () => act(() => api.post(`${path}/claim`), t('work.task.claimed')), children: t('work.claim') })), can.release && (_jsx("button", { type: "button", disabled: sending.busy, "data-testid": "release", onClick: () => act(() => api.post(`${path}/unclaim`), t('work.task.released')), children: t('work.release') }))] }), can.complete &&
                (form ? (_jsx(SchemaForm, { schema: form, sending: sending, idPrefix: `task_${task.node}`, submit: complete, children: buttons })) : (_jsxs("form", { className: "stack", onSubmit: (e) => {
                        e.preventDefault();
                        complete();
                    }, children: [_jsx(ErrorSummary, { messages: sending.general }), buttons] }))), !can.complete && _jsx(ErrorSummary, { messages: sending.general })] }));
}
