// The public picture of a request (GET /track/{code}): status, priority,
// deadlines, referrals and history. The request page and tracking by code
// both show it.
import { useTranslation } from 'react-i18next';
import type { RequestView } from '../api/types';
import { Code, StatusBadge, When } from '../components';
import { useLanguage } from '../i18n/useLanguage';
import { localText } from '../i18n/format';

export function TrackingView({ view }: { view: RequestView }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const code = view.trackingCode ?? view.id;
  return (
    <>
      <dl className="facts">
        <dt>{t('common.trackingCode')}</dt>
        <dd>
          <Code>{code}</Code>
        </dd>
        <dt>{t('request.status')}</dt>
        <dd data-testid="status">
          <StatusBadge status={view.status} />
        </dd>
        {view.priority && (
          <>
            <dt>{t('request.priority')}</dt>
            <dd>{t(`priority.${view.priority}`, { defaultValue: view.priority })}</dd>
          </>
        )}
        {view.form?.title && (
          <>
            <dt>{t('request.form')}</dt>
            <dd>{localText(view.form.title, lang)}</dd>
          </>
        )}
        <dt>{t('request.submitted')}</dt>
        <dd>
          <When at={view.createdAt} />
        </dd>
        {view.resolvedAt && (
          <>
            <dt>{t('request.resolved')}</dt>
            <dd>
              <When at={view.resolvedAt} />
            </dd>
          </>
        )}
      </dl>
      {!!view.deadlines?.length && (
        <section aria-labelledby="deadlines">
          <h2 id="deadlines">{t('request.deadlines')}</h2>
          <ul className="plain">
            {view.deadlines.map((d) => (
              <li key={d.goal}>
                {t(`goal.${d.goal}`, { defaultValue: d.goal })}: <When at={d.due} /> ({t(`goalState.${d.state}`, { defaultValue: d.state })})
              </li>
            ))}
          </ul>
        </section>
      )}
      {!!view.referrals?.length && (
        <section aria-labelledby="referrals">
          <h2 id="referrals">{t('request.referrals')}</h2>
          <ul className="plain">
            {view.referrals.map((r, i) => (
              <li key={i}>
                {localText(r.title, lang) || (r.units ?? []).join(', ')} · {t(`referralStatus.${r.status}`, { defaultValue: r.status ?? '' })}
                {r.due && (
                  <>
                    {' '}
                    · {t('request.due')} <When at={r.due} />
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {!!view.history?.length && (
        <section aria-labelledby="history">
          <h2 id="history">{t('request.history')}</h2>
          <ol className="history">
            {view.history.map((h, i) => (
              <li key={i}>
                <When at={h.at} /> · {t(`history.${h.type}`, { defaultValue: h.type })}
              </li>
            ))}
          </ol>
        </section>
      )}
    </>
  );
}
