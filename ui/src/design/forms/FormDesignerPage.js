import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "react/jsx-runtime";
// The form designer (/design/forms/:key): a palette of field types, the
// field list (drag, or move up and down with buttons), the selected
// field's properties with live-checked expressions, a live preview in
// either language and on a phone-sized frame, the raw JSON for experts,
// and draft / publish / versions (docs/api.md "Drafts and versions").
import { Component, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import Form from '@rjsf/core';
import { Problem } from '../../api/problem';
import { ErrorSummary, Loading, When, problemText } from '../../components';
import { useLanguage } from '../../i18n/useLanguage';
import { formatNumber, isRTL, localText } from '../../i18n/format';
import { useLoad } from '../../useLoad';
import { validator } from '../../portal/validator';
import { api } from '../../api/client';
import { checkExpression, listFragments, listVersions, loadForm, publish, saveDraft } from './formsApi';
import { parseRawJSON, rawJSON, fieldAt, fieldTypes, fromDefinition, keyProblem, moveField, newField, pointerPath, toDefinition, updateList } from './model';
import { previewForm, usedFragments } from './preview';
/** keyPattern is what a form's key must match (docs/api.md). */
export const keyPattern = /^[a-z][a-z0-9-]{1,62}$/;
/** dottedPath names the field at path as the hints and problems do: "items.qty". */
function dottedPath(fields, path) {
    const keys = [];
    let at = fields;
    for (const i of path) {
        keys.push(at[i]?.key ?? '');
        at = at[i]?.fields ?? [];
    }
    return keys.join('.');
}
/** problemsByField sorts a draft's or a publish's problems by the field they point at ('' for the form). */
function problemsByField(problems) {
    const out = {};
    for (const p of problems)
        (out[pointerPath(p.pointer ?? '') ?? ''] ??= []).push(p.message);
    return out;
}
/** FormDesignerPage loads a form's draft and edits it. */
export function FormDesignerPage() {
    const { key = '' } = useParams();
    const { t } = useTranslation();
    const loaded = useLoad(() => loadForm(key), [key]);
    if (loaded.loading && !loaded.data)
        return _jsx(Loading, {});
    if (!loaded.data) {
        const gone = loaded.error instanceof Problem && loaded.error.status === 404;
        return (_jsxs("section", { children: [_jsx("h1", { children: t('formDesign.listTitle') }), _jsx(ErrorSummary, { messages: [gone ? t('formDesign.notFound') : problemText(loaded.error, t)] }), _jsx(Link, { to: "/design/forms", children: t('formDesign.back') })] }));
    }
    return _jsx(Designer, { head: loaded.data.body, etag: loaded.data.etag }, key);
}
function Designer({ head: first, etag: firstEtag }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const [head, setHead] = useState(first);
    const [etag, setEtag] = useState(firstEtag);
    const [model, setModel] = useState(() => fromDefinition(first.draft ?? { key: first.key, title: first.title, schema: { type: 'object' } }));
    const [dirty, setDirty] = useState(false);
    const [selected, setSelected] = useState(null);
    const [view, setView] = useState('visual');
    const [problems, setProblems] = useState(() => problemsByField(first.problems ?? []));
    const [messages, setMessages] = useState([]);
    const [notice, setNotice] = useState('');
    const [busy, setBusy] = useState(false);
    const versions = useLoad((signal) => listVersions(first.key, signal), [first.key, head.latestVersion]);
    const def = useMemo(() => toDefinition(model), [model]);
    function edit(fn) {
        setModel((m) => fn(m));
        setDirty(true);
        setNotice('');
    }
    const editFields = (parent, fn) => edit((m) => ({ ...m, fields: updateList(m.fields, parent, fn) }));
    function addField(type) {
        // A new field goes into the selected group or list, else at the end of the form.
        const sel = selected && fieldAt(model.fields, selected);
        const parent = sel && (sel.type === 'group' || sel.type === 'list') ? selected : [];
        const siblings = parent.length ? (fieldAt(model.fields, parent).fields ?? []) : model.fields;
        const f = newField(type, siblings);
        editFields(parent, (l) => [...l, f]);
        setSelected([...parent, siblings.length]);
    }
    async function save() {
        setBusy(true);
        setMessages([]);
        try {
            const res = await saveDraft(def, etag);
            setHead(res.body);
            setEtag(res.etag);
            setDirty(false);
            setProblems(problemsByField(res.body.problems ?? []));
            setNotice(res.body.problems?.length ? t('formDesign.savedWithProblems', { count: res.body.problems.length }) : t('formDesign.saved'));
            return res.body;
        }
        catch (err) {
            setMessages([err instanceof Problem && err.status === 412 ? t('formDesign.conflict') : problemText(err, t)]);
            if (err instanceof Problem && err.errors.length)
                setProblems(problemsByField(err.errors));
            return null;
        }
        finally {
            setBusy(false);
        }
    }
    async function publishDraft() {
        if (dirty && !(await save()))
            return;
        setBusy(true);
        setMessages([]);
        try {
            const v = await publish(head.key);
            setHead((h) => ({ ...h, latestVersion: v.version, publishedAt: v.publishedAt }));
            setProblems({});
            setNotice(t('formDesign.published', { version: formatNumber(v.version, lang) }));
        }
        catch (err) {
            if (err instanceof Problem && err.errors.length) {
                setProblems(problemsByField(err.errors));
                setMessages([t('formDesign.publishRefused', { count: err.errors.length })]);
            }
            else
                setMessages([problemText(err, t)]);
        }
        finally {
            setBusy(false);
        }
    }
    const field = selected ? fieldAt(model.fields, selected) : undefined;
    const formProblems = [...(problems[''] ?? []), ...Object.entries(problems).filter(([p]) => p && !hasField(model.fields, p)).flatMap(([p, m]) => m.map((x) => `${p}: ${x}`))];
    return (_jsxs("section", { className: "form-designer", children: [_jsx("p", { children: _jsx(Link, { to: "/design/forms", children: t('formDesign.back') }) }), _jsxs("h1", { children: [localText(model.title, lang) || model.key, " ", _jsx("code", { dir: "ltr", children: model.key })] }), _jsxs("p", { className: "muted", "data-testid": "form-state", children: [t('formDesign.revision', { revision: formatNumber(head.revision, lang) }), " \u00B7", ' ', head.latestVersion ? t('formDesign.state.published', { version: formatNumber(head.latestVersion, lang) }) : t('formDesign.state.draft'), dirty && _jsxs(_Fragment, { children: [" \u00B7 ", _jsx("strong", { children: t('formDesign.unsaved') })] })] }), _jsxs("div", { className: "designer-actions", children: [_jsx("button", { type: "button", onClick: save, disabled: busy, "data-testid": "save", children: t('formDesign.save') }), _jsx("button", { type: "button", onClick: publishDraft, disabled: busy, "data-testid": "publish", children: t('formDesign.publish') }), _jsx("span", { role: "tablist", "aria-label": t('formDesign.views'), children: ['visual', 'json'].map((v) => (_jsx("button", { type: "button", role: "tab", "aria-selected": view === v, onClick: () => setView(v), "data-testid": `view-${v}`, children: t(`formDesign.view.${v}`) }, v))) })] }), _jsx("p", { role: "status", "aria-live": "polite", "data-testid": "notice", children: notice }), _jsx(ErrorSummary, { messages: messages }), formProblems.length > 0 && (_jsxs("div", { className: "problems", "data-testid": "form-problems", children: [_jsx("strong", { children: t('formDesign.problems') }), _jsx("ul", { children: formProblems.map((m, i) => _jsx("li", { children: m }, i)) })] })), view === 'json' ? (_jsx(JsonView, { def: def, onChange: (d) => edit(() => fromDefinition(d)) })) : (_jsxs("div", { className: "designer-grid", children: [_jsx(Palette, { onAdd: addField }), _jsx(FieldList, { fields: model.fields, selected: selected, problems: problems, onSelect: setSelected, onDropType: addField, onMove: (parent, from, to) => {
                            editFields(parent, (l) => moveField(l, from, to));
                            if (selected && selected.length === parent.length + 1 && parent.every((n, i) => n === selected[i]) && selected[parent.length] === from)
                                setSelected([...parent, to]);
                        }, onRemove: (path) => {
                            editFields(path.slice(0, -1), (l) => l.filter((_, i) => i !== path[path.length - 1]));
                            setSelected(null);
                        } }), _jsxs("div", { className: "properties", children: [_jsx(FormProperties, { model: model, onChange: (m) => edit(() => m) }), field && selected ? (_jsx(FieldProperties, { field: field, siblings: selected.length > 1 ? (fieldAt(model.fields, selected.slice(0, -1)).fields ?? []) : model.fields, index: selected[selected.length - 1], 
                                // A saved draft with problems cannot be checked against (the API answers 422): check loosely.
                                formKey: head.revision && !head.problems?.length ? head.key : null, dirty: dirty, problems: problems[dottedPath(model.fields, selected)] ?? [], onChange: (f) => editFields(selected.slice(0, -1), (l) => l.map((x, i) => (i === selected[selected.length - 1] ? f : x))) }, selected.join('.'))) : (_jsx("p", { className: "muted", children: t('formDesign.selectField') }))] })] })), _jsx(Preview, { def: def }), _jsx("h2", { children: t('formDesign.versions') }), versions.data && (versions.data.items.length ? (_jsx("ol", { className: "versions", "data-testid": "versions", reversed: true, children: versions.data.items.map((v) => (_jsxs("li", { children: [t('formDesign.version', { version: formatNumber(v.version, lang) }), " \u00B7 ", _jsx(When, { at: v.publishedAt }), v.fragments?.length ? _jsxs(_Fragment, { children: [" \u00B7 ", v.fragments.map((f) => `${f.key}@${f.version}`).join(', ')] }) : null] }, v.version))) })) : (_jsx("p", { className: "muted", "data-testid": "versions", children: t('formDesign.noVersions') })))] }));
}
function hasField(fields, dotted) {
    const [k, ...rest] = dotted.split('.');
    const f = fields.find((x) => x.key === k);
    return !!f && (rest.length === 0 || f.type === 'fragment' || hasField(f.fields ?? [], rest.join('.')));
}
/** The drag data a palette button carries: the field type. */
const paletteType = 'application/x-pishkhan-field';
function Palette({ onAdd }) {
    const { t } = useTranslation();
    return (_jsxs("div", { className: "palette", children: [_jsx("h2", { id: "palette-title", children: t('formDesign.palette') }), _jsx("ul", { "aria-labelledby": "palette-title", children: fieldTypes.map((type) => (_jsx("li", { children: _jsxs("button", { type: "button", draggable: true, onDragStart: (e) => e.dataTransfer.setData(paletteType, type), onClick: () => onAdd(type), "data-testid": `add-${type}`, children: ["+ ", t(`formDesign.type.${type}`)] }) }, type))) })] }));
}
function FieldList(props) {
    const { t } = useTranslation();
    return (_jsxs("div", { className: "field-list", onDragOver: (e) => e.dataTransfer.types.includes(paletteType) && e.preventDefault(), onDrop: (e) => {
            const type = e.dataTransfer.getData(paletteType);
            if (fieldTypes.includes(type)) {
                e.preventDefault();
                props.onDropType?.(type);
            }
        }, children: [_jsx("h2", { id: "fields-title", children: t('formDesign.fields') }), props.fields.length === 0 && _jsx("p", { className: "muted", children: t('formDesign.noFields') }), _jsx(FieldRows, { ...props, parent: [], prefix: "" })] }));
}
function FieldRows({ fields, parent, prefix, ...props }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const [dragging, setDragging] = useState(null);
    if (!fields.length)
        return null;
    return (_jsx("ol", { className: "fields", "aria-labelledby": parent.length ? undefined : 'fields-title', children: fields.map((f, i) => {
            const path = [...parent, i];
            const here = props.selected?.join('.') === path.join('.');
            const name = localText(f.title, lang) || f.key;
            const problems = props.problems[prefix + f.key]?.length ?? 0;
            return (_jsxs("li", { className: `field-row${here ? ' selected' : ''}${problems ? ' has-problems' : ''}`, draggable: true, onDragStart: (e) => {
                    e.stopPropagation();
                    // Firefox starts a drag only with some data.
                    e.dataTransfer.setData('text/plain', f.key);
                    e.dataTransfer.effectAllowed = 'move';
                    setDragging(i);
                }, onDragOver: (e) => dragging !== null && e.preventDefault(), onDrop: (e) => {
                    e.stopPropagation();
                    if (dragging !== null)
                        props.onMove(parent, dragging, i);
                    setDragging(null);
                }, "data-testid": `field-${prefix}${f.key}`, children: [_jsxs("div", { className: "field-row-head", children: [_jsxs("button", { type: "button", className: "link", "aria-pressed": here, onClick: () => props.onSelect(path), children: [name, " ", _jsxs("small", { className: "muted", children: ["(", t(`formDesign.type.${f.type}`), f.required ? `, ${t('formDesign.required')}` : '', ")"] })] }), problems > 0 && _jsx("span", { className: "badge problem", children: t('formDesign.problemCount', { count: problems }) }), _jsxs("span", { className: "row-tools", children: [_jsx("button", { type: "button", onClick: () => props.onMove(parent, i, i - 1), disabled: i === 0, "aria-label": t('formDesign.moveUp', { name }), "data-testid": "move-up", children: "\u2191" }), _jsx("button", { type: "button", onClick: () => props.onMove(parent, i, i + 1), disabled: i === fields.length - 1, "aria-label": t('formDesign.moveDown', { name }), "data-testid": "move-down", children: "\u2193" }), _jsx("button", { type: "button", onClick: () => props.onRemove(path), "aria-label": t('formDesign.remove', { name }), children: "\u00D7" })] })] }), f.fields && _jsx(FieldRows, { ...props, fields: f.fields, parent: path, prefix: `${prefix}${f.key}.` })] }, `${f.key}-${i}`));
        }) }));
}
function TextPair({ id, label, value, onChange, multiline }) {
    const { t } = useTranslation();
    const Input = multiline ? 'textarea' : 'input';
    return (_jsxs("fieldset", { className: "text-pair", children: [_jsx("legend", { children: label }), ['en', 'fa'].map((l) => (_jsxs("label", { children: [t(`formDesign.lang.${l}`), _jsx(Input, { id: `${id}-${l}`, lang: l, dir: isRTL(l) ? 'rtl' : 'ltr', value: value[l] ?? '', onChange: (e) => onChange({ ...value, [l]: e.target.value }) })] }, l)))] }));
}
function FormProperties({ model, onChange }) {
    const { t } = useTranslation();
    return (_jsxs("details", { className: "form-properties", children: [_jsx("summary", { children: t('formDesign.formProperties') }), _jsx(TextPair, { id: "form-title", label: t('formDesign.formTitle'), value: model.title, onChange: (title) => onChange({ ...model, title }) }), _jsxs("label", { children: [t('formDesign.category'), _jsx("input", { id: "form-category", dir: "ltr", value: model.category ?? '', onChange: (e) => onChange({ ...model, category: e.target.value || undefined }) })] })] }));
}
/** NumberInput edits an optional number; empty is none. */
function NumberInput({ id, label, value, onChange, step }) {
    return (_jsxs("label", { children: [label, _jsx("input", { id: id, type: "number", step: step ?? 'any', dir: "ltr", value: value ?? '', onChange: (e) => onChange(e.target.value === '' ? undefined : Number(e.target.value)) })] }));
}
function FieldProperties({ field: f, siblings, index, formKey, dirty, problems, onChange }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const set = (patch) => onChange({ ...f, ...patch });
    const [key, setKey] = useState(f.key);
    const keyError = keyProblem(key, siblings, index);
    const fragments = useLoad((signal) => (f.type === 'fragment' ? listFragments(signal) : Promise.resolve(null)), [f.type]);
    const texty = ['text', 'textarea', 'phone', 'email'].includes(f.type);
    const numeric = f.type === 'number' || f.type === 'integer';
    const rangeWrong = (a, b) => a !== undefined && b !== undefined && a > b;
    return (_jsxs("div", { className: "field-properties", "data-testid": "properties", children: [_jsx("h2", { children: t('formDesign.properties') }), problems.length > 0 && (_jsx("div", { role: "alert", className: "error-summary", "data-testid": "field-problems", children: _jsx("ul", { children: problems.map((m, i) => _jsx("li", { children: m }, i)) }) })), _jsxs("label", { children: [t('formDesign.fieldKey'), _jsx("input", { id: "field-key", dir: "ltr", value: key, "aria-invalid": !!keyError, "aria-describedby": "field-key-error", onChange: (e) => {
                            setKey(e.target.value);
                            if (!keyProblem(e.target.value, siblings, index))
                                set({ key: e.target.value });
                        } })] }), keyError && _jsx("p", { id: "field-key-error", className: "field-error", role: "alert", children: t(`formDesign.keyError.${keyError}`) }), _jsx("p", { className: "muted", children: t('formDesign.typeIs', { type: t(`formDesign.type.${f.type}`) }) }), _jsx(TextPair, { id: "field-title", label: t('formDesign.label'), value: f.title, onChange: (title) => set({ title }) }), _jsx(TextPair, { id: "field-help", label: t('formDesign.help'), value: f.help, onChange: (help) => set({ help }), multiline: true }), _jsxs("label", { className: "check", children: [_jsx("input", { id: "field-required", type: "checkbox", checked: f.required, onChange: (e) => set({ required: e.target.checked }) }), " ", t('formDesign.required')] }), texty && (_jsxs("fieldset", { children: [_jsx("legend", { children: t('formDesign.validation') }), _jsx(NumberInput, { id: "field-minLength", label: t('formDesign.minLength'), step: "1", value: f.minLength, onChange: (minLength) => set({ minLength }) }), _jsx(NumberInput, { id: "field-maxLength", label: t('formDesign.maxLength'), step: "1", value: f.maxLength, onChange: (maxLength) => set({ maxLength }) }), rangeWrong(f.minLength, f.maxLength) && _jsx("p", { className: "field-error", role: "alert", children: t('formDesign.rangeWrong') }), _jsx(PatternInput, { value: f.pattern, onChange: (pattern) => set({ pattern }) })] })), numeric && (_jsxs("fieldset", { children: [_jsx("legend", { children: t('formDesign.validation') }), _jsx(NumberInput, { id: "field-minimum", label: t('formDesign.minimum'), step: f.type === 'integer' ? '1' : 'any', value: f.minimum, onChange: (minimum) => set({ minimum }) }), _jsx(NumberInput, { id: "field-maximum", label: t('formDesign.maximum'), step: f.type === 'integer' ? '1' : 'any', value: f.maximum, onChange: (maximum) => set({ maximum }) }), rangeWrong(f.minimum, f.maximum) && _jsx("p", { className: "field-error", role: "alert", children: t('formDesign.rangeWrong') })] })), f.options && _jsx(OptionsEditor, { options: f.options, onChange: (options) => set({ options }) }), f.type === 'fragment' && (_jsxs("label", { children: [t('formDesign.fragment'), _jsxs("select", { id: "field-fragment", value: f.fragment ?? '', onChange: (e) => set({ fragment: e.target.value }), children: [!fragments.data?.items.some((x) => x.key === f.fragment) && _jsx("option", { value: f.fragment, children: f.fragment }), fragments.data?.items.map((x) => (_jsx("option", { value: x.key, children: localText(x.title, lang) || x.key }, x.key)))] })] })), _jsxs("fieldset", { children: [_jsx("legend", { children: t('formDesign.rules') }), dirty && formKey && _jsx("p", { className: "muted", children: t('formDesign.checkedAgainstSaved') }), _jsx(ExpressionInput, { id: "field-visibleWhen", label: t('formDesign.visibleWhen'), kind: "boolean", formKey: formKey, value: f.visibleWhen, onChange: (visibleWhen) => set({ visibleWhen }) }), _jsx(ExpressionInput, { id: "field-requiredWhen", label: t('formDesign.requiredWhen'), kind: "boolean", formKey: formKey, value: f.requiredWhen, onChange: (requiredWhen) => set({ requiredWhen }) }), _jsx(ExpressionInput, { id: "field-calculate", label: t('formDesign.calculate'), kind: "any", formKey: formKey, value: f.calculate, onChange: (calculate) => set({ calculate }) })] })] }));
}
function PatternInput({ value, onChange }) {
    const { t } = useTranslation();
    let wrong = false;
    try {
        if (value)
            new RegExp(value, 'u');
    }
    catch {
        wrong = true;
    }
    return (_jsxs(_Fragment, { children: [_jsxs("label", { children: [t('formDesign.pattern'), _jsx("input", { id: "field-pattern", dir: "ltr", value: value ?? '', "aria-invalid": wrong, onChange: (e) => onChange(e.target.value || undefined) })] }), wrong && _jsx("p", { className: "field-error", role: "alert", children: t('formDesign.patternWrong') })] }));
}
function OptionsEditor({ options, onChange }) {
    const { t } = useTranslation();
    const at = (i, o) => onChange(options.map((x, n) => (n === i ? o : x)));
    const values = options.map((o) => o.value);
    return (_jsxs("fieldset", { className: "options", children: [_jsx("legend", { children: t('formDesign.options') }), _jsx("ol", { children: options.map((o, i) => (_jsxs("li", { className: "option-row", children: [_jsxs("label", { children: [t('formDesign.optionValue'), _jsx("input", { id: `option-${i}-value`, dir: "ltr", value: o.value, "aria-invalid": !o.value || values.indexOf(o.value) !== i, onChange: (e) => at(i, { ...o, value: e.target.value }) })] }), _jsxs("label", { children: [t('formDesign.optionLabelEn'), _jsx("input", { id: `option-${i}-en`, lang: "en", dir: "ltr", value: o.label.en ?? '', onChange: (e) => at(i, { ...o, label: { ...o.label, en: e.target.value } }) })] }), _jsxs("label", { children: [t('formDesign.optionLabelFa'), _jsx("input", { id: `option-${i}-fa`, lang: "fa", dir: "rtl", value: o.label.fa ?? '', onChange: (e) => at(i, { ...o, label: { ...o.label, fa: e.target.value } }) })] }), _jsx("button", { type: "button", onClick: () => onChange(options.filter((_, n) => n !== i)), "aria-label": t('formDesign.removeOption', { value: o.value }), children: "\u00D7" })] }, i))) }), values.some((v, i) => !v || values.indexOf(v) !== i) && _jsx("p", { className: "field-error", role: "alert", children: t('formDesign.optionsWrong') }), _jsxs("button", { type: "button", "data-testid": "add-option", onClick: () => onChange([...options, { value: `option${options.length + 1}`, label: {} }]), children: ["+ ", t('formDesign.addOption')] })] }));
}
/**
 * ExpressionInput edits one rule and checks it as the server would at
 * publish (POST /expressions/check), once typing pauses. The verdict is
 * announced beside the input.
 */
function ExpressionInput({ id, label, kind, formKey, value, onChange }) {
    const { t } = useTranslation();
    const [verdict, setVerdict] = useState(null);
    useEffect(() => {
        if (!value?.trim()) {
            setVerdict(null);
            return;
        }
        const ctl = new AbortController();
        const timer = setTimeout(() => {
            setVerdict({ state: 'checking' });
            checkExpression(value, formKey, kind, ctl.signal).then((r) => setVerdict(r.valid ? { state: 'valid', loose: r.loose } : { state: 'invalid', message: r.error?.message, loose: r.loose }), (err) => !ctl.signal.aborted && setVerdict({ state: 'failed', message: problemText(err, t) }));
        }, 400);
        return () => {
            clearTimeout(timer);
            ctl.abort();
        };
    }, [value, formKey, kind, t]);
    const bad = verdict?.state === 'invalid' || verdict?.state === 'failed';
    return (_jsxs("div", { className: "expression", children: [_jsxs("label", { children: [label, _jsx("input", { id: id, dir: "ltr", className: "code", value: value ?? '', "aria-invalid": bad, "aria-describedby": `${id}-verdict`, onChange: (e) => onChange(e.target.value || undefined), spellCheck: false })] }), _jsxs("p", { id: `${id}-verdict`, className: `verdict ${verdict?.state ?? ''}`, "aria-live": "polite", "data-testid": `${id}-verdict`, "data-state": verdict?.state ?? '', children: [verdict?.state === 'checking' && t('formDesign.checking'), verdict?.state === 'valid' && t('formDesign.valid'), bad && t('formDesign.invalid', { message: verdict?.message ?? '' }), verdict?.loose && verdict.state !== 'checking' && _jsxs(_Fragment, { children: [" ", t('formDesign.namesUnchecked')] })] })] }));
}
/** JsonView shows the definition's schema and hints as JSON; valid edits go straight into the model, invalid ones are refused with a message. */
function JsonView({ def, onChange }) {
    const { t } = useTranslation();
    const shown = rawJSON(def);
    const [text, setText] = useState(shown);
    const [error, setError] = useState('');
    const last = useRef(shown);
    // The model changed elsewhere (not by this text): show it.
    useEffect(() => {
        if (shown !== last.current) {
            last.current = shown;
            setText(shown);
            setError('');
        }
    }, [shown]);
    function change(s) {
        setText(s);
        const got = parseRawJSON(s, def);
        if (!got.def) {
            setError(got.error === 'syntax' ? t('formDesign.jsonInvalid', { message: got.message }) : t('formDesign.jsonShape'));
            return;
        }
        setError('');
        // What the model will show back: not this text itself (spacing, key order), so that it does not replace what is being typed.
        last.current = rawJSON(toDefinition(fromDefinition(got.def)));
        onChange(got.def);
    }
    return (_jsxs("div", { className: "json-view", children: [_jsx("label", { htmlFor: "json-text", children: t('formDesign.jsonLabel') }), _jsx("textarea", { id: "json-text", dir: "ltr", spellCheck: false, rows: 24, value: text, "aria-invalid": !!error, "aria-describedby": "json-error", onChange: (e) => change(e.target.value) }), _jsx("p", { id: "json-error", role: "alert", className: "field-error", "data-testid": "json-error", children: error })] }));
}
/** PreviewBoundary keeps a schema rjsf cannot render (a pattern being typed, say) from taking the page down. */
class PreviewBoundary extends Component {
    state = { failed: false, schema: '' };
    static getDerivedStateFromError() {
        return { failed: true };
    }
    static getDerivedStateFromProps(p, s) {
        return p.schema !== s.schema ? { failed: false, schema: p.schema } : null;
    }
    render() {
        return this.state.failed ? _jsx("p", { role: "alert", className: "field-error", children: this.props.message }) : this.props.children;
    }
}
/** Preview renders the definition being edited as the portal would, in either language, on a desktop or phone-sized frame. */
function Preview({ def }) {
    const { t } = useTranslation();
    const uiLang = useLanguage();
    const [lang, setLang] = useState(uiLang);
    const [phone, setPhone] = useState(false);
    const [fragments, setFragments] = useState({ schemas: {}, pinned: [] });
    const names = [...usedFragments(def.schema)].sort().join(',');
    useEffect(() => {
        if (!names)
            return;
        const ctl = new AbortController();
        Promise.all(names.split(',').map((n) => {
            const [k, v] = n.split('@');
            return api.get(`/fragments/${encodeURIComponent(k)}/versions/${v ?? 'latest'}`, { signal: ctl.signal }).catch(() => null);
        })).then((got) => {
            if (ctl.signal.aborted)
                return;
            const schemas = {};
            const pinned = [];
            got.forEach((f) => {
                if (!f)
                    return;
                schemas[`${f.key}@${f.version}`] = f.definition.schema;
                pinned.push({ key: f.key, version: f.version });
            });
            setFragments({ schemas, pinned });
        });
        return () => ctl.abort();
    }, [names]);
    const { schema, ui } = useMemo(() => previewForm(def, lang, fragments.schemas, fragments.pinned), [def, lang, fragments]);
    const key = JSON.stringify(schema);
    return (_jsxs("section", { className: "preview", "aria-labelledby": "preview-title", children: [_jsx("h2", { id: "preview-title", children: t('formDesign.preview') }), _jsxs("div", { className: "preview-tools", children: [['en', 'fa'].map((l) => (_jsx("button", { type: "button", "aria-pressed": lang === l, onClick: () => setLang(l), "data-testid": `preview-${l}`, children: t(`formDesign.lang.${l}`) }, l))), _jsxs("label", { className: "check", children: [_jsx("input", { type: "checkbox", checked: phone, onChange: (e) => setPhone(e.target.checked), "data-testid": "preview-phone" }), " ", t('formDesign.phoneFrame')] })] }), _jsxs("div", { className: `preview-frame${phone ? ' phone' : ''}`, lang: lang, dir: isRTL(lang) ? 'rtl' : 'ltr', "data-testid": "preview-frame", children: [_jsx("h3", { children: localText(def.title, lang) }), _jsx(PreviewBoundary, { message: t('formDesign.previewFailed'), schema: key, children: _jsx(Form, { schema: schema, uiSchema: { ...ui, 'ui:submitButtonOptions': { norender: true } }, validator: validator, liveValidate: false, noHtml5Validate: true, onSubmit: () => undefined }, key) })] })] }));
}
