// The request type editor's pages under /design/types.
import { Route, Routes } from 'react-router';
import { TypeListPage } from './TypeListPage';
import { TypeEditorPage } from './TypeEditorPage';

/** TypeDesignRoutes maps /design/types (the list), /design/types/new and /design/types/:key (the editor). */
export function TypeDesignRoutes() {
  return (
    <Routes>
      <Route index element={<TypeListPage />} />
      <Route path=":key" element={<TypeEditorPage />} />
    </Routes>
  );
}
