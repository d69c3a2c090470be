// The requester's "cartable": their requests, waiting for them, in
// progress and done, with status, priority and the next deadline.
//
// The API has no list of a requester's requests yet; every request a user
// files sends them a `submitted` notification naming it, so the list is
// built from their notifications (paged through) and each request read.
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { CatalogEntry, Notification, Page, RequestView } from '../api/types';
import { useLoad } from '../useLoad';
import { Code, ErrorSummary, Loading, StatusBadge, When, problemText } from '../components';
import { bucketOf, nextDeadline, requestIDs, type Bucket } from './requests';
import { useLanguage } from '../i18n/useLanguage';
import { localText } from '../i18n/format';

const maxPages = 10;

async function loadMine(signal: AbortSignal): Promise<RequestView[]> {
  const notes: Notification[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await api.get<Page<Notification>>('/notifications', { query: { limit: 200, cursor }, signal });
    notes.push(...page.items);
    if (!page.next) break;
    cursor = page.next;
  }
  const ids = requestIDs(notes);
  // Titles come from the catalog; the whole request carries only the type's key.
  const catalog = await api.get<Page<CatalogEntry>>('/catalog', { signal });
  const titles = new Map(catalog.items.map((e) => [e.key, e.title]));
  const got = await Promise.all(
    ids.map((id) =>
      api.get<RequestView>(`/requests/${encodeURIComponent(id)}`, { signal }).then(
        (r): RequestView | null => ({ ...r, deadlines: r.slaStatus?.goals, form: { key: r.form?.key ?? '', title: titles.get(r.type?.key ?? '') ?? r.form?.title } }),
        () => null, // gone, or a notification about someone else's request: leave it out
      ),
    ),
  );
  return got.filter((r): r is RequestView => r !== null);
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
                    const due = nextDeadline(r.deadlines);
                    return (
                      <li key={r.id} className="card">
                        <Link to={`/requests/${encodeURIComponent(r.id)}`}>
                          <strong>{localText(r.form?.title, lang) || r.type?.key}</strong>
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
                              · {t(`goal.${due.goal}`, { defaultValue: due.goal })} <When at={due.due} />
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
