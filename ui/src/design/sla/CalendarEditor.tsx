// The calendar editor (docs/ui.md, "Calendars and SLA policies"): titles,
// time zone, the 24/7 switch, the week day by day with its working-hour
// ranges, holidays (whole or half days), and this week's working hours read
// back. Due times are not computed here: the server is the authority on
// business time, and the API has no call that computes one for a calendar.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../i18n/useLanguage';
import { formatNumber, localDigits, locale, localText, type Language } from '../../i18n/format';
import { Section, TextInput, Titles, useInvalid, FieldProblems, DraftEditorPage, type EditorSpec } from './DraftEditor';
import {
  calendarAnchors,
  calendarFromDefinition,
  calendarToDefinition,
  endFromInput,
  endInput,
  inputID,
  nextRange,
  timeZones,
  todayIn,
  weekOrder,
  weekSummary,
  weekdays,
  type CalendarDefinition,
  type CalendarModel,
  type Holiday,
  type Range,
  type Weekday,
} from './model';

/** weekdayName is a weekday's name in the language, from Intl. */
export function weekdayName(d: Weekday, lang: Language): string {
  // 2024-01-07 was a Sunday; weekdays are in getDay order from Sunday.
  return new Intl.DateTimeFormat(locale(lang), { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 7 + weekdays.indexOf(d)));
}

/**
 * dateName writes an ISO date in the language's calendar (Solar Hijri in
 * Persian), with its weekday unless short; '' when it is not a date.
 */
