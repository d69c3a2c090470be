// The request types a process owner may edit: the catalog's entries with
// their state (draft only, published, changed since), and a new one.
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, Loading, problemText, When } from '../../components';
import { useLoad } from '../../useLoad';
import { useLanguage } from '../../i18n/useLanguage';
import { formatNumber, localText } from '../../i18n/format';
import { formState } from '../forms/FormListPage';
import { listTypes } from './api';

/** TypeListPage lists the request types and leads to a new one. */
export function TypeListPage() {
  const { t } = useTranslation();
  const lang = useLanguage();
  const heads = useLoad((signal) => listTypes(signal), []);
  return (
    <section aria-labelledby="types-title">
      <h1 id="types-title">{t('types.listTitle')}</h1>
      <p>{t('types.intro')}</p>
      <p>
        <Link to="/design/types/new" className="btn primary" data-testid="new-type">
          {t('types.new')}
        </Link>
      </p>
      {heads.loading && <Loading />}
      {heads.error !== undefined && <ErrorSummary messages={[problemText(heads.error, t)]} />}
      {heads.data && (
        <ul className="cards" data-testid="type-list">
          {heads.data.items.map((h) => {
            const state = formState(h);
            return (
              <li key={h.key} className="card">
                <Link to={`/design/types/${h.key}`}>{localText(h.title, lang) || h.key}</Link> <bdi dir="ltr" className="code">{h.key}</bdi>
                <p className="muted">
                  <span className={`badge form-${state}`}>{t(`types.state.${state}`, { version: formatNumber(h.latestVersion, lang) })}</span> <When at={h.updatedAt} />
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
