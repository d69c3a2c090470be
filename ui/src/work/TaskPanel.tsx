// One open task of a request, as its worker does it: claim or release it,
// fill the task's own form when the workflow gives one, write a comment,
// and complete it with one of its outcomes.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { ErrorSummary } from '../components';
import { useSession } from '../session';
import { useLanguage } from '../i18n/useLanguage';
import { localText } from '../i18n/format';
import { SlaClock } from './SlaClock';
import { SchemaForm, useSending } from './SchemaForm';
import { actionsFor, type WorkTask } from './tasks';

export function TaskPanel({ task, form, now, done }: { task: WorkTask; form?: Record<string, unknown>; now: number; done(message: string): void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const { user } = useSession();
  const can = actionsFor(task, user?.username ?? '', user?.groups ?? []);
  const [comment, setComment] = useState('');
  const sending = useSending();
  // Which outcome button sent the form: each is a submit button, so the
  // form (and its schema's validation) runs whichever is pressed.
  const outcome = useRef('');
  const path = `/tasks/${encodeURIComponent(task.id)}`;
  const outcomes = task.outcomes?.length ? task.outcomes : ['done'];
  const title = localText(task.title, lang) || t(`work.kind.${task.kind}`, { defaultValue: task.kind });

  const act = (call: () => Promise<unknown>, message: string) =>
    sending.send(async () => {
      await call();
      done(message);
    });
  const complete = (data?: Record<string, unknown>) => {
    const chosen = outcome.current || outcomes[0];
    return act(
      () => api.post(`${path}/complete`, { outcome: chosen, data, comment: comment.trim() || undefined }),
      t('work.task.completed', { outcome: t(`work.outcome.${chosen}`, { defaultValue: chosen }) }),
    );
  };

  const buttons = (
    <>
      <label htmlFor={`comment-${task.id}`}>{t('work.task.comment')}</label>
      <textarea id={`comment-${task.id}`} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={20000} />
      <div className="outcomes" role="group" aria-label={t('work.task.outcomes')}>
        {outcomes.map((o) => (
          <button key={o} type="submit" className={o === outcomes[0] ? 'primary' : ''} disabled={sending.busy} data-testid={`outcome-${o}`} onClick={() => (outcome.current = o)}>
            {t(`work.outcome.${o}`, { defaultValue: o })}
          </button>
        ))}
      </div>
    </>
  );

  return (
    <section className="card task-panel" aria-labelledby={`task-${task.id}`} data-testid={`panel-${task.id}`}>
      <h3 id={`task-${task.id}`}>{title}</h3>
      <p>
        <SlaClock due={task.due} now={now} /> · {task.assignee ? t('work.heldBy', { name: task.assignee }) : t('work.inQueue', { groups: (task.groups ?? []).join(', ') })}
      </p>
      <div className="inline">
        {can.claim && (
          <button type="button" disabled={sending.busy} data-testid="claim" onClick={() => act(() => api.post(`${path}/claim`), t('work.task.claimed'))}>
            {t('work.claim')}
          </button>
        )}
        {can.release && (
          <button type="button" disabled={sending.busy} data-testid="release" onClick={() => act(() => api.post(`${path}/unclaim`), t('work.task.released'))}>
            {t('work.release')}
          </button>
        )}
      </div>
      {can.complete &&
        (form ? (
          <SchemaForm schema={form} sending={sending} idPrefix={`task_${task.node}`} submit={complete}>
            {buttons}
          </SchemaForm>
        ) : (
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              complete();
            }}
          >
            <ErrorSummary messages={sending.general} />
            {buttons}
          </form>
        ))}
      {!can.complete && <ErrorSummary messages={sending.general} />}
    </section>
  );
}
