import { Navigate, Route, Routes, useLocation } from 'react-router';
import { lazy, Suspense, type ReactNode } from 'react';
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
import { TypeDesignRoutes } from './design/types/routes';

// The dashboards carry ECharts: loaded when first opened, not with the app.
const DashboardPage = lazy(() => import('./dashboards/DashboardPage'));
const WorkflowDesign = lazy(() => import('./design/workflows/WorkflowRoutes'));
const RuleDesign = lazy(() => import('./design/rules/RuleRoutes'));
const SLADesign = lazy(() => import('./design/sla/SLARoutes'));

/** App maps the routes onto pages inside the shell. */
export function App() {
  return (
    <Shell>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/login" element={<LoginPage />} />
        <Route path="/track" element={<TrackPage />} />
        <Route path="/track/:code" element={<TrackPage />} />
        <Route path="/catalog" element={<RequireLogin><CatalogPage /></RequireLogin>} />
        <Route path="/new/:type" element={<RequireLogin><NewRequestPage /></RequireLogin>} />
        <Route path="/requests" element={<RequireLogin><MyRequestsPage /></RequireLogin>} />
        <Route path="/requests/:id" element={<RequireLogin><RequestPage /></RequireLogin>} />
        <Route path="/work" element={<RequireLogin><InboxPage /></RequireLogin>} />
        <Route path="/work/requests/:id" element={<RequireLogin><RequestWorkPage /></RequireLogin>} />
        <Route path="/work/phone" element={<RequireLogin><PhoneEntryPage /></RequireLogin>} />
        <Route path="/design" element={<RequireLogin><DesignHome /></RequireLogin>} />
        <Route path="/design/forms/*" element={<RequireLogin><FormDesignRoutes /></RequireLogin>} />
        <Route path="/design/types/*" element={<RequireLogin><TypeDesignRoutes /></RequireLogin>} />
        <Route path="/design/workflows/*" element={<RequireLogin><Suspense fallback={<Loading />}><WorkflowDesign /></Suspense></RequireLogin>} />
        <Route path="/design/rules/*" element={<RequireLogin><Suspense fallback={<Loading />}><RuleDesign /></Suspense></RequireLogin>} />
        <Route path="/design/calendars/*" element={<RequireLogin><Suspense fallback={<Loading />}><SLADesign kind="calendars" /></Suspense></RequireLogin>} />
        <Route path="/design/sla-policies/*" element={<RequireLogin><Suspense fallback={<Loading />}><SLADesign kind="sla-policies" /></Suspense></RequireLogin>} />
        <Route path="/dashboards/*" element={<RequireLogin><Suspense fallback={<Loading />}><DashboardPage /></Suspense></RequireLogin>} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Shell>
  );
}

function Home() {
  const { user } = useSession();
  if (user === undefined) return <Loading />;
  return <Navigate to={user ? homeFor(user.roles) : '/login'} replace />;
}

/** RequireLogin sends a visitor to the login page and back here afterwards. */
function RequireLogin({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const location = useLocation();
  if (user === undefined) return <Loading />;
  if (user === null) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}
