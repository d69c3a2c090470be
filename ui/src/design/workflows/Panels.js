import { jsxs as _jsxs, jsx as _jsx, Fragment as _Fragment } from "react/jsx-runtime";
// The properties panel: one form per node kind and one per edge, with the
// pickers (groups, forms, rule sets) and the live check of conditions.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../useLoad';
import { useLanguage } from '../../i18n/useLanguage';
import { checkExpression, listOf, titleOf } from './api';
import { connect, edgeName, kindFields, moveEdge, nodeLabel, outcomesOf, removeEdge, removeNode, updateEdge, updateNode, } from './model';
/** usePickers loads the groups, forms and rule sets once for the page. */
export function usePickers() {
    const groups = useLoad((s) => listOf('/groups', s), []);
    const forms = useLoad((s) => listOf('/forms', s), []);
    const rules = useLoad((s) => listOf('/rules', s), []);
    return { groups: groups.data, forms: forms.data, rules: rules.data };
}
function Field({ label, children }) {
    return (_jsxs("label", { children: [label, children] }));
}
function ProblemsHere({ problems, id }) {
    const { t } = useTranslation();
    if (!problems.length)
        return null;
    return (_jsxs("div", { role: "alert", className: "error-summary", id: id, "data-testid": "wfd-panel-problems", children: [_jsx("strong", { children: t('wfd.problems', { count: problems.length }) }), _jsx("ul", { children: problems.map((p, i) => (_jsx("li", { children: p.message }, i))) })] }));
}
const list = (s) => s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
/** NodePanel edits one node: id, titles and the fields of its kind; it also connects the node onwards and deletes it. */
export function NodePanel(props) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const { wf, index, pickers } = props;
    const node = wf.nodes[index];
    const [id, setID] = useState(node.id);
    const [to, setTo] = useState('');
    const fields = kindFields[node.kind];
    const has = (f) => fields.includes(f);
    const set = (patch) => props.change(updateNode(wf, node.id, { ...node, ...patch }));
    const commitID = () => {
        const next = id.trim();
        if (!next || next === node.id || wf.nodes.some((n) => n.id === next)) {
            setID(node.id);
            return;
        }
        props.change(updateNode(wf, node.id, { ...node, id: next }));
        props.rename(node.id, next);
    };
    const out = wf.edges.map((e, i) => ({ e, i })).filter(({ e }) => e.from === node.id);
    /** plain is a text field of the node kept as typed (an expression, a duration, a status). */
    const plain = (field, label) => (_jsx(Field, { label: t(`wfd.${label}`), children: _jsx("input", { value: node[field] ?? '', dir: "ltr", name: field, onChange: (e) => set({ [field]: e.target.value }) }) }));
    return (_jsxs("section", { className: "wfd-panel", "aria-labelledby": "wfd-panel-title", "data-testid": "wfd-node-panel", children: [_jsxs("h2", { id: "wfd-panel-title", children: [t(`wfd.kind.${node.kind}`), ": ", nodeLabel(node, lang)] }), _jsx(ProblemsHere, { problems: props.problems, id: "wfd-node-problems" }), _jsx(Field, { label: t('wfd.id'), children: _jsx("input", { value: id, dir: "ltr", name: "id", onChange: (e) => setID(e.target.value), onBlur: commitID, onKeyDown: (e) => e.key === 'Enter' && commitID() }) }), node.kind !== 'start' && (_jsxs(_Fragment, { children: [_jsx(Field, { label: t('wfd.titleEn'), children: _jsx("input", { value: node.title?.en ?? '', dir: "ltr", name: "titleEn", onChange: (e) => set({ title: { ...node.title, en: e.target.value } }) }) }), _jsx(Field, { label: t('wfd.titleFa'), children: _jsx("input", { value: node.title?.fa ?? '', dir: "rtl", name: "titleFa", onChange: (e) => set({ title: { ...node.title, fa: e.target.value } }) }) })] })), has('outcome') && plain('outcome', 'endOutcome'), has('groups') && _jsx(GroupPicker, { value: node.groups ?? [], pickers: pickers, onChange: (groups) => set({ groups }) }), has('assignee') && plain('assignee', 'assignee'), has('approvers') && plain('approvers', 'approvers'), has('mode') && (_jsx(Field, { label: t('wfd.mode'), children: _jsxs("select", { value: node.mode ?? '', name: "mode", onChange: (e) => set({ mode: e.target.value }), children: [_jsx("option", { value: "", children: t('wfd.modes.any') }), ['all', 'quorum', 'sequence'].map((m) => (_jsx("option", { value: m, children: t(`wfd.modes.${m}`) }, m)))] }) })), has('quorum') && node.mode === 'quorum' && (_jsx(Field, { label: t('wfd.quorum'), children: _jsx("input", { type: "number", min: 1, value: node.quorum ?? '', name: "quorum", onChange: (e) => set({ quorum: Number(e.target.value) || undefined }) }) })), has('ruleSet') && (_jsx(Field, { label: t('wfd.ruleSet'), children: _jsx(Picker, { value: node.ruleSet ?? '', name: "ruleSet", options: pickers.rules, onChange: (ruleSet) => set({ ruleSet }) }) })), has('outcomes') && (_jsxs(Field, { label: t('wfd.outcomes'), children: [_jsx("input", { value: (node.outcomes ?? []).join(', '), dir: "ltr", name: "outcomes", "aria-describedby": "wfd-outcomes-help", onChange: (e) => set({ outcomes: list(e.target.value) }) }), _jsx("small", { id: "wfd-outcomes-help", className: "muted", children: t('wfd.outcomesHelp') })] })), has('due') && (_jsx(Field, { label: t('wfd.due'), children: _jsx("input", { value: node.due ?? '', dir: "ltr", name: "due", placeholder: "4h, 2d", onChange: (e) => set({ due: e.target.value }) }) })), has('escalateTo') && (_jsx(Field, { label: t('wfd.escalateTo'), children: _jsx(Picker, { value: node.escalateTo ?? '', name: "escalateTo", options: pickers.groups, onChange: (escalateTo) => set({ escalateTo }) }) })), has('status') && plain('status', 'status'), has('priority') && plain('priority', 'priority'), has('notify') && (_jsxs("fieldset", { children: [_jsx("legend", { children: t('wfd.notify') }), _jsx(Field, { label: t('wfd.notifyTo'), children: _jsx("input", { value: node.notify?.to ?? '', dir: "ltr", name: "notifyTo", onChange: (e) => set({ notify: { subject: {}, ...node.notify, to: e.target.value } }) }) }), _jsx(Field, { label: t('wfd.notifySubjectEn'), children: _jsx("input", { value: node.notify?.subject?.en ?? '', dir: "ltr", name: "notifySubjectEn", onChange: (e) => set({ notify: { to: '', ...node.notify, subject: { ...node.notify?.subject, en: e.target.value } } }) }) }), _jsx(Field, { label: t('wfd.notifySubjectFa'), children: _jsx("input", { value: node.notify?.subject?.fa ?? '', dir: "rtl", name: "notifySubjectFa", onChange: (e) => set({ notify: { to: '', ...node.notify, subject: { ...node.notify?.subject, fa: e.target.value } } }) }) })] })), has('webhook') && (_jsx(Field, { label: t('wfd.webhook'), children: _jsx("input", { type: "url", value: node.webhook?.url ?? '', dir: "ltr", name: "webhook", onChange: (e) => set({ webhook: e.target.value ? { ...node.webhook, url: e.target.value } : undefined }) }) })), has('duration') && (_jsxs(_Fragment, { children: [plain('duration', 'duration'), plain('until', 'until'), plain('message', 'message'), plain('timeout', 'timeout')] })), has('form') && _jsx(TaskFormField, { value: node.form, onChange: (form) => set({ form }) }), _jsx("h3", { children: t('wfd.leaving') }), _jsx("ul", { children: out.map(({ e, i }) => (_jsx("li", { children: _jsxs("button", { type: "button", className: "link", onClick: () => props.select({ edge: i }), children: ["\u2192 ", e.to, " ", e.outcome || (e.default ? t('wfd.default') : e.condition) || ''] }) }, i))) }), node.kind !== 'end' && (_jsxs("div", { className: "wfd-row", children: [_jsx(Field, { label: t('wfd.connectTo'), children: _jsxs("select", { value: to, name: "connectTo", onChange: (e) => setTo(e.target.value), children: [_jsx("option", { value: "", children: t('wfd.choose') }), wf.nodes
                                    .filter((n) => n.id !== node.id && n.kind !== 'start')
                                    .map((n) => (_jsxs("option", { value: n.id, children: [nodeLabel(n, lang), " (", n.id, ")"] }, n.id)))] }) }), _jsx("button", { type: "button", disabled: !to, "data-testid": "wfd-connect", onClick: () => {
                            const next = connect(wf, node.id, to);
                            props.change(next);
                            props.select({ edge: next.edges.length - 1 });
                        }, children: t('wfd.connect') })] })), _jsx("p", { children: _jsx("button", { type: "button", className: "danger", onClick: () => {
                        props.change(removeNode(wf, node.id));
                        props.select(null);
                    }, children: t('wfd.deleteNode') }) })] }));
}
/** GroupPicker picks the task's queues from GET /groups, or takes them typed when the list may not be read. */
function GroupPicker({ value, pickers, onChange }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const groups = pickers.groups;
    if (!groups || groups.forbidden) {
        return (_jsxs(Field, { label: t('wfd.groups'), children: [_jsx("input", { value: value.join(', '), dir: "ltr", name: "groups", "aria-describedby": "wfd-groups-help", onChange: (e) => onChange(list(e.target.value)) }), _jsx("small", { id: "wfd-groups-help", className: "muted", children: t('wfd.groupsTyped') })] }));
    }
    return (_jsxs("fieldset", { children: [_jsx("legend", { children: t('wfd.groups') }), groups.items.map((g) => (_jsxs("label", { className: "wfd-checkbox", children: [_jsx("input", { type: "checkbox", checked: value.includes(g.key), onChange: (e) => onChange(e.target.checked ? [...value, g.key] : value.filter((x) => x !== g.key)) }), titleOf(g, lang)] }, g.key)))] }));
}
/** Picker is a select over a loaded list, or a text box when the list may not be read. */
function Picker({ value, name, options, onChange }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    if (!options || options.forbidden)
        return _jsx("input", { value: value, dir: "ltr", name: name, onChange: (e) => onChange(e.target.value) });
    return (_jsxs("select", { value: value, name: name, onChange: (e) => onChange(e.target.value), children: [_jsx("option", { value: "", children: t('wfd.none') }), value && !options.items.some((o) => o.key === value) && _jsx("option", { value: value, children: value }), options.items.map((o) => (_jsx("option", { value: o.key, children: titleOf(o, lang) }, o.key)))] }));
}
/** EdgePanel edits one edge: where it goes, the outcome or condition that takes it, its order among its siblings. */
export function EdgePanel(props) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const { wf, index } = props;
    const edge = wf.edges[index];
    const source = wf.nodes.find((n) => n.id === edge.from);
    const outcomes = outcomesOf(source);
    const set = (patch) => props.change(updateEdge(wf, index, { ...edge, ...patch }));
    const isDecision = source?.kind === 'decision';
    return (_jsxs("section", { className: "wfd-panel", "aria-labelledby": "wfd-edge-title", "data-testid": "wfd-edge-panel", children: [_jsxs("h2", { id: "wfd-edge-title", children: [t('wfd.edge'), ": ", _jsx("bdi", { dir: "ltr", children: edgeName(edge) })] }), _jsx(ProblemsHere, { problems: props.problems, id: "wfd-edge-problems" }), _jsx(Field, { label: t('wfd.edgeID'), children: _jsx("input", { value: edge.id ?? '', dir: "ltr", name: "edgeID", onChange: (e) => set({ id: e.target.value }) }) }), ['from', 'to'].map((end) => (_jsx(Field, { label: t(`wfd.${end}`), children: _jsx("select", { value: edge[end], name: end, onChange: (e) => set({ [end]: e.target.value }), children: wf.nodes.map((n) => (_jsxs("option", { value: n.id, children: [nodeLabel(n, lang), " (", n.id, ")"] }, n.id))) }) }, end))), outcomes.length > 0 && (_jsx(Field, { label: t('wfd.outcome'), children: _jsxs("select", { value: edge.outcome ?? '', name: "outcome", onChange: (e) => set({ outcome: e.target.value }), children: [_jsx("option", { value: "", children: t('wfd.none') }), outcomes.map((o) => (_jsx("option", { value: o, children: o }, o)))] }) })), isDecision && (_jsxs(_Fragment, { children: [_jsxs("label", { className: "wfd-checkbox", children: [_jsx("input", { type: "checkbox", checked: !!edge.default, name: "default", onChange: (e) => set({ default: e.target.checked, condition: e.target.checked ? '' : edge.condition }) }), t('wfd.default')] }), !edge.default && _jsx(ConditionField, { value: edge.condition ?? '', form: wf.form, onChange: (condition) => set({ condition }) })] })), _jsxs("div", { className: "wfd-row", children: [_jsx("button", { type: "button", onClick: () => { props.change(moveEdge(wf, index, -1)); props.select({ edge: index - 1 }); }, disabled: index === 0, children: t('wfd.moveUp') }), _jsx("button", { type: "button", onClick: () => { props.change(moveEdge(wf, index, 1)); props.select({ edge: index + 1 }); }, disabled: index === wf.edges.length - 1, children: t('wfd.moveDown') }), _jsx("button", { type: "button", className: "danger", onClick: () => { props.change(removeEdge(wf, index)); props.select(null); }, children: t('wfd.deleteEdge') })] })] }));
}
/** The time a condition is left alone before it is checked: a check per pause, not per key. */
export const checkDelay = 400;
/** ConditionField edits a decision's condition and says, as one types, whether it compiles against the workflow's form. */
function ConditionField({ value, form, onChange }) {
    const { t } = useTranslation();
    const [verdict, setVerdict] = useState(null);
    useEffect(() => {
        if (!value.trim()) {
            setVerdict(null);
            return;
        }
        const ctl = new AbortController();
        const timer = setTimeout(() => {
            setVerdict('checking');
            checkExpression(value, form, ctl.signal).then((r) => !ctl.signal.aborted && setVerdict(r), (err) => !ctl.signal.aborted && setVerdict({ valid: false, error: { message: err.message } }));
        }, checkDelay);
        return () => {
            clearTimeout(timer);
            ctl.abort();
        };
    }, [value, form]);
    const invalid = verdict !== null && verdict !== 'checking' && !verdict.valid;
    return (_jsxs("label", { children: [t('wfd.condition'), _jsx("textarea", { value: value, dir: "ltr", name: "condition", rows: 2, "aria-invalid": invalid || undefined, "aria-describedby": "wfd-check", onChange: (e) => onChange(e.target.value) }), _jsxs("span", { id: "wfd-check", role: "status", "aria-live": "polite", "data-testid": "wfd-check", className: invalid ? 'wfd-check-bad' : 'wfd-check-ok', children: [verdict === 'checking' && t('wfd.checking'), verdict !== null && verdict !== 'checking' && (verdict.valid ? `✓ ${t('wfd.conditionOK')}` : `✗ ${verdict.error?.message ?? ''}`)] })] }));
}
/** WorkflowPanel edits the workflow itself (titles, category, the form whose requests it runs) when no node or edge is selected. */
export function WorkflowPanel({ wf, pickers, change }) {
    const { t } = useTranslation();
    return (_jsxs("section", { className: "wfd-panel", "aria-labelledby": "wfd-wf-title", "data-testid": "wfd-workflow-panel", children: [_jsx("h2", { id: "wfd-wf-title", children: t('wfd.workflow') }), _jsx("p", { className: "muted", children: t('wfd.selectHelp') }), _jsx(Field, { label: t('wfd.titleEn'), children: _jsx("input", { value: wf.title.en ?? '', dir: "ltr", name: "wfTitleEn", onChange: (e) => change({ ...wf, title: { ...wf.title, en: e.target.value } }) }) }), _jsx(Field, { label: t('wfd.titleFa'), children: _jsx("input", { value: wf.title.fa ?? '', dir: "rtl", name: "wfTitleFa", onChange: (e) => change({ ...wf, title: { ...wf.title, fa: e.target.value } }) }) }), _jsx(Field, { label: t('wfd.category'), children: _jsx("input", { value: wf.category ?? '', dir: "ltr", name: "wfCategory", onChange: (e) => change({ ...wf, category: e.target.value }) }) }), _jsx(Field, { label: t('wfd.form'), children: _jsx(Picker, { value: wf.form, name: "wfForm", options: pickers.forms, onChange: (form) => change({ ...wf, form }) }) })] }));
}
/** TaskFormField edits a task's own form, a JSON Schema, as JSON: kept only once it parses to an object, so a half-typed schema never reaches the draft. */
function TaskFormField({ value, onChange }) {
    const { t } = useTranslation();
    const [text, setText] = useState(value ? JSON.stringify(value, null, 2) : '');
    const [bad, setBad] = useState('');
    function edit(next) {
        setText(next);
        if (!next.trim()) {
            setBad('');
            onChange(undefined);
            return;
        }
        try {
            const parsed = JSON.parse(next);
            if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
                throw new Error(t('wfd.taskFormObject'));
            setBad('');
            onChange(parsed);
        }
        catch (err) {
            setBad(err.message);
        }
    }
    return (_jsxs("label", { children: [t('wfd.taskForm'), _jsx("textarea", { value: text, dir: "ltr", name: "taskForm", rows: 4, spellCheck: false, "aria-invalid": bad ? true : undefined, "aria-describedby": "wfd-task-form-help", onChange: (e) => edit(e.target.value) }), _jsx("small", { id: "wfd-task-form-help", role: bad ? 'alert' : undefined, className: bad ? 'wfd-check-bad' : 'muted', children: bad ? t('wfd.taskFormBad', { error: bad }) : t('wfd.taskFormHelp') })] }));
}
