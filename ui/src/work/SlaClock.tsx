import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../i18n/useLanguage';
import { clock, clockText } from './clock';

/** useNow is the time, refreshed every interval so clocks tick while a page is open. */
export function useNow(interval = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), interval);
    return () => clearInterval(id);
  }, [interval]);
  return now;
}

/**
 * SlaClock shows how long is left before due, or how long it is overdue:
 * colour and words both, so it reads without colour too. The exact due
 * time is in the title and the <time>.
 */
export function SlaClock({ due, warning, now }: { due?: string; warning?: boolean; now: number }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const c = due ? clock(due, now, warning) : undefined;
  if (!due || !c) return <span className="muted">{t('work.clock.none')}</span>;
  return (
    <time dateTime={due} className={`clock clock-${c.tone}`} data-testid="clock">
      {clockText(c, lang, t)}
    </time>
  );
}
