import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "react/jsx-runtime";
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { lazy, Suspense } from 'react';
import { Shell } from './Shell';
import { useSession } from './session';
import { homeFor } from './navigation';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotBuiltPage';
import { Loading } from './components';
import { CatalogPage } from './portal/CatalogPage';
import { NewRequestPage } from './portal/NewRequestPage';
import { MyRequestsPage } from './portal/MyRequestsPage';
import { RequestPage } from './portal/RequestPage';
import { TrackPage } from './portal/TrackPage';
import { InboxPage } from './work/InboxPage';
import { RequestWorkPage } from './work/RequestWorkPage';
import { PhoneEntryPage } from './work/PhoneEntryPage';
import { DesignHome } from './design/DesignHome';
import { FormDesignRoutes } from './design/forms/routes';
// The dashboards carry ECharts: loaded when first opened, not with the app.
const DashboardPage = lazy(() => import('./dashboards/DashboardPage'));
const WorkflowDesign = lazy(() => import('./design/workflows/WorkflowRoutes'));
const RuleDesign = lazy(() => import('./design/rules/RuleRoutes'));
const SLADesign = lazy(() => import('./design/sla/SLARoutes'));
/** App maps the routes onto pages inside the shell. */
export function App() {
    return (_jsx(Shell, { children: _jsxs(Routes, { children: [_jsx(Route, { path: "/", element: _jsx(Home, {}) }), _jsx(Route, { path: "/login", element: _jsx(LoginPage, {}) }), _jsx(Route, { path: "/track", element: _jsx(TrackPage, {}) }), _jsx(Route, { path: "/track/:code", element: _jsx(TrackPage, {}) }), _jsx(Route, { path: "/catalog", element: _jsx(RequireLogin, { children: _jsx(CatalogPage, {}) }) }), _jsx(Route, { path: "/new/:type", element: _jsx(RequireLogin, { children: _jsx(NewRequestPage, {}) }) }), _jsx(Route, { path: "/requests", element: _jsx(RequireLogin, { children: _jsx(MyRequestsPage, {}) }) }), _jsx(Route, { path: "/requests/:id", element: _jsx(RequireLogin, { children: _jsx(RequestPage, {}) }) }), _jsx(Route, { path: "/work", element: _jsx(RequireLogin, { children: _jsx(InboxPage, {}) }) }), _jsx(Route, { path: "/work/requests/:id", element: _jsx(RequireLogin, { children: _jsx(RequestWorkPage, {}) }) }), _jsx(Route, { path: "/work/phone", element: _jsx(RequireLogin, { children: _jsx(PhoneEntryPage, {}) }) }), _jsx(Route, { path: "/design", element: _jsx(RequireLogin, { children: _jsx(DesignHome, {}) }) }), _jsx(Route, { path: "/design/forms/*", element: _jsx(RequireLogin, { children: _jsx(FormDesignRoutes, {}) }) }), _jsx(Route, { path: "/design/workflows/*", element: _jsx(RequireLogin, { children: _jsx(Suspense, { fallback: _jsx(Loading, {}), children: _jsx(WorkflowDesign, {}) }) }) }), _jsx(Route, { path: "/design/rules/*", element: _jsx(RequireLogin, { children: _jsx(Suspense, { fallback: _jsx(Loading, {}), children: _jsx(RuleDesign, {}) }) }) }), _jsx(Route, { path: "/design/calendars/*", element: _jsx(RequireLogin, { children: _jsx(Suspense, { fallback: _jsx(Loading, {}), children: _jsx(SLADesign, { kind: "calendars" }) }) }) }), _jsx(Route, { path: "/design/sla-policies/*", element: _jsx(RequireLogin, { children: _jsx(Suspense, { fallback: _jsx(Loading, {}), children: _jsx(SLADesign, { kind: "sla-policies" }) }) }) }), _jsx(Route, { path: "/dashboards/*", element: _jsx(RequireLogin, { children: _jsx(Suspense, { fallback: _jsx(Loading, {}), children: _jsx(DashboardPage, {}) }) }) }), _jsx(Route, { path: "*", element: _jsx(NotFoundPage, {}) })] }) }));
}
function Home() {
    const { user } = useSession();
    if (user === undefined)
        return _jsx(Loading, {});
    return _jsx(Navigate, { to: user ? homeFor(user.roles) : '/login', replace: true });
}
/** RequireLogin sends a visitor to the login page and back here afterwards. */
function RequireLogin({ children }) {
    const { user } = useSession();
    const location = useLocation();
    if (user === undefined)
        return _jsx(Loading, {});
    if (user === null)
        return _jsx(Navigate, { to: "/login", replace: true, state: { from: location.pathname + location.search } });
    return _jsx(_Fragment, { children: children });
}
