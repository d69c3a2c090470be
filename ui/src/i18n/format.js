// Formatting that follows the UI language: Persian shows Persian digits and
// the Solar Hijri calendar, both done by the browser's Intl rather than by
// hand, so the rules (leap years, month names) are the platform's.
/** The languages in the order the switch offers them. */
export const languages = ['en', 'fa'];
/** Whether a language is written right to left. */
export function isRTL(lang) {
    return lang === 'fa';
}
/** The Intl locale of a language; Persian asks for the Solar Hijri calendar. */
export function locale(lang) {
    return lang === 'fa' ? 'fa-IR-u-ca-persian' : 'en-GB';
}
/**
 * localText picks a multilingual text in the language asked for, falling
 * back to the other one (a definition may carry only English), and accepts
 * a plain string as is.
 */
export function localText(text, lang) {
    if (text == null)
        return '';
    if (typeof text === 'string')
        return text;
    return text[lang] ?? text.en ?? text.fa ?? Object.values(text).find((v) => v) ?? '';
}
/** formatNumber writes a number with the language's digits. */
export function formatNumber(n, lang) {
    return new Intl.NumberFormat(locale(lang)).format(n);
}
/**
 * localDigits replaces the ASCII digits of a text with the language's
 * digits, for numbers embedded in text (counts in messages). Identifiers a
 * person types back, such as tracking codes, are left in ASCII on purpose.
 */
export function localDigits(s, lang) {
    if (lang !== 'fa')
        return s;
    return s.replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
}
/**
 * formatDateTime shows an RFC 3339 time from the API in the user's time
 * zone and calendar: Gregorian in English, Solar Hijri in Persian. An
 * unparsable value is shown as it came rather than as "Invalid Date".
 */
export function formatDateTime(iso, lang, timeZone) {
    if (!iso)
        return '';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime()))
        return iso;
    return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(d);
}
/** formatDate is formatDateTime without the time of day. */
export function formatDate(iso, lang, timeZone) {
    if (!iso)
        return '';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime()))
        return iso;
    return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeZone }).format(d);
}
