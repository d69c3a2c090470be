// The form designer: omid, a process owner, creates a form with a required
// text, a choice with options, a number with a range and a visibleWhen rule
// that the live check marks wrong first and right after; reorders with the
// keyboard buttons; edits it as raw JSON (and is refused invalid JSON);
// previews it in Persian on a phone frame; saves and sees the draft's
// problem at its field; fixes it, publishes version 1 and sees it listed;
// a save after someone else's is refused rather than overwriting it.
import { expect, login, noHorizontalScroll, phone, text, waitForText } from '../harness.mjs';

/** fill replaces an input's value by typing, as a person would. */
async function fill(p, selector, value) {
  await p.$eval(selector, (el) => el.select());
  await p.keyboard.press('Backspace');
  if (value) await p.type(selector, value);
}

/** setText sets a textarea's whole value at once, as pasting does. */
async function setText(p, selector, value) {
  await p.$eval(
    selector,
    (el, v) => {
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set.call(el, v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    value,
  );
}

/** addField adds a field of a type from the palette and gives it a key and labels. */
async function addField(p, type, key, en, fa) {
  await p.click(`[data-testid=add-${type}]`);
  await fill(p, '#field-key', key);
  await p.type('#field-title-en', en);
  await p.type('#field-title-fa', fa);
}

const order = (p) => p.$$eval('.field-list > ol > li', (lis) => lis.map((li) => li.dataset.testid.replace('field-', '')));

export default {
  name: 'formdesign',
  async run(ctx) {
    const key = `leave-${ctx.browserName.replace(/[^a-z]/g, '')}`;
    const p = await ctx.page();
    await login(ctx, p, 'omid');
    await ctx.go(p, '/design/forms');
    await p.waitForSelector('[data-testid=form-list]');
    await ctx.shot('forms');

    // A new form
    await p.type('#new-key', key);
    await p.type('#new-title-en', 'Leave request');
    await p.type('#new-title-fa', 'درخواست مرخصی');
    await p.type('#new-category', 'it');
    await Promise.all([p.waitForSelector('[data-testid=add-text]'), p.click('[data-testid=create-form]')]);
    expect(p.url().endsWith(`/design/forms/${key}`), `the designer opens: ${p.url()}`);

    // A required text
    await addField(p, 'text', 'fullName', 'Full name', 'نام و نام خانوادگی');
    await p.click('#field-required');
    await fill(p, '#field-maxLength', '80');

    // A choice with options and their labels
    await addField(p, 'choice', 'kind', 'Kind of leave', 'نوع مرخصی');
    await fill(p, '#option-0-value', 'sick');
    await fill(p, '#option-0-en', 'Sick leave');
    await fill(p, '#option-0-fa', 'استعلاجی');
    await fill(p, '#option-1-value', 'annual');
    await fill(p, '#option-1-en', 'Annual leave');
    await fill(p, '#option-1-fa', 'استحقاقی');

    // A number with a range
    await addField(p, 'number', 'days', 'Days', 'تعداد روز');
    await fill(p, '#field-minimum', '1');
    await fill(p, '#field-maximum', '30');
    await waitForText(p, '[data-testid=preview-frame]', 'Kind of leave');
    await ctx.shot('three-fields');

    // Saved, so that rules are checked against these fields
    await p.click('[data-testid=save]');
    await waitForText(p, '[data-testid=notice]', 'Draft saved');

    // A rule: wrong first, then right
    await p.type('#field-visibleWhen', 'form.knd == "annual"');
    await p.waitForSelector('[data-testid=field-visibleWhen-verdict][data-state=invalid]');
    const wrong = await text(p, '[data-testid=field-visibleWhen-verdict]');
    expect(wrong.includes('form.knd') && wrong.includes('form.kind'), `the check names the mistake and the field meant: ${wrong}`);
    await ctx.shot('rule-wrong');

    // Saved wrong: the draft's problem is shown at the field it concerns
    await p.click('[data-testid=save]');
    await waitForText(p, '[data-testid=notice]', '1 problem');
    await waitForText(p, '[data-testid=field-problems]', 'form.knd');
    await p.waitForSelector('[data-testid=field-days] .badge.problem');
    await ctx.shot('draft-problem');

    await fill(p, '#field-visibleWhen', 'form.kind == "annual"');
    await p.waitForSelector('[data-testid=field-visibleWhen-verdict][data-state=valid]');
    await ctx.shot('rule-right');

    // Reorder with the keyboard alternative to dragging
    expect((await order(p)).join() === 'fullName,kind,days', `order: ${await order(p)}`);
    await p.focus('[data-testid=field-days] [data-testid=move-up]');
    await p.keyboard.press('Enter');
    expect((await order(p)).join() === 'fullName,days,kind', `moved up: ${await order(p)}`);
    await p.focus('[data-testid=field-days] [data-testid=move-down]');
    await p.keyboard.press('Enter');
    expect((await order(p)).join() === 'fullName,kind,days', `moved back down: ${await order(p)}`);

    // The raw JSON shows the same form; an edit there shows in the visual editor; invalid JSON is refused
    await p.click('[data-testid=view-json]');
    const json = JSON.parse(await p.$eval('#json-text', (el) => el.value));
    expect(json.schema.properties.days.maximum === 30 && json.schema.required.join() === 'fullName', `the JSON has the range and the required field: ${JSON.stringify(json.schema)}`);
    expect(json.schema.properties.kind['x-enumTitles'].annual.fa === 'استحقاقی', 'the options keep their labels');
    expect(json.ui.fields.days.visibleWhen === 'form.kind == "annual"', `the rule is in the hints: ${JSON.stringify(json.ui)}`);
    json.ui.fields.days.title.en = 'Days off';
    await setText(p, '#json-text', JSON.stringify(json, null, 2));
    await setText(p, '#json-text', '{"schema": ');
    await waitForText(p, '[data-testid=json-error]', 'Not valid JSON');
    await ctx.shot('json-refused');
    await p.click('[data-testid=view-visual]');
    await waitForText(p, '[data-testid=field-days]', 'Days off');

    // The preview in Persian on a phone frame, on a phone
    await p.click('[data-testid=preview-fa]');
    await p.click('[data-testid=preview-phone]');
    const frame = await p.$eval('[data-testid=preview-frame]', (el) => ({ dir: el.dir, width: el.getBoundingClientRect().width, text: el.textContent }));
    expect(frame.dir === 'rtl' && frame.text.includes('نوع مرخصی') && frame.text.includes('درخواست مرخصی'), `the preview is in Persian: ${JSON.stringify(frame)}`);
    expect(Math.round(frame.width) === 360, `the phone frame is 360 px wide: ${frame.width}`);
    const options = await p.$$eval('[data-testid=preview-frame] select option', (os) => os.map((o) => o.textContent));
    expect(options.includes('استحقاقی'), `the choice's options show their Persian labels: ${options}`);
    await p.setViewport(phone);
    await noHorizontalScroll(p, 'form designer on a phone');
    await p.$eval('[data-testid=preview-frame]', (el) => el.scrollIntoView());
    await ctx.shot('preview-fa-phone');
    await p.setViewport({ width: 1280, height: 900 });

    // Publish: saves the changes, then version 1
    await p.click('[data-testid=publish]');
    await waitForText(p, '[data-testid=notice]', 'Published as version 1');
    await waitForText(p, '[data-testid=versions] li', 'Version 1');
    const versions = await p.$$eval('[data-testid=versions] li', (lis) => lis.length);
    expect(versions === 1, `one version is listed: ${versions}`);
    await ctx.shot('published');

    // The server has it as published, with what was designed
    const omid = await ctx.api('omid');
    const v1 = await omid('GET', `/api/v1/forms/${key}/versions/1`);
    expect(v1.definition.ui.fields.days.title.en === 'Days off' && v1.definition.schema.properties.days.minimum === 1, `version 1 is what was designed: ${JSON.stringify(v1.definition)}`);

    // Someone else saves the draft meanwhile: omid's next save is refused (412), not a silent overwrite
    const { draft } = await omid('GET', `/api/v1/forms/${key}`);
    await omid('PUT', `/api/v1/forms/${key}`, { ...draft, title: { en: 'Leave request, edited', fa: 'درخواست مرخصی' } });
    await fill(p, '#field-title-en', 'Days away');
    await p.click('[data-testid=save]');
    await waitForText(p, '.error-summary', 'Someone else saved this form');
    const kept = await omid('GET', `/api/v1/forms/${key}`);
    expect(kept.draft.title.en === 'Leave request, edited', `the other save is kept: ${kept.draft.title.en}`);
    await ctx.shot('conflict');
    // Chromium logs the expected 412 as a failed load: not an error of the page.
    p.errors.splice(0, p.errors.length, ...p.errors.filter((e) => !/status of 412/.test(e)));

    // The list shows it as changed since version 1
    await ctx.go(p, '/design/forms');
    await waitForText(p, '[data-testid=form-list]', 'Leave request, edited');
    await waitForText(p, '[data-testid=form-list]', 'Changed since version 1');
    await ctx.shot('list-published');

    // A new form never replaces an existing one
    await p.type('#new-key', key);
    await p.type('#new-title-en', 'Another');
    await p.type('#new-title-fa', 'دیگر');
    await p.click('[data-testid=create-form]');
    await waitForText(p, '.error-summary', 'already exists');
    const still = await omid('GET', `/api/v1/forms/${key}`);
    expect(still.draft.title.en === 'Leave request, edited', `the existing form is untouched: ${still.draft.title.en}`);
    expect(p.errors.length === 0, `browser errors: ${p.errors.join('; ')}`);
  },
};
export { addField };
