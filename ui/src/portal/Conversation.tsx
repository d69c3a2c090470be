import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../api/types';
import { ErrorSummary, When } from '../components';
import { useSubmit } from '../useSubmit';

/**
 * Conversation shows the public messages between the requester and the
 * owner, and lets the requester write (send posts the body and answers
 * when it is stored).
 */
export function Conversation({ messages, send }: { messages: Message[]; send?: (body: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, error, submit } = useSubmit(async () => {
    if (!send || !body.trim()) return;
    setSent(false);
    await send(body.trim());
    setBody('');
    setSent(true);
  });

  return (
    <section aria-labelledby="conversation">
      <h2 id="conversation">{t('request.conversation')}</h2>
      {messages.length === 0 && <p className="muted">{t('request.noMessages')}</p>}
      <ol className="messages">
        {messages.map((m) => (
          <li key={m.id} className={`message ${m.kind}`}>
            <div className="meta">
              <strong>{m.kind === 'requester' ? t('request.you') : m.author || t('request.owner')}</strong> · <When at={m.at} />
            </div>
            <p>{m.body}</p>
          </li>
        ))}
      </ol>
      {send && (
        <form onSubmit={submit} className="stack">
          <ErrorSummary messages={error ? [error] : []} />
          <label htmlFor="message">{t('request.writeMessage')}</label>
          <textarea id="message" rows={3} value={body} onChange={(e) => setBody(e.target.value)} maxLength={20000} required />
          <button type="submit" disabled={busy || !body.trim()}>
            {t('request.send')}
          </button>
          <p role="status" aria-live="polite">
            {sent ? t('request.sent') : ''}
          </p>
        </form>
      )}
    </section>
  );
}
