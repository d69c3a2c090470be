// The form designer's pages under /design/forms.
import { Route, Routes } from 'react-router';
import { FormListPage } from './FormListPage';
import { FormDesignerPage } from './FormDesignerPage';

/** FormDesignRoutes maps /design/forms (the list) and /design/forms/:key (the designer). */
export function FormDesignRoutes() {
  return (
    <Routes>
      <Route index element={<FormListPage />} />
      <Route path=":key" element={<FormDesignerPage />} />
    </Routes>
  );
}
