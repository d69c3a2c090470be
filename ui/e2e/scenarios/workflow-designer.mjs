// The workflow designer: omid, a process owner of the IT category, creates
// a small workflow (start, a task for a group, a decision on a form field,
// two ends), connects it from the panel, writes a condition that the live
// check first marks wrong and then right, saves and sees a lint problem on
// its node, sees the publish refused, fixes it, publishes, sees version 1
// and simulates with sample data, the path highlighted on the graph; then
// reads it in Persian on a phone.
import { createDefinition, expect, login, replace, noHorizontalScroll, phone, text, waitForText } from '../harness.mjs';

/** connect adds an edge from node `from` to node `to` through the panel, as a keyboard user would. */
async function connect(p, from, to) {
  await p.click(`[data-testid=wfd-node-${from}]`);
  await p.waitForSelector('[data-testid=wfd-node-panel] select[name=connectTo]');
  await p.select('[data-testid=wfd-node-panel] select[name=connectTo]', to);
  await p.click('[data-testid=wfd-connect]');
  await p.waitForSelector('[data-testid=wfd-edge-panel]');
}

const passed = (p) => p.$$eval('[data-testid=wfd-canvas] .wfd-node-passed strong', (els) => els.map((e) => e.textContent).sort());

export default {
  name: 'workflow-designer',
  async run(ctx) {
    const key = `flow-${ctx.browserName.slice(0, 3)}-${Date.now().toString(36)}`;
    const p = await ctx.page();
    await login(ctx, p, 'omid');
    await ctx.go(p, '/design/workflows');
    await waitForText(p, '[data-testid=wfd-heads]', 'it-support');
    await ctx.shot('list');

    // A new workflow: it opens as a start joined to an end.
    await createDefinition(p, '/design/workflows', { key, titleEn: 'Small IT flow', titleFa: 'گردش کوچک فناوری', category: 'it', form: 'it-support' });
    await p.waitForSelector('[data-testid=wfd-canvas] .react-flow__node');
    await ctx.shot('new');

    // A task (nobody named to do it yet: a problem), a decision and a second end.
    await p.click('[data-testid=wfd-add-task]');
    await p.waitForSelector('[data-testid=wfd-node-panel] fieldset input[type=checkbox]');
    await p.type('[data-testid=wfd-node-panel] input[name=titleEn]', 'Look at it');
    await p.type('[data-testid=wfd-node-panel] input[name=titleFa]', 'بررسی');
    // A half-typed task form is refused in place and not kept.
    await p.type('[data-testid=wfd-node-panel] textarea[name=taskForm]', '{"type":');
    await waitForText(p, '#wfd-task-form-help', 'Not kept');
    await replace(p, '[data-testid=wfd-node-panel] textarea[name=taskForm]', '');
    await p.click('[data-testid=wfd-add-decision]');
    await p.click('[data-testid=wfd-add-end]');
    await p.waitForSelector('[data-testid=wfd-node-end-1]');
    const drawn = await p.$$eval('[data-testid=wfd-canvas] .react-flow__node', (els) => els.length);
    expect(drawn === 5, `the canvas draws the five nodes: ${drawn}`);

    // start -> task instead of start -> done, then task -> decision -> (default) done | end-1.
    await p.click('[data-testid=wfd-node-start]');
    await p.click('[data-testid=wfd-node-panel] button.link');
    await p.waitForSelector('[data-testid=wfd-edge-panel] select[name=to]');
    await p.select('[data-testid=wfd-edge-panel] select[name=to]', 'task-1');
    await connect(p, 'task-1', 'decision-1');
    await connect(p, 'decision-1', 'done');
    const first = await p.$eval('[data-testid=wfd-edge-panel] input[name=default]', (c) => c.checked);
    expect(first, 'the first edge of a decision is its default');
    await connect(p, 'decision-1', 'end-1');

    // The condition: the check marks it wrong, then right.
    await p.type('[data-testid=wfd-edge-panel] textarea[name=condition]', 'form.urgency == 3');
    await waitForText(p, '[data-testid=wfd-check]', '✗');
    const wrong = await text(p, '[data-testid=wfd-check]');
    expect(wrong.includes('mismatched types'), `the check says why: ${wrong}`);
    await ctx.shot('condition-wrong');
    await replace(p, '[data-testid=wfd-edge-panel] textarea[name=condition]', 'form.urgency == "high"');
    await waitForText(p, '[data-testid=wfd-check]', '✓');
    // Laid out again: layers left to right, the two ends in the last one.
    await p.click('[data-testid=wfd-relayout]');
    await p.waitForSelector('[data-testid=wfd-canvas] .react-flow__node');
    await ctx.shot('condition-right');

    // Save: a task nobody is named to do is a problem shown on its node.
    await p.click('[data-testid=wfd-save]');
    await waitForText(p, '[data-testid=wfd-canvas] [data-testid=wfd-node-problems]', 'say who does the task');
    const on = await p.$eval('[data-testid=wfd-canvas] .wfd-node-problem strong', (e) => e.textContent);
    expect(on === 'Look at it', `the problem is drawn on the task: ${on}`);
    await ctx.shot('problem-on-node');

    // Publishing is refused with the same problem.
    await p.click('[data-testid=wfd-publish]');
    await waitForText(p, '[role=alert]', '1');
    await waitForText(p, '[data-testid=wfd-problems]', 'say who does the task');
    await ctx.shot('publish-refused');

    // Fix it from the problem list, which opens the node.
    await p.click('[data-testid=wfd-problems] button.link');
    // The groups are picked from the organisation's list (process owners read it).
    await p.waitForSelector('[data-testid=wfd-node-panel] fieldset input[type=checkbox]');
    await p.evaluate(() => {
      const label = [...document.querySelectorAll('[data-testid=wfd-node-panel] fieldset label')].find((l) => l.textContent.trim() === 'IT support');
      label.querySelector('input').click();
    });
    await p.click('[data-testid=wfd-save]');
    await p.waitForFunction(() => !document.querySelector('[data-testid=wfd-canvas] .wfd-node-problem'));
    await waitForText(p, '[data-testid=wfd-status]', 'nothing stops');
    await p.click('[data-testid=wfd-publish]');
    await waitForText(p, '[data-testid=wfd-status]', 'version 1');
    await waitForText(p, '[data-testid=wfd-versions]', 'Version 1');
    const omid = await ctx.api('omid');
    const v = await omid('GET', `/api/v1/workflows/${key}/versions/1`);
    const edge = v.definition.edges.find((e) => e.to === 'end-1');
    expect(edge?.condition === 'form.urgency == "high"', `the published edge carries the condition: ${JSON.stringify(edge)}`);
    await ctx.shot('published');

    // Simulate an urgent request: start, task, decision, end-1 are passed; done is not.
    const data = { contact: { name: 'Sara Ahmadi', email: 'sara@example.com' }, category: 'software', subject: 'Mail is down', description: 'Outlook does not start.', urgency: 'high' };
    await p.click('[data-testid=wfd-sim-as-json]');
    await replace(p, 'textarea[name=simData]', JSON.stringify(data));
    await p.click('[data-testid=wfd-simulate]');
    await waitForText(p, '[data-testid=wfd-sim-result]', 'resolved');
    const path = await passed(p);
    expect(JSON.stringify(path) === JSON.stringify(['Look at it', 'decision-1', 'end-1', 'start']), `the path is highlighted: ${path}`);
    const greenEdges = await p.$$eval('[data-testid=wfd-canvas] .wfd-edge-passed', (els) => els.length);
    expect(greenEdges === 3, `the three edges taken are highlighted: ${greenEdges}`);
    await ctx.shot('simulated');

    // The keyboard: a node of the canvas takes the focus and Enter opens it in the panel.
    await p.focus('[data-testid=wfd-canvas] .react-flow__node[data-id="decision-1"]');
    await p.keyboard.press('Enter');
    await waitForText(p, '#wfd-panel-title', 'decision-1');

    // Persian on a phone: the node list and panel instead of the canvas, nothing wider than the screen.
    await p.setViewport(phone);
    await p.click('[data-testid=language]');
    await p.waitForFunction(() => document.documentElement.dir === 'rtl');
    await waitForText(p, '#wfd-nodes-title', 'گره');
    await noHorizontalScroll(p, 'workflow designer in Persian');
    await p.click('[data-testid=wfd-node-task-1]');
    await p.waitForSelector('[data-testid=wfd-node-panel]');
    await noHorizontalScroll(p, 'node panel in Persian');
    await ctx.shot('persian-phone');
    await p.click('[data-testid=language]');
  },
};
export { connect, replace };
