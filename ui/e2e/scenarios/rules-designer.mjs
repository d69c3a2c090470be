// The decision-table editor: omid, a process owner of the IT category,
// creates a rule set that reads the IT support form, adds an input (its
// expression checked live: wrong, then right), an output and two rows
// (moved from the keyboard), types a bare word in a cell, saves and sees
// the problem on that cell (and focuses it from the list above the
// table), fixes it, publishes version 1, tries a sample filled in the form
// and sees the matching row highlighted, reads version 1, then views it
// all in Persian on a phone.
import { createDefinition, expect, login, replace, noHorizontalScroll, phone, text, waitForText } from '../harness.mjs';

/** matched answers the row numbers (from 0) the table marks as matched. */
const matched = (p) => p.$$eval('[data-testid=rsd-table] tbody tr[data-matched]', (rows) => rows.map((r) => r.dataset.testid.replace('rsd-row-', '')));

/** chooseUrgency picks an urgency in the sample form (a radio group) by its label. */
async function chooseUrgency(p, label) {
  await p.evaluate((l) => {
    const input = [...document.querySelectorAll('.rsd-sample-form input[type=radio]')].find((i) => i.id.includes('urgency') && i.closest('label')?.textContent.trim() === l);
    input.click();
  }, label);
}

export default {
  name: 'rules-designer',
  async run(ctx) {
    const key = `route-${ctx.browserName.slice(0, 3)}-${Date.now().toString(36)}`;
    const p = await ctx.page();
    await login(ctx, p, 'omid');
    await ctx.go(p, '/design');
    await p.click('a[href="/design/rules"]');
    await waitForText(p, '[data-testid=rsd-heads]', 'it-routing');
    await ctx.shot('list');

    // A new rule set for the IT support form: saved as an empty draft and opened.
    await createDefinition(p, '/design/rules', { key, titleEn: 'Urgent IT routing', titleFa: 'مسیریابی فوری فناوری', category: 'it', form: 'it-support' });
    await p.waitForSelector('[data-testid=rsd-add-input]');
    const form = await p.$eval('select[name=form]', (s) => s.value);
    expect(form === 'it-support', `the rule set reads the form chosen: ${form}`);

    // An input: the expression is checked as it is typed, wrong and then right.
    await p.click('[data-testid=rsd-add-input]');
    await replace(p, 'input[name=input-0-name]', 'urgency');
    await p.type('input[name=input-0-expr]', 'form.urgenc');
    await waitForText(p, '[data-testid=rsd-check-0]', '✗');
    const wrong = await text(p, '[data-testid=rsd-check-0]');
    expect(wrong.includes('did you mean form.urgency'), `the check says why: ${wrong}`);
    await ctx.shot('input-wrong');
    await p.type('input[name=input-0-expr]', 'y');
    await waitForText(p, '[data-testid=rsd-check-0]', '✓');

    // An output and two rows; the first row's cell is a bare word.
    await p.click('[data-testid=rsd-add-output]');
    await replace(p, 'input[name=output-0-name]', 'group');
    await p.click('[data-testid=rsd-add-row]');
    await p.click('[data-testid=rsd-add-row]');
    await p.type('[data-testid=rsd-when-0-0]', 'high');
    await p.type('[data-testid=rsd-then-0-0]', 'it-support');
    await p.type('[data-testid=rsd-when-1-0]', '-');
    await p.type('[data-testid=rsd-then-1-0]', 'it-access');
    await ctx.shot('table');

    // Rows move from the keyboard: row 2 up (the focus stays on that row, on its "down"), then back down.
    const firstCells = () => p.$$eval('[data-testid=rsd-table] tbody tr td:nth-child(2) input', (els) => els.map((e) => e.value));
    await p.focus('[data-testid=rsd-row-1] button[aria-label="Move row 2 up"]');
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Move row 1 down');
    expect(JSON.stringify(await firstCells()) === '["-","high"]', `row 2 moved up: ${await firstCells()}`);
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Move row 2 up');
    expect(JSON.stringify(await firstCells()) === '["high","-"]', `and back down: ${await firstCells()}`);

    // Save: the bare word is a problem, drawn on its cell and listed above the table.
    await p.click('[data-testid=rsd-save]');
    await waitForText(p, '[data-testid=rsd-status]', '1 problem');
    await waitForText(p, '[data-testid=rsd-row-0] [data-testid=rsd-cell-problems]', 'quotes');
    const bad = await p.$eval('[data-testid=rsd-when-0-0]', (el) => [el.getAttribute('aria-invalid'), el.classList.contains('rsd-bad')]);
    expect(bad[0] === 'true' && bad[1], `the cell is marked: ${bad}`);
    const others = await p.$$eval('[data-testid=rsd-table] [aria-invalid=true]', (els) => els.length);
    expect(others === 1, `only that cell is marked: ${others}`);
    await waitForText(p, '[data-testid=rsd-problems]', 'quotes');
    await p.click('[data-testid=rsd-problems] button.link');
    const focused = await p.evaluate(() => document.activeElement?.dataset.testid);
    expect(focused === 'rsd-when-0-0', `the problem list focuses the cell: ${focused}`);
    await ctx.shot('problem-on-cell');

    // Fixed in place, saved clean, published as version 1.
    await replace(p, '[data-testid=rsd-when-0-0]', '"high"');
    await p.click('[data-testid=rsd-save]');
    await waitForText(p, '[data-testid=rsd-status]', 'nothing stops');
    await p.waitForFunction(() => !document.querySelector('[data-testid=rsd-problems]'));
    await p.click('[data-testid=rsd-publish]');
    await waitForText(p, '[data-testid=rsd-status]', 'version 1');
    await waitForText(p, '[data-testid=rsd-versions]', 'Version 1');
    const omid = await ctx.api('omid');
    const v = await omid('GET', `/api/v1/rules/${key}/versions/1`);
    const rows = JSON.stringify(v.definition.rows);
    expect(rows === JSON.stringify([{ when: ['"high"'], then: { group: 'it-support' } }, { when: ['-'], then: { group: 'it-access' } }]), `version 1 holds the two rows: ${rows}`);
    expect(v.form?.key === 'it-support', `version 1 was checked against the form: ${JSON.stringify(v.form)}`);
    await ctx.shot('published');

    // Try it: the sample is the form itself. Medium urgency (the form's default) falls to row 2; high matches row 1.
    await p.waitForSelector('.rsd-sample-form input[type=radio]');
    await p.click('[data-testid=rsd-try]');
    await waitForText(p, '[data-testid=rsd-try-result]', 'it-access');
    expect(JSON.stringify(await matched(p)) === '["1"]', `medium matches the second row: ${await matched(p)}`);
    await chooseUrgency(p, 'high');
    await p.type('input[name=sampleSegment]', 'gold');
    await p.click('[data-testid=rsd-try]');
    await waitForText(p, '[data-testid=rsd-try-result]', 'it-support');
    expect(JSON.stringify(await matched(p)) === '["0"]', `high matches the first row: ${await matched(p)}`);
    await waitForText(p, '[data-testid=rsd-row-0]', 'matched');
    await ctx.shot('tried');

    // Version 1 read in place, read-only, and back to the draft.
    await p.click('[data-testid=rsd-read-1]');
    await p.waitForSelector('[data-testid=rsd-reading]');
    const locked = await p.$eval('[data-testid=rsd-when-0-0]', (el) => el.readOnly);
    expect(locked, 'an old version is read, not edited');
    await ctx.shot('version-1');
    await p.click('[data-testid=rsd-back-to-draft]');
    await p.waitForSelector('[data-testid=rsd-add-row]');

    // Persian on a phone: right to left, the table scrolls inside its own box, the page does not.
    await p.setViewport(phone);
    await p.click('[data-testid=language]');
    await p.waitForFunction(() => document.documentElement.dir === 'rtl');
    await waitForText(p, '[data-testid=rsd-table] caption', 'قاعده');
    await noHorizontalScroll(p, 'decision-table editor in Persian');
    const inside = await p.$eval('.rsd-table-wrap', (el) => el.scrollWidth > el.clientWidth);
    expect(inside, 'the table scrolls sideways inside its box on a phone');
    await p.click('[data-testid=rsd-try]');
    await waitForText(p, '[data-testid=rsd-try-result]', 'جور');
    await noHorizontalScroll(p, 'tried in Persian');
    await ctx.shot('persian-phone');
    await p.click('[data-testid=language]');
  },
};
