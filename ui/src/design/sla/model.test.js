import { describe, expect, it } from 'vitest';
import { calendarAnchors, calendarFromDefinition, calendarToDefinition, dayMinutes, endFromInput, endInput, inputID, nextRange, parseTarget, percentOf, placeProblems, policyAnchors, policyFromDefinition, policyToDefinition, recipients, shareOf, splitNames, targetText, timeZones, todayIn, weekOrder, weekSummary, withRecipient, withUsers, } from './model';
import always from './testdata/calendar-always.json';
import tehran from './testdata/calendar-tehran-office.json';
import internal from './testdata/policy-internal.json';
import standard from './testdata/policy-standard.json';
const calendars = { always, 'tehran-office': tehran };
const policies = { internal, standard };
describe('the demo calendars round-trip through the model', () => {
    for (const [key, def] of Object.entries(calendars)) {
        it(key, () => {
            const m = calendarFromDefinition(def, key);
            // The API fills the key in from the path; the editor writes it.
            expect(calendarToDefinition(m)).toEqual({ ...def, key });
            expect(calendarFromDefinition(calendarToDefinition(m), 'other')).toEqual(m);
        });
    }
});
describe('the demo policies round-trip through the model', () => {
    for (const [key, def] of Object.entries(policies)) {
        it(key, () => {
            const m = policyFromDefinition(def, key);
            expect(policyToDefinition(m)).toEqual({ ...def, key });
            expect(policyFromDefinition(policyToDefinition(m), 'other')).toEqual(m);
        });
    }
});
describe('a calendar as the editor shows it', () => {
    it('reads the week day by day and the holidays', () => {
        const m = calendarFromDefinition(tehran, 'tehran-office');
        expect(m.week.saturday).toEqual([{ from: '08:00', to: '16:00' }]);
        expect(m.week.thursday).toEqual([]);
        expect(m.holidays[0]).toEqual({ date: '2027-03-21', title: { en: 'Nowruz', fa: 'نوروز' }, halfDay: false, hours: [] });
        expect(calendarFromDefinition(always, 'always').always).toBe(true);
    });
    it('writes the edits: a closed day, a lunch break, a half day, a day ending at midnight', () => {
        const m = calendarFromDefinition(tehran, 'tehran-office');
        m.week.wednesday = [];
        m.week.saturday = [{ from: '08:00', to: '12:00' }, { from: '13:00', to: '17:00' }];
        m.week.sunday = [{ from: '16:00', to: endFromInput('00:00') }];
        m.holidays.push({ date: '2027-03-20', title: { en: '', fa: '' }, halfDay: true, hours: [{ from: '08:00', to: '12:00' }] });
        m.holidays[0].title.fa = '';
        const def = calendarToDefinition(m);
        expect(def.week).toEqual({ saturday: ['08:00-12:00', '13:00-17:00'], sunday: ['16:00-24:00'], monday: ['08:00-16:00'], tuesday: ['08:00-16:00'] });
        expect(def.holidays).toEqual([
            { date: '2027-03-21', title: { en: 'Nowruz' } },
            { date: '2027-03-22', title: { en: 'Nowruz', fa: 'نوروز' } },
            { date: '2027-03-20', hours: ['08:00-12:00'] },
        ]);
    });
    it('leaves the week out of a 24/7 calendar, and keeps it for when the switch goes off', () => {
        const m = calendarFromDefinition(tehran, 'tehran-office');
        m.always = true;
        const def = calendarToDefinition(m);
        expect(def.always).toBe(true);
        expect(def.week).toBeUndefined();
        m.always = false;
        expect(calendarToDefinition(m).week).toEqual(tehran.week);
    });
    it('keeps a half day switched on without hours as a whole day off, and unknown weekdays for the API to name', () => {
        const m = calendarFromDefinition({ timeZone: 'UTC', week: { funday: ['09:00-10:00'] }, holidays: [{ date: '2027-01-01' }] }, 'x');
        m.holidays[0].halfDay = true;
        const def = calendarToDefinition(m);
        expect(def.holidays).toEqual([{ date: '2027-01-01' }]);
        expect(def.week).toEqual({ funday: ['09:00-10:00'] });
    });
    it('shows 24:00, the end of a day, as a time input can: 00:00', () => {
        expect(endInput('24:00')).toBe('00:00');
        expect(endInput('16:00')).toBe('16:00');
        expect(endFromInput('00:00')).toBe('24:00');
        expect(endFromInput('16:30')).toBe('16:30');
    });
    it('offers office hours on a closed day and the hour after the last range otherwise', () => {
        expect(nextRange([])).toEqual({ from: '08:00', to: '16:00' });
        expect(nextRange([{ from: '08:00', to: '12:00' }])).toEqual({ from: '12:00', to: '13:00' });
        expect(nextRange([{ from: '20:00', to: '24:00' }])).toEqual({ from: '23:00', to: '24:00' });
    });
});
describe('the week', () => {
    it('starts on Saturday in Persian and Monday in English', () => {
        expect(weekOrder('fa')).toEqual(['saturday', 'sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday']);
        expect(weekOrder('en')[0]).toBe('monday');
        expect(weekOrder('en')[6]).toBe('sunday');
    });
    it("sums this week's working hours with its holidays closed", () => {
        const m = calendarFromDefinition(tehran, 'tehran-office');
        // Tuesday 2027-03-23: the Persian week from Saturday the 20th holds Nowruz (21st, 22nd).
        const fa = weekSummary(m, '2027-03-23', 'fa');
        expect(fa.days.map((d) => d.date)).toEqual(['2027-03-20', '2027-03-21', '2027-03-22', '2027-03-23', '2027-03-24', '2027-03-25', '2027-03-26']);
        expect(fa.days.map((d) => d.minutes)).toEqual([480, 0, 0, 480, 480, 0, 0]);
        expect(fa.days[1].holiday?.title.en).toBe('Nowruz');
        expect(fa.minutes).toBe(3 * 480);
        // From Monday the 22nd in English: Saturday the 27th is in it, Saturday the 20th is not.
        const en = weekSummary(m, '2027-03-23', 'en');
        expect(en.days[0]).toMatchObject({ date: '2027-03-22', weekday: 'monday', minutes: 0 });
        expect(en.days[5]).toMatchObject({ date: '2027-03-27', weekday: 'saturday', minutes: 480 });
        expect(en.minutes).toBe(4 * 480);
    });
    it('counts overlapping ranges once, and ranges that are not ranges not at all', () => {
        const r = (from, to) => ({ from, to });
        expect(dayMinutes([r('08:00', '16:00'), r('12:00', '13:00')])).toBe(480);
        expect(dayMinutes([r('13:00', '17:00'), r('08:00', '12:00')])).toBe(480);
        expect(dayMinutes([r('08:00', '12:00'), r('11:00', '14:00')])).toBe(360);
        expect(dayMinutes([r('16:00', '08:00'), r('8', '9'), r('22:00', '24:00')])).toBe(120);
    });
    it('counts a half day by its hours and a 24/7 calendar as the whole week', () => {
        const m = calendarFromDefinition(tehran, 'tehran-office');
        m.holidays.push({ date: '2027-03-20', title: {}, halfDay: true, hours: [{ from: '08:00', to: '12:00' }] });
        expect(weekSummary(m, '2027-03-20', 'fa').days[0].minutes).toBe(240);
        expect(weekSummary(calendarFromDefinition(always, 'always'), '2027-03-20', 'fa').minutes).toBe(7 * 24 * 60);
    });
    it("knows today's date in the calendar's zone, not the browser's", () => {
        const now = new Date('2027-03-20T21:00:00Z'); // 00:30 on the 21st in Tehran
        expect(todayIn('Asia/Tehran', now)).toBe('2027-03-21');
        expect(todayIn('Europe/London', now)).toBe('2027-03-20');
        expect(todayIn('Not/AZone', now)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });
    it("lists the browser's zones with UTC, or a few where the browser cannot say", () => {
        expect(timeZones({ supportedValuesOf: () => ['Asia/Tehran', 'Europe/London'] })).toEqual(['UTC', 'Asia/Tehran', 'Europe/London']);
        expect(timeZones({})).toContain('Asia/Tehran');
        expect(timeZones()).toContain('Asia/Tehran');
    });
});
describe('targets as hours and minutes', () => {
    it.each([
        ['4h', 4, 0],
        ['4h30m', 4, 30],
        ['90m', 1, 30],
        ['1.5h', 1, 30],
        ['48h', 48, 0],
        ['2h0m0s', 2, 0],
        ['45m', 0, 45],
    ])('reads %s', (text, hours, minutes) => {
        expect(parseTarget(text)).toEqual({ hours, minutes });
    });
    it.each(['', '4x', '4', '1h30s', '30ms', 'h'])('keeps %j as written', (text) => {
        expect(parseTarget(text)).toBeNull();
    });
    it.each([
        [4, 30, '4h30m'],
        [4, 0, '4h'],
        [0, 45, '45m'],
        [48, 0, '48h'],
        [1, 90, '2h30m'],
        [0, 0, '0m'],
    ])('writes %i h %i min as %s', (hours, minutes, text) => {
        expect(targetText(hours, minutes)).toBe(text);
        expect(parseTarget(text)).toEqual({ hours: Math.floor((hours * 60 + minutes) / 60), minutes: (hours * 60 + minutes) % 60 });
    });
    it('shows the warning share as a percentage', () => {
        expect(percentOf(0.75)).toBe(75);
        expect(percentOf(0.07)).toBe(7);
        expect(percentOf(undefined)).toBeUndefined();
        expect(shareOf(75)).toBe(0.75);
        expect(shareOf(33.33)).toBe(0.3333);
        expect(shareOf(0)).toBeUndefined();
        expect(shareOf(Number.NaN)).toBeUndefined();
    });
});
describe('who an escalation notifies', () => {
    it('sorts the list and edits it in place', () => {
        const list = ['owner', 'maryam', 'group:it', 'supervisor'];
        expect(recipients(list)).toEqual({ owner: true, supervisor: true, users: ['maryam'], groups: ['it'] });
        expect(withRecipient(list, 'owner', false)).toEqual(['maryam', 'group:it', 'supervisor']);
        expect(withRecipient(['owner'], 'group:billing', true)).toEqual(['owner', 'group:billing']);
        expect(withUsers(list, ['reza', 'reza', 'omid'])).toEqual(['owner', 'group:it', 'supervisor', 'reza', 'omid']);
        expect(splitNames('reza, omid،maryam  sara')).toEqual(['reza', 'omid', 'maryam', 'sara']);
    });
    it('writes a breach escalation to the supervisor raising the priority', () => {
        const m = policyFromDefinition(internal, 'internal');
        m.resolution.escalations.push({ on: 'breach', notify: withRecipient([], 'supervisor', true), priority: 'urgent', reassign: ' ' });
        m.firstResponse.warning = shareOf(75);
        m.firstResponse.target = targetText(4, 30);
        m.resolution.escalations[0].notify = [];
        const def = policyToDefinition(m);
        expect(def.firstResponse).toEqual({ target: '4h30m', warning: 0.75 });
        expect(def.resolution.escalations).toEqual([{ on: 'breach' }, { on: 'breach', notify: ['supervisor'], priority: 'urgent' }]);
    });
    it('leaves out a goal switched off', () => {
        const m = policyFromDefinition(standard, 'standard');
        m.firstResponse = null;
        expect(Object.keys(policyToDefinition(m))).not.toContain('firstResponse');
    });
});
describe('problems land on the inputs their pointers name', () => {
    const where = (problems, anchors) => placeProblems(problems.map((pointer) => ({ pointer, message: pointer })), anchors).all.map((p) => p.input);
    it('on a calendar', () => {
        const m = calendarFromDefinition({ timeZone: 'Asia/Tehran', week: { saturday: ['08:00-16:00', '12:00-13:00'] }, holidays: [{ date: '2027-02-30' }, { date: '2027-03-20', hours: ['08:00-12:00'] }] }, 'c');
        expect(where(['/holidays/0/date', '/week/saturday/1', '/holidays/0', '/holidays/1/hours/0', '/week', '/week/funday', '/timeZone', '/title/fa', '/week/sunday/0', '', '/key'], calendarAnchors(m))).toEqual([
            'sla-holidays-0-date',
            'sla-week-saturday-1',
            'sla-holidays-0-date',
            'sla-holidays-1-hours-0',
            'sla-week',
            'sla-week',
            'sla-timeZone',
            'sla-title-fa',
            'sla-week-sunday', // a range no longer there: its day
            null,
            null,
        ]);
        m.always = true;
        expect(where(['/week', '/week/saturday/1'], calendarAnchors(m))).toEqual(['sla-always', 'sla-always']);
    });
    it('on a policy', () => {
        const m = policyFromDefinition(standard, 'standard');
        m.resolution = null;
        expect(where(['/calendar', '/firstResponse/target', '/firstResponse/warning', '/firstResponse/escalations/0', '/firstResponse/escalations/1/on', '/firstResponse/escalations/1/notify/1', '/firstResponse/escalations/0/reassign', '/resolution/target', ''], policyAnchors(m))).toEqual([
            'sla-calendar',
            'sla-firstResponse-target',
            'sla-firstResponse-warning',
            'sla-firstResponse-escalations-0-on',
            'sla-firstResponse-escalations-1-on',
            'sla-firstResponse-escalations-1-notify',
            'sla-firstResponse-escalations-0-reassign',
            'sla-resolution',
            null,
        ]);
    });
    it('gathers the messages of one input', () => {
        const m = calendarFromDefinition(tehran, 't');
        const placed = placeProblems([
            { pointer: '/week/saturday/0', message: 'a' },
            { pointer: '/week/saturday/0', message: 'b' },
            { pointer: '', message: 'c' },
        ], calendarAnchors(m));
        expect(placed.at.get(inputID('/week/saturday/0'))).toEqual(['a', 'b']);
        expect(placed.at.size).toBe(1);
    });
});
