// The workflow designer's pages (docs/ui.md, "The workflow designer"):
// loaded when first opened, so the graph library does not weigh on the
// rest of the app.
import { Route, Routes } from 'react-router';
import '@xyflow/react/dist/style.css';
import { WorkflowListPage } from './WorkflowListPage';
import { WorkflowDesignerPage } from './WorkflowDesignerPage';

export default function WorkflowRoutes() {
  return (
    <Routes>
      <Route index element={<WorkflowListPage />} />
      <Route path=":key" element={<WorkflowDesignerPage />} />
    </Routes>
  );
}
