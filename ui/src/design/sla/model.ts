// The calendars' and SLA policies' editors work on models of the two
// definitions (docs/sla.md): this file maps each to and from the JSON the
// API stores, and places the API's problems (JSON pointers into that JSON)
// on the inputs that edit what they point at. Nothing here computes
// business time: the server is the authority on due times.

/** A problem of a draft or a refused publish (docs/api.md, "Problems"). */
export interface DefinitionProblem {
  pointer: string;
  code?: string;
  message: string;
}

/** A text in several languages; the editors edit English and Persian and keep any other. */
export type Texts = Record<string, string>;

// --- Calendars --------------------------------------------------------------

/** The weekdays as the calendar format names them, in JavaScript's order (getDay). */
export const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof weekdays)[number];

/** A calendar as the API stores it. */
export interface CalendarDefinition {
  key?: string;
  title?: Texts;
  category?: string;
  timeZone?: string;
  always?: boolean;
  week?: Record<string, string[]>;
  holidays?: { date: string; title?: Texts; hours?: string[] }[];
}

/** One range of working hours, "HH:MM" each; to may be "24:00", the end of a day. */
export interface Range {
  from: string;
  to: string;
}

/** A holiday: closed all day, or (halfDay) worked only in its hours. */
export interface Holiday {
  date: string;
  title: Texts;
  halfDay: boolean;
  hours: Range[];
}

/** CalendarModel is a calendar as its editor shows it. */
export interface CalendarModel {
  key: string;
  title: Texts;
  category: string;
  timeZone: string;
  always: boolean;
  /** Every weekday's ranges, in the order written; none is a closed day. */
  week: Record<Weekday, Range[]>;
  /** Days of the week the editor does not know (a typo), kept so the API can say what is wrong. */
  otherDays: Record<string, string[]>;
  holidays: Holiday[];
}

/** parseRange splits "08:00-16:00" into its ends; text without a dash is kept as its start. */
export function parseRange(s: string): Range {
  const i = s.indexOf('-');
  return i < 0 ? { from: s, to: '' } : { from: s.slice(0, i), to: s.slice(i + 1) };
}

/** rangeText writes a range as the API reads it. */
export function rangeText(r: Range): string {
  return `${r.from}-${r.to}`;
}

/**
 * endInput is the value a time input shows for the end of a range. A time
 * input cannot hold 24:00, which ends a day, so midnight (00:00) stands
 * for it: a range never ends at the midnight it starts after.
 */
export function endInput(to: string): string {
  return to === '24:00' ? '00:00' : to;
}

/** endFromInput is the end of a range a time input's value means (00:00: the end of the day). */
export function endFromInput(v: string): string {
  return v === '00:00' ? '24:00' : v;
}

/** minutesOf answers "HH:MM" as minutes after midnight, or null when it is not such a time. */
export function minutesOf(hhmm: string): number | null {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  if (!m) return null;
  const n = Number(m[1]) * 60 + Number(m[2]);
  return n > 24 * 60 ? null : n;
}

/**
 * dayMinutes is the working time of a day's ranges, counted once where
 * ranges overlap (an overlap is refused at save, but the summary is read
 * while it is being typed).
 */
