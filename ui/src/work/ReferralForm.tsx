// Referring the work, not the requester (docs/service-desk.md): the owner
// hands a question to another department as an internal task, with a note
// and a time to answer within; the owner stays the owner.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Page } from '../api/types';
import { ErrorSummary } from '../components';
import { useLoad } from '../useLoad';
import { useSubmit } from '../useSubmit';
import { useLanguage } from '../i18n/useLanguage';
import { localText, type Text } from '../i18n/format';

/** A group or department (GET /groups). */
export interface Group {
  key: string;
  kind?: string;
  title?: Text;
}

/** The answer times offered; the API takes any Go duration. */
export const withins = ['1h', '4h', '8h', '24h', '72h'] as const;

export function ReferralForm({ request, done }: { request: string; done(message: string): void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const groups = useLoad((signal) => api.get<Page<Group>>('/groups', { signal }), []);
  const [group, setGroup] = useState('');
  const [note, setNote] = useState('');
  const [within, setWithin] = useState<string>('4h');
  const { busy, error, submit } = useSubmit(async () => {
    await api.post(`/requests/${encodeURIComponent(request)}/referrals`, { group, note: note.trim(), within });
    setNote('');
    done(t('work.refer.done', { group }));
  });
  return (
    <form onSubmit={submit} className="stack" data-testid="refer">
      <ErrorSummary messages={error ? [error] : []} />
      <label htmlFor="refer-group">{t('work.refer.group')}</label>
      <select id="refer-group" value={group} onChange={(e) => setGroup(e.target.value)} required>
        <option value="">{t('work.refer.choose')}</option>
        {(groups.data?.items ?? []).map((g) => (
          <option key={g.key} value={g.key}>
            {localText(g.title, lang) || g.key}
          </option>
        ))}
      </select>
      <label htmlFor="refer-note">{t('work.refer.note')}</label>
      <textarea id="refer-note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} maxLength={20000} required />
      <label htmlFor="refer-within">{t('work.refer.within')}</label>
      <select id="refer-within" value={within} onChange={(e) => setWithin(e.target.value)}>
        {withins.map((w) => (
          <option key={w} value={w}>
            {t(`work.refer.withins.${w}`)}
          </option>
        ))}
      </select>
      <button type="submit" disabled={busy || !group || !note.trim()} data-testid="refer-send">
        {t('work.refer.send')}
      </button>
    </form>
  );
}
