import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "react/jsx-runtime";
// The calendar editor (docs/ui.md, "Calendars and SLA policies"): titles,
// time zone, the 24/7 switch, the week day by day with its working-hour
// ranges, holidays (whole or half days), and this week's working hours read
// back. Due times are not computed here: the server is the authority on
// business time, and the API has no call that computes one for a calendar.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../i18n/useLanguage';
import { formatNumber, localDigits, locale, localText } from '../../i18n/format';
import { Section, TextInput, Titles, useInvalid, FieldProblems, DraftEditorPage } from './DraftEditor';
import { calendarAnchors, calendarFromDefinition, calendarToDefinition, endFromInput, endInput, inputID, nextRange, timeZones, todayIn, weekOrder, weekSummary, weekdays, } from './model';
/** weekdayName is a weekday's name in the language, from Intl. */
export function weekdayName(d, lang) {
    // 2024-01-07 was a Sunday; weekdays are in getDay order from Sunday.
    return new Intl.DateTimeFormat(locale(lang), { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 7 + weekdays.indexOf(d)));
}
/**
 * dateName writes an ISO date in the language's calendar (Solar Hijri in
 * Persian), with its weekday unless short; '' when it is not a date.
 */
export function dateName(date, lang, short = false) {
    const d = new Date(`${date}T00:00:00Z`);
    // A date that does not exist (2027-02-30) rolls over in Date: not shown.
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date)
        return '';
    const parts = short ? { day: 'numeric', month: 'short' } : { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' };
    return new Intl.DateTimeFormat(locale(lang), { ...parts, timeZone: 'UTC' }).format(d);
}
/** spanText writes minutes as hours and minutes in words. */
function useSpanText() {
    const { t } = useTranslation();
    const lang = useLanguage();
    return (minutes) => {
        const h = Math.floor(minutes / 60);
        const m = minutes % 60;
        return m ? t('sla.cal.hoursMinutes', { h: formatNumber(h, lang), m: formatNumber(m, lang) }) : t('sla.cal.hours', { h: formatNumber(h, lang) });
    };
}
/** Ranges edits a day's working-hour ranges; base is their pointer ("/week/saturday", "/holidays/0/hours"). */
function Ranges({ base, label, ranges, set }) {
    const { t } = useTranslation();
    const put = (i, r) => set(ranges.map((x, j) => (j === i ? r : x)));
    return (_jsx("ol", { className: "sla-ranges", children: ranges.map((r, i) => (_jsx(RangeRow, { pointer: `${base}/${i}`, label: t('sla.cal.rangeLabel', { day: label, n: i + 1 }), range: r, set: (x) => put(i, x), remove: () => set(ranges.filter((_, j) => j !== i)) }, i))) }));
}
function RangeRow({ pointer, label, range, set, remove }) {
    const { t } = useTranslation();
    const { props, messages } = useInvalid(inputID(pointer));
    return (_jsxs("li", { className: "sla-range", "data-testid": `sla-range-${pointer.replace(/^\//, '').replace(/\//g, '-')}`, children: [_jsxs("label", { children: [t('sla.cal.from'), _jsx("input", { type: "time", ...props, "aria-label": `${label}: ${t('sla.cal.from')}`, value: range.from, onChange: (e) => set({ ...range, from: e.target.value }), required: true })] }), _jsxs("label", { children: [t('sla.cal.to'), _jsx("input", { type: "time", id: `${props.id}-to`, "aria-invalid": props['aria-invalid'], "aria-describedby": [props['aria-describedby'], 'sla-midnight-help'].filter(Boolean).join(' '), "aria-label": `${label}: ${t('sla.cal.to')}`, value: endInput(range.to), onChange: (e) => set({ ...range, to: endFromInput(e.target.value) }), required: true })] }), _jsx("button", { type: "button", className: "danger", onClick: remove, "aria-label": `${t('sla.cal.removeRange')}: ${label}`, children: t('sla.cal.removeRange') }), _jsx(FieldProblems, { id: props.id, messages: messages })] }));
}
/** DayRow is one weekday: its ranges, or closed; add a range, copy the day to the next. */
function DayRow({ day, next, model, change }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const name = weekdayName(day, lang);
    const ranges = model.week[day];
    const setDay = (d, r) => change({ ...model, week: { ...model.week, [d]: r } });
    const { props, messages } = useInvalid(inputID(`/week/${day}`));
    return (_jsxs("fieldset", { className: "sla-day", "data-testid": `sla-day-${day}`, children: [_jsx("legend", { children: name }), ranges.length ? _jsx(Ranges, { base: `/week/${day}`, label: name, ranges: ranges, set: (r) => setDay(day, r) }) : _jsx("p", { className: "muted sla-closed", children: t('sla.cal.closed') }), _jsxs("div", { className: "sla-row", children: [_jsxs("button", { type: "button", ...props, onClick: () => setDay(day, [...ranges, nextRange(ranges)]), "data-testid": `sla-add-range-${day}`, children: [t('sla.cal.addRange'), _jsxs("span", { className: "visually-hidden", children: [": ", name] })] }), _jsx("button", { type: "button", onClick: () => setDay(next, ranges.map((r) => ({ ...r }))), "data-testid": `sla-copy-${day}`, children: t('sla.cal.copyTo', { day: weekdayName(next, lang) }) })] }), _jsx(FieldProblems, { id: props.id, messages: messages })] }));
}
function HolidayRow({ index, model, change }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const h = model.holidays[index];
    const base = `/holidays/${index}`;
    const set = (x) => change({ ...model, holidays: model.holidays.map((y, j) => (j === index ? { ...y, ...x } : y)) });
    const date = useInvalid(inputID(`${base}/date`));
    const half = useInvalid(inputID(`${base}/hours`));
    const label = t('sla.cal.holidayN', { n: index + 1 });
    const shown = dateName(h.date, lang);
    return (_jsx("li", { className: "sla-holiday", "data-testid": `sla-holiday-${index}`, children: _jsxs("fieldset", { children: [_jsx("legend", { children: localText(h.title, lang) || label }), _jsxs("div", { className: "sla-field", children: [_jsx("label", { htmlFor: date.props.id, children: t('sla.cal.date') }), _jsx("input", { type: "date", ...date.props, name: `holiday${index}Date`, value: h.date, onChange: (e) => set({ date: e.target.value }), required: true }), shown && (_jsx("p", { className: "muted sla-date-name", "data-testid": "sla-date-name", children: shown })), _jsx(FieldProblems, { id: date.props.id, messages: date.messages })] }), _jsx(Titles, { base: base, value: h.title, set: (title) => set({ title }), name: `holiday${index}Title` }), _jsxs("label", { className: "check", children: [_jsx("input", { type: "checkbox", ...half.props, checked: h.halfDay, onChange: (e) => set({ halfDay: e.target.checked, hours: e.target.checked && !h.hours.length ? [{ from: '08:00', to: '12:00' }] : h.hours }) }), t('sla.cal.halfDay')] }), _jsx(FieldProblems, { id: half.props.id, messages: half.messages }), h.halfDay && (_jsxs(_Fragment, { children: [_jsx(Ranges, { base: `${base}/hours`, label: label, ranges: h.hours, set: (hours) => set({ hours }) }), _jsx("button", { type: "button", onClick: () => set({ hours: [...h.hours, nextRange(h.hours)] }), children: t('sla.cal.addRange') })] })), _jsx("p", { children: _jsxs("button", { type: "button", className: "danger", onClick: () => change({ ...model, holidays: model.holidays.filter((_, j) => j !== index) }), children: [t('sla.cal.removeHoliday'), _jsxs("span", { className: "visually-hidden", children: [": ", label] })] }) })] }) }));
}
/** WeekSummary reads the calendar back: this week's working hours, holidays in place. */
function WeekSummary({ model }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const span = useSpanText();
    const summary = weekSummary(model, todayIn(model.timeZone), lang);
    const ranges = (rs) => localDigits(rs.map((r) => `${r.from}–${r.to}`).join(lang === 'fa' ? '، ' : ', '), lang);
    return (_jsxs(Section, { id: "sla-summary-title", title: t('sla.cal.summary'), children: [_jsx("p", { className: "muted", children: t('sla.cal.summaryHelp') }), _jsxs("table", { className: "sla-summary", "data-testid": "sla-summary", children: [_jsx("tbody", { children: summary.days.map((d) => (_jsxs("tr", { children: [_jsxs("th", { scope: "row", children: [weekdayName(d.weekday, lang), " ", _jsx("span", { className: "muted", children: dateName(d.date, lang, true) })] }), _jsxs("td", { children: [d.ranges.length ? ranges(d.ranges) : t('sla.cal.closed'), d.holiday && _jsxs("span", { className: "badge sla-holiday-badge", children: [" ", localText(d.holiday.title, lang) || t('sla.cal.holiday')] })] }), _jsx("td", { children: d.minutes ? span(d.minutes) : '' })] }, d.date))) }), _jsx("tfoot", { children: _jsxs("tr", { children: [_jsx("th", { scope: "row", children: t('sla.cal.total') }), _jsx("td", { colSpan: 2, "data-testid": "sla-total", children: span(summary.minutes) })] }) })] })] }));
}
/** CalendarForm edits a calendar. */
function CalendarForm({ model, change }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const zones = useMemo(() => timeZones(), []);
    const always = useInvalid(inputID('/always'));
    const week = useInvalid(inputID('/week'));
    const addHoliday = useInvalid(inputID('/holidays'));
    const order = weekOrder(lang);
    return (_jsxs("div", { className: "sla-form", children: [_jsxs(Section, { id: "sla-about-title", title: t('sla.about'), children: [_jsx(Titles, { base: "", value: model.title, set: (title) => change({ ...model, title }) }), _jsx(TextInput, { pointer: "/category", label: t('sla.category'), value: model.category, set: (category) => change({ ...model, category }), dir: "ltr", name: "category" }), _jsx(TextInput, { pointer: "/timeZone", label: t('sla.cal.timeZone'), value: model.timeZone, set: (timeZone) => change({ ...model, timeZone }), dir: "ltr", name: "timeZone", list: "sla-zones" }), _jsx("datalist", { id: "sla-zones", children: zones.map((z) => (_jsx("option", { value: z }, z))) }), model.timeZone && !zones.includes(model.timeZone) && _jsx("p", { className: "muted", children: t('sla.cal.unknownZone') }), _jsxs("label", { className: "check", children: [_jsx("input", { type: "checkbox", role: "switch", ...always.props, name: "always", checked: model.always, onChange: (e) => change({ ...model, always: e.target.checked }) }), t('sla.cal.always')] }), _jsx(FieldProblems, { id: always.props.id, messages: always.messages })] }), !model.always && (_jsxs("fieldset", { className: "sla-week", ...week.props, tabIndex: -1, "data-testid": "sla-week", children: [_jsx("legend", { children: t('sla.cal.week') }), _jsx("p", { className: "muted", id: "sla-midnight-help", children: t('sla.cal.midnight') }), _jsx(FieldProblems, { id: week.props.id, messages: week.messages }), order.map((d, i) => (_jsx(DayRow, { day: d, next: order[(i + 1) % 7], model: model, change: change }, d)))] })), _jsxs(Section, { id: "sla-holidays-title", title: t('sla.cal.holidays'), children: [!model.holidays.length && _jsx("p", { className: "muted", children: t('sla.cal.noHolidays') }), _jsx("ol", { className: "sla-holidays", children: model.holidays.map((_, i) => (_jsx(HolidayRow, { index: i, model: model, change: change }, i))) }), _jsx("button", { type: "button", ...addHoliday.props, onClick: () => change({ ...model, holidays: [...model.holidays, { date: '', title: {}, halfDay: false, hours: [] }] }), "data-testid": "sla-add-holiday", children: t('sla.cal.addHoliday') }), _jsx(FieldProblems, { id: addHoliday.props.id, messages: addHoliday.messages })] }), _jsx(WeekSummary, { model: model })] }));
}
/** How calendars are edited. */
export const calendarSpec = {
    kind: 'calendars',
    fromDefinition: (def, key) => calendarFromDefinition(def, key),
    toDefinition: calendarToDefinition,
    anchors: calendarAnchors,
    Form: CalendarForm,
};
/** CalendarEditorPage is /design/calendars/:key. */
export function CalendarEditorPage() {
    return _jsx(DraftEditorPage, { spec: calendarSpec });
}
