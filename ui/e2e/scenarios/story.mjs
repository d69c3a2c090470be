// The whole story across roles, through the UI only (issue 7, Tests):
// omid, a process owner of IT, builds and publishes a form, a workflow (an
// approval by IT support, then a decision on the form, then the ends) and a
// request type that puts them into the catalog; sara, on a phone in
// Persian, finds it in the catalog, submits it and reads her tracking code;
// reza, the IT support agent, finds the approval in his group's queue,
// claims it, opens the request and approves it; sara sees it resolved in
// Persian and rates it; maryam, the IT supervisor, filters the dashboard
// to the new request type and sees it counted, resolved and rated. The
// workflow is first simulated with sample data filled in its own form.
// The API is read only to check what the UI showed; no step is taken
// through it.
import { expect, login, noHorizontalScroll, phone, selectOption, text, waitForText } from '../harness.mjs';
import { addField } from './formdesign.mjs';
import { connect, replace } from './workflow-designer.mjs';

const day = (t) => new Date(t).toISOString().slice(0, 10);

/** tick ticks the checkbox of a fieldset whose label reads name. */
async function tick(p, scope, name) {
  await p.waitForFunction((s, n) => [...document.querySelectorAll(`${s} fieldset label`)].some((l) => l.textContent.trim() === n), {}, scope, name);
  await p.evaluate(
    (s, n) => [...document.querySelectorAll(`${s} fieldset label`)].find((l) => l.textContent.trim() === n).querySelector('input').click(),
    scope,
    name,
  );
}

/** optionLoaded waits until the <select> offers value. */
const optionLoaded = (p, selector, value) => p.waitForFunction((s, v) => [...(document.querySelector(s)?.options ?? [])].some((o) => o.value === v), {}, selector, value);

