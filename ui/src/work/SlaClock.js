import { jsx as _jsx } from "react/jsx-runtime";
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../i18n/useLanguage';
import { clock, clockText } from './clock';
/** useNow is the time, refreshed every interval so clocks tick while a page is open. */
export function useNow(interval = 30_000) {
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
export function SlaClock({ due, warning, now }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const c = due ? clock(due, now, warning) : undefined;
    if (!due || !c)
        return _jsx("span", { className: "muted", children: t('work.clock.none') });
    return (_jsx("time", { dateTime: due, className: `clock clock-${c.tone}`, "data-testid": "clock", children: clockText(c, lang, t) }));
}
