// The requester's "cartable": their requests, waiting for them, in
// progress and done, with status, priority and the next deadline, from
// GET /requests (the caller's own, newest first, open and archived).
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { CatalogEntry, Page, RequestSummary } from '../api/types';
import { useLoad } from '../useLoad';
import { Code, ErrorSummary, Loading, StatusBadge, When, problemText } from '../components';
import { bucketOf, type Bucket } from './requests';
import { useLanguage } from '../i18n/useLanguage';
import { localText } from '../i18n/format';

const maxPages = 5;

async function loadMine(signal: AbortSignal): Promise<RequestSummary[]> {
  const mine: RequestSummary[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await api.get<Page<RequestSummary>>('/requests', { query: { requester: 'me', limit: 200, cursor }, signal });
    mine.push(...page.items);
    if (!page.next) break;
    cursor = page.next;
  }
  // Titles come from the catalog; a list item carries only the type's key.
  const catalog = await api.get<Page<CatalogEntry>>('/catalog', { signal });
  const titles = new Map(catalog.items.map((e) => [e.key, e.title]));
  return mine.map((r) => ({ ...r, title: titles.get(r.type?.key ?? r.form.key) }));
}

const buckets: Bucket[] = ['waiting', 'inProgress', 'done'];

export function MyRequestsPage() {
  const { t } = useTranslation();
  const lang = useLanguage();
  const mine = useLoad(loadMine, []);
  return (
    <section>
      <h1>{t('myRequests.title')}</h1>
      <p>
        <Link to="/catalog">{t('myRequests.new')}</Link>
      </p>
      {mine.loading && <Loading />}
      {mine.error != null && <ErrorSummary messages={[problemText(mine.error, t)]} />}
      {mine.data &&
        buckets.map((b) => {
          const items = mine.data!.filter((r) => bucketOf(r) === b);
          return (
            <section key={b} aria-labelledby={`bucket-${b}`}>
              <h2 id={`bucket-${b}`}>
                {t(`myRequests.${b}`)} ({t('common.count', { count: items.length })})
              </h2>
              {items.length === 0 ? (
                <p className="muted">{t('myRequests.none')}</p>
              ) : (
                <ul className="cards" data-testid={`bucket-${b}`}>
                  {items.map((r) => {
                    const due = r.closed ? undefined : r.due;
                    return (
                      <li key={r.id} className="card">
                        <Link to={`/requests/${encodeURIComponent(r.id)}`}>
                          <strong>{localText(r.title, lang) || r.type?.key || r.form.key}</strong>
                        </Link>
                        <div>
                          <Code>{r.id}</Code> · <StatusBadge status={r.status} />
                          {r.priority && <> · {t(`priority.${r.priority}`, { defaultValue: r.priority })}</>}
                        </div>
                        <div className="muted">
                          {t('request.submitted')} <When at={r.createdAt} />
                          {due && (
                            <>
                              {' '}
                              · {t('request.due')} <When at={due} />
                            </>
                          )}
                        </div>
                      </li>
                    );
                  })}
                </ul>
              )}
            </section>
          );
        })}
    </section>
  );
}
