import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
// The decision-table editor's pages (docs/ui.md, "The decision-table
// editor"): loaded when first opened, like the workflow designer.
import { Route, Routes } from 'react-router';
import { RuleSetListPage } from './RuleSetListPage';
import { RuleSetEditorPage } from './RuleSetEditorPage';
export default function RuleRoutes() {
    return (_jsxs(Routes, { children: [_jsx(Route, { index: true, element: _jsx(RuleSetListPage, {}) }), _jsx(Route, { path: ":key", element: _jsx(RuleSetEditorPage, {}) })] }));
}
