import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
// The workflow designer's pages (docs/ui.md, "The workflow designer"):
// loaded when first opened, so the graph library does not weigh on the
// rest of the app.
import { Route, Routes } from 'react-router';
import '@xyflow/react/dist/style.css';
import { WorkflowListPage } from './WorkflowListPage';
import { WorkflowDesignerPage } from './WorkflowDesignerPage';
export default function WorkflowRoutes() {
    return (_jsxs(Routes, { children: [_jsx(Route, { index: true, element: _jsx(WorkflowListPage, {}) }), _jsx(Route, { path: ":key", element: _jsx(WorkflowDesignerPage, {}) })] }));
}
