// The decision-table editor's pages (docs/ui.md, "The decision-table
// editor"): loaded when first opened, like the workflow designer.
import { Route, Routes } from 'react-router';
import { RuleSetListPage } from './RuleSetListPage';
import { RuleSetEditorPage } from './RuleSetEditorPage';

export default function RuleRoutes() {
  return (
    <Routes>
      <Route index element={<RuleSetListPage />} />
      <Route path=":key" element={<RuleSetEditorPage />} />
    </Routes>
  );
}
