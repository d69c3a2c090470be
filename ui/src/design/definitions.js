import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "react/jsx-runtime";
// What the designers of drafted, versioned definitions (workflows, rule
// sets) share on their list pages: the heads with their state, and the
// form that starts a new definition (key, titles, category, the form it
// is about). Each designer passes its own message namespace, so labels
// stay in its own message files.
import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, Loading, problemText, When } from '../components';
import { useLoad } from '../useLoad';
import { useSubmit } from '../useSubmit';
import { useLanguage } from '../i18n/useLanguage';
import { localText } from '../i18n/format';
import { draftState } from './workflows/model';
import { listOf, titleOf } from './workflows/api';
/** HeadList lists definitions' heads, each a link to its designer with its state. ns is the message namespace (wfd, rsd). */
export function HeadList(props) {
    const { t } = useTranslation();
    const lang = useLanguage();
    return (_jsx("ul", { className: `${props.ns}-heads`, "data-testid": `${props.ns}-heads`, children: props.items.map((h) => (_jsxs("li", { className: "card", children: [_jsx(Link, { to: `${props.base}/${h.key}`, children: localText(h.title, lang) || h.key }), " ", _jsx("bdi", { dir: "ltr", className: "code", children: h.key }), _jsxs("p", { className: "muted", children: [_jsx("span", { className: `badge ${props.ns}-state-${draftState(h)}`, children: t(`${props.ns}.state.${draftState(h)}`, { version: h.latestVersion }) }), " ", _jsx(When, { at: h.updatedAt })] })] }, h.key))) }));
}
/**
 * FormPicker picks a form from GET /forms, or takes its key typed where
 * the list may not be read. Without required, "none" is a choice
 * (noneLabel); a key not in the list stays as an option of its own.
 */
export function FormPicker(props) {
    const lang = useLanguage();
    const forms = useLoad((signal) => listOf('/forms', signal), []);
    const common = { id: props.id, name: 'form', required: props.required, 'aria-invalid': props.invalid || undefined, 'aria-describedby': props.describedBy };
    if (forms.data?.forbidden)
        return _jsx("input", { ...common, value: props.value, dir: "ltr", onChange: (e) => props.onChange(e.target.value) });
    return (_jsxs("select", { ...common, value: props.value, onChange: (e) => props.onChange(e.target.value), children: [_jsx("option", { value: "", children: props.noneLabel }), props.value && forms.data && !forms.data.items.some((f) => f.key === props.value) && _jsx("option", { value: props.value, children: props.value }), forms.data?.items.map((f) => (_jsx("option", { value: f.key, children: titleOf(f, lang) }, f.key)))] }));
}
/**
 * NewDefinitionForm asks for a new definition's key, titles, category and
 * form, and runs create with them; create saves the first draft (with
 * If-None-Match: *, so an existing key is refused) and opens it.
 */
export function NewDefinitionForm(props) {
    const { t } = useTranslation();
    const { ns } = props;
    const [key, setKey] = useState('');
    const [en, setEn] = useState('');
    const [fa, setFa] = useState('');
    const [category, setCategory] = useState('');
    const [form, setForm] = useState('');
    const s = useSubmit(() => props.create({ key, title: { en, fa }, category, form }));
    const keyHelp = t(`${ns}.keyHelp`, { defaultValue: '' });
    return (_jsxs("form", { onSubmit: s.submit, className: `${ns}-new`, "aria-labelledby": `${ns}-new-title`, children: [_jsx("h2", { id: `${ns}-new-title`, children: t(`${ns}.new`) }), _jsx(ErrorSummary, { messages: s.error ? [s.error] : [] }), _jsxs("label", { children: [t(`${ns}.key`), _jsx("input", { value: key, onChange: (e) => setKey(e.target.value), required: true, pattern: "[a-z][a-z0-9\\-]{1,62}", dir: "ltr", name: "key", "aria-describedby": keyHelp ? `${ns}-key-help` : undefined }), keyHelp && (_jsx("small", { id: `${ns}-key-help`, className: "muted", children: keyHelp }))] }), _jsxs("label", { children: [t(`${ns}.titleEn`), _jsx("input", { value: en, onChange: (e) => setEn(e.target.value), required: true, dir: "ltr", name: "titleEn" })] }), _jsxs("label", { children: [t(`${ns}.titleFa`), _jsx("input", { value: fa, onChange: (e) => setFa(e.target.value), dir: "rtl", name: "titleFa" })] }), _jsxs("label", { children: [t(`${ns}.category`), _jsx("input", { value: category, onChange: (e) => setCategory(e.target.value), dir: "ltr", name: "category" })] }), _jsxs("label", { children: [t(`${ns}.form`), _jsx(FormPicker, { value: form, onChange: setForm, required: props.formRequired, noneLabel: props.noFormLabel })] }), _jsx("button", { type: "submit", disabled: s.busy, "data-testid": `${ns}-create`, children: t(`${ns}.create`) })] }));
}
/** DesignerTitle heads a designer's page: the way back to the list, the definition's title and key, and how far it is published. */
export function DesignerTitle(props) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const { ns } = props;
    return (_jsxs(_Fragment, { children: [_jsx("p", { children: _jsx(Link, { to: props.base, children: t(`${ns}.back`) }) }), _jsxs("h1", { id: `${ns}-title`, children: [localText(props.title, lang) || props.defKey, " ", _jsx("bdi", { dir: "ltr", className: "code", children: props.defKey })] }), _jsxs("p", { className: "muted", "data-testid": `${ns}-version`, children: [props.latest ? t(`${ns}.state.published`, { version: props.latest }) : t(`${ns}.state.unpublished`), props.dirty && ` · ${t(`${ns}.unsaved`)}`] })] }));
}
/**
 * VersionList lists a definition's published versions, newest first, as
 * load answers them; each is shown by item (the version's number and
 * time, and whatever the designer adds).
 */
export function VersionList(props) {
    const { t } = useTranslation();
    const { ns } = props;
    const versions = useLoad(props.load, props.deps);
    return (_jsxs("section", { "aria-labelledby": `${ns}-versions-title`, className: `${ns}-versions`, children: [_jsx("h2", { id: `${ns}-versions-title`, children: t(`${ns}.versions`) }), versions.error !== undefined && _jsx(ErrorSummary, { messages: [problemText(versions.error, t)] }), _jsx("ol", { "data-testid": `${ns}-versions`, children: versions.data?.items.map((v) => (_jsxs("li", { children: [props.item ? props.item(v) : t(`${ns}.version`, { version: v.version }), " \u00B7 ", _jsx(When, { at: v.publishedAt })] }, v.version))) }), versions.data && !versions.data.items.length && _jsx("p", { className: "muted", children: t(`${ns}.noVersions`) })] }));
}
/**
 * DraftLoader reads a definition's head and the body a designer opens:
 * the draft, or the newest version when there is no draft. It shows the
 * loading and a failure, then hands both to children.
 */
export function DraftLoader(props) {
    const { t } = useTranslation();
    const { defKey: key } = props;
    const loaded = useLoad(async (signal) => {
        const head = await props.head(key, signal);
        const body = head.draft ?? (head.latestVersion ? (await props.latest(key)).definition : undefined);
        return { head, body };
    }, [key]);
    if (loaded.loading && !loaded.data)
        return _jsx(Loading, {});
    if (loaded.error !== undefined)
        return _jsx(ErrorSummary, { messages: [problemText(loaded.error, t)] });
    return _jsx(_Fragment, { children: props.children(loaded.data.head, loaded.data.body) });
}
