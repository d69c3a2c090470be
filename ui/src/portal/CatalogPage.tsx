import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { CatalogEntry, Page } from '../api/types';
import { useLoad } from '../useLoad';
import { ErrorSummary, Loading, problemText } from '../components';
import { useLanguage } from '../i18n/useLanguage';
import { localText } from '../i18n/format';

/** groupByCategory groups catalog entries by category, categories and entries in a stable order. */
export function groupByCategory(items: CatalogEntry[]): [string, CatalogEntry[]][] {
  const groups = new Map<string, CatalogEntry[]>();
  for (const e of items) {
    const c = e.category || 'general';
    groups.set(c, [...(groups.get(c) ?? []), e]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** CatalogPage lists what the requester may ask for, grouped by category. */
export function CatalogPage() {
  const { t } = useTranslation();
  const lang = useLanguage();
  const catalog = useLoad((signal) => api.get<Page<CatalogEntry>>('/catalog', { signal }), []);
  return (
    <section>
      <h1>{t('catalog.title')}</h1>
      <p>{t('catalog.intro')}</p>
      {catalog.loading && <Loading />}
      {catalog.error != null && <ErrorSummary messages={[problemText(catalog.error, t)]} />}
      {catalog.data && catalog.data.items.length === 0 && <p>{t('catalog.empty')}</p>}
      {catalog.data &&
        groupByCategory(catalog.data.items).map(([category, entries]) => (
          <section key={category} aria-labelledby={`cat-${category}`} className="catalog-group">
            <h2 id={`cat-${category}`}>{t(`category.${category}`, { defaultValue: category })}</h2>
            <ul className="cards">
              {entries.map((e) => (
                <li key={e.key} className="card">
                  <Link to={`/new/${e.key}`} data-testid={`catalog-${e.key}`}>
                    <strong>{localText(e.title, lang)}</strong>
                  </Link>
                  {e.description && <p>{localText(e.description, lang)}</p>}
                </li>
              ))}
            </ul>
          </section>
        ))}
    </section>
  );
}
