import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useLoad } from '../useLoad';
import { ErrorSummary, Loading, problemText } from '../components';
import { useLanguage } from '../i18n/useLanguage';
import { localText } from '../i18n/format';
/** groupByCategory groups catalog entries by category, categories and entries in a stable order. */
export function groupByCategory(items) {
    const groups = new Map();
    for (const e of items) {
        const c = e.category || 'general';
        groups.set(c, [...(groups.get(c) ?? []), e]);
    }
    return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}
/** CatalogPage lists what the requester may ask for, grouped by category. */
export function CatalogPage() {
    const { t } = useTranslation();
    const lang = useLanguage();
    const catalog = useLoad((signal) => api.get('/catalog', { signal }), []);
    return (_jsxs("section", { children: [_jsx("h1", { children: t('catalog.title') }), _jsx("p", { children: t('catalog.intro') }), catalog.loading && _jsx(Loading, {}), catalog.error != null && _jsx(ErrorSummary, { messages: [problemText(catalog.error, t)] }), catalog.data && catalog.data.items.length === 0 && _jsx("p", { children: t('catalog.empty') }), catalog.data &&
                groupByCategory(catalog.data.items).map(([category, entries]) => (_jsxs("section", { "aria-labelledby": `cat-${category}`, className: "catalog-group", children: [_jsx("h2", { id: `cat-${category}`, children: t(`category.${category}`, { defaultValue: category }) }), _jsx("ul", { className: "cards", children: entries.map((e) => (_jsxs("li", { className: "card", children: [_jsx(Link, { to: `/new/${e.key}`, "data-testid": `catalog-${e.key}`, children: _jsx("strong", { children: localText(e.title, lang) }) }), e.description && _jsx("p", { children: localText(e.description, lang) })] }, e.key))) })] }, category)))] }));
}
