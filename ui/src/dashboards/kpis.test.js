import { describe, expect, it } from 'vitest';
import { chartOption, charts, csvURL, defaultFilters, filtersFromQuery, filtersToQuery, formatFigure, stepLabel } from './kpis';
const now = Date.parse('2026-11-23T10:00:00Z');
describe('filters and the URL query', () => {
    it('defaults to the 30 days up to today, by day, unfiltered', () => {
        expect(filtersFromQuery(new URLSearchParams(''), now)).toEqual(defaultFilters(now));
        expect(defaultFilters(now)).toMatchObject({ from: '2026-10-25', to: '2026-11-23', interval: 'day', type: [] });
    });
    it('reads repeated and comma-separated lists, and ignores a bad date or interval', () => {
        const f = filtersFromQuery(new URLSearchParams('from=2026-11-01&to=junk&interval=year&type=complaint,it-support&type=x&channel=phone'), now);
        expect(f).toMatchObject({ from: '2026-11-01', to: '2026-11-23', interval: 'day', type: ['complaint', 'it-support', 'x'], channel: ['phone'], agent: [] });
    });
    it('writes what it reads, so a shared URL shows the same view', () => {
        const q = 'from=2026-11-01&to=2026-11-30&interval=week&department=it-support&agent=reza%2Cali';
        const f = filtersFromQuery(new URLSearchParams(q), now);
        expect(filtersToQuery(f).toString()).toBe(q);
        expect(filtersFromQuery(filtersToQuery(f), now)).toEqual(f);
    });
    it('asks the API for CSV with the same filters', () => {
        const f = { ...defaultFilters(now), type: ['complaint'] };
        expect(csvURL(f)).toBe('/api/v1/kpis?from=2026-10-25&to=2026-11-23&interval=day&type=complaint&format=csv');
    });
});
const kpis = {
    from: '2026-11-02',
    to: '2026-11-03',
    interval: 'day',
    timeZone: 'UTC',
    totals: { volume: 3 },
    series: [
        { bucket: '2026-11-02', start: '2026-11-02', end: '2026-11-02', volume: 2, resolved: 0, slaCompliance: null, fcrRate: 50 },
        { bucket: '2026-11-03', start: '2026-11-03', end: '2026-11-03', volume: 1, resolved: 1, slaCompliance: 100, fcrRate: null },
    ],
};
describe('chartOption', () => {
    it('puts one series per figure over the steps, nulls as gaps, named in the language', () => {
        const o = chartOption(kpis, charts[0], 'en', (k) => `name:${k}`);
        expect(o.xAxis.data).toEqual(['2 Nov 2026', '3 Nov 2026']);
        expect(o.series).toEqual([
            { name: 'name:volume', type: 'bar', connectNulls: false, data: [2, 1] },
            { name: 'name:resolved', type: 'bar', connectNulls: false, data: [0, 1] },
        ]);
        const q = chartOption(kpis, charts[2], 'en', (k) => k);
        expect(q.series[0].data).toEqual([null, 100]);
        expect(q.yAxis.max).toBe(100);
    });
    it('shows Persian steps in the Solar Hijri calendar with Persian digits, the axis mirrored', () => {
        const o = chartOption(kpis, charts[0], 'fa', (k) => k);
        expect(o.xAxis.inverse).toBe(true);
        expect(o.xAxis.data[0]).toMatch(/۱۴۰۵/); // 2 Nov 2026 is 11 Aban 1405
        expect(o.xAxis.data[0]).toMatch(/آبان/);
        expect(o.yAxis.axisLabel.formatter(12)).toBe('۱۲');
    });
});
describe('labels and figures', () => {
    it('names a month step by month and year', () => {
        expect(stepLabel({ start: '2026-11-01' }, 'month', 'en')).toBe('Nov 2026');
    });
    it('writes nulls, shares, durations and counts for people', () => {
        expect(formatFigure(null, 'percent', 'en')).toBe('—');
        expect(formatFigure(66.667, 'percent', 'en')).toBe('66.7%');
        expect(formatFigure(5400, 'seconds', 'en')).toBe('1.5 h');
        expect(formatFigure(1200, 'seconds', 'en')).toBe('20 min');
        expect(formatFigure(1234, 'count', 'fa')).toBe('۱٬۲۳۴');
        expect(formatFigure(40, 'percent', 'fa')).toBe('۴۰%');
    });
});
