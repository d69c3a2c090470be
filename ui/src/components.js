import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
// Small pieces every page uses: loading, errors, status badges.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Problem } from './api/problem';
import { useLanguage } from './i18n/useLanguage';
import { formatDateTime } from './i18n/format';
/** Loading says that something is on its way, to screen readers too. */
export function Loading() {
    const { t } = useTranslation();
    return (_jsx("p", { role: "status", "aria-live": "polite", className: "muted", children: t('common.loading') }));
}
/** problemText is what to tell a person about a failed call. */
export function problemText(err, t) {
    if (err instanceof Problem) {
        if (err.status === 0)
            return t('errors.network');
        return err.detail || err.title || t('errors.unknown');
    }
    return t('errors.unknown');
}
/**
 * ErrorSummary announces errors (role=alert) and takes the focus when they
 * appear, so keyboard and screen-reader users land on them.
 */
export function ErrorSummary({ messages, title }) {
    const ref = useRef(null);
    const key = messages.join('\n');
    useEffect(() => {
        if (key)
            ref.current?.focus();
    }, [key]);
    if (!messages.length)
        return null;
    return (_jsxs("div", { ref: ref, role: "alert", tabIndex: -1, className: "error-summary", children: [title && _jsx("strong", { children: title }), _jsx("ul", { children: messages.map((m, i) => (_jsx("li", { children: m }, i))) })] }));
}
/** StatusBadge shows a request's status in words. */
export function StatusBadge({ status }) {
    const { t } = useTranslation();
    return _jsx("span", { className: `badge status-${status}`, children: t(`status.${status}`, { defaultValue: status }) });
}
/** When shows a time from the API in the UI's calendar, with the exact time for machines. */
export function When({ at }) {
    const lang = useLanguage();
    if (!at)
        return null;
    return _jsx("time", { dateTime: at, children: formatDateTime(at, lang) });
}
/** Code shows an identifier (a tracking code) left to right, even inside Persian text. */
export function Code({ children }) {
    return (_jsx("bdi", { dir: "ltr", className: "code", children: children }));
}
