// The process owners' start page: the designers, each on its own route.
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';

/** DesignHome links to the designers. */
export function DesignHome() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('nav.design')}</h1>
      <ul className="cards">
        <li className="card">
          <Link to="/design/forms">{t('designHome.forms')}</Link>
        </li>
        <li className="card">
          <Link to="/design/workflows">{t('designHome.workflows')}</Link>
        </li>
        <li className="card">
          <Link to="/design/rules">{t('rsd.home')}</Link>
        </li>
        <li className="card">
          <Link to="/design/calendars">{t('sla.home.calendars')}</Link>
        </li>
        <li className="card">
          <Link to="/design/sla-policies">{t('sla.home.slaPolicies')}</Link>
        </li>
        <li className="card">
          <Link to="/design/types">{t('types.homeCard')}</Link>
        </li>
      </ul>
    </section>
  );
}
