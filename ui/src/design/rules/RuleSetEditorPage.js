import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "react/jsx-runtime";
// The decision-table editor (docs/ui.md, "The decision-table editor"): the
// rule set's settings, the table, the problems of the last save or publish
// (listed above the table and drawn on their cells), save, publish, the
// published versions (any one read in place) and "Try it".
import { useCallback, useState } from 'react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, problemText } from '../../components';
import { Problem } from '../../api/problem';
import { useLanguage } from '../../i18n/useLanguage';
import { formatNumber } from '../../i18n/format';
import { DesignerTitle, DraftLoader, FormPicker, VersionList } from '../definitions';
import { getRuleSet, getRuleSetVersion, listRuleSetVersions, publishRuleSet, saveRuleSet } from './api';
import { domID, fromDefinition, hitPolicies, matchedRows, placeProblems, problemsAt, toDefinition } from './model';
import { RuleTable } from './RuleTable';
import { TryPanel } from './TryPanel';
export function RuleSetEditorPage() {
    const { key = '' } = useParams();
    return (_jsx(DraftLoader, { defKey: key, head: getRuleSet, latest: (k) => getRuleSetVersion(k, 'latest'), children: (h, body) => _jsx(Editor, { initial: fromDefinition(body, key), revision: h.revision, latest: h.latestVersion, problems: h.problems ?? [] }, key) }));
}
function Editor(props) {
    const { t } = useTranslation();
    const [model, setModel] = useState(props.initial);
    const [revision, setRevision] = useState(props.revision);
    const [latest, setLatest] = useState(props.latest);
    const [problems, setProblems] = useState(() => placeProblems(props.initial, props.problems));
    const [dirty, setDirty] = useState(false);
    // The last action's outcome, as a message key so it follows the language.
    const [status, setStatus] = useState(null);
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);
    const [reading, setReading] = useState(null);
    const [matched, setMatched] = useState(new Set());
    const [versionsTick, setVersionsTick] = useState(0);
    /** change applies an edit: the draft is unsaved and the last evaluation no longer describes it. */
    const change = useCallback((m) => {
        setModel(m);
        setDirty(true);
        setMatched(new Set());
    }, []);
    /** save saves the draft and places its problems; it answers whether it was saved. */
    async function save() {
        setBusy(true);
        setError('');
        try {
            const h = await saveRuleSet(toDefinition(model), revision);
            setRevision(h.revision);
            setProblems(placeProblems(model, h.problems ?? []));
            setDirty(false);
            setStatus(h.problems?.length ? { key: 'rsd.savedWithProblems', opts: { count: h.problems.length } } : { key: 'rsd.saved' });
            return true;
        }
        catch (err) {
            setError(problemText(err, t));
            return false;
        }
        finally {
            setBusy(false);
        }
    }
    /** refused shows a 422 definition-invalid's problems on their cells. */
    function refused(err, message) {
        if (err instanceof Problem && err.slug === 'definition-invalid') {
            setProblems(placeProblems(model, err.errors));
            setError(t(message, { count: err.errors.length }));
            return true;
        }
        return false;
    }
    async function publish() {
        if (dirty && !(await save()))
            return;
        setBusy(true);
        setError('');
        try {
            const v = await publishRuleSet(model.key);
            setProblems([]);
            setLatest(v.version);
            setVersionsTick((n) => n + 1);
            setStatus({ key: 'rsd.published', opts: { version: v.version } });
        }
        catch (err) {
            if (!refused(err, 'rsd.publishRefused'))
                setError(problemText(err, t));
        }
        finally {
            setBusy(false);
        }
    }
    async function read(version) {
        setError('');
        try {
            const v = await getRuleSetVersion(model.key, version);
            setReading({ version, model: fromDefinition(v.definition, model.key) });
            setMatched(new Set());
        }
        catch (err) {
            setError(problemText(err, t));
        }
    }
    const shown = reading?.model ?? model;
    return (_jsxs("section", { className: "rsd", "aria-labelledby": "rsd-title", children: [_jsx(DesignerTitle, { ns: "rsd", base: "/design/rules", defKey: model.key, title: model.title, latest: latest, dirty: dirty }), _jsxs("div", { className: "rsd-actions", children: [_jsx("button", { type: "button", onClick: save, disabled: busy || !!reading, "data-testid": "rsd-save", children: t('rsd.save') }), _jsx("button", { type: "button", onClick: publish, disabled: busy || !!reading, "data-testid": "rsd-publish", children: t('rsd.publish') }), _jsx("span", { role: "status", "aria-live": "polite", "data-testid": "rsd-status", children: status && t(status.key, status.opts) })] }), _jsx(ErrorSummary, { messages: error ? [error] : [] }), reading && (_jsxs("div", { className: "rsd-reading", role: "status", "data-testid": "rsd-reading", children: [_jsx("p", { children: t('rsd.reading', { version: reading.version }) }), _jsx("button", { type: "button", onClick: () => setReading(null), "data-testid": "rsd-back-to-draft", children: t('rsd.backToDraft') }), ' ', _jsx("button", { type: "button", onClick: () => {
                            change({ ...reading.model, key: model.key });
                            setReading(null);
                        }, children: t('rsd.copyToDraft') })] })), _jsx(Settings, { model: shown, problems: reading ? [] : problems, change: reading ? undefined : change }), _jsx(ProblemList, { problems: reading ? [] : problems }), _jsx(RuleTable, { model: shown, problems: reading ? [] : problems, matched: matched, change: reading ? undefined : change }), _jsx(TryPanel, { model: shown, version: reading ? reading.version : 'draft', beforeDraft: async () => !dirty || (await save()), onResult: (e) => setMatched(e ? matchedRows(shown, e.matched) : new Set()), onRefused: (err) => refused(err, 'rsd.tryRefused') }), _jsx(Versions, { ruleKey: model.key, tick: versionsTick, reading: reading?.version, read: read })] }));
}
/** Settings edits what the table is about: titles, category, the form it reads and its hit policy. */
function Settings({ model, problems, change }) {
    const { t } = useTranslation();
    const readOnly = !change;
    const set = (patch) => change?.({ ...model, ...patch });
    const here = (target) => problemsAt(problems, target);
    const field = (target) => ({
        id: domID(target),
        'aria-invalid': here(target).length > 0 || undefined,
        'aria-describedby': here(target).length ? `${domID(target)}-problems` : undefined,
    });
    const messages = (target) => here(target).length > 0 && (_jsx("ul", { className: "rsd-cell-problems", id: `${domID(target)}-problems`, children: here(target).map((m, i) => (_jsxs("li", { children: ["\u26A0 ", m] }, i))) }));
    return (_jsxs("fieldset", { className: "rsd-settings", disabled: readOnly, children: [_jsx("legend", { children: t('rsd.settings') }), _jsxs("div", { className: "rsd-settings-grid", children: [_jsxs("label", { children: [t('rsd.titleEn'), _jsx("input", { ...field('title'), value: model.title.en ?? '', dir: "ltr", name: "titleEn", onChange: (e) => set({ title: { ...model.title, en: e.target.value } }) })] }), _jsxs("label", { children: [t('rsd.titleFa'), _jsx("input", { value: model.title.fa ?? '', dir: "rtl", name: "titleFa", onChange: (e) => set({ title: { ...model.title, fa: e.target.value } }) })] }), messages('title'), _jsxs("label", { children: [t('rsd.category'), _jsx("input", { ...field('category'), value: model.category, dir: "ltr", name: "category", onChange: (e) => set({ category: e.target.value }) })] }), messages('category'), _jsxs("label", { children: [t('rsd.form'), _jsx(FormPicker, { value: model.form, onChange: (form) => set({ form }), noneLabel: t('rsd.noForm'), id: domID('form'), invalid: here('form').length > 0, describedBy: here('form').length ? `${domID('form')}-problems` : undefined })] }), messages('form')] }), _jsxs("fieldset", { className: "rsd-policy", ...field('hitPolicy'), children: [_jsx("legend", { children: t('rsd.hitPolicy') }), hitPolicies.map((p) => (_jsxs("label", { className: "rsd-radio", children: [_jsx("input", { type: "radio", name: "hitPolicy", value: p, checked: model.hitPolicy === p, onChange: () => set({ hitPolicy: p }), "aria-describedby": `rsd-policy-${p}` }), _jsxs("span", { children: [_jsx("strong", { children: t(`rsd.policy.${p}`) }), ":", ' ', _jsx("span", { id: `rsd-policy-${p}`, className: "rsd-policy-help", children: t(`rsd.policyHelp.${p}`) })] })] }, p))), messages('hitPolicy')] })] }));
}
/** ProblemList lists every problem of the last save or publish; a problem on a cell focuses it when clicked. */
function ProblemList({ problems }) {
    const { t } = useTranslation();
    if (!problems.length)
        return null;
    return (_jsxs("section", { className: "rsd-problems problems", "aria-labelledby": "rsd-problems-title", "data-testid": "rsd-problems", children: [_jsx("h2", { id: "rsd-problems-title", children: t('rsd.problems', { count: problems.length }) }), _jsx("ul", { children: problems.map((p, i) => (_jsx("li", { children: p.target ? (_jsx("button", { type: "button", className: "link", onClick: () => focusTarget(p.target), children: p.message })) : (p.message) }, i))) })] }));
}
/** focusTarget moves the focus to a problem's cell and scrolls it into view (inside the table's own scrolling box too). */
function focusTarget(target) {
    const el = document.getElementById(domID(target));
    if (!el)
        return;
    el.scrollIntoView?.({ block: 'center', inline: 'center' });
    el.focus();
}
/** Versions lists the published versions, newest first; each can be read in the table. */
function Versions({ ruleKey, tick, reading, read }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    return (_jsx(VersionList, { ns: "rsd", load: (signal) => listRuleSetVersions(ruleKey, signal), deps: [ruleKey, tick], item: (v) => (_jsxs(_Fragment, { children: [_jsx("button", { type: "button", className: "link", "aria-current": reading === v.version || undefined, onClick: () => read(v.version), "data-testid": `rsd-read-${v.version}`, children: t('rsd.version', { version: v.version }) }), v.form && (_jsxs("span", { className: "muted", children: [' ', "\u00B7 ", t('rsd.checkedAgainst', { version: formatNumber(v.form.version, lang) }), " ", _jsx("bdi", { dir: "ltr", children: v.form.key })] }))] })) }));
}
