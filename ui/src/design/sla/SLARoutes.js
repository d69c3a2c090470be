import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
// The calendars' and SLA policies' pages (docs/ui.md, "Calendars and SLA
// policies"), loaded when first opened.
import { Route, Routes } from 'react-router';
import { ListPage } from './ListPage';
import { CalendarEditorPage } from './CalendarEditor';
import { PolicyEditorPage } from './PolicyEditor';
/** SLARoutes serves /design/calendars/* or /design/sla-policies/*, as kind says. */
export default function SLARoutes({ kind }) {
    return (_jsxs(Routes, { children: [_jsx(Route, { index: true, element: _jsx(ListPage, { kind: kind }) }), _jsx(Route, { path: ":key", element: kind === 'calendars' ? _jsx(CalendarEditorPage, {}) : _jsx(PolicyEditorPage, {}) })] }));
}
