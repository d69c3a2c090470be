import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
// The process owners' start page: the designers, each on its own route.
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
/** DesignHome links to the designers. */
export function DesignHome() {
    const { t } = useTranslation();
    return (_jsxs("section", { children: [_jsx("h1", { children: t('nav.design') }), _jsxs("ul", { className: "cards", children: [_jsx("li", { className: "card", children: _jsx(Link, { to: "/design/forms", children: t('designHome.forms') }) }), _jsx("li", { className: "card", children: _jsx(Link, { to: "/design/workflows", children: t('designHome.workflows') }) }), _jsx("li", { className: "card", children: _jsx(Link, { to: "/design/rules", children: t('rsd.home') }) }), _jsx("li", { className: "card", children: _jsx(Link, { to: "/design/calendars", children: t('sla.home.calendars') }) }), _jsx("li", { className: "card", children: _jsx(Link, { to: "/design/sla-policies", children: t('sla.home.slaPolicies') }) })] })] }));
}
