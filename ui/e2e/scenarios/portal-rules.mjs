// A form's rules while the requester types (docs/rules.md): sara fills the
// demo purchase request; the server evaluates the form's rules as she
// types (POST /forms/purchase-request/evaluate), so she sees the total
// computed from the items, the justification become required once the
// total passes 1,000, and the urgent reason appear only while "urgent" is
// ticked. The browser asks for the justification before anything is
// sent, and what is stored is what she saw.
import { expect, login, text } from '../harness.mjs';

/** value waits until the input matching selector holds want. */
async function value(p, selector, want) {
  await p.waitForFunction((sel, w) => document.querySelector(sel)?.value === w, {}, selector, want);
}

/** required answers whether the field is marked required: the input's required and the label's asterisk. */
async function required(p, id) {
  return p.evaluate((i) => {
    const input = document.getElementById(i);
    const label = document.querySelector(`label[for="${i}"]`);
    return { input: !!input?.required, star: !!label?.querySelector('.required') };
  }, id);
}

/**
 * purchaseRequest opens the demo purchase request as sara, in English, and
 * fills her contact details and cost center; check runs once the form is
 * shown, before anything is typed. The form starts with one item (minItems 1).
 */
export async function purchaseRequest(ctx, check = async () => {}) {
  const p = await ctx.page();
  await login(ctx, p, 'sara');
  if ((await p.evaluate(() => document.documentElement.lang)) !== 'en') await p.click('[data-testid=language]');
  await ctx.go(p, '/new/purchase-request');
  await p.waitForSelector('#root_costCenter');
  await check(p);
  await p.type('#root_requester_name', 'Sara Ahmadi');
  await p.type('#root_requester_email', 'sara@example.com');
  await p.type('#root_costCenter', 'CC-1234');
  await p.waitForSelector('#root_items_0_description');
  return p;
}

export default {
  name: 'portal-rules',
  async run(ctx) {
    // urgentReason shows only while urgent is ticked: hidden from the start.
    const p = await purchaseRequest(ctx, (p) => p.waitForFunction(() => !document.getElementById('root_urgentReason')));
    await p.type('#root_items_0_description', 'Pens');
    await p.type('#root_items_0_qty', '10');
    await p.type('#root_items_0_price', '2');
    await value(p, '#root_total', '20');
    let justification = await required(p, 'root_justification');
    expect(!justification.input && !justification.star, `below 1,000 the justification is optional: ${JSON.stringify(justification)}`);
    await ctx.shot('total-computed');

    // 10 x 200 = 2,000: above the threshold.
    await p.type('#root_items_0_price', '00');
    await value(p, '#root_total', '2000');
    await p.waitForFunction(() => document.getElementById('root_justification')?.required);
    justification = await required(p, 'root_justification');
    expect(justification.input && justification.star, `above 1,000 the justification is required: ${JSON.stringify(justification)}`);
    await ctx.shot('justification-required');

    // Ticking urgent shows its reason, required; unticking hides it again.
    await p.click('#root_urgent');
    await p.waitForSelector('#root_urgentReason');
    const reason = await required(p, 'root_urgentReason');
    expect(reason.input && reason.star, `the urgent reason is required while shown: ${JSON.stringify(reason)}`);
    await ctx.shot('urgent-reason-shown');
    await p.click('#root_urgent');
    await p.waitForFunction(() => !document.getElementById('root_urgentReason'));
    await ctx.shot('urgent-reason-hidden');
    await p.click('#root_urgent');
    await p.waitForSelector('#root_urgentReason');
    await p.type('#root_urgentReason', 'The team starts on Monday');

    // The browser asks for the justification before anything is sent.
    await p.click('form button[type=submit]');
    await p.waitForSelector('#root_justification__error');
    const under = await text(p, '#root_justification__error');
    expect(/required/i.test(under), `the browser asks for the justification: ${under}`);
    await ctx.shot('justification-asked');
    p.errors.length = 0; // @rjsf logs the refused submit on the console: that one was meant

    await p.type('#root_justification', 'Two new colleagues start on Monday.');
    await Promise.all([p.waitForSelector('.receipt'), p.click('form button[type=submit]')]);
    const code = (await text(p, '.tracking .code')).trim();
    await ctx.shot('receipt');
    const sara = await ctx.api('sara');
    const stored = await sara('GET', `/api/v1/requests/${code}`);
    expect(stored.data.total === 2000 && stored.data.urgentReason === 'The team starts on Monday', `stored what she saw: ${JSON.stringify(stored.data)}`);
  },
};
