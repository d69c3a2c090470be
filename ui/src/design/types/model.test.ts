import { describe, expect, it } from 'vitest';
import { emptyType, fromDefinition, inputOf, localProblems, placeProblems, toDefinition, toggleChannel, type RequestTypeDefinition } from './model';
import complaint from './testdata/complaint.json';
import itSupport from './testdata/it-support.json';
import purchase from './testdata/purchase-request.json';

const demo = { complaint, 'it-support': itSupport, 'purchase-request': purchase } as unknown as Record<string, RequestTypeDefinition>;

describe('the demo request types round-trip through the model', () => {
  for (const [name, def] of Object.entries(demo)) {
    it(name, () => {
      const m = fromDefinition(def);
      expect(toDefinition(m)).toEqual(def);
      expect(fromDefinition(toDefinition(m))).toEqual(m);
    });
  }
});

describe('what the editor shows of a definition', () => {
  it('reads the inputs and keeps what it does not edit', () => {
    const m = fromDefinition(demo.complaint);
    expect(m).toMatchObject({ titleFa: 'شکایت', interaction: 'complaint', form: 'complaint', workflow: '', slaPolicy: 'standard', ownerGroup: 'customer-service', ownerPick: 'least-loaded', enteredBy: true, reopenDays: '14' });
    expect(Object.keys(m.rest).sort()).toEqual(['email', 'hours']);
  });

  it('edits keep the hours, email intake and a rule set choosing the policy', () => {
    const m = fromDefinition({ ...demo.complaint, sla: { ruleSet: 'sla-by-segment' } });
    const def = toDefinition({ ...m, titleEn: 'Complaints', channels: toggleChannel(m.channels, 'chat', false) });
    expect(def.title).toEqual({ en: 'Complaints', fa: 'شکایت' });
    expect(def.sla).toEqual({ ruleSet: 'sla-by-segment' });
    expect(def.channels).toEqual(['portal', 'api', 'phone', 'walk-in', 'email', 'mobile']);
    expect(def.hours).toEqual(demo.complaint.hours);
    expect(def.email).toEqual(demo.complaint.email);
    // a policy picked replaces the rule set
    expect(toDefinition({ ...m, slaPolicy: 'internal' }).sla).toEqual({ policy: 'internal' });
  });
});

describe('a new type', () => {
  it('sends only what was filled in', () => {
    const m = { ...emptyType('laptop'), titleEn: ' Laptop ', titleFa: 'لپ‌تاپ', category: 'it', interaction: 'approval', form: 'laptop-form', workflow: 'laptop-flow', slaPolicy: 'internal', ownerGroup: 'it-support' };
    expect(toDefinition(m)).toEqual({
      key: 'laptop',
      title: { en: 'Laptop', fa: 'لپ‌تاپ' },
      category: 'it',
      interaction: 'approval',
      form: 'laptop-form',
      workflow: 'laptop-flow',
      sla: { policy: 'internal' },
      channels: ['portal', 'api'],
      owner: { group: 'it-support' },
    });
  });

  it('leaves out what means "the default": the form\'s workflow, no SLA, every channel, no owner rule, never reopened', () => {
    const def = toDefinition({ ...emptyType('x1'), titleEn: 'X', titleFa: 'ایکس', form: 'f', channels: [], reopenDays: '0' });
    expect(Object.keys(def).sort()).toEqual(['form', 'interaction', 'key', 'title']);
  });

  it('sends a reopening period that is not a whole number as typed, for the server to refuse at its pointer', () => {
    expect(toDefinition({ ...emptyType('x1'), reopenDays: '7' }).reopenDays).toBe(7);
    expect(toDefinition({ ...emptyType('x1'), reopenDays: 'a week' }).reopenDays).toBe('a week');
  });

  it('says what is missing before saving', () => {
    const t = (k: string) => k;
    expect(localProblems(emptyType('A'), t).map((p) => p.pointer)).toEqual(['/key', '/title', '/form']);
    expect(localProblems({ ...emptyType('ok'), titleEn: 'a', titleFa: 'ب', form: 'f' }, t)).toEqual([]);
  });
});

describe('toggleChannel', () => {
  it('adds at the end and removes in place', () => {
    expect(toggleChannel(['portal', 'api'], 'phone', true)).toEqual(['portal', 'api', 'phone']);
    expect(toggleChannel(['portal', 'api', 'phone'], 'api', false)).toEqual(['portal', 'phone']);
    expect(toggleChannel(['portal'], 'portal', true)).toEqual(['portal']);
  });
});

describe('problems are placed under their inputs', () => {
  it('by the first segment of the pointer', () => {
    expect(inputOf('/sla/policy')).toBe('sla');
    expect(inputOf('/owner/group')).toBe('owner');
    expect(inputOf('/channels/2')).toBe('channels');
    expect(inputOf('/hours/phone')).toBeNull();
    expect(inputOf('')).toBeNull();
  });

  it('and what the editor does not show goes above it', () => {
    const placed = placeProblems([
      { pointer: '/form', code: 'definition', message: 'form "x" is not published' },
      { pointer: '/sla/policy', code: 'definition', message: 'policy "y" does not exist' },
      { pointer: '/hours/phone', code: 'definition', message: 'calendar "z" does not exist' },
    ]);
    expect(placed.at).toEqual({ form: ['form "x" is not published'], sla: ['policy "y" does not exist'] });
    expect(placed.general).toEqual(['calendar "z" does not exist']);
  });
});
