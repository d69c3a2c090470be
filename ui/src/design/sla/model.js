// The calendars' and SLA policies' editors work on models of the two
// definitions (docs/sla.md): this file maps each to and from the JSON the
// API stores, and places the API's problems (JSON pointers into that JSON)
// on the inputs that edit what they point at. Nothing here computes
// business time: the server is the authority on due times.
// --- Calendars --------------------------------------------------------------
/** The weekdays as the calendar format names them, in JavaScript's order (getDay). */
export const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
/** parseRange splits "08:00-16:00" into its ends; text without a dash is kept as its start. */
export function parseRange(s) {
    const i = s.indexOf('-');
    return i < 0 ? { from: s, to: '' } : { from: s.slice(0, i), to: s.slice(i + 1) };
}
/** rangeText writes a range as the API reads it. */
export function rangeText(r) {
    return `${r.from}-${r.to}`;
}
/**
 * endInput is the value a time input shows for the end of a range. A time
 * input cannot hold 24:00, which ends a day, so midnight (00:00) stands
 * for it: a range never ends at the midnight it starts after.
 */
export function endInput(to) {
    return to === '24:00' ? '00:00' : to;
}
/** endFromInput is the end of a range a time input's value means (00:00: the end of the day). */
export function endFromInput(v) {
    return v === '00:00' ? '24:00' : v;
}
/** minutesOf answers "HH:MM" as minutes after midnight, or null when it is not such a time. */
export function minutesOf(hhmm) {
    const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
    if (!m)
        return null;
    const n = Number(m[1]) * 60 + Number(m[2]);
    return n > 24 * 60 ? null : n;
}
/**
 * dayMinutes is the working time of a day's ranges, counted once where
 * ranges overlap (an overlap is refused at save, but the summary is read
 * while it is being typed).
 */
