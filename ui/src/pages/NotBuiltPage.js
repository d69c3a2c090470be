import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
/** NotBuiltPage stands where a part of the app is still to come (issue 7), saying so plainly. */
export function NotBuiltPage({ title }) {
    const { t } = useTranslation();
    return (_jsxs("section", { children: [_jsx("h1", { children: t(title) }), _jsx("p", { children: t('common.notBuilt') })] }));
}
/** NotFoundPage answers a path the app does not have. */
export function NotFoundPage() {
    const { t } = useTranslation();
    return (_jsxs("section", { children: [_jsx("h1", { children: t('common.notFound') }), _jsx("p", { children: _jsx(Link, { to: "/", children: t('common.home') }) })] }));
}
