import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "react/jsx-runtime";
// The SLA policy editor (docs/ui.md, "Calendars and SLA policies"):
// titles, the calendar the goals count on, and for first response and
// resolution the target in hours and minutes, the warning as a percentage
// and the escalations on warning and on breach.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../useLoad';
import { useSession } from '../../session';
import { useLanguage } from '../../i18n/useLanguage';
import { localText } from '../../i18n/format';
import { listOf, titleOf } from '../workflows/api';
import { listHeads } from './api';
import { DraftEditorPage, FieldProblems, Section, TextInput, Titles, useInvalid } from './DraftEditor';
import { goalNames, inputID, newEscalation, newGoal, parseTarget, percentOf, policyAnchors, policyFromDefinition, policyToDefinition, recipients, shareOf, splitNames, targetText, withRecipient, withUsers, } from './model';
/** The priorities an escalation may raise a request to. */
const priorities = ['low', 'normal', 'high', 'urgent'];
/**
 * usePickers reads the groups and the users where the caller may.
 * Process owners read the groups but not the users (docs/access.md): the
 * users are asked for only by roles that may read them, so the others
 * see no refused call, and type usernames.
 */
function usePickers() {
    const { user } = useSession();
    const readsUsers = (user?.roles ?? []).some((r) => r.role === 'admin' || r.role === 'supervisor');
    const groups = useLoad((s) => listOf('/groups', s), []);
    const users = useLoad(async (s) => {
        if (!readsUsers)
            return { items: [], forbidden: true };
        const l = await listOf('/users', s);
        return { ...l, items: l.items.map((u) => ({ ...u, key: u.username })) };
    }, [readsUsers]);
    return { groups: groups.data, users: users.data };
}
/** CalendarPicker picks the policy's calendar among the published ones. */
export function CalendarPicker({ value, set, name = 'calendar', pointer }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const calendars = useLoad((s) => listHeads('calendars', s), []);
    const { props, messages } = useInvalid(inputID(pointer ?? `/${name}`));
    const published = (calendars.data ?? []).filter((c) => c.latestVersion > 0);
    const known = published.some((c) => c.key === value);
    return (_jsxs("div", { className: "sla-field", children: [_jsx("label", { htmlFor: props.id, children: t('sla.pol.calendar') }), _jsxs("select", { ...props, name: name, value: value, onChange: (e) => set(e.target.value), required: true, children: [_jsx("option", { value: "", children: t('sla.choose') }), published.map((c) => (_jsxs("option", { value: c.key, children: [localText(c.title, lang) || c.key, " (", c.key, ")"] }, c.key))), value && !known && _jsx("option", { value: value, children: t('sla.pol.unpublishedCalendar', { key: value }) })] }), _jsx(FieldProblems, { id: props.id, messages: messages })] }));
}
/**
 * NumberInput is a number input that shows what is typed as typed ("7." on
 * the way to 7.5, "" after clearing it) until it is left, then the value;
 * a controlled number input would otherwise keep "048" or eat the dot.
 * onValue gets undefined for an empty input.
 */
