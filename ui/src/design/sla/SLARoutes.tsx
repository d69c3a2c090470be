// The calendars' and SLA policies' pages (docs/ui.md, "Calendars and SLA
// policies"), loaded when first opened.
import { Route, Routes } from 'react-router';
import type { Kind } from './api';
import { ListPage } from './ListPage';
import { CalendarEditorPage } from './CalendarEditor';
import { PolicyEditorPage } from './PolicyEditor';

/** SLARoutes serves /design/calendars/* or /design/sla-policies/*, as kind says. */
export default function SLARoutes({ kind }: { kind: Kind }) {
  return (
    <Routes>
      <Route index element={<ListPage kind={kind} />} />
      <Route path=":key" element={kind === 'calendars' ? <CalendarEditorPage /> : <PolicyEditorPage />} />
    </Routes>
  );
}
