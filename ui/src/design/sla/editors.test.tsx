// The editors draw an input for every place the models' anchors name, so
// that a problem's pointer always lands on something on the page.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import '../../i18n';
import { SessionProvider } from '../../session';
import { ProblemsAt } from './DraftEditor';
import { calendarSpec } from './CalendarEditor';
import { policySpec } from './PolicyEditor';
import { calendarAnchors, calendarFromDefinition, inputID, policyAnchors, policyFromDefinition } from './model';
import tehran from './testdata/calendar-tehran-office.json';
import standard from './testdata/policy-standard.json';

afterEach(cleanup);

const noChange = () => {};

describe('every anchor has its input', () => {
  it('on the calendar editor', () => {
    const model = calendarFromDefinition(tehran, 'tehran-office');
    model.holidays.push({ date: '2027-03-20', title: {}, halfDay: true, hours: [{ from: '08:00', to: '12:00' }] });
    model.week.saturday.push({ from: '13:00', to: '17:00' });
    const problems = new Map([[inputID('/week/saturday/1'), ['"13:00-17:00" is wrong']]]);
    render(
      <MemoryRouter>
        <ProblemsAt.Provider value={problems}>
          <calendarSpec.Form model={model} change={noChange} />
        </ProblemsAt.Provider>
      </MemoryRouter>,
    );
    const missing = [...calendarAnchors(model).entries()].filter(([, id]) => !document.getElementById(id));
    expect(missing).toEqual([]);
    const range = document.getElementById('sla-week-saturday-1')!;
    expect(range.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(range.getAttribute('aria-describedby')!)?.textContent).toContain('"13:00-17:00" is wrong');
    expect(document.getElementById('sla-week-saturday-0')!.hasAttribute('aria-invalid')).toBe(false);
  });

  it('on a 24/7 calendar, where the week is the switch', () => {
    const model = calendarFromDefinition({ timeZone: 'UTC', always: true }, 'always');
    render(<calendarSpec.Form model={model} change={noChange} />);
    expect([...calendarAnchors(model).values()].filter((id) => !document.getElementById(id))).toEqual([]);
    expect(document.querySelector('[data-testid=sla-week]')).toBeNull();
  });

  it('on the policy editor', () => {
    const model = policyFromDefinition(standard, 'standard');
    render(
      <SessionProvider>
        <policySpec.Form model={model} change={noChange} />
      </SessionProvider>,
    );
    const missing = [...policyAnchors(model).entries()].filter(([, id]) => !document.getElementById(id));
    expect(missing).toEqual([]);
    expect((document.getElementById('sla-firstResponse-warning') as HTMLInputElement).value).toBe('75');
    expect((document.getElementById('sla-resolution-target') as HTMLInputElement).value).toBe('16');
  });
});
