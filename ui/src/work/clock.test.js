import { describe, expect, it } from 'vitest';
import { clock, clockText, duration } from './clock';
const now = Date.parse('2026-11-23T12:00:00Z');
const t = (key, o) => `${key}:${o.span}`;
describe('clock', () => {
    it('is overdue past the due time, soon within the hour or on a warning, ok otherwise', () => {
        expect(clock('2026-11-23T11:59:00Z', now)?.tone).toBe('overdue');
        expect(clock('2026-11-23T12:30:00Z', now)?.tone).toBe('soon');
        expect(clock('2026-11-23T15:00:00Z', now)?.tone).toBe('ok');
        expect(clock('2026-11-23T15:00:00Z', now, true)?.tone).toBe('soon');
        expect(clock('not a time', now)).toBeUndefined();
    });
    it('says how long is left, or how long ago it fell due', () => {
        expect(clockText(clock('2026-11-23T14:05:00Z', now), 'en', t)).toBe('work.clock.left:2 h 5 min');
        expect(clockText(clock('2026-11-22T10:00:00Z', now), 'en', t)).toBe('work.clock.overdue:1 d 2 h');
    });
});
describe('duration', () => {
    it('writes the two largest units', () => {
        expect(duration(3 * 86400e3 + 4 * 3600e3 + 5 * 60e3, 'en')).toBe('3 d 4 h');
        expect(duration(45 * 60e3 + 30e3, 'en')).toBe('45 min');
        expect(duration(20e3, 'en')).toBe('0 min');
        expect(duration(-90 * 60e3, 'en')).toBe('1 h 30 min');
    });
    it('uses Persian digits and words in Persian', () => {
        expect(duration(2 * 3600e3 + 5 * 60e3, 'fa')).toBe('۲ ساعت ۵ دقیقه');
    });
});
