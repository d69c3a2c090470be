import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "react/jsx-runtime";
// The frame around every page: a skip link, the header with navigation,
// the language switch and the session, and the main region that takes the
// focus when the route changes (so screen readers start at the new page).
import { useEffect, useRef } from 'react';
import { NavLink, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from './session';
import { sectionsFor } from './navigation';
import { useLanguage } from './i18n/useLanguage';
export function Shell({ children }) {
    const { t } = useTranslation();
    const { user, logout } = useSession();
    const navigate = useNavigate();
    const location = useLocation();
    const main = useRef(null);
    const first = useRef(true);
    useEffect(() => {
        if (first.current) {
            first.current = false;
            return;
        }
        main.current?.focus();
    }, [location.pathname]);
    return (_jsxs(_Fragment, { children: [_jsx("a", { className: "skip", href: "#main", children: t('shell.skip') }), _jsxs("header", { className: "top", children: [_jsx(NavLink, { to: "/", className: "brand", children: t('shell.brand') }), _jsx("nav", { "aria-label": t('shell.navigation'), children: _jsxs("ul", { children: [user &&
                                    sectionsFor(user.roles).map((s) => (_jsx("li", { children: _jsx(NavLink, { to: s.path, children: t(s.label) }) }, s.path))), _jsx("li", { children: _jsx(NavLink, { to: "/track", children: t('nav.track') }) })] }) }), _jsxs("div", { className: "session", children: [_jsx(LanguageSwitch, {}), user ? (_jsxs(_Fragment, { children: [_jsx("span", { className: "who", "data-testid": "who", children: user.name || user.username }), _jsx("button", { type: "button", onClick: async () => {
                                            await logout();
                                            navigate('/login');
                                        }, children: t('shell.logout') })] })) : (user === null && _jsx(NavLink, { to: "/login", children: t('shell.login') }))] })] }), _jsx("main", { id: "main", ref: main, tabIndex: -1, children: children })] }));
}
/** LanguageSwitch offers the other language, named in itself (English / فارسی). */
function LanguageSwitch() {
    const { t, i18n } = useTranslation();
    const lang = useLanguage();
    const other = lang === 'fa' ? 'en' : 'fa';
    return (_jsx("button", { type: "button", lang: other, "data-testid": "language", "aria-label": t('shell.switchLanguage', { lng: other }), onClick: () => i18n.changeLanguage(other), children: t('shell.languageName', { lng: other }) }));
}
