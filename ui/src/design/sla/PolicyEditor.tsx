// The SLA policy editor (docs/ui.md, "Calendars and SLA policies"):
// titles, the calendar the goals count on, and for first response and
// resolution the target in hours and minutes, the warning as a percentage
// and the escalations on warning and on breach.
import { useState, type InputHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../useLoad';
import { useSession } from '../../session';
import { useLanguage } from '../../i18n/useLanguage';
import { localText } from '../../i18n/format';
import { listOf, titleOf, type Named } from '../workflows/api';
import { listHeads } from './api';
import { DraftEditorPage, FieldProblems, Section, TextInput, Titles, useInvalid, type EditorSpec } from './DraftEditor';
import {
  goalNames,
  inputID,
  newEscalation,
  newGoal,
  parseTarget,
  percentOf,
  policyAnchors,
  policyFromDefinition,
  policyToDefinition,
  recipients,
  shareOf,
  splitNames,
  targetText,
  withRecipient,
  withUsers,
  type Escalation,
  type Goal,
  type GoalName,
  type PolicyDefinition,
  type PolicyModel,
} from './model';

/** The priorities an escalation may raise a request to. */
const priorities = ['low', 'normal', 'high', 'urgent'];

/** The lists the editor picks from; forbidden when the caller may not read one (typed instead). */
interface Pickers {
  groups?: { items: Named[]; forbidden: boolean };
  users?: { items: Named[]; forbidden: boolean };
}

/**
 * usePickers reads the groups and the users where the caller may.
 * Process owners read the groups but not the users (docs/access.md): the
 * users are asked for only by roles that may read them, so the others
 * see no refused call, and type usernames.
 */
function usePickers(): Pickers {
  const { user } = useSession();
  const readsUsers = (user?.roles ?? []).some((r) => r.role === 'admin' || r.role === 'supervisor');
  const groups = useLoad((s) => listOf('/groups', s), []);
  const users = useLoad(async (s) => {
    if (!readsUsers) return { items: [], forbidden: true };
    const l = await listOf('/users', s);
    return { ...l, items: l.items.map((u) => ({ ...u, key: (u as unknown as { username: string }).username })) };
  }, [readsUsers]);
  return { groups: groups.data, users: users.data };
}

/** CalendarPicker picks the policy's calendar among the published ones. */
export function CalendarPicker({ value, set, name = 'calendar', pointer }: { value: string; set(v: string): void; name?: string; pointer?: string }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const calendars = useLoad((s) => listHeads('calendars', s), []);
  const { props, messages } = useInvalid(inputID(pointer ?? `/${name}`));
  const published = (calendars.data ?? []).filter((c) => c.latestVersion > 0);
  const known = published.some((c) => c.key === value);
  return (
    <div className="sla-field">
      <label htmlFor={props.id}>{t('sla.pol.calendar')}</label>
      <select {...props} name={name} value={value} onChange={(e) => set(e.target.value)} required>
        <option value="">{t('sla.choose')}</option>
        {published.map((c) => (
          <option key={c.key} value={c.key}>
            {localText(c.title, lang) || c.key} ({c.key})
          </option>
        ))}
        {value && !known && <option value={value}>{t('sla.pol.unpublishedCalendar', { key: value })}</option>}
      </select>
      <FieldProblems id={props.id} messages={messages} />
    </div>
  );
}

/**
 * NumberInput is a number input that shows what is typed as typed ("7." on
 * the way to 7.5, "" after clearing it) until it is left, then the value;
 * a controlled number input would otherwise keep "048" or eat the dot.
 * onValue gets undefined for an empty input.
 */
function NumberInput({ value, onValue, ...rest }: { value: number | undefined; onValue(n: number | undefined): void } & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'onBlur' | 'type'>) {
  const [typed, setTyped] = useState<string | null>(null);
  return (
    <input
      type="number"
      {...rest}
      value={typed ?? value ?? ''}
      onChange={(e) => {
        setTyped(e.target.value);
        onValue(e.target.value === '' || Number.isNaN(Number(e.target.value)) ? undefined : Number(e.target.value));
      }}
      onBlur={() => setTyped(null)}
    />
  );
}

/** TargetInput edits a target as hours and minutes, or as written when it is not whole minutes. */
function TargetInput({ pointer, target, set }: { pointer: string; target: string; set(v: string): void }) {
  const { t } = useTranslation();
  const { props, messages } = useInvalid(inputID(pointer));
  const parsed = parseTarget(target);
  // A target first shown as written stays so while it is edited: it would
  // otherwise turn into hours and minutes, and lose the focus, mid-word.
  const [asWritten] = useState(() => parsed === null);
  const name = pointer.slice(1).replace(/\//g, '-');
  if (asWritten || !parsed) {
    return (
      <div className="sla-field">
        <label htmlFor={props.id}>{t('sla.pol.targetText')}</label>
        <input {...props} name={name} dir="ltr" value={target} onChange={(e) => set(e.target.value)} />
        <p className="muted">{t('sla.pol.targetTextHelp')}</p>
        <FieldProblems id={props.id} messages={messages} />
      </div>
    );
  }
  const whole = (n: number | undefined) => Math.max(0, Math.floor(n ?? 0));
  return (
    <fieldset className="sla-target" aria-describedby={`${props.id}-help`}>
      <legend>{t('sla.pol.target')}</legend>
      <div className="sla-row">
        <label>
          {t('sla.pol.hours')}
          <NumberInput min={0} step={1} inputMode="numeric" {...props} name={`${name}Hours`} value={parsed.hours} onValue={(h) => set(targetText(whole(h), parsed.minutes))} />
        </label>
        <label>
          {t('sla.pol.minutes')}
          <NumberInput min={0} max={59} step={1} inputMode="numeric" id={`${props.id}-minutes`} name={`${name}Minutes`} value={parsed.minutes} onValue={(m) => set(targetText(parsed.hours, whole(m)))} />
        </label>
      </div>
      <p className="muted" id={`${props.id}-help`}>
        {t('sla.pol.targetHelp')} <bdi dir="ltr" className="code" data-testid="sla-target-text">{target}</bdi>
      </p>
      <FieldProblems id={props.id} messages={messages} />
    </fieldset>
  );
}

/** WarningInput edits the warning share as a percentage; empty is no warning. */
function WarningInput({ pointer, warning, set }: { pointer: string; warning: number | undefined; set(v: number | undefined): void }) {
  const { t } = useTranslation();
  const { props, messages } = useInvalid(inputID(pointer));
  const name = pointer.slice(1).replace(/\//g, '-');
  return (
    <div className="sla-field">
      <label htmlFor={props.id}>{t('sla.pol.warning')}</label>
      <div className="sla-row">
        <NumberInput min={0} max={99} step="any" inputMode="decimal" {...props} name={name} className="sla-percent" value={percentOf(warning)} onValue={(p) => set(shareOf(p))} />
        <span aria-hidden="true">%</span>
      </div>
      <p className="muted">{t('sla.pol.warningHelp')}</p>
      <FieldProblems id={props.id} messages={messages} />
    </div>
  );
}

/**
 * Names is a list of keys typed by hand (where the caller may not read the
 * list to pick from), taken when the input is left; its key is the list,
 * so it shows the list afresh when the list changes otherwise.
 */
function Names({ id, label, values, set }: { id?: string; label: string; values: string[]; set(v: string[]): void }) {
  return (
    <label>
      {label}
      <input id={id} dir="ltr" defaultValue={values.join(', ')} onBlur={(e) => set(splitNames(e.target.value))} />
    </label>
  );
}

/** Picks is a set of checkboxes over a list read from the API. */
function Picks({ legend, items, chosen, toggle, lang }: { legend: string; items: Named[]; chosen: string[]; toggle(key: string, on: boolean): void; lang: string }) {
  return (
    <fieldset className="sla-picks">
      <legend>{legend}</legend>
      {items.map((g) => (
        <label key={g.key} className="check">
          <input type="checkbox" checked={chosen.includes(g.key)} onChange={(e) => toggle(g.key, e.target.checked)} />
          {titleOf(g, lang)}
        </label>
      ))}
    </fieldset>
  );
}

function EscalationEditor(props: { base: string; index: number; esc: Escalation; warns: boolean; pickers: Pickers; set(e: Escalation): void; remove(): void }) {
  const { base, esc, set, pickers } = props;
  const { t } = useTranslation();
  const lang = useLanguage();
  const on = useInvalid(inputID(`${base}/on`));
  const notify = useInvalid(inputID(`${base}/notify`));
  const priority = useInvalid(inputID(`${base}/priority`));
  const reassign = useInvalid(inputID(`${base}/reassign`));
  const who = recipients(esc.notify);
  const toggle = (entry: string, yes: boolean) => set({ ...esc, notify: withRecipient(esc.notify, entry, yes) });
  const label = t('sla.pol.escalationN', { n: props.index + 1 });
  return (
    <li className="sla-escalation" data-testid={`sla-escalation-${base.slice(1).replace(/\//g, '-')}`}>
      <fieldset>
        <legend>{label}</legend>
        <div className="sla-field">
          <label htmlFor={on.props.id}>{t('sla.pol.on')}</label>
          <select {...on.props} name="on" value={esc.on} onChange={(e) => set({ ...esc, on: e.target.value })}>
            {!['warning', 'breach'].includes(esc.on) && <option value={esc.on}>{esc.on}</option>}
            <option value="warning">{t('sla.pol.onWarning')}</option>
            <option value="breach">{t('sla.pol.onBreach')}</option>
          </select>
          {esc.on === 'warning' && !props.warns && <p className="muted">{t('sla.pol.needsWarning')}</p>}
          <FieldProblems id={on.props.id} messages={on.messages} />
        </div>
        <fieldset className="sla-notify">
          <legend>{t('sla.pol.notify')}</legend>
          <label className="check">
            <input type="checkbox" {...notify.props} name="notifyOwner" checked={who.owner} onChange={(e) => toggle('owner', e.target.checked)} />
            {t('sla.pol.owner')}
          </label>
          <label className="check">
            <input type="checkbox" name="notifySupervisor" checked={who.supervisor} onChange={(e) => toggle('supervisor', e.target.checked)} />
            {t('sla.pol.supervisor')}
          </label>
          {pickers.users && !pickers.users.forbidden ? (
            <Picks legend={t('sla.pol.users')} items={pickers.users.items} chosen={who.users} toggle={(u, yes) => toggle(u, yes)} lang={lang} />
          ) : (
            <Names key={`u:${who.users.join(',')}`} label={t('sla.pol.usersTyped')} values={who.users} set={(users) => set({ ...esc, notify: withUsers(esc.notify, users) })} />
          )}
          {pickers.groups && !pickers.groups.forbidden ? (
            <Picks legend={t('sla.pol.groups')} items={pickers.groups.items} chosen={who.groups} toggle={(g, yes) => toggle(`group:${g}`, yes)} lang={lang} />
          ) : (
            <Names
              key={`g:${who.groups.join(',')}`}
              label={t('sla.pol.groupsTyped')}
              values={who.groups}
              set={(groups) => set({ ...esc, notify: [...esc.notify.filter((r) => !r.startsWith('group:')), ...groups.map((g) => `group:${g}`)] })}
            />
          )}
          <FieldProblems id={notify.props.id} messages={notify.messages} />
        </fieldset>
        <div className="sla-field">
          <label htmlFor={priority.props.id}>{t('sla.pol.priority')}</label>
          <select {...priority.props} name="priority" value={esc.priority} onChange={(e) => set({ ...esc, priority: e.target.value })}>
            <option value="">{t('sla.pol.keepPriority')}</option>
            {esc.priority && !priorities.includes(esc.priority) && <option value={esc.priority}>{esc.priority}</option>}
            {priorities.map((p) => (
              <option key={p} value={p}>
                {t(`priority.${p}`)}
              </option>
            ))}
          </select>
          <FieldProblems id={priority.props.id} messages={priority.messages} />
        </div>
        <div className="sla-field">
          <label htmlFor={reassign.props.id}>{t('sla.pol.reassign')}</label>
          <input {...reassign.props} name="reassign" dir="ltr" list={pickers.users?.items.length ? 'sla-users' : undefined} value={esc.reassign} onChange={(e) => set({ ...esc, reassign: e.target.value })} />
          <FieldProblems id={reassign.props.id} messages={reassign.messages} />
        </div>
        <button type="button" className="danger" onClick={props.remove}>
          {t('sla.pol.removeEscalation')}
          <span className="visually-hidden">: {label}</span>
        </button>
      </fieldset>
    </li>
  );
}

function GoalEditor({ name, goal, set, pickers }: { name: GoalName; goal: Goal | null; set(g: Goal | null): void; pickers: Pickers }) {
  const { t } = useTranslation();
  const base = `/${name}`;
  const sw = useInvalid(inputID(base));
  const add = useInvalid(inputID(`${base}/escalations`));
  return (
    <fieldset className="sla-goal" data-testid={`sla-goal-${name}`}>
      <legend>{t(`goal.${name}`)}</legend>
      <label className="check">
        <input type="checkbox" role="switch" {...sw.props} name={`${name}On`} checked={goal !== null} onChange={(e) => set(e.target.checked ? newGoal() : null)} />
        {t('sla.pol.goalOn')}
      </label>
      <FieldProblems id={sw.props.id} messages={sw.messages} />
      {goal && (
        <>
          <TargetInput pointer={`${base}/target`} target={goal.target} set={(target) => set({ ...goal, target })} />
          <WarningInput pointer={`${base}/warning`} warning={goal.warning} set={(warning) => set({ ...goal, warning })} />
          <h3>{t('sla.pol.escalations')}</h3>
          {!goal.escalations.length && <p className="muted">{t('sla.pol.noEscalations')}</p>}
          <ol className="sla-escalations">
            {goal.escalations.map((e, i) => (
              <EscalationEditor
                key={i}
                base={`${base}/escalations/${i}`}
                index={i}
                esc={e}
                warns={!!goal.warning}
                pickers={pickers}
                set={(x) => set({ ...goal, escalations: goal.escalations.map((y, j) => (j === i ? x : y)) })}
                remove={() => set({ ...goal, escalations: goal.escalations.filter((_, j) => j !== i) })}
              />
            ))}
          </ol>
          <div className="sla-row">
            <button type="button" {...add.props} onClick={() => set({ ...goal, escalations: [...goal.escalations, newEscalation('breach')] })} data-testid={`sla-add-escalation-${name}`}>
              {t('sla.pol.addEscalation')}
            </button>
          </div>
          <FieldProblems id={add.props.id} messages={add.messages} />
        </>
      )}
    </fieldset>
  );
}

/** PolicyForm edits an SLA policy. */
function PolicyForm({ model, change }: { model: PolicyModel; change(m: PolicyModel): void }) {
  const { t } = useTranslation();
  const pickers = usePickers();
  return (
    <div className="sla-form">
      <Section id="sla-about-title" title={t('sla.about')}>
        <Titles base="" value={model.title} set={(title) => change({ ...model, title })} />
        <TextInput pointer="/category" label={t('sla.category')} value={model.category} set={(category) => change({ ...model, category })} dir="ltr" name="category" />
        <CalendarPicker value={model.calendar} set={(calendar) => change({ ...model, calendar })} />
      </Section>
      {goalNames.map((g) => (
        <GoalEditor key={g} name={g} goal={model[g]} set={(goal) => change({ ...model, [g]: goal })} pickers={pickers} />
      ))}
      {pickers.users && !pickers.users.forbidden && (
        <datalist id="sla-users">
          {pickers.users.items.map((u) => (
            <option key={u.key} value={u.key} />
          ))}
        </datalist>
      )}
    </div>
  );
}

/** How SLA policies are edited. */
export const policySpec: EditorSpec<PolicyModel> = {
  kind: 'sla-policies',
  fromDefinition: (def, key) => policyFromDefinition(def as PolicyDefinition, key),
  toDefinition: policyToDefinition,
  anchors: policyAnchors,
  Form: PolicyForm,
};

/** PolicyEditorPage is /design/sla-policies/:key. */
export function PolicyEditorPage() {
  return <DraftEditorPage spec={policySpec} />;
}