export function dayMinutes(ranges) {
    const spans = ranges
        .map((r) => [minutesOf(r.from), minutesOf(r.to)])
        .filter((s) => s[0] !== null && s[1] !== null && s[1] > s[0])
        .sort((a, b) => a[0] - b[0]);
    let total = 0;
    let end = 0;
    for (const [from, to] of spans) {
        if (to <= end)
            continue;
        total += to - Math.max(from, end);
        end = to;
    }
    return total;
}
function hhmm(minutes) {
    return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
/**
 * nextRange is the range "add hours" offers: office hours on a closed day,
 * else the hour after the last range (ranges must be in order and apart).
 */
export function nextRange(ranges) {
    const last = ranges.length ? minutesOf(ranges[ranges.length - 1].to) : null;
    if (last === null)
        return { from: '08:00', to: '16:00' };
    const from = Math.min(last, 23 * 60);
    return { from: hhmm(from), to: hhmm(Math.min(from + 60, 24 * 60)) };
}
const emptyWeek = () => Object.fromEntries(weekdays.map((d) => [d, []]));
const isWeekday = (d) => weekdays.includes(d);
/** calendarFromDefinition reads a stored calendar (key from the path when the body has none). */
export function calendarFromDefinition(def, key) {
    const week = emptyWeek();
    const otherDays = {};
    for (const [day, ranges] of Object.entries(def.week ?? {})) {
        if (isWeekday(day))
            week[day] = (ranges ?? []).map(parseRange);
        else
            otherDays[day] = ranges;
    }
    return {
        key: def.key || key,
        title: { ...(def.title ?? {}) },
        category: def.category ?? '',
        timeZone: def.timeZone ?? '',
        always: def.always ?? false,
        week,
        otherDays,
        holidays: (def.holidays ?? []).map((h) => ({ date: h.date, title: { ...(h.title ?? {}) }, halfDay: (h.hours?.length ?? 0) > 0, hours: (h.hours ?? []).map(parseRange) })),
    };
}
/** textsOut drops empty translations; an empty text is no text at all. */
function textsOut(t) {
    const out = Object.fromEntries(Object.entries(t).filter(([, v]) => v.trim() !== ''));
    return Object.keys(out).length ? out : undefined;
}
/**
 * calendarToDefinition writes the calendar the API stores: closed days are
 * not named, an always-open calendar has no week (the API refuses one),
 * and a holiday has hours only when it is a half day.
 */
export function calendarToDefinition(m) {
    const def = { key: m.key, title: textsOut(m.title) ?? {}, timeZone: m.timeZone };
    if (m.category)
        def.category = m.category;
    if (m.always)
        def.always = true;
    else {
        const week = { ...m.otherDays };
        for (const d of weekdays)
            if (m.week[d].length)
                week[d] = m.week[d].map(rangeText);
        if (Object.keys(week).length)
            def.week = week;
    }
    if (m.holidays.length) {
        def.holidays = m.holidays.map((h) => {
            const out = { date: h.date };
            const title = textsOut(h.title);
            if (title)
                out.title = title;
            if (h.halfDay && h.hours.length)
                out.hours = h.hours.map(rangeText);
            return out;
        });
    }
    return def;
}
/** newCalendar is the draft a new calendar starts as: no hours yet, in the given zone. */
export function newCalendar(key, title, category, timeZone) {
    return { key, title: textsOut(title) ?? {}, ...(category ? { category } : {}), timeZone };
}
/**
 * weekOrder lists the weekdays from the language's first day: Saturday in
 * Persian (the Iranian week), Monday in English (the app writes English
 * as en-GB).
 */
export function weekOrder(lang) {
    const first = lang === 'fa' ? 6 : 1;
    return weekdays.map((_, i) => weekdays[(first + i) % 7]);
}
/** addDays answers the ISO date n days after date (UTC arithmetic on a calendar date). */
export function addDays(date, n) {
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
}
/** weekdayOf answers the weekday of an ISO date. */
export function weekdayOf(date) {
    return weekdays[new Date(`${date}T00:00:00Z`).getUTCDay()];
}
/**
 * weekSummary is the working hours of the week that holds today (an ISO
 * date in the calendar's zone), from the language's first day, with the
 * holidays of that week in place of their weekday's hours. It only reads
 * the calendar back; deadlines are the server's to compute.
 */
export function weekSummary(m, today, lang) {
    const order = weekOrder(lang);
    const start = addDays(today, -order.indexOf(weekdayOf(today)));
    const days = order.map((weekday, i) => {
        const date = addDays(start, i);
        const holiday = m.holidays.find((h) => h.date === date);
        const ranges = m.always ? [{ from: '00:00', to: '24:00' }] : holiday ? (holiday.halfDay ? holiday.hours : []) : m.week[weekday];
        return { date, weekday, ranges, minutes: dayMinutes(ranges), ...(holiday ? { holiday } : {}) };
    });
    return { days, minutes: days.reduce((n, d) => n + d.minutes, 0) };
}
/** todayIn answers today's ISO date in an IANA zone (the browser's own when the zone is unknown). */
export function todayIn(timeZone, now = new Date()) {
    const fmt = (tz) => new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
    try {
        return fmt(timeZone || undefined);
    }
    catch {
        return fmt();
    }
}
/** A few zones for browsers without Intl.supportedValuesOf. */
const someZones = ['UTC', 'Asia/Tehran', 'Asia/Dubai', 'Asia/Kabul', 'Asia/Istanbul', 'Europe/London', 'Europe/Berlin', 'Europe/Paris', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo'];
/** timeZones lists the IANA zones the browser knows (a short list where it cannot say), UTC included. */
export function timeZones(intl = Intl) {
    let zones;
    try {
        zones = intl.supportedValuesOf?.('timeZone') ?? someZones;
    }
    catch {
        zones = someZones;
    }
    return zones.includes('UTC') ? zones : ['UTC', ...zones];
}
// --- SLA policies -----------------------------------------------------------
/** The goals a policy may set, in the order the editor shows them. */
export const goalNames = ['firstResponse', 'resolution'];
function goalIn(g) {
    if (!g)
        return null;
    return {
        target: g.target ?? '',
        ...(g.warning ? { warning: g.warning } : {}),
        escalations: (g.escalations ?? []).map((e) => ({ on: e.on ?? '', notify: [...(e.notify ?? [])], priority: e.priority ?? '', reassign: e.reassign ?? '' })),
    };
}
function goalOut(g) {
    const out = { target: g.target };
    if (g.warning)
        out.warning = g.warning;
    if (g.escalations.length) {
        out.escalations = g.escalations.map((e) => ({
            on: e.on,
            ...(e.notify.length ? { notify: e.notify } : {}),
            ...(e.priority ? { priority: e.priority } : {}),
            ...(e.reassign.trim() ? { reassign: e.reassign.trim() } : {}),
        }));
    }
    return out;
}
/** policyFromDefinition reads a stored policy (key from the path when the body has none). */
export function policyFromDefinition(def, key) {
    return {
        key: def.key || key,
        title: { ...(def.title ?? {}) },
        category: def.category ?? '',
        calendar: def.calendar ?? '',
        firstResponse: goalIn(def.firstResponse),
        resolution: goalIn(def.resolution),
    };
}
/** policyToDefinition writes the policy the API stores: goals not set, empty lists and choices are left out. */
export function policyToDefinition(m) {
    const def = { key: m.key, title: textsOut(m.title) ?? {}, calendar: m.calendar };
    if (m.category)
        def.category = m.category;
    for (const g of goalNames) {
        const goal = m[g];
        if (goal)
            def[g] = goalOut(goal);
    }
    return def;
}
/** newPolicy is the draft a new policy starts as: both goals, at the demo's standard targets, on a calendar. */
export function newPolicy(key, title, category, calendar) {
    return { key, title: textsOut(title) ?? {}, ...(category ? { category } : {}), calendar, firstResponse: { target: '4h' }, resolution: { target: '16h' } };
}
/** newGoal is a goal switched on in the editor. */
export const newGoal = () => ({ target: '8h', escalations: [] });
/** newEscalation is the escalation "add" offers: tell the owner at the breach. */
export const newEscalation = (on) => ({ on, notify: ['owner'], priority: '', reassign: '' });
/**
 * parseTarget reads a target as whole hours and minutes ("4h30m", "90m",
 * "1.5h", "2h0m0s"); null when it is not a whole number of minutes in Go's
 * duration syntax, in which case the editor shows the text as written.
 */
export function parseTarget(s) {
    const m = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?$/.exec(s.trim());
    if (!m || !s.trim())
        return null;
    const seconds = Math.round(Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0));
    if (seconds % 60 !== 0)
        return null;
    const minutes = seconds / 60;
    return { hours: Math.floor(minutes / 60), minutes: minutes % 60 };
}
/** targetText writes hours and minutes as a target: "4h30m", "4h", "45m" ("0m" for nothing, which the API refuses). */
export function targetText(hours, minutes) {
    const total = Math.max(0, Math.round((hours || 0) * 60 + (minutes || 0)));
    const h = Math.floor(total / 60);
    const min = total % 60;
    if (!h)
        return `${min}m`;
    return min ? `${h}h${min}m` : `${h}h`;
}
/** percentOf shows a warning share as a percentage (0.75 -> 75). */
export function percentOf(share) {
    return share === undefined ? undefined : Math.round(share * 10000) / 100;
}
/** shareOf reads a percentage as a warning share (75 -> 0.75); empty or zero is no warning. */
export function shareOf(percent) {
    return percent === undefined || Number.isNaN(percent) || percent === 0 ? undefined : Math.round(percent * 100) / 10000;
}
const isUser = (r) => r !== 'owner' && r !== 'supervisor' && !r.startsWith('group:');
/** recipients sorts a notify list into the owner, the supervisor, users and groups. */
export function recipients(notify) {
    return {
        owner: notify.includes('owner'),
        supervisor: notify.includes('supervisor'),
        users: notify.filter(isUser),
        groups: notify.filter((r) => r.startsWith('group:')).map((r) => r.slice('group:'.length)),
    };
}
/** withRecipient adds (on) or removes one entry of a notify list, leaving the rest in order. */
export function withRecipient(notify, entry, on) {
    const without = notify.filter((r) => r !== entry);
    return on ? [...without, entry] : without;
}
/** withUsers replaces the users of a notify list, keeping the owner, supervisor and groups in place. */
export function withUsers(notify, users) {
    const kept = notify.filter((r) => !isUser(r));
    return [...kept, ...users.filter((u, i) => u && users.indexOf(u) === i && !kept.includes(u))];
}
/** splitNames reads a typed list of usernames or keys: commas (Latin or Persian) or spaces between. */
export function splitNames(s) {
    return s.split(/[\s,،]+/).filter(Boolean);
}
// --- Problems on inputs -----------------------------------------------------
/**
 * inputID is the id of the input that edits what pointer names
 * ("/week/saturday/1" -> "sla-week-saturday-1"); keys are letters, digits
 * and hyphens, so the id is valid as is.
 */
export function inputID(pointer) {
    return `sla${pointer.replace(/[^A-Za-z0-9-]+/g, '-')}`;
}
function anchor(map, pointer, at = pointer) {
    map.set(pointer, inputID(at));
}
const textAnchors = (map, base) => ['en', 'fa'].forEach((l) => anchor(map, `${base}/title/${l}`));
/**
 * calendarAnchors lists where a calendar's inputs are: titles, category,
 * zone, the 24/7 switch, the week (its group; the switch when the
 * calendar is always open), each day (its "add hours" button) and each of
 * its ranges (the range's start), each holiday's date, titles, half-day
 * switch and ranges. A holiday's own pointer lands on its date.
 */
export function calendarAnchors(m) {
    const map = new Map();
    textAnchors(map, '');
    ['/category', '/timeZone', '/always', '/holidays'].forEach((p) => anchor(map, p));
    anchor(map, '/week', m.always ? '/always' : '/week');
    if (!m.always) {
        for (const d of weekdays) {
            anchor(map, `/week/${d}`);
            m.week[d].forEach((_, i) => anchor(map, `/week/${d}/${i}`));
        }
    }
    m.holidays.forEach((h, i) => {
        const at = `/holidays/${i}`;
        anchor(map, at, `${at}/date`);
        anchor(map, `${at}/date`);
        textAnchors(map, at);
        anchor(map, `${at}/hours`);
        if (h.halfDay)
            h.hours.forEach((_, j) => anchor(map, `${at}/hours/${j}`));
    });
    return map;
}
/**
 * policyAnchors lists where a policy's inputs are: titles, category,
 * calendar, each goal (its switch), target (the hours), warning,
 * escalations (the "add" button) and each escalation's moment (its own
 * pointer too), people to notify (the owner's box), priority and the user
 * it reassigns to.
 */
export function policyAnchors(m) {
    const map = new Map();
    textAnchors(map, '');
    ['/category', '/calendar'].forEach((p) => anchor(map, p));
    for (const g of goalNames) {
        anchor(map, `/${g}`);
        const goal = m[g];
        if (!goal)
            continue;
        ['target', 'warning', 'escalations'].forEach((f) => anchor(map, `/${g}/${f}`));
        goal.escalations.forEach((_, i) => {
            const at = `/${g}/escalations/${i}`;
            anchor(map, at, `${at}/on`);
            ['on', 'notify', 'priority', 'reassign'].forEach((f) => anchor(map, `${at}/${f}`));
        });
    }
    return map;
}
/**
 * placeProblems puts each problem at the input its pointer names, or at
 * the nearest input above it ("/week/saturday/1/x" at the range, a pointer
 * into a goal the editor has no input for at the goal's switch); a pointer
 * with no input on its way up (the whole definition) has none.
 */
export function placeProblems(problems, anchors) {
    const at = new Map();
    const all = problems.map((problem) => {
        let p = problem.pointer ?? '';
        while (p && !anchors.has(p))
            p = p.slice(0, p.lastIndexOf('/'));
        const input = p ? (anchors.get(p) ?? null) : null;
        if (input)
            at.set(input, [...(at.get(input) ?? []), problem.message]);
        return { problem, input };
    });
    return { at, all };
}
