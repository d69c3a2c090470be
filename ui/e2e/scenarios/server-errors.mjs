// The server's verdict shown where it belongs: a purchase above 1,000
// needs a justification (a requiredWhen rule). The portal marks it
// required as the total passes 1,000 (portal-rules), but a justification
// of blanks satisfies the browser (it is text of the right length) and
// not the server, for which blank text is no value: the server answers
// 422 with a pointer to the field, and the form shows the message under
// that field and announces it.
import { expect, text } from '../harness.mjs';
import { purchaseRequest } from './portal-rules.mjs';

export default {
  name: 'server-errors',
  async run(ctx) {
    const p = await purchaseRequest(ctx);
    expect((await text(p, 'form')).includes('Unit price'), "a list item's fields carry their titles");
    expect((await text(p, 'form')).includes('Contact details'), 'a fragment without a title in the form is titled by the fragment');
    await p.type('#root_items_0_description', 'Laptop');
    await p.type('#root_items_0_qty', '2');
    await p.type('#root_items_0_price', '1500');
    await p.waitForFunction(() => document.getElementById('root_justification')?.required);
    await p.type('#root_justification', ' '.repeat(12));
    await p.click('form button[type=submit]');
    const under = await text(p, '#root_justification__error');
    expect(/required/i.test(under), `the server's error is under the justification: ${under}`);
    expect((await text(p, '[role=alert]')).length > 0, 'the failure is announced');
    await ctx.shot('422-under-field');
    p.errors.length = 0; // the 422 is logged by the browser as a failed load: it was meant
  },
};