function NumberInput({ value, onValue, ...rest }) {
    const [typed, setTyped] = useState(null);
    return (_jsx("input", { type: "number", ...rest, value: typed ?? value ?? '', onChange: (e) => {
            setTyped(e.target.value);
            onValue(e.target.value === '' || Number.isNaN(Number(e.target.value)) ? undefined : Number(e.target.value));
        }, onBlur: () => setTyped(null) }));
}
/** TargetInput edits a target as hours and minutes, or as written when it is not whole minutes. */
function TargetInput({ pointer, target, set }) {
    const { t } = useTranslation();
    const { props, messages } = useInvalid(inputID(pointer));
    const parsed = parseTarget(target);
    // A target first shown as written stays so while it is edited: it would
    // otherwise turn into hours and minutes, and lose the focus, mid-word.
    const [asWritten] = useState(() => parsed === null);
    const name = pointer.slice(1).replace(/\//g, '-');
    if (asWritten || !parsed) {
        return (_jsxs("div", { className: "sla-field", children: [_jsx("label", { htmlFor: props.id, children: t('sla.pol.targetText') }), _jsx("input", { ...props, name: name, dir: "ltr", value: target, onChange: (e) => set(e.target.value) }), _jsx("p", { className: "muted", children: t('sla.pol.targetTextHelp') }), _jsx(FieldProblems, { id: props.id, messages: messages })] }));
    }
    const whole = (n) => Math.max(0, Math.floor(n ?? 0));
    return (_jsxs("fieldset", { className: "sla-target", "aria-describedby": `${props.id}-help`, children: [_jsx("legend", { children: t('sla.pol.target') }), _jsxs("div", { className: "sla-row", children: [_jsxs("label", { children: [t('sla.pol.hours'), _jsx(NumberInput, { min: 0, step: 1, inputMode: "numeric", ...props, name: `${name}Hours`, value: parsed.hours, onValue: (h) => set(targetText(whole(h), parsed.minutes)) })] }), _jsxs("label", { children: [t('sla.pol.minutes'), _jsx(NumberInput, { min: 0, max: 59, step: 1, inputMode: "numeric", id: `${props.id}-minutes`, name: `${name}Minutes`, value: parsed.minutes, onValue: (m) => set(targetText(parsed.hours, whole(m))) })] })] }), _jsxs("p", { className: "muted", id: `${props.id}-help`, children: [t('sla.pol.targetHelp'), " ", _jsx("bdi", { dir: "ltr", className: "code", "data-testid": "sla-target-text", children: target })] }), _jsx(FieldProblems, { id: props.id, messages: messages })] }));
}
/** WarningInput edits the warning share as a percentage; empty is no warning. */
function WarningInput({ pointer, warning, set }) {
    const { t } = useTranslation();
    const { props, messages } = useInvalid(inputID(pointer));
    const name = pointer.slice(1).replace(/\//g, '-');
    return (_jsxs("div", { className: "sla-field", children: [_jsx("label", { htmlFor: props.id, children: t('sla.pol.warning') }), _jsxs("div", { className: "sla-row", children: [_jsx(NumberInput, { min: 0, max: 99, step: "any", inputMode: "decimal", ...props, name: name, className: "sla-percent", value: percentOf(warning), onValue: (p) => set(shareOf(p)) }), _jsx("span", { "aria-hidden": "true", children: "%" })] }), _jsx("p", { className: "muted", children: t('sla.pol.warningHelp') }), _jsx(FieldProblems, { id: props.id, messages: messages })] }));
}
/**
 * Names is a list of keys typed by hand (where the caller may not read the
 * list to pick from), taken when the input is left; its key is the list,
 * so it shows the list afresh when the list changes otherwise.
 */
function Names({ id, label, values, set }) {
    return (_jsxs("label", { children: [label, _jsx("input", { id: id, dir: "ltr", defaultValue: values.join(', '), onBlur: (e) => set(splitNames(e.target.value)) })] }));
}
/** Picks is a set of checkboxes over a list read from the API. */
function Picks({ legend, items, chosen, toggle, lang }) {
    return (_jsxs("fieldset", { className: "sla-picks", children: [_jsx("legend", { children: legend }), items.map((g) => (_jsxs("label", { className: "check", children: [_jsx("input", { type: "checkbox", checked: chosen.includes(g.key), onChange: (e) => toggle(g.key, e.target.checked) }), titleOf(g, lang)] }, g.key)))] }));
}
function EscalationEditor(props) {
    const { base, esc, set, pickers } = props;
    const { t } = useTranslation();
    const lang = useLanguage();
    const on = useInvalid(inputID(`${base}/on`));
    const notify = useInvalid(inputID(`${base}/notify`));
    const priority = useInvalid(inputID(`${base}/priority`));
    const reassign = useInvalid(inputID(`${base}/reassign`));
    const who = recipients(esc.notify);
    const toggle = (entry, yes) => set({ ...esc, notify: withRecipient(esc.notify, entry, yes) });
    const label = t('sla.pol.escalationN', { n: props.index + 1 });
    return (_jsx("li", { className: "sla-escalation", "data-testid": `sla-escalation-${base.slice(1).replace(/\//g, '-')}`, children: _jsxs("fieldset", { children: [_jsx("legend", { children: label }), _jsxs("div", { className: "sla-field", children: [_jsx("label", { htmlFor: on.props.id, children: t('sla.pol.on') }), _jsxs("select", { ...on.props, name: "on", value: esc.on, onChange: (e) => set({ ...esc, on: e.target.value }), children: [!['warning', 'breach'].includes(esc.on) && _jsx("option", { value: esc.on, children: esc.on }), _jsx("option", { value: "warning", children: t('sla.pol.onWarning') }), _jsx("option", { value: "breach", children: t('sla.pol.onBreach') })] }), esc.on === 'warning' && !props.warns && _jsx("p", { className: "muted", children: t('sla.pol.needsWarning') }), _jsx(FieldProblems, { id: on.props.id, messages: on.messages })] }), _jsxs("fieldset", { className: "sla-notify", children: [_jsx("legend", { children: t('sla.pol.notify') }), _jsxs("label", { className: "check", children: [_jsx("input", { type: "checkbox", ...notify.props, name: "notifyOwner", checked: who.owner, onChange: (e) => toggle('owner', e.target.checked) }), t('sla.pol.owner')] }), _jsxs("label", { className: "check", children: [_jsx("input", { type: "checkbox", name: "notifySupervisor", checked: who.supervisor, onChange: (e) => toggle('supervisor', e.target.checked) }), t('sla.pol.supervisor')] }), pickers.users && !pickers.users.forbidden ? (_jsx(Picks, { legend: t('sla.pol.users'), items: pickers.users.items, chosen: who.users, toggle: (u, yes) => toggle(u, yes), lang: lang })) : (_jsx(Names, { label: t('sla.pol.usersTyped'), values: who.users, set: (users) => set({ ...esc, notify: withUsers(esc.notify, users) }) }, `u:${who.users.join(',')}`)), pickers.groups && !pickers.groups.forbidden ? (_jsx(Picks, { legend: t('sla.pol.groups'), items: pickers.groups.items, chosen: who.groups, toggle: (g, yes) => toggle(`group:${g}`, yes), lang: lang })) : (_jsx(Names, { label: t('sla.pol.groupsTyped'), values: who.groups, set: (groups) => set({ ...esc, notify: [...esc.notify.filter((r) => !r.startsWith('group:')), ...groups.map((g) => `group:${g}`)] }) }, `g:${who.groups.join(',')}`)), _jsx(FieldProblems, { id: notify.props.id, messages: notify.messages })] }), _jsxs("div", { className: "sla-field", children: [_jsx("label", { htmlFor: priority.props.id, children: t('sla.pol.priority') }), _jsxs("select", { ...priority.props, name: "priority", value: esc.priority, onChange: (e) => set({ ...esc, priority: e.target.value }), children: [_jsx("option", { value: "", children: t('sla.pol.keepPriority') }), esc.priority && !priorities.includes(esc.priority) && _jsx("option", { value: esc.priority, children: esc.priority }), priorities.map((p) => (_jsx("option", { value: p, children: t(`priority.${p}`) }, p)))] }), _jsx(FieldProblems, { id: priority.props.id, messages: priority.messages })] }), _jsxs("div", { className: "sla-field", children: [_jsx("label", { htmlFor: reassign.props.id, children: t('sla.pol.reassign') }), _jsx("input", { ...reassign.props, name: "reassign", dir: "ltr", list: pickers.users?.items.length ? 'sla-users' : undefined, value: esc.reassign, onChange: (e) => set({ ...esc, reassign: e.target.value }) }), _jsx(FieldProblems, { id: reassign.props.id, messages: reassign.messages })] }), _jsxs("button", { type: "button", className: "danger", onClick: props.remove, children: [t('sla.pol.removeEscalation'), _jsxs("span", { className: "visually-hidden", children: [": ", label] })] })] }) }));
}
function GoalEditor({ name, goal, set, pickers }) {
    const { t } = useTranslation();
    const base = `/${name}`;
    const sw = useInvalid(inputID(base));
    const add = useInvalid(inputID(`${base}/escalations`));
    return (_jsxs("fieldset", { className: "sla-goal", "data-testid": `sla-goal-${name}`, children: [_jsx("legend", { children: t(`goal.${name}`) }), _jsxs("label", { className: "check", children: [_jsx("input", { type: "checkbox", role: "switch", ...sw.props, name: `${name}On`, checked: goal !== null, onChange: (e) => set(e.target.checked ? newGoal() : null) }), t('sla.pol.goalOn')] }), _jsx(FieldProblems, { id: sw.props.id, messages: sw.messages }), goal && (_jsxs(_Fragment, { children: [_jsx(TargetInput, { pointer: `${base}/target`, target: goal.target, set: (target) => set({ ...goal, target }) }), _jsx(WarningInput, { pointer: `${base}/warning`, warning: goal.warning, set: (warning) => set({ ...goal, warning }) }), _jsx("h3", { children: t('sla.pol.escalations') }), !goal.escalations.length && _jsx("p", { className: "muted", children: t('sla.pol.noEscalations') }), _jsx("ol", { className: "sla-escalations", children: goal.escalations.map((e, i) => (_jsx(EscalationEditor, { base: `${base}/escalations/${i}`, index: i, esc: e, warns: !!goal.warning, pickers: pickers, set: (x) => set({ ...goal, escalations: goal.escalations.map((y, j) => (j === i ? x : y)) }), remove: () => set({ ...goal, escalations: goal.escalations.filter((_, j) => j !== i) }) }, i))) }), _jsx("div", { className: "sla-row", children: _jsx("button", { type: "button", ...add.props, onClick: () => set({ ...goal, escalations: [...goal.escalations, newEscalation('breach')] }), "data-testid": `sla-add-escalation-${name}`, children: t('sla.pol.addEscalation') }) }), _jsx(FieldProblems, { id: add.props.id, messages: add.messages })] }))] }));
}
/** PolicyForm edits an SLA policy. */
function PolicyForm({ model, change }) {
    const { t } = useTranslation();
    const pickers = usePickers();
    return (_jsxs("div", { className: "sla-form", children: [_jsxs(Section, { id: "sla-about-title", title: t('sla.about'), children: [_jsx(Titles, { base: "", value: model.title, set: (title) => change({ ...model, title }) }), _jsx(TextInput, { pointer: "/category", label: t('sla.category'), value: model.category, set: (category) => change({ ...model, category }), dir: "ltr", name: "category" }), _jsx(CalendarPicker, { value: model.calendar, set: (calendar) => change({ ...model, calendar }) })] }), goalNames.map((g) => (_jsx(GoalEditor, { name: g, goal: model[g], set: (goal) => change({ ...model, [g]: goal }), pickers: pickers }, g))), pickers.users && !pickers.users.forbidden && (_jsx("datalist", { id: "sla-users", children: pickers.users.items.map((u) => (_jsx("option", { value: u.key }, u.key))) }))] }));
}
/** How SLA policies are edited. */
export const policySpec = {
    kind: 'sla-policies',
    fromDefinition: (def, key) => policyFromDefinition(def, key),
    toDefinition: policyToDefinition,
    anchors: policyAnchors,
    Form: PolicyForm,
};
/** PolicyEditorPage is /design/sla-policies/:key. */
export function PolicyEditorPage() {
    return _jsx(DraftEditorPage, { spec: policySpec });
}
