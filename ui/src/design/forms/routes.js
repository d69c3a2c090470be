import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
// The form designer's pages under /design/forms.
import { Route, Routes } from 'react-router';
import { FormListPage } from './FormListPage';
import { FormDesignerPage } from './FormDesignerPage';
/** FormDesignRoutes maps /design/forms (the list) and /design/forms/:key (the designer). */
export function FormDesignRoutes() {
    return (_jsxs(Routes, { children: [_jsx(Route, { index: true, element: _jsx(FormListPage, {}) }), _jsx(Route, { path: ":key", element: _jsx(FormDesignerPage, {}) })] }));
}
