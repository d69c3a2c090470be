import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "react/jsx-runtime";
// The requester's "cartable": their requests, waiting for them, in
// progress and done, with status, priority and the next deadline, from
// GET /requests (the caller's own, newest first, open and archived).
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useLoad } from '../useLoad';
import { Code, ErrorSummary, Loading, StatusBadge, When, problemText } from '../components';
import { bucketOf } from './requests';
import { useLanguage } from '../i18n/useLanguage';
import { localText } from '../i18n/format';
const maxPages = 5;
async function loadMine(signal) {
    const mine = [];
    let cursor;
    for (let i = 0; i < maxPages; i++) {
        const page = await api.get('/requests', { query: { requester: 'me', limit: 200, cursor }, signal });
        mine.push(...page.items);
        if (!page.next)
            break;
        cursor = page.next;
    }
    // Titles come from the catalog; a list item carries only the type's key.
    const catalog = await api.get('/catalog', { signal });
    const titles = new Map(catalog.items.map((e) => [e.key, e.title]));
    return mine.map((r) => ({ ...r, title: titles.get(r.type?.key ?? r.form.key) }));
}
const buckets = ['waiting', 'inProgress', 'done'];
export function MyRequestsPage() {
    const { t } = useTranslation();
    const lang = useLanguage();
    const mine = useLoad(loadMine, []);
    return (_jsxs("section", { children: [_jsx("h1", { children: t('myRequests.title') }), _jsx("p", { children: _jsx(Link, { to: "/catalog", children: t('myRequests.new') }) }), mine.loading && _jsx(Loading, {}), mine.error != null && _jsx(ErrorSummary, { messages: [problemText(mine.error, t)] }), mine.data &&
                buckets.map((b) => {
                    const items = mine.data.filter((r) => bucketOf(r) === b);
                    return (_jsxs("section", { "aria-labelledby": `bucket-${b}`, children: [_jsxs("h2", { id: `bucket-${b}`, children: [t(`myRequests.${b}`), " (", t('common.count', { count: items.length }), ")"] }), items.length === 0 ? (_jsx("p", { className: "muted", children: t('myRequests.none') })) : (_jsx("ul", { className: "cards", "data-testid": `bucket-${b}`, children: items.map((r) => {
                                    const due = r.closed ? undefined : r.due;
                                    return (_jsxs("li", { className: "card", children: [_jsx(Link, { to: `/requests/${encodeURIComponent(r.id)}`, children: _jsx("strong", { children: localText(r.title, lang) || r.type?.key || r.form.key }) }), _jsxs("div", { children: [_jsx(Code, { children: r.id }), " \u00B7 ", _jsx(StatusBadge, { status: r.status }), r.priority && _jsxs(_Fragment, { children: [" \u00B7 ", t(`priority.${r.priority}`, { defaultValue: r.priority })] })] }), _jsxs("div", { className: "muted", children: [t('request.submitted'), " ", _jsx(When, { at: r.createdAt }), due && (_jsxs(_Fragment, { children: [' ', "\u00B7 ", t('request.due'), " ", _jsx(When, { at: due })] }))] })] }, r.id));
                                }) }))] }, b));
                })] }));
}
