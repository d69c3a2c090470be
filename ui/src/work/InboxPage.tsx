// The agent's inbox: their own tasks and their groups' queues (GET /tasks),
// soonest due first by default, each with its SLA clock and priority, and
// a claim button for what waits in a queue.
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Page } from '../api/types';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import { useSubmit } from '../useSubmit';
import { Code, ErrorSummary, Loading, problemText } from '../components';
import { useLanguage } from '../i18n/useLanguage';
import { localText } from '../i18n/format';
import { SlaClock, useNow } from './SlaClock';
import { actionsFor, sorts, views, type Sort, type View, type WorkTask } from './tasks';

export function InboxPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const view = (views as readonly string[]).includes(params.get('view') ?? 'x') ? (params.get('view') as View) : 'mine';
  const sort = (sorts as readonly string[]).includes(params.get('sort') ?? '') ? (params.get('sort') as Sort) : 'due';
  const tasks = useLoad((signal) => api.get<Page<WorkTask>>('/tasks', { signal, query: { view, sort, limit: 100 } }), [view, sort]);
  const now = useNow();

  function set(name: string, value: string) {
    const next = new URLSearchParams(params);
    next.set(name, value);
    setParams(next, { replace: true });
  }

  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">{t('work.inbox.title')}</h1>
      <p>
        <Link to="/work/phone" data-testid="phone-link">
          {t('work.phone.link')}
        </Link>
      </p>
      <div className="filters">
        <div>
          <label htmlFor="view">{t('work.inbox.view')}</label>
          <select id="view" value={view} onChange={(e) => set('view', e.target.value)}>
            {views.map((v) => (
              <option key={v} value={v}>
                {t(`work.inbox.views.${v || 'all'}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="sort">{t('work.inbox.sort')}</label>
          <select id="sort" value={sort} onChange={(e) => set('sort', e.target.value)}>
            {sorts.map((s) => (
              <option key={s} value={s}>
                {t(`work.inbox.sorts.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {tasks.loading && !tasks.data && <Loading />}
      {tasks.error !== undefined && <ErrorSummary messages={[problemText(tasks.error, t)]} />}
      {tasks.data && tasks.data.items.length === 0 && <p className="muted">{t('work.inbox.empty')}</p>}
      {tasks.data && tasks.data.items.length > 0 && (
        <ul className="cards tasks" data-testid="tasks">
          {tasks.data.items.map((task) => (
            <TaskCard key={task.id} task={task} now={now} reload={tasks.reload} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** TaskCard is one task of the inbox: what, for which request, how urgent, and claim. */
function TaskCard({ task, now, reload }: { task: WorkTask; now: number; reload(): void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const { user } = useSession();
  const can = actionsFor(task, user?.username ?? '', user?.groups ?? []);
  const claim = useSubmit(async () => {
    await api.post(`/tasks/${encodeURIComponent(task.id)}/claim`);
    reload();
  });
  const request = task.request ?? '';
  return (
    <li className={`card task${task.overdue ? ' overdue' : ''}`} data-testid={`task-${task.id}`}>
      <Link to={`/work/requests/${encodeURIComponent(request)}?task=${encodeURIComponent(task.id)}`}>
        <strong>{localText(task.title, lang) || t(`work.kind.${task.kind}`, { defaultValue: task.kind })}</strong>
      </Link>{' '}
      · <Code>{request}</Code>
      <p>
        <SlaClock due={task.due} now={now} />
      </p>
      <p className="muted">
        {t('work.priority')}: {t(`priority.${task.priority ?? 'normal'}`, { defaultValue: task.priority ?? '' })} ·{' '}
        {task.assignee ? t('work.heldBy', { name: task.assignee }) : t('work.inQueue', { groups: (task.groups ?? []).join(', ') })}
      </p>
      {can.claim && (
        <form onSubmit={claim.submit}>
          <ErrorSummary messages={claim.error ? [claim.error] : []} />
          <button type="submit" disabled={claim.busy} data-testid="claim">
            {t('work.claim')}
          </button>
        </form>
      )}
    </li>
  );
}
