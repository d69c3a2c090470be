import { jsxs as _jsxs, jsx as _jsx } from "react/jsx-runtime";
// What the calendar and SLA policy editors share: loading a draft, saving
// it with If-Match, publishing, the problems of the last save or publish
// (listed above, each leading to its input, and shown at the inputs), the
// published versions; and the small inputs both use.
import { createContext, useContext, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, Loading, problemText, When } from '../../components';
import { Problem } from '../../api/problem';
import { useLoad } from '../../useLoad';
import { useLanguage } from '../../i18n/useLanguage';
import { localText } from '../../i18n/format';
import { getHead, getVersion, listVersions, publish, saveDraft } from './api';
import { inputID, placeProblems } from './model';
/** The messages of the last save or publish, by input id, for the inputs to show. */
export const ProblemsAt = createContext(new Map());
/** useInvalid answers the props that tie an input to its problems, and the messages. */
export function useInvalid(id) {
    const messages = useContext(ProblemsAt).get(id) ?? [];
    return { props: { id, ...(messages.length ? { 'aria-invalid': true, 'aria-describedby': `${id}-problems` } : {}) }, messages };
}
/** FieldProblems shows the messages of one input under it. */
export function FieldProblems({ id, messages }) {
    if (!messages.length)
        return null;
    return (_jsx("ul", { id: `${id}-problems`, className: "field-error sla-field-problems", "data-testid": "sla-field-problems", children: messages.map((m, i) => (_jsxs("li", { children: ["\u26A0 ", m] }, i))) }));
}
/** TextInput is a labelled text input for the value at pointer, with its problems. */
export function TextInput(props) {
    const { props: aria, messages } = useInvalid(inputID(props.pointer));
    return (_jsxs("div", { className: "sla-field", children: [_jsx("label", { htmlFor: aria.id, children: props.label }), _jsx("input", { ...aria, name: props.name, value: props.value, dir: props.dir, list: props.list, required: props.required, onChange: (e) => props.set(e.target.value) }), _jsx(FieldProblems, { id: aria.id, messages: messages })] }));
}
/** Titles edits a text in English and Persian (other languages are kept as they are). */
export function Titles({ base, value, set, name = 'title' }) {
    const { t } = useTranslation();
    return (_jsxs("div", { className: "sla-pair", children: [_jsx(TextInput, { pointer: `${base}/title/en`, label: t('sla.titleEn'), value: value.en ?? '', set: (en) => set({ ...value, en }), dir: "ltr", name: `${name}En` }), _jsx(TextInput, { pointer: `${base}/title/fa`, label: t('sla.titleFa'), value: value.fa ?? '', set: (fa) => set({ ...value, fa }), dir: "rtl", name: `${name}Fa` })] }));
}
/** DraftEditorPage loads a definition's draft (or its newest version when it has none) and edits it. */
export function DraftEditorPage({ spec }) {
    const { key = '' } = useParams();
    const { t } = useTranslation();
    const loaded = useLoad(async (signal) => {
        const head = await getHead(spec.kind, key, signal);
        const body = head.draft ?? (head.latestVersion ? (await getVersion(spec.kind, key, 'latest', signal)).definition : {});
        return { head, model: spec.fromDefinition(body ?? {}, key) };
    }, [spec.kind, key]);
    if (loaded.loading && !loaded.data)
        return _jsx(Loading, {});
    if (loaded.error !== undefined)
        return _jsx(ErrorSummary, { messages: [problemText(loaded.error, t)] });
    const { head, model } = loaded.data;
    return _jsx(Editor, { spec: spec, initial: model, revision: head.revision, latest: head.latestVersion, problems: head.problems ?? [] }, `${spec.kind}/${key}`);
}
function Editor(props) {
    const { spec } = props;
    const { t } = useTranslation();
    const lang = useLanguage();
    const [model, setModel] = useState(props.initial);
    const [revision, setRevision] = useState(props.revision);
    const [latest, setLatest] = useState(props.latest);
    const [problems, setProblems] = useState(props.problems);
    const [dirty, setDirty] = useState(false);
    // The outcome of the last save or publish, as a message key so it follows the language.
    const [status, setStatus] = useState(null);
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);
    const [versionsTick, setVersionsTick] = useState(0);
    const placed = placeProblems(problems, spec.anchors(model));
    const def = spec.toDefinition(model);
    function change(next) {
        setModel(next);
        setDirty(true);
        setStatus(null);
    }
    /** store saves the draft and answers its problems. */
    async function store() {
        const h = await saveDraft(spec.kind, def.key, def, revision);
        setRevision(h.revision);
        setDirty(false);
        setProblems(h.problems ?? []);
        return h.problems ?? [];
    }
    async function run(action) {
        setBusy(true);
        setError('');
        setStatus(null);
        try {
            await action();
        }
        catch (err) {
            if (err instanceof Problem && err.slug === 'definition-invalid') {
                setProblems(err.errors);
                setError(t('sla.publishRefused', { count: err.errors.length }));
            }
            else if (err instanceof Problem && err.status === 412) {
                setError(t('sla.conflict'));
            }
            else
                setError(problemText(err, t));
        }
        finally {
            setBusy(false);
        }
    }
    const save = () => run(async () => {
        const found = await store();
        setStatus(found.length ? { key: 'sla.savedWithProblems', opts: { count: found.length } } : { key: 'sla.saved' });
    });
    const doPublish = () => run(async () => {
        if (dirty)
            await store();
        const v = await publish(spec.kind, def.key);
        setProblems([]);
        setLatest(v.version);
        setVersionsTick((n) => n + 1);
        setStatus({ key: 'sla.published', opts: { version: v.version } });
    });
    const Form = spec.Form;
    return (_jsxs("section", { className: "sla-editor", "aria-labelledby": "sla-editor-title", children: [_jsx("p", { children: _jsx(Link, { to: `/design/${spec.kind}`, children: t(`sla.${spec.kind}.back`) }) }), _jsxs("h1", { id: "sla-editor-title", children: [localText(def.title, lang) || def.key, " ", _jsx("bdi", { dir: "ltr", className: "code", children: def.key })] }), _jsxs("p", { className: "muted", "data-testid": "sla-state", children: [latest ? t('sla.state.published', { version: latest }) : t('sla.state.unpublished'), dirty && ` · ${t('sla.unsaved')}`] }), _jsxs("div", { className: "sla-actions", children: [_jsx("button", { type: "button", className: "primary", onClick: save, disabled: busy, "data-testid": "sla-save", children: t('sla.save') }), _jsx("button", { type: "button", onClick: doPublish, disabled: busy, "data-testid": "sla-publish", children: t('sla.publish') }), _jsx("span", { role: "status", "aria-live": "polite", "data-testid": "sla-status", children: status && t(status.key, status.opts) })] }), _jsx(ErrorSummary, { messages: error ? [error] : [] }), _jsx(ProblemList, { placed: placed.all }), _jsx(ProblemsAt.Provider, { value: placed.at, children: _jsx(Form, { model: model, change: change }) }), _jsx(Versions, { kind: spec.kind, defKey: def.key, tick: versionsTick })] }));
}
/** ProblemList lists the problems of the last save or publish; each one with an input moves the focus there. */
function ProblemList({ placed }) {
    const { t } = useTranslation();
    if (!placed.length)
        return null;
    const focus = (id) => {
        const el = document.getElementById(id);
        el?.scrollIntoView({ block: 'center' });
        el?.focus();
    };
    return (_jsxs("section", { className: "problems sla-problems", "aria-labelledby": "sla-problems-title", "data-testid": "sla-problems", children: [_jsx("h2", { id: "sla-problems-title", children: t('sla.problems', { count: placed.length }) }), _jsx("ul", { children: placed.map(({ problem, input }, i) => (_jsx("li", { children: input ? (_jsx("button", { type: "button", className: "link", onClick: () => focus(input), children: problem.message })) : (problem.message) }, i))) })] }));
}
/** Versions lists the published versions, newest first. */
function Versions({ kind, defKey, tick }) {
    const { t } = useTranslation();
    const versions = useLoad((signal) => listVersions(kind, defKey, signal), [kind, defKey, tick]);
    return (_jsxs("section", { "aria-labelledby": "sla-versions-title", className: "versions", children: [_jsx("h2", { id: "sla-versions-title", children: t('sla.versions') }), versions.error !== undefined && _jsx(ErrorSummary, { messages: [problemText(versions.error, t)] }), _jsx("ol", { "data-testid": "sla-versions", children: versions.data?.items.map((v) => (_jsxs("li", { children: [t('sla.version', { version: v.version }), " \u00B7 ", _jsx(When, { at: v.publishedAt })] }, v.version))) }), versions.data && !versions.data.items.length && _jsx("p", { className: "muted", children: t('sla.noVersions') })] }));
}
/** Section is a titled part of an editor. */
export function Section({ id, title, children }) {
    return (_jsxs("section", { "aria-labelledby": id, className: "sla-section", children: [_jsx("h2", { id: id, children: title }), children] }));
}
