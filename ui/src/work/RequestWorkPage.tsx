// The request's whole picture for the people working on it: its open tasks
// to do, SLA clocks, the data, the conversation with internal notes,
// referrals, attachments and history; and the owner's tools: reply, note,
// refer.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { Code, ErrorSummary, Loading, problemText, StatusBadge, When } from '../components';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import { useLanguage } from '../i18n/useLanguage';
import { formatNumber, localText } from '../i18n/format';
import { DataList } from '../portal/RequestPage';
import { SlaClock, useNow } from './SlaClock';
import { TaskPanel } from './TaskPanel';
import { Composer } from './Composer';
import { ReferralForm } from './ReferralForm';
import { openTasks, referrals, taskForm, type StaffRequest, type WorkflowVersion } from './tasks';

interface Picture {
  request: StaffRequest;
  workflow?: WorkflowVersion;
}

/** loadPicture reads the request as staff see it and the workflow version it runs (for the task forms). */
async function loadPicture(id: string, signal: AbortSignal): Promise<Picture> {
  const request = await api.get<StaffRequest>(`/requests/${encodeURIComponent(id)}`, { signal });
  const wf = request.workflow;
  const workflow = wf ? await api.get<WorkflowVersion>(`/workflows/${encodeURIComponent(wf.workflow)}/versions/${wf.version}`, { signal }) : undefined;
  return { request, workflow };
}

export function RequestWorkPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const lang = useLanguage();
  const { user } = useSession();
  const pic = useLoad((signal) => loadPicture(id, signal), [id]);
  const [notice, setNotice] = useState('');
  const now = useNow();
  if (pic.loading && !pic.data) return <Loading />;
  if (!pic.data)
    return (
      <section>
        <h1>{t('work.request.title')}</h1>
        <ErrorSummary messages={[problemText(pic.error, t)]} />
        <Link to="/work">{t('work.inbox.back')}</Link>
      </section>
    );
  const r = pic.data.request;
  const done = (message: string) => {
    setNotice(message);
    pic.reload();
  };
  const tasks = openTasks(r);
  const refs = referrals(r);
  const owner = r.owner === user?.username;
  const running = !r.closed && !!r.workflow;

  return (
    <section aria-labelledby="request-title" className="work-request">
      <p>
        <Link to="/work">← {t('work.inbox.back')}</Link>
      </p>
      <h1 id="request-title">
        {t('work.request.title')} <Code>{r.trackingCode ?? r.id}</Code>
      </h1>
      <p role="status" aria-live="polite" className="notice" data-testid="notice">
        {notice}
      </p>
      <dl className="facts">
        <dt>{t('request.status')}</dt>
        <dd data-testid="status">
          <StatusBadge status={r.status} />
        </dd>
        <dt>{t('work.priority')}</dt>
        <dd>{t(`priority.${r.priority ?? 'normal'}`, { defaultValue: r.priority ?? '' })}</dd>
        <dt>{t('work.request.type')}</dt>
        <dd>{localText(r.type?.title, lang) || r.type?.key || r.form?.key}</dd>
        <dt>{t('work.request.channel')}</dt>
        <dd>{t(`work.channel.${r.channel}`, { defaultValue: r.channel ?? '' })}</dd>
        <dt>{t('work.request.requester')}</dt>
        <dd>{r.profile?.name ?? r.requester}</dd>
        <dt>{t('work.request.owner')}</dt>
        <dd data-testid="owner">{r.owner ?? t('work.request.noOwner', { group: r.ownerGroup ?? '' })}</dd>
        <dt>{t('request.submitted')}</dt>
        <dd>
          <When at={r.createdAt} />
        </dd>
      </dl>

      <section aria-labelledby="sla">
        <h2 id="sla">{t('work.request.sla')}</h2>
        {!r.slaStatus?.goals?.length && <p className="muted">{t('work.request.noSla')}</p>}
        <ul className="plain">
          {(r.slaStatus?.goals ?? []).map((g) => (
            <li key={g.goal}>
              {t(`goal.${g.goal}`, { defaultValue: g.goal })}:{' '}
              {g.state === 'running' ? <SlaClock due={g.due} warning={g.warning} now={now} /> : t(`goalState.${g.state}`, { defaultValue: g.state })}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="todo">
        <h2 id="todo">{t('work.request.tasks')}</h2>
        {tasks.length === 0 && <p className="muted">{t('work.request.noTasks')}</p>}
        {tasks.map((task) => (
          <TaskPanel key={task.id} task={task} form={taskForm(pic.data?.workflow, task.node)} now={now} done={done} />
        ))}
      </section>

      <section aria-labelledby="conversation">
        <h2 id="conversation">{t('request.conversation')}</h2>
        {!r.messages?.length && <p className="muted">{t('request.noMessages')}</p>}
        <ol className="messages">
          {(r.messages ?? []).map((m) => (
            <li key={m.id} className={`message ${m.kind}`} data-testid={`message-${m.kind}`}>
              <div className="meta">
                <strong>{m.author || t('work.request.requester')}</strong> · {t(`work.messageKind.${m.kind}`)} · <When at={m.at} />
              </div>
              <p>{m.body}</p>
            </li>
          ))}
        </ol>
        {!r.closed && <Composer request={r.id} owner={owner} done={done} />}
      </section>

      <section aria-labelledby="referrals">
        <h2 id="referrals">{t('work.request.referrals')}</h2>
        {refs.length === 0 && <p className="muted">{t('work.refer.none')}</p>}
        <ul className="plain" data-testid="referrals">
          {refs.map((ref) => (
            <li key={ref.id}>
              {(ref.groups ?? []).join(', ')} · {t(`referralStatus.${ref.status}`, { defaultValue: ref.status })}
              {ref.status === 'open' && (
                <>
                  {' '}
                  · <SlaClock due={ref.due} now={now} />
                </>
              )}
              {ref.comment && <p className="muted">{ref.comment}</p>}
            </li>
          ))}
        </ul>
        {running && (
          <details>
            <summary>{t('work.refer.title')}</summary>
            <ReferralForm request={r.id} done={done} />
          </details>
        )}
      </section>

      {r.data && (
        <section aria-labelledby="data">
          <h2 id="data">{t('work.request.data')}</h2>
          <DataList data={r.data} form={r.form} />
        </section>
      )}

      <section aria-labelledby="attachments">
        <h2 id="attachments">{t('work.request.attachments')}</h2>
        {!r.attachments?.length && <p className="muted">{t('work.request.noAttachments')}</p>}
        <ul className="plain">
          {(r.attachments ?? []).map((a) => (
            <li key={a.id}>
              <a href={`/api/v1/requests/${encodeURIComponent(r.id)}/attachments/${encodeURIComponent(a.id)}`}>{a.name}</a> ·{' '}
              {t('work.request.size', { size: formatNumber(Math.ceil(a.size / 1024), lang) })}
              {a.internal && <> · {t('work.messageKind.note')}</>}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="history">
        <h2 id="history">{t('request.history')}</h2>
        <ol className="history">
          {(r.history ?? []).map((h, i) => (
            <li key={i}>
              <When at={h.at} /> · {t(`history.${h.type}`, { defaultValue: h.type })}
              {h.actor && <> · {h.actor}</>}
              {h.detail && <span className="muted"> · {h.detail}</span>}
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}
