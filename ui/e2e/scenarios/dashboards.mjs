// The KPI dashboard: maryam, a supervisor, opens it for the last week,
// filters to IT support requests from the portal, sees the received count
// include a request submitted in the scenario, reads the chart and the
// table, downloads the CSV and reads it in Persian on a phone.
import { expect, login, noHorizontalScroll, phone, text, waitForText } from '../harness.mjs';

const day = (t) => new Date(t).toISOString().slice(0, 10);

export default {
  name: 'dashboards',
  async run(ctx) {
    const to = day(Date.now());
    const from = day(Date.now() - 6 * 86400e3);
    const filter = `from=${from}&to=${to}&interval=day&type=it-support&channel=portal`;
    const maryam = await ctx.api('maryam');
    const before = (await maryam('GET', `/api/v1/kpis?${filter}`)).totals.volume;
    const sara = await ctx.api('sara');
    await sara('POST', '/api/v1/requests', {
      type: 'it-support',
      channel: 'portal',
      data: { contact: { name: 'Sara Ahmadi', email: 'sara@example.com' }, category: 'software', urgency: 'low', subject: 'Spreadsheet crashes', description: 'On opening.' },
    });

    const p = await ctx.page();
    await login(ctx, p, 'maryam');
    await ctx.go(p, `/dashboards?from=${from}&to=${to}`);
    await p.waitForSelector('[data-testid=tile-volume]');
    await ctx.shot('dashboard');
    await p.waitForFunction(() => document.querySelectorAll('#f-type option').length > 1);
    await p.select('#f-type', 'it-support');
    await p.select('#f-channel', 'portal');
    await p.click('[data-testid=apply]');
    await p.waitForFunction(() => location.search.includes('type=it-support') && location.search.includes('channel=portal'));
    await waitForText(p, '[data-testid=tile-volume] .tile-value', String(before + 1));
    const volume = (await text(p, '[data-testid=tile-volume] .tile-value')).trim();
    expect(volume === String(before + 1), `the received tile counts the new request: ${volume}, was ${before}`);
    await p.waitForSelector('[data-testid=chart-0] canvas');
    const rows = await p.$$eval('[data-testid=series] tbody tr', (trs) => trs.length);
    expect(rows === 7, `the table has a row per day of the week: ${rows}`);
    await ctx.shot('filtered');

    const csv = await p.$eval('[data-testid=csv]', async (a) => {
      const res = await fetch(a.href);
      return { status: res.status, type: res.headers.get('Content-Type'), body: await res.text(), download: a.getAttribute('download') };
    });
    expect(csv.status === 200 && csv.body.startsWith('bucket,start,end,volume'), `the CSV downloads: ${csv.status} ${csv.body.slice(0, 80)}`);
    const total = csv.body.trim().split('\n').at(-1).split(',');
    expect(total[0] === 'total' && total[3] === String(before + 1), `the CSV's total row counts it too: ${total.join(',')}`);
    expect(csv.download?.endsWith('.csv'), `the link saves a .csv file: ${csv.download}`);

    // Persian on a phone: Solar Hijri steps, Persian digits, nothing wider than the screen.
    await p.setViewport(phone);
    await p.click('[data-testid=language]');
    await p.waitForFunction(() => document.documentElement.dir === 'rtl');
    await waitForText(p, '[data-testid=series] tbody th', '۱۴۰');
    const persian = (await text(p, '[data-testid=tile-volume] .tile-value')).trim();
    expect(/^[۰-۹]+$/.test(persian), `the count is in Persian digits: ${persian}`);
    await noHorizontalScroll(p, 'dashboard in Persian');
    await ctx.shot('persian-phone');
    await p.click('[data-testid=language]');
    expect(p.errors.length === 0, `browser errors: ${p.errors.join('; ')}`);
  },
};
