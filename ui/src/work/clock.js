// SLA clocks as an agent reads them: how long is left before a due time,
// or how long ago it passed, in words and a tone (colour is never the only
// signal: the text says "overdue" too).
import { localDigits } from '../i18n/format';
/** Due within this long counts as soon (the inbox's amber), unless the goal says warning itself. */
export const soonWindow = 60 * 60 * 1000;
/** clock measures due against now; warning (an SLA goal's own flag) makes it soon whatever the time left. */
export function clock(due, now, warning = false) {
    const at = Date.parse(due);
    if (Number.isNaN(at))
        return undefined;
    const left = at - now;
    const tone = left < 0 ? 'overdue' : warning || left <= soonWindow ? 'soon' : 'ok';
    return { tone, left };
}
/** The units a duration is written in, largest first. */
const units = [
    ['d', 24 * 60 * 60 * 1000],
    ['h', 60 * 60 * 1000],
    ['min', 60 * 1000],
];
/** The unit words in each language. */
const unitWords = {
    en: { d: 'd', h: 'h', min: 'min' },
    fa: { d: 'روز', h: 'ساعت', min: 'دقیقه' },
};
/**
 * duration writes a span as its two largest non-zero units ("2 d 3 h",
 * "45 min"), in the language's digits; under a minute is "0 min".
 */
export function duration(ms, lang) {
    let rest = Math.abs(ms);
    const parts = [];
    for (const [unit, size] of units) {
        const n = Math.floor(rest / size);
        rest -= n * size;
        if (n > 0 || (parts.length === 0 && unit === 'min'))
            parts.push(`${n} ${unitWords[lang][unit]}`);
        if (parts.length === 2)
            break;
    }
    return localDigits(parts.join(' '), lang);
}
/** clockText is the clock in words: "2 h 5 min left" or "overdue by 1 d 2 h". */
export function clockText(c, lang, t) {
    const span = duration(c.left, lang);
    return c.tone === 'overdue' ? t('work.clock.overdue', { span }) : t('work.clock.left', { span });
}