export default {
  name: 'story',
  async run(ctx) {
    const key = `laptop-${ctx.browserName.slice(0, 3)}-${Date.now().toString(36)}`;
    const flow = `${key}-flow`;

    // 1. omid builds the form: a required reason and a choice of model.
    const owner = await ctx.page();
    await login(ctx, owner, 'omid');
    await ctx.go(owner, '/design');
    await owner.click('a[href="/design/forms"]');
    await owner.waitForSelector('#new-key');
    await owner.type('#new-key', key);
    await owner.type('#new-title-en', 'New laptop');
    await owner.type('#new-title-fa', 'لپ‌تاپ تازه');
    await owner.type('#new-category', 'it');
    await Promise.all([owner.waitForSelector('[data-testid=add-text]'), owner.click('[data-testid=create-form]')]);
    await addField(owner, 'text', 'reason', 'What is it for?', 'برای چه کاری؟');
    await owner.click('#field-required');
    await addField(owner, 'choice', 'model', 'Model', 'مدل');
    await replace(owner, '#option-0-value', 'standard');
    await replace(owner, '#option-0-en', 'Standard');
    await replace(owner, '#option-0-fa', 'معمولی');
    await replace(owner, '#option-1-value', 'pro');
    await replace(owner, '#option-1-en', 'Pro');
    await replace(owner, '#option-1-fa', 'حرفه‌ای');
    await waitForText(owner, '[data-testid=preview-frame]', 'Model');
    await owner.click('[data-testid=publish]');
    await waitForText(owner, '[data-testid=notice]', 'Published as version 1');
    await ctx.shot('form-published');

    // 1. ... the workflow: start -> approval by IT support -> (approve) decision -> ends; (reject) -> a rejected end.
    await ctx.go(owner, '/design/workflows');
    await owner.waitForSelector('input[name=key]');
    await owner.type('input[name=key]', flow);
    await owner.type('input[name=titleEn]', 'New laptop');
    await owner.type('input[name=titleFa]', 'لپ‌تاپ تازه');
    await owner.type('input[name=category]', 'it');
    await optionLoaded(owner, 'select[name=form]', key);
    await owner.select('select[name=form]', key);
    await owner.click('.wfd-new button[type=submit]');
    await owner.waitForFunction((k) => location.pathname === `/design/workflows/${k}`, {}, flow);
    await owner.waitForSelector('[data-testid=wfd-canvas] .react-flow__node');
    await owner.click('[data-testid=wfd-add-approval]');
    await owner.waitForSelector('[data-testid=wfd-node-panel] input[name=titleEn]');
    await owner.type('[data-testid=wfd-node-panel] input[name=titleEn]', 'Approve the laptop');
    await owner.type('[data-testid=wfd-node-panel] input[name=titleFa]', 'تأیید لپ‌تاپ');
    await tick(owner, '[data-testid=wfd-node-panel]', 'IT support');
    await owner.click('[data-testid=wfd-add-decision]');
    await owner.click('[data-testid=wfd-add-end]');
    await owner.waitForSelector('[data-testid=wfd-node-panel] input[name=outcome]');
    await replace(owner, '[data-testid=wfd-node-panel] input[name=outcome]', 'rejected');
    await owner.click('[data-testid=wfd-add-end]');
    await owner.waitForSelector('[data-testid=wfd-node-end-2]');
    // start -> approval (instead of start -> done)
    await owner.click('[data-testid=wfd-node-start]');
    await owner.click('[data-testid=wfd-node-panel] button.link');
    await owner.waitForSelector('[data-testid=wfd-edge-panel] select[name=to]');
    await owner.select('[data-testid=wfd-edge-panel] select[name=to]', 'approval-1');
    await connect(owner, 'approval-1', 'decision-1');
    await owner.select('[data-testid=wfd-edge-panel] select[name=outcome]', 'approve');
    await connect(owner, 'approval-1', 'end-1');
    await owner.select('[data-testid=wfd-edge-panel] select[name=outcome]', 'reject');
    await connect(owner, 'decision-1', 'done');
    await connect(owner, 'decision-1', 'end-2');
    await owner.type('[data-testid=wfd-edge-panel] textarea[name=condition]', 'form.model == "pro"');
    await waitForText(owner, '[data-testid=wfd-check]', '✓');
    await owner.click('[data-testid=wfd-relayout]');
    await owner.click('[data-testid=wfd-save]');
    await waitForText(owner, '[data-testid=wfd-status]', 'nothing stops');
    await owner.click('[data-testid=wfd-publish]');
    await waitForText(owner, '[data-testid=wfd-status]', 'version 1');
    // Simulated with sample data filled in the workflow's own form: a pro model, approved, ends at end-2.
    await owner.waitForSelector('[data-testid=wfd-sim-form] #sim_model');
    await owner.type('#sim_reason', 'CAD');
    await selectOption(owner, '#sim_model', 'Pro');
    await owner.type('textarea[name=simOutcomes]', 'approval-1: approve');
    await owner.click('[data-testid=wfd-simulate]');
    await waitForText(owner, '[data-testid=wfd-sim-result]', 'resolved');
    const passed = await owner.$$eval('[data-testid=wfd-canvas] .wfd-node-passed strong', (els) => els.map((e) => e.textContent).sort());
    expect(passed.includes('end-2') && !passed.includes('done'), `the pro model's path is highlighted: ${passed}`);
    await ctx.shot('workflow-published');

    // 1. ... and the request type that puts them into the catalog, from the designers' home.
    await ctx.go(owner, '/design');
    await owner.click('a[href="/design/types"]');
    await owner.waitForSelector('[data-testid=new-type]');
    await Promise.all([owner.waitForSelector('#type-key'), owner.click('[data-testid=new-type]')]);
    // Saved without a form first: the editor says what is missing, at the input.
    await owner.type('#type-key', key);
    await owner.click('[data-testid=type-save]');
    await owner.waitForSelector('#type-form-problems');
    expect((await owner.$eval('#type-form', (s) => s.getAttribute('aria-invalid'))) === 'true', 'the form picker is marked invalid');
    await ctx.shot('type-missing');
    await owner.type('#type-title-en', 'New laptop');
    await owner.type('#type-title-fa', 'لپ‌تاپ تازه');
    await owner.type('#type-desc-fa', 'با تأیید پشتیبانی فناوری');
    await owner.type('#type-category', 'it');
    await owner.select('#type-interaction', 'approval');
    await optionLoaded(owner, '#type-form', key);
    await owner.select('#type-form', key);
    await optionLoaded(owner, '#type-workflow', flow);
    await owner.select('#type-workflow', flow);
    await owner.select('#type-sla', 'internal');
    await owner.select('#type-owner-group', 'it-support');
    await Promise.all([owner.waitForFunction((k) => location.pathname === `/design/types/${k}`, {}, key), owner.click('[data-testid=type-save]')]);
    await waitForText(owner, '[data-testid=type-notice]', 'Nothing stops');
    await owner.click('[data-testid=type-publish]');
    await waitForText(owner, '[data-testid=type-notice]', 'Published as version 1');
    await waitForText(owner, '[data-testid=type-versions]', 'Version 1');
    await ctx.shot('type-published');
    // The editor in Persian on a phone: nothing wider than the screen.
    await owner.setViewport(phone);
    await owner.click('[data-testid=language]');
    await owner.waitForFunction(() => document.documentElement.dir === 'rtl');
    await waitForText(owner, '#type-title', 'نوع درخواست');
    await waitForText(owner, '[data-testid=type-notice]', 'نسخهٔ ۱ منتشر شد');
    await noHorizontalScroll(owner, 'request type editor in Persian');
    await ctx.shot('type-fa-phone');
    await owner.click('[data-testid=language]');
    await owner.setViewport({ width: 1280, height: 900 });

    // 2. sara, on a phone in Persian, finds it in the catalog and submits it.
    const sara = await ctx.page(phone);
    await login(ctx, sara, 'sara');
    if ((await sara.evaluate(() => document.documentElement.lang)) !== 'fa') await sara.click('[data-testid=language]');
    await sara.waitForFunction(() => document.documentElement.dir === 'rtl');
    await ctx.go(sara, '/catalog');
    await waitForText(sara, `[data-testid=catalog-${key}]`, 'لپ‌تاپ تازه');
    await noHorizontalScroll(sara, 'catalog');
    await ctx.shot('catalog-fa', sara);
    await Promise.all([sara.waitForSelector('#root_reason'), sara.click(`[data-testid=catalog-${key}]`)]);
    expect((await text(sara, 'form')).includes('برای چه کاری؟'), 'the form is in Persian');
    await sara.type('#root_reason', 'طراحی');
    await selectOption(sara, '#root_model', 'حرفه‌ای');
    await noHorizontalScroll(sara, 'form');
    await ctx.shot('form-filled-fa', sara);
    await Promise.all([sara.waitForSelector('.receipt'), sara.click('form button[type=submit]')]);
    const code = (await text(sara, '.tracking .code')).trim();
    expect(/^[0-9A-Z]{10}$/.test(code), `a tracking code is shown: ${code}`);
    await noHorizontalScroll(sara, 'receipt');
    await ctx.shot('receipt-fa', sara);

    // 3. reza finds the approval in IT support's queue, claims it, opens the request and approves.
    const agent = await ctx.page();
    await login(ctx, agent, 'reza');
    await ctx.go(agent, '/work?view=queues');
    const card = `[data-testid^="task-${code}-"]`;
    await agent.waitForSelector(card);
    await ctx.shot('queue', agent);
    await Promise.all([agent.waitForSelector(`${card} [data-testid=claim]`, { hidden: true }), agent.click(`${card} [data-testid=claim]`)]);
    await ctx.go(agent, '/work?view=mine');
    await agent.waitForSelector(card);
    await Promise.all([agent.waitForSelector('#todo'), agent.click(`${card} a`)]);
    await waitForText(agent, '.task-panel h3', 'Approve the laptop');
    await ctx.shot('approval', agent);
    await agent.type('.task-panel textarea', 'Approved.');
    await agent.click('.task-panel [data-testid=outcome-approve]');
    await waitForText(agent, '[data-testid=status]', 'Resolved');
    await ctx.shot('approved', agent);

    // 4. sara sees it resolved, in Persian, and rates it.
    await ctx.go(sara, `/requests/${code}`);
    await waitForText(sara, '[data-testid=status]', 'حل‌شده');
    // What she sent, under the form's Persian labels; every step of the history in words.
    await waitForText(sara, 'dl.data', 'حرفه‌ای');
    const sent = await text(sara, 'dl.data');
    expect(sent.includes('مدل') && sent.includes('برای چه کاری؟') && !sent.includes('pro'), `the data is labelled in Persian: ${sent}`);
    const history = await text(sara, 'ol.history');
    expect(!/[a-z]-[a-z]|decision/.test(history), `the history is in words: ${history}`);
    await noHorizontalScroll(sara, 'request page');
    await ctx.shot('resolved-fa', sara);
    await sara.click('[data-testid=csat-5]');
    await Promise.all([sara.waitForSelector('[data-testid=rated]'), sara.click('.survey button[type=submit]')]);
    await ctx.shot('rated-fa', sara);

    // 5. maryam filters the dashboard to the new type: received 1, resolved 1, CSAT 5.
    const manager = await ctx.page();
    await login(ctx, manager, 'maryam');
    const to = day(Date.now());
    const from = day(Date.now() - 6 * 86400e3);
    await ctx.go(manager, `/dashboards?from=${from}&to=${to}`);
    await optionLoaded(manager, '#f-type', key);
    await manager.select('#f-type', key);
    await manager.click('[data-testid=apply]');
    await manager.waitForFunction((k) => location.search.includes(`type=${k}`), {}, key);
    await waitForText(manager, '[data-testid=tile-volume] .tile-value', '1');
    const tile = async (k) => (await text(manager, `[data-testid=tile-${k}] .tile-value`)).trim();
    await waitForText(manager, '[data-testid=tile-csat] .tile-value', '5');
    expect((await tile('volume')) === '1' && (await tile('resolved')) === '1', `received and resolved count the request: ${await tile('volume')}, ${await tile('resolved')}`);
    expect((await tile('csat')).startsWith('5'), `its rating is shown: ${await tile('csat')}`);
    await ctx.shot('dashboard', manager);

    // What the UI showed is what was stored.
    const read = await ctx.api('maryam');
    const stored = await read('GET', `/api/v1/requests/${code}`);
    expect(stored.type?.key === key && stored.status === 'resolved' && stored.feedback?.csat === 5, `stored: ${JSON.stringify(stored.type)} ${stored.status} ${JSON.stringify(stored.feedback)}`);
    for (const [who, p] of Object.entries({ owner, sara, agent, manager })) expect(p.errors.length === 0, `browser errors (${who}): ${p.errors.join('; ')}`);
  },
};
