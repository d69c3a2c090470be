// Small pieces every page uses: loading, errors, status badges.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Problem } from './api/problem';
import { useLanguage } from './i18n/useLanguage';
import { formatDateTime } from './i18n/format';

/** Loading says that something is on its way, to screen readers too. */
export function Loading() {
  const { t } = useTranslation();
  return (
    <p role="status" aria-live="polite" className="muted">
      {t('common.loading')}
    </p>
  );
}

/** problemText is what to tell a person about a failed call. */
export function problemText(err: unknown, t: (k: string) => string): string {
  if (err instanceof Problem) {
    if (err.status === 0) return t('errors.network');
    return err.detail || err.title || t('errors.unknown');
  }
  return t('errors.unknown');
}

/**
 * ErrorSummary announces errors (role=alert) and takes the focus when they
 * appear, so keyboard and screen-reader users land on them.
 */
export function ErrorSummary({ messages, title }: { messages: string[]; title?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const key = messages.join('\n');
  useEffect(() => {
    if (key) ref.current?.focus();
  }, [key]);
  if (!messages.length) return null;
  return (
    <div ref={ref} role="alert" tabIndex={-1} className="error-summary">
      {title && <strong>{title}</strong>}
      <ul>
        {messages.map((m, i) => (
          <li key={i}>{m}</li>
        ))}
      </ul>
    </div>
  );
}

/** StatusBadge shows a request's status in words. */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`badge status-${status}`}>{t(`status.${status}`, { defaultValue: status })}</span>;
}

/** When shows a time from the API in the UI's calendar, with the exact time for machines. */
export function When({ at }: { at?: string }) {
  const lang = useLanguage();
  if (!at) return null;
  return <time dateTime={at}>{formatDateTime(at, lang)}</time>;
}

/** Code shows an identifier (a tracking code) left to right, even inside Persian text. */
export function Code({ children }: { children: string }) {
  return (
    <bdi dir="ltr" className="code">
      {children}
    </bdi>
  );
}
