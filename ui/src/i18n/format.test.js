import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatNumber, isRTL, localDigits, localText } from './format';
describe('formatting by language', () => {
    it('writes numbers with Persian digits in Persian', () => {
        expect(formatNumber(1405, 'fa')).toBe('۱٬۴۰۵');
        expect(formatNumber(1405, 'en')).toBe('1,405');
        expect(localDigits('3 of 12', 'fa')).toBe('۳ of ۱۲');
        expect(localDigits('3 of 12', 'en')).toBe('3 of 12');
    });
    it('shows dates in the Solar Hijri calendar in Persian', () => {
        // 21 March 2026 is Nowruz: 1 Farvardin 1405.
        const nowruz = formatDate('2026-03-21T12:00:00Z', 'fa', 'Asia/Tehran');
        expect(nowruz).toContain('۱۴۰۵');
        expect(nowruz).toContain('فروردین');
        expect(nowruz).toMatch(/^۱ /);
        // The day before is the last of 1404 (Esfand).
        expect(formatDate('2026-03-20T12:00:00Z', 'fa', 'Asia/Tehran')).toContain('۱۴۰۴');
        expect(formatDate('2026-03-21T12:00:00Z', 'en', 'UTC')).toBe('21 Mar 2026');
    });
    it('shows the time in the time zone asked for', () => {
        expect(formatDateTime('2026-03-21T20:30:00Z', 'en', 'Asia/Tehran')).toContain('22 Mar 2026');
        expect(formatDateTime('2026-03-21T20:30:00Z', 'en', 'UTC')).toContain('21 Mar 2026');
    });
    it('shows an unreadable time as it came, and nothing for none', () => {
        expect(formatDateTime('yesterday', 'fa')).toBe('yesterday');
        expect(formatDateTime(undefined, 'fa')).toBe('');
    });
    it('picks a text in the language, falling back to the other', () => {
        expect(localText({ en: 'IT support', fa: 'پشتیبانی' }, 'fa')).toBe('پشتیبانی');
        expect(localText({ en: 'IT support' }, 'fa')).toBe('IT support');
        expect(localText({ fa: 'پشتیبانی' }, 'en')).toBe('پشتیبانی');
        expect(localText('plain', 'fa')).toBe('plain');
        expect(localText(undefined, 'en')).toBe('');
    });
    it('is right to left in Persian only', () => {
        expect(isRTL('fa')).toBe(true);
        expect(isRTL('en')).toBe(false);
    });
});