export function dateName(date: string, lang: Language, short = false): string {
  const d = new Date(`${date}T00:00:00Z`);
  // A date that does not exist (2027-02-30) rolls over in Date: not shown.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date) return '';
  const parts: Intl.DateTimeFormatOptions = short ? { day: 'numeric', month: 'short' } : { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' };
  return new Intl.DateTimeFormat(locale(lang), { ...parts, timeZone: 'UTC' }).format(d);
}

/** spanText writes minutes as hours and minutes in words. */
function useSpanText() {
  const { t } = useTranslation();
  const lang = useLanguage();
  return (minutes: number) => {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m ? t('sla.cal.hoursMinutes', { h: formatNumber(h, lang), m: formatNumber(m, lang) }) : t('sla.cal.hours', { h: formatNumber(h, lang) });
  };
}

/** Ranges edits a day's working-hour ranges; base is their pointer ("/week/saturday", "/holidays/0/hours"). */
function Ranges({ base, label, ranges, set }: { base: string; label: string; ranges: Range[]; set(r: Range[]): void }) {
  const { t } = useTranslation();
  const put = (i: number, r: Range) => set(ranges.map((x, j) => (j === i ? r : x)));
  return (
    <ol className="sla-ranges">
      {ranges.map((r, i) => (
        <RangeRow key={i} pointer={`${base}/${i}`} label={t('sla.cal.rangeLabel', { day: label, n: i + 1 })} range={r} set={(x) => put(i, x)} remove={() => set(ranges.filter((_, j) => j !== i))} />
      ))}
    </ol>
  );
}

function RangeRow({ pointer, label, range, set, remove }: { pointer: string; label: string; range: Range; set(r: Range): void; remove(): void }) {
  const { t } = useTranslation();
  const { props, messages } = useInvalid(inputID(pointer));
  return (
    <li className="sla-range" data-testid={`sla-range-${pointer.replace(/^\//, '').replace(/\//g, '-')}`}>
      <label>
        {t('sla.cal.from')}
        <input type="time" {...props} aria-label={`${label}: ${t('sla.cal.from')}`} value={range.from} onChange={(e) => set({ ...range, from: e.target.value })} required />
      </label>
      <label>
        {t('sla.cal.to')}
        <input
          type="time"
          id={`${props.id}-to`}
          aria-invalid={props['aria-invalid']}
          aria-describedby={[props['aria-describedby'], 'sla-midnight-help'].filter(Boolean).join(' ')}
          aria-label={`${label}: ${t('sla.cal.to')}`}
          value={endInput(range.to)}
          onChange={(e) => set({ ...range, to: endFromInput(e.target.value) })}
          required
        />
      </label>
      <button type="button" className="danger" onClick={remove} aria-label={`${t('sla.cal.removeRange')}: ${label}`}>
        {t('sla.cal.removeRange')}
      </button>
      <FieldProblems id={props.id} messages={messages} />
    </li>
  );
}

/** DayRow is one weekday: its ranges, or closed; add a range, copy the day to the next. */
function DayRow({ day, next, model, change }: { day: Weekday; next: Weekday; model: CalendarModel; change(m: CalendarModel): void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const name = weekdayName(day, lang);
  const ranges = model.week[day];
  const setDay = (d: Weekday, r: Range[]) => change({ ...model, week: { ...model.week, [d]: r } });
  const { props, messages } = useInvalid(inputID(`/week/${day}`));
  return (
    <fieldset className="sla-day" data-testid={`sla-day-${day}`}>
      <legend>{name}</legend>
      {ranges.length ? <Ranges base={`/week/${day}`} label={name} ranges={ranges} set={(r) => setDay(day, r)} /> : <p className="muted sla-closed">{t('sla.cal.closed')}</p>}
      <div className="sla-row">
        <button type="button" {...props} onClick={() => setDay(day, [...ranges, nextRange(ranges)])} data-testid={`sla-add-range-${day}`}>
          {t('sla.cal.addRange')}
          <span className="visually-hidden">: {name}</span>
        </button>
        <button type="button" onClick={() => setDay(next, ranges.map((r) => ({ ...r })))} data-testid={`sla-copy-${day}`}>
          {t('sla.cal.copyTo', { day: weekdayName(next, lang) })}
        </button>
      </div>
      <FieldProblems id={props.id} messages={messages} />
    </fieldset>
  );
}

function HolidayRow({ index, model, change }: { index: number; model: CalendarModel; change(m: CalendarModel): void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const h = model.holidays[index];
  const base = `/holidays/${index}`;
  const set = (x: Partial<Holiday>) => change({ ...model, holidays: model.holidays.map((y, j) => (j === index ? { ...y, ...x } : y)) });
  const date = useInvalid(inputID(`${base}/date`));
  const half = useInvalid(inputID(`${base}/hours`));
  const label = t('sla.cal.holidayN', { n: index + 1 });
  const shown = dateName(h.date, lang);
  return (
    <li className="sla-holiday" data-testid={`sla-holiday-${index}`}>
      <fieldset>
        <legend>{localText(h.title, lang) || label}</legend>
        <div className="sla-field">
          <label htmlFor={date.props.id}>{t('sla.cal.date')}</label>
          <input type="date" {...date.props} name={`holiday${index}Date`} value={h.date} onChange={(e) => set({ date: e.target.value })} required />
          {shown && (
            <p className="muted sla-date-name" data-testid="sla-date-name">
              {shown}
            </p>
          )}
          <FieldProblems id={date.props.id} messages={date.messages} />
        </div>
        <Titles base={base} value={h.title} set={(title) => set({ title })} name={`holiday${index}Title`} />
        <label className="check">
          <input type="checkbox" {...half.props} checked={h.halfDay} onChange={(e) => set({ halfDay: e.target.checked, hours: e.target.checked && !h.hours.length ? [{ from: '08:00', to: '12:00' }] : h.hours })} />
          {t('sla.cal.halfDay')}
        </label>
        <FieldProblems id={half.props.id} messages={half.messages} />
        {h.halfDay && (
          <>
            <Ranges base={`${base}/hours`} label={label} ranges={h.hours} set={(hours) => set({ hours })} />
            <button type="button" onClick={() => set({ hours: [...h.hours, nextRange(h.hours)] })}>
              {t('sla.cal.addRange')}
            </button>
          </>
        )}
        <p>
          <button type="button" className="danger" onClick={() => change({ ...model, holidays: model.holidays.filter((_, j) => j !== index) })}>
            {t('sla.cal.removeHoliday')}
            <span className="visually-hidden">: {label}</span>
          </button>
        </p>
      </fieldset>
    </li>
  );
}

/** WeekSummary reads the calendar back: this week's working hours, holidays in place. */
function WeekSummary({ model }: { model: CalendarModel }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const span = useSpanText();
  const summary = weekSummary(model, todayIn(model.timeZone), lang);
  const ranges = (rs: Range[]) => localDigits(rs.map((r) => `${r.from}–${r.to}`).join(lang === 'fa' ? '، ' : ', '), lang);
  return (
    <Section id="sla-summary-title" title={t('sla.cal.summary')}>
      <p className="muted">{t('sla.cal.summaryHelp')}</p>
      <table className="sla-summary" data-testid="sla-summary">
        <tbody>
          {summary.days.map((d) => (
            <tr key={d.date}>
              <th scope="row">
                {weekdayName(d.weekday, lang)} <span className="muted">{dateName(d.date, lang, true)}</span>
              </th>
              <td>
                {d.ranges.length ? ranges(d.ranges) : t('sla.cal.closed')}
                {d.holiday && <span className="badge sla-holiday-badge"> {localText(d.holiday.title, lang) || t('sla.cal.holiday')}</span>}
              </td>
              <td>{d.minutes ? span(d.minutes) : ''}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('sla.cal.total')}</th>
            <td colSpan={2} data-testid="sla-total">
              {span(summary.minutes)}
            </td>
          </tr>
        </tfoot>
      </table>
    </Section>
  );
}

/** CalendarForm edits a calendar. */
function CalendarForm({ model, change }: { model: CalendarModel; change(m: CalendarModel): void }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const zones = useMemo(() => timeZones(), []);
  const always = useInvalid(inputID('/always'));
  const week = useInvalid(inputID('/week'));
  const addHoliday = useInvalid(inputID('/holidays'));
  const order = weekOrder(lang);
  return (
    <div className="sla-form">
      <Section id="sla-about-title" title={t('sla.about')}>
        <Titles base="" value={model.title} set={(title) => change({ ...model, title })} />
        <TextInput pointer="/category" label={t('sla.category')} value={model.category} set={(category) => change({ ...model, category })} dir="ltr" name="category" />
        <TextInput pointer="/timeZone" label={t('sla.cal.timeZone')} value={model.timeZone} set={(timeZone) => change({ ...model, timeZone })} dir="ltr" name="timeZone" list="sla-zones" />
        <datalist id="sla-zones">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        {model.timeZone && !zones.includes(model.timeZone) && <p className="muted">{t('sla.cal.unknownZone')}</p>}
        <label className="check">
          <input type="checkbox" role="switch" {...always.props} name="always" checked={model.always} onChange={(e) => change({ ...model, always: e.target.checked })} />
          {t('sla.cal.always')}
        </label>
        <FieldProblems id={always.props.id} messages={always.messages} />
      </Section>
      {!model.always && (
        <fieldset className="sla-week" {...week.props} tabIndex={-1} data-testid="sla-week">
          <legend>{t('sla.cal.week')}</legend>
          <p className="muted" id="sla-midnight-help">
            {t('sla.cal.midnight')}
          </p>
          <FieldProblems id={week.props.id} messages={week.messages} />
          {order.map((d, i) => (
            <DayRow key={d} day={d} next={order[(i + 1) % 7]} model={model} change={change} />
          ))}
        </fieldset>
      )}
      <Section id="sla-holidays-title" title={t('sla.cal.holidays')}>
        {!model.holidays.length && <p className="muted">{t('sla.cal.noHolidays')}</p>}
        <ol className="sla-holidays">
          {model.holidays.map((_, i) => (
            <HolidayRow key={i} index={i} model={model} change={change} />
          ))}
        </ol>
        <button type="button" {...addHoliday.props} onClick={() => change({ ...model, holidays: [...model.holidays, { date: '', title: {}, halfDay: false, hours: [] }] })} data-testid="sla-add-holiday">
          {t('sla.cal.addHoliday')}
        </button>
        <FieldProblems id={addHoliday.props.id} messages={addHoliday.messages} />
      </Section>
      <WeekSummary model={model} />
    </div>
  );
}

/** How calendars are edited. */
export const calendarSpec: EditorSpec<CalendarModel> = {
  kind: 'calendars',
  fromDefinition: (def, key) => calendarFromDefinition(def as CalendarDefinition, key),
  toDefinition: calendarToDefinition,
  anchors: calendarAnchors,
  Form: CalendarForm,
};

/** CalendarEditorPage is /design/calendars/:key. */
export function CalendarEditorPage() {
  return <DraftEditorPage spec={calendarSpec} />;
}