export function dayMinutes(ranges: Range[]): number {
  const spans = ranges
    .map((r) => [minutesOf(r.from), minutesOf(r.to)] as const)
    .filter((s): s is readonly [number, number] => s[0] !== null && s[1] !== null && s[1] > s[0])
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = 0;
  for (const [from, to] of spans) {
    if (to <= end) continue;
    total += to - Math.max(from, end);
    end = to;
  }
  return total;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * nextRange is the range "add hours" offers: office hours on a closed day,
 * else the hour after the last range (ranges must be in order and apart).
 */
export function nextRange(ranges: Range[]): Range {
  const last = ranges.length ? minutesOf(ranges[ranges.length - 1].to) : null;
  if (last === null) return { from: '08:00', to: '16:00' };
  const from = Math.min(last, 23 * 60);
  return { from: hhmm(from), to: hhmm(Math.min(from + 60, 24 * 60)) };
}

const emptyWeek = (): Record<Weekday, Range[]> => Object.fromEntries(weekdays.map((d) => [d, []])) as unknown as Record<Weekday, Range[]>;

const isWeekday = (d: string): d is Weekday => (weekdays as readonly string[]).includes(d);

/** calendarFromDefinition reads a stored calendar (key from the path when the body has none). */
export function calendarFromDefinition(def: CalendarDefinition, key: string): CalendarModel {
  const week = emptyWeek();
  const otherDays: Record<string, string[]> = {};
  for (const [day, ranges] of Object.entries(def.week ?? {})) {
    if (isWeekday(day)) week[day] = (ranges ?? []).map(parseRange);
    else otherDays[day] = ranges;
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
function textsOut(t: Texts): Texts | undefined {
  const out = Object.fromEntries(Object.entries(t).filter(([, v]) => v.trim() !== ''));
  return Object.keys(out).length ? out : undefined;
}

/**
 * calendarToDefinition writes the calendar the API stores: closed days are
 * not named, an always-open calendar has no week (the API refuses one),
 * and a holiday has hours only when it is a half day.
 */
export function calendarToDefinition(m: CalendarModel): CalendarDefinition {
  const def: CalendarDefinition = { key: m.key, title: textsOut(m.title) ?? {}, timeZone: m.timeZone };
  if (m.category) def.category = m.category;
  if (m.always) def.always = true;
  else {
    const week: Record<string, string[]> = { ...m.otherDays };
    for (const d of weekdays) if (m.week[d].length) week[d] = m.week[d].map(rangeText);
    if (Object.keys(week).length) def.week = week;
  }
  if (m.holidays.length) {
    def.holidays = m.holidays.map((h) => {
      const out: { date: string; title?: Texts; hours?: string[] } = { date: h.date };
      const title = textsOut(h.title);
      if (title) out.title = title;
      if (h.halfDay && h.hours.length) out.hours = h.hours.map(rangeText);
      return out;
    });
  }
  return def;
}

/** newCalendar is the draft a new calendar starts as: no hours yet, in the given zone. */
export function newCalendar(key: string, title: Texts, category: string, timeZone: string): CalendarDefinition {
  return { key, title: textsOut(title) ?? {}, ...(category ? { category } : {}), timeZone };
}

/**
 * weekOrder lists the weekdays from the language's first day: Saturday in
 * Persian (the Iranian week), Monday in English (the app writes English
 * as en-GB).
 */
export function weekOrder(lang: string): Weekday[] {
  const first = lang === 'fa' ? 6 : 1;
  return weekdays.map((_, i) => weekdays[(first + i) % 7]);
}

/** One day of the week's summary. */
export interface DaySummary {
  date: string;
  weekday: Weekday;
  ranges: Range[];
  minutes: number;
  /** The holiday that changes this day, if any. */
  holiday?: Holiday;
}

/** addDays answers the ISO date n days after date (UTC arithmetic on a calendar date). */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** weekdayOf answers the weekday of an ISO date. */
export function weekdayOf(date: string): Weekday {
  return weekdays[new Date(`${date}T00:00:00Z`).getUTCDay()];
}

/**
 * weekSummary is the working hours of the week that holds today (an ISO
 * date in the calendar's zone), from the language's first day, with the
 * holidays of that week in place of their weekday's hours. It only reads
 * the calendar back; deadlines are the server's to compute.
 */
export function weekSummary(m: CalendarModel, today: string, lang: string): { days: DaySummary[]; minutes: number } {
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
export function todayIn(timeZone: string, now = new Date()): string {
  const fmt = (tz?: string) => new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  try {
    return fmt(timeZone || undefined);
  } catch {
    return fmt();
  }
}

/** A few zones for browsers without Intl.supportedValuesOf. */
const someZones = ['UTC', 'Asia/Tehran', 'Asia/Dubai', 'Asia/Kabul', 'Asia/Istanbul', 'Europe/London', 'Europe/Berlin', 'Europe/Paris', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo'];

/** timeZones lists the IANA zones the browser knows (a short list where it cannot say), UTC included. */
export function timeZones(intl: { supportedValuesOf?: (k: 'timeZone') => string[] } = Intl as never): string[] {
  let zones: string[];
  try {
    zones = intl.supportedValuesOf?.('timeZone') ?? someZones;
  } catch {
    zones = someZones;
  }
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

// --- SLA policies -----------------------------------------------------------

/** The goals a policy may set, in the order the editor shows them. */
export const goalNames = ['firstResponse', 'resolution'] as const;
export type GoalName = (typeof goalNames)[number];

/** What the engine does when a goal warns or is breached. */
export interface Escalation {
  on: string;
  /** "owner", "supervisor", usernames and "group:<key>", as written. */
  notify: string[];
  priority: string;
  reassign: string;
}

/** One goal of a policy: its target in business time ("4h30m"), warning share and escalations. */
export interface Goal {
  target: string;
  /** The share of the target after which the goal warns (0.75); undefined: no warning. */
  warning?: number;
  escalations: Escalation[];
}

/** An SLA policy as the API stores it. */
export interface PolicyDefinition {
  key?: string;
  title?: Texts;
  category?: string;
  calendar?: string;
  firstResponse?: GoalDefinition;
  resolution?: GoalDefinition;
}

interface GoalDefinition {
  target: string;
  warning?: number;
  escalations?: { on: string; notify?: string[]; priority?: string; reassign?: string }[];
}

/** PolicyModel is a policy as its editor shows it; a goal the policy does not set is null. */
export interface PolicyModel {
  key: string;
  title: Texts;
  category: string;
  calendar: string;
  firstResponse: Goal | null;
  resolution: Goal | null;
}

function goalIn(g: GoalDefinition | undefined): Goal | null {
  if (!g) return null;
  return {
    target: g.target ?? '',
    ...(g.warning ? { warning: g.warning } : {}),
    escalations: (g.escalations ?? []).map((e) => ({ on: e.on ?? '', notify: [...(e.notify ?? [])], priority: e.priority ?? '', reassign: e.reassign ?? '' })),
  };
}

function goalOut(g: Goal): GoalDefinition {
  const out: GoalDefinition = { target: g.target };
  if (g.warning) out.warning = g.warning;
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
export function policyFromDefinition(def: PolicyDefinition, key: string): PolicyModel {
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
export function policyToDefinition(m: PolicyModel): PolicyDefinition {
  const def: PolicyDefinition = { key: m.key, title: textsOut(m.title) ?? {}, calendar: m.calendar };
  if (m.category) def.category = m.category;
  for (const g of goalNames) {
    const goal = m[g];
    if (goal) def[g] = goalOut(goal);
  }
  return def;
}

/** newPolicy is the draft a new policy starts as: both goals, at the demo's standard targets, on a calendar. */
export function newPolicy(key: string, title: Texts, category: string, calendar: string): PolicyDefinition {
  return { key, title: textsOut(title) ?? {}, ...(category ? { category } : {}), calendar, firstResponse: { target: '4h' }, resolution: { target: '16h' } };
}

/** newGoal is a goal switched on in the editor. */
export const newGoal = (): Goal => ({ target: '8h', escalations: [] });

/** newEscalation is the escalation "add" offers: tell the owner at the breach. */
export const newEscalation = (on: string): Escalation => ({ on, notify: ['owner'], priority: '', reassign: '' });

/**
 * parseTarget reads a target as whole hours and minutes ("4h30m", "90m",
 * "1.5h", "2h0m0s"); null when it is not a whole number of minutes in Go's
 * duration syntax, in which case the editor shows the text as written.
 */
export function parseTarget(s: string): { hours: number; minutes: number } | null {
  const m = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?$/.exec(s.trim());
  if (!m || !s.trim()) return null;
  const seconds = Math.round(Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0));
  if (seconds % 60 !== 0) return null;
  const minutes = seconds / 60;
  return { hours: Math.floor(minutes / 60), minutes: minutes % 60 };
}

/** targetText writes hours and minutes as a target: "4h30m", "4h", "45m" ("0m" for nothing, which the API refuses). */
export function targetText(hours: number, minutes: number): string {
  const total = Math.max(0, Math.round((hours || 0) * 60 + (minutes || 0)));
  const h = Math.floor(total / 60);
  const min = total % 60;
  if (!h) return `${min}m`;
  return min ? `${h}h${min}m` : `${h}h`;
}

/** percentOf shows a warning share as a percentage (0.75 -> 75). */
export function percentOf(share: number | undefined): number | undefined {
  return share === undefined ? undefined : Math.round(share * 10000) / 100;
}

/** shareOf reads a percentage as a warning share (75 -> 0.75); empty or zero is no warning. */
export function shareOf(percent: number | undefined): number | undefined {
  return percent === undefined || Number.isNaN(percent) || percent === 0 ? undefined : Math.round(percent * 100) / 10000;
}

/** The people an escalation notifies, sorted by kind. */
export interface Recipients {
  owner: boolean;
  supervisor: boolean;
  users: string[];
  groups: string[];
}

const isUser = (r: string) => r !== 'owner' && r !== 'supervisor' && !r.startsWith('group:');

/** recipients sorts a notify list into the owner, the supervisor, users and groups. */
export function recipients(notify: string[]): Recipients {
  return {
    owner: notify.includes('owner'),
    supervisor: notify.includes('supervisor'),
    users: notify.filter(isUser),
    groups: notify.filter((r) => r.startsWith('group:')).map((r) => r.slice('group:'.length)),
  };
}

/** withRecipient adds (on) or removes one entry of a notify list, leaving the rest in order. */
export function withRecipient(notify: string[], entry: string, on: boolean): string[] {
  const without = notify.filter((r) => r !== entry);
  return on ? [...without, entry] : without;
}

/** withUsers replaces the users of a notify list, keeping the owner, supervisor and groups in place. */
export function withUsers(notify: string[], users: string[]): string[] {
  const kept = notify.filter((r) => !isUser(r));
  return [...kept, ...users.filter((u, i) => u && users.indexOf(u) === i && !kept.includes(u))];
}

/** splitNames reads a typed list of usernames or keys: commas (Latin or Persian) or spaces between. */
export function splitNames(s: string): string[] {
  return s.split(/[\s,،]+/).filter(Boolean);
}

// --- Problems on inputs -----------------------------------------------------

/**
 * inputID is the id of the input that edits what pointer names
 * ("/week/saturday/1" -> "sla-week-saturday-1"); keys are letters, digits
 * and hyphens, so the id is valid as is.
 */
export function inputID(pointer: string): string {
  return `sla${pointer.replace(/[^A-Za-z0-9-]+/g, '-')}`;
}

/** Anchors map the pointers that have an input to the id of that input. */
export type Anchors = Map<string, string>;

function anchor(map: Anchors, pointer: string, at = pointer) {
  map.set(pointer, inputID(at));
}

const textAnchors = (map: Anchors, base: string) => ['en', 'fa'].forEach((l) => anchor(map, `${base}/title/${l}`));

/**
 * calendarAnchors lists where a calendar's inputs are: titles, category,
 * zone, the 24/7 switch, the week (its group; the switch when the
 * calendar is always open), each day (its "add hours" button) and each of
 * its ranges (the range's start), each holiday's date, titles, half-day
 * switch and ranges. A holiday's own pointer lands on its date.
 */
export function calendarAnchors(m: CalendarModel): Anchors {
  const map: Anchors = new Map();
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
    if (h.halfDay) h.hours.forEach((_, j) => anchor(map, `${at}/hours/${j}`));
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
export function policyAnchors(m: PolicyModel): Anchors {
  const map: Anchors = new Map();
  textAnchors(map, '');
  ['/category', '/calendar'].forEach((p) => anchor(map, p));
  for (const g of goalNames) {
    anchor(map, `/${g}`);
    const goal = m[g];
    if (!goal) continue;
    ['target', 'warning', 'escalations'].forEach((f) => anchor(map, `/${g}/${f}`));
    goal.escalations.forEach((_, i) => {
      const at = `/${g}/escalations/${i}`;
      anchor(map, at, `${at}/on`);
      ['on', 'notify', 'priority', 'reassign'].forEach((f) => anchor(map, `${at}/${f}`));
    });
  }
  return map;
}

/** Problems sorted by the input they belong to, and those no input edits. */
export interface PlacedProblems {
  /** By input id, the messages to show at it. */
  at: Map<string, string[]>;
  /** Each problem with the input it belongs to (null: none; shown above only). */
  all: { problem: DefinitionProblem; input: string | null }[];
}

/**
 * placeProblems puts each problem at the input its pointer names, or at
 * the nearest input above it ("/week/saturday/1/x" at the range, a pointer
 * into a goal the editor has no input for at the goal's switch); a pointer
 * with no input on its way up (the whole definition) has none.
 */
export function placeProblems(problems: DefinitionProblem[], anchors: Anchors): PlacedProblems {
  const at = new Map<string, string[]>();
  const all = problems.map((problem) => {
    let p = problem.pointer ?? '';
    while (p && !anchors.has(p)) p = p.slice(0, p.lastIndexOf('/'));
    const input = p ? (anchors.get(p) ?? null) : null;
    if (input) at.set(input, [...(at.get(input) ?? []), problem.message]);
    return { problem, input };
  });
  return { at, all };
}
