// Writing on a request as staff: a public reply to the requester (the
// owner's alone) or an internal note the requester never sees. The two look
// different while being written, so nobody sends a note to the requester by
// mistake.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { ErrorSummary } from '../components';
import { useSubmit } from '../useSubmit';

export function Composer({ request, owner, done }: { request: string; owner: boolean; done(message: string): void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'reply' | 'note'>(owner ? 'reply' : 'note');
  const [body, setBody] = useState('');
  const [ask, setAsk] = useState(false);
  const { busy, error, submit } = useSubmit(async () => {
    await api.post(`/requests/${encodeURIComponent(request)}/messages`, { kind, body: body.trim(), await: kind === 'reply' && ask ? true : undefined });
    setBody('');
    setAsk(false);
    done(t(kind === 'reply' ? 'work.composer.replied' : 'work.composer.noted'));
  });
  return (
    <form onSubmit={submit} className={`stack composer composer-${kind}`} data-testid="composer">
      <ErrorSummary messages={error ? [error] : []} />
      <fieldset>
        <legend>{t('work.composer.kind')}</legend>
        <label>
          <input type="radio" name="kind" value="reply" checked={kind === 'reply'} disabled={!owner} onChange={() => setKind('reply')} data-testid="kind-reply" />
          {t('work.composer.reply')}
        </label>
        <label>
          <input type="radio" name="kind" value="note" checked={kind === 'note'} onChange={() => setKind('note')} data-testid="kind-note" />
          {t('work.composer.note')}
        </label>
        {!owner && <p className="muted">{t('work.composer.notOwner')}</p>}
      </fieldset>
      <label htmlFor="body">{t(kind === 'reply' ? 'work.composer.replyLabel' : 'work.composer.noteLabel')}</label>
      <textarea id="body" rows={4} value={body} onChange={(e) => setBody(e.target.value)} maxLength={20000} required />
      {kind === 'reply' && (
        <label>
          <input type="checkbox" checked={ask} onChange={(e) => setAsk(e.target.checked)} />
          {t('work.composer.await')}
        </label>
      )}
      <button type="submit" className="primary" disabled={busy || !body.trim()} data-testid="send">
        {t(kind === 'reply' ? 'work.composer.sendReply' : 'work.composer.sendNote')}
      </button>
    </form>
  );
}
