import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
// The forms a process owner may design, with their state (draft only,
// published, changed since publishing), and a new form.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, Loading, When, problemText } from '../../components';
import { Problem } from '../../api/problem';
import { useLoad } from '../../useLoad';
import { useLanguage } from '../../i18n/useLanguage';
import { localText, formatNumber } from '../../i18n/format';
import { listForms, saveDraft } from './formsApi';
import { keyPattern } from './FormDesignerPage';
/** formState tells a form's state in the list: only a draft, published, or changed since. */
export function formState(h) {
    if (!h.latestVersion)
        return 'draft';
    return h.updatedAt && h.publishedAt && h.updatedAt > h.publishedAt ? 'changed' : 'published';
}
/** FormListPage lists the forms and creates new ones. */
export function FormListPage() {
    const { t } = useTranslation();
    const lang = useLanguage();
    const navigate = useNavigate();
    const forms = useLoad((signal) => listForms(signal), []);
    const [key, setKey] = useState('');
    const [en, setEn] = useState('');
    const [fa, setFa] = useState('');
    const [category, setCategory] = useState('');
    const [errors, setErrors] = useState([]);
    const [busy, setBusy] = useState(false);
    async function create(e) {
        e.preventDefault();
        const problems = [];
        if (!keyPattern.test(key))
            problems.push(t('formDesign.keyRule'));
        if (forms.data?.items.some((f) => f.key === key))
            problems.push(t('formDesign.keyTaken'));
        if (!en.trim() || !fa.trim())
            problems.push(t('formDesign.titleNeeded'));
        setErrors(problems);
        if (problems.length)
            return;
        setBusy(true);
        try {
            // Created with If-None-Match: *, so a form saved since the page opened is never replaced: 412.
            await saveDraft({ key, title: { en, fa }, ...(category ? { category } : {}), schema: { type: 'object', properties: {} }, ui: {} }, null);
            navigate(`/design/forms/${key}`);
        }
        catch (err) {
            setErrors([err instanceof Problem && err.status === 412 ? t('formDesign.keyTaken') : problemText(err, t)]);
        }
        finally {
            setBusy(false);
        }
    }
    return (_jsxs("section", { children: [_jsx("h1", { children: t('formDesign.listTitle') }), forms.loading && _jsx(Loading, {}), forms.error !== undefined && _jsx(ErrorSummary, { messages: [problemText(forms.error, t)] }), forms.data && (_jsx("ul", { className: "cards", "data-testid": "form-list", children: forms.data.items.map((f) => {
                    const state = formState(f);
                    return (_jsxs("li", { className: "card", children: [_jsx(Link, { to: `/design/forms/${f.key}`, children: localText(f.title, lang) || f.key }), ' ', _jsx("code", { dir: "ltr", children: f.key }), _jsxs("p", { className: "muted", children: [_jsx("span", { className: `badge form-${state}`, children: t(`formDesign.state.${state}`, { version: formatNumber(f.latestVersion, lang) }) }), ' ', _jsx(When, { at: f.updatedAt })] })] }, f.key));
                }) })), _jsx("h2", { children: t('formDesign.newForm') }), _jsxs("form", { onSubmit: create, className: "stack", noValidate: true, children: [_jsx(ErrorSummary, { messages: errors }), _jsxs("label", { children: [t('formDesign.key'), _jsx("input", { id: "new-key", value: key, onChange: (e) => setKey(e.target.value), dir: "ltr", "aria-describedby": "new-key-help", required: true })] }), _jsx("small", { id: "new-key-help", className: "muted", children: t('formDesign.keyRule') }), _jsxs("label", { children: [t('formDesign.titleEn'), _jsx("input", { id: "new-title-en", value: en, onChange: (e) => setEn(e.target.value), lang: "en", dir: "ltr", required: true })] }), _jsxs("label", { children: [t('formDesign.titleFa'), _jsx("input", { id: "new-title-fa", value: fa, onChange: (e) => setFa(e.target.value), lang: "fa", dir: "rtl", required: true })] }), _jsxs("label", { children: [t('formDesign.category'), _jsx("input", { id: "new-category", value: category, onChange: (e) => setCategory(e.target.value), dir: "ltr" })] }), _jsx("div", { children: _jsx("button", { type: "submit", disabled: busy, "data-testid": "create-form", children: t('formDesign.create') }) })] })] }));
}
