// The decision table drawn as a table: a column per input (name and
// expression, checked as one types) and per output (name and type), a row
// per rule with a cell per `when` and `then`, its number, its note and the
// buttons that add, copy, move and remove it. Problems of the last save are
// drawn on the cells they point at; rows an evaluation matched are marked.
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../i18n/useLanguage';
import { formatNumber } from '../../i18n/format';
import { checkInput } from './api';
import {
  addInput,
  addOutput,
  addRow,
  domID,
  duplicateRow,
  moveRow,
  outputTypes,
  problemsAt,
  removeInput,
  removeOutput,
  removeRow,
  rowHasProblems,
  setCell,
  setNote,
  updateInput,
  updateOutput,
  type InputColumn,
  type PlacedProblem,
  type RuleSetModel,
  type Target,
} from './model';

/** The time an expression is left alone before it is checked: a check per pause, not per key. */
export const checkDelay = 400;

interface TableProps {
  model: RuleSetModel;
  problems: PlacedProblem[];
  matched: Set<string>;
  /** change applies an edit; absent when the table is only read (an old version). */
  change?: (m: RuleSetModel) => void;
}

/** CellProblems lists the messages placed on target under its input, for screen readers too (the input points at it). */
function CellProblems({ problems, target }: { problems: PlacedProblem[]; target: Target }) {
  const messages = problemsAt(problems, target);
  if (!messages.length) return null;
  return (
    <ul className="rsd-cell-problems" id={`${domID(target)}-problems`} data-testid="rsd-cell-problems">
      {messages.map((m, i) => (
        <li key={i}>⚠ {m}</li>
      ))}
    </ul>
  );
}

/** cellProps are the attributes that tie an input to its target: id, outline and the messages that describe it. */
function cellProps(problems: PlacedProblem[], target: Target) {
  const bad = problemsAt(problems, target).length > 0;
  return {
    id: domID(target),
    'aria-invalid': bad || undefined,
    'aria-describedby': bad ? `${domID(target)}-problems` : undefined,
    className: bad ? 'rsd-bad' : undefined,
    title: bad ? problemsAt(problems, target).join('\n') : undefined,
  };
}

/** focusLater focuses the element with id once React has drawn the edit that moved or removed what had the focus. */
function focusLater(id: string) {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}

/** HeaderField is a labelled field of a column's header, with the problems placed on it under it. */
function HeaderField(props: { label: string; problems: PlacedProblem[]; target: Target; children: (attrs: ReturnType<typeof cellProps>) => ReactNode }) {
  return (
    <>
      <label>
        {props.label}
        {props.children(cellProps(props.problems, props.target))}
      </label>
      <CellProblems problems={props.problems} target={props.target} />
    </>
  );
}

export function RuleTable({ model, problems, matched, change }: TableProps) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const readOnly = !change;
  const edit = change ?? (() => undefined);
  const n = (i: number) => formatNumber(i + 1, lang);
  return (
    <div className="rsd-table-area">
      {!readOnly && (
        <div className="rsd-toolbar">
          <button type="button" onClick={() => edit(addInput(model))} data-testid="rsd-add-input">
            {t('rsd.addInput')}
          </button>
          <button type="button" onClick={() => edit(addOutput(model))} data-testid="rsd-add-output">
            {t('rsd.addOutput')}
          </button>
          <button type="button" id="rsd-add-row" onClick={() => edit(addRow(model))} data-testid="rsd-add-row">
            {t('rsd.addRow')}
          </button>
        </div>
      )}
      <CellProblems problems={problems} target="inputs" />
      <CellProblems problems={problems} target="outputs" />
      <CellProblems problems={problems} target="rows" />
      {/* The table scrolls sideways inside this box on a narrow screen; the page does not. */}
      <p className="muted" id="rsd-table-help">
        {t('rsd.tableHelp')}
      </p>
      <div className="rsd-table-wrap" role="region" aria-labelledby="rsd-table-caption" aria-describedby="rsd-table-help" tabIndex={0}>
        <table className="rsd-table" data-testid="rsd-table">
          <caption id="rsd-table-caption">{t('rsd.tableCaption')}</caption>
          <thead>
            <tr>
              <th rowSpan={2} scope="col">
                {t('rsd.rowNumber')}
              </th>
              {model.inputs.length > 0 && (
                <th colSpan={model.inputs.length} scope="colgroup" className="rsd-when-head">
                  {t('rsd.when')}
                </th>
              )}
              {model.outputs.length > 0 && (
                <th colSpan={model.outputs.length} scope="colgroup" className="rsd-then-head">
                  {t('rsd.then')}
                </th>
              )}
              <th rowSpan={2} scope="col">
                {t('rsd.note')}
              </th>
              {!readOnly && (
                <th rowSpan={2} scope="col">
                  {t('rsd.rowActions')}
                </th>
              )}
            </tr>
            <tr>
              {model.inputs.map((c, i) => (
                <th key={c.id} scope="col" className="rsd-input-col" data-testid={`rsd-input-${i}`}>
                  <InputHeader column={c} index={i} form={model.form} problems={problems} change={change ? (patch) => edit(updateInput(model, c.id, patch)) : undefined} />
                  {!readOnly && (
                    <button type="button" className="danger rsd-small" onClick={() => edit(removeInput(model, c.id))} aria-label={t('rsd.removeInputNamed', { name: c.name || n(i) })}>
                      {t('rsd.remove')}
                    </button>
                  )}
                </th>
              ))}
              {model.outputs.map((c, i) => (
                <th key={c.id} scope="col" className="rsd-output-col" data-testid={`rsd-output-${i}`}>
                  <HeaderField label={t('rsd.outputName')} problems={problems} target={`output-name:${c.id}`}>
                    {(attrs) => <input {...attrs} value={c.name} readOnly={readOnly} dir="ltr" name={`output-${i}-name`} onChange={(e) => edit(updateOutput(model, c.id, { name: e.target.value }))} />}
                  </HeaderField>
                  <HeaderField label={t('rsd.outputType')} problems={problems} target={`output-type:${c.id}`}>
                    {(attrs) => (
                      <select {...attrs} value={c.type} disabled={readOnly} name={`output-${i}-type`} onChange={(e) => edit(updateOutput(model, c.id, { type: e.target.value }))}>
                        {!(outputTypes as readonly string[]).includes(c.type) && <option value={c.type}>{c.type}</option>}
                        {outputTypes.map((ty) => (
                          <option key={ty} value={ty}>
                            {t(`rsd.type.${ty}`)}
                          </option>
                        ))}
                      </select>
                    )}
                  </HeaderField>
                  {!readOnly && (
                    <button type="button" className="danger rsd-small" onClick={() => edit(removeOutput(model, c.id))} aria-label={t('rsd.removeOutputNamed', { name: c.name || n(i) })}>
                      {t('rsd.remove')}
                    </button>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {model.rows.map((r, ri) => {
              const hit = matched.has(r.id);
              const bad = rowHasProblems(problems, r.id);
              const rowLabel = t('rsd.rowN', { n: n(ri) });
              return (
                <tr key={r.id} className={[hit ? 'rsd-row-matched' : '', bad ? 'rsd-row-problem' : ''].join(' ').trim() || undefined} data-testid={`rsd-row-${ri}`} data-matched={hit || undefined}>
                  <th scope="row" id={domID(`row:${r.id}`)} tabIndex={-1} className="rsd-row-head">
                    {n(ri)}
                    {hit && <span className="rsd-matched-mark"> ✓ {t('rsd.matched')}</span>}
                    <CellProblems problems={problems} target={`row:${r.id}`} />
                  </th>
                  {model.inputs.map((c, ci) => {
                    const target = `when:${r.id}:${c.id}`;
                    return (
                      <td key={c.id}>
                        <input
                          {...cellProps(problems, target)}
                          value={r.when[ci] ?? ''}
                          readOnly={readOnly}
                          dir="ltr"
                          placeholder="-"
                          spellCheck={false}
                          aria-label={t('rsd.whenCell', { row: n(ri), input: c.name || n(ci) })}
                          data-testid={`rsd-when-${ri}-${ci}`}
                          onChange={(e) => edit(setCell(model, r.id, 'when', ci, e.target.value))}
                        />
                        <CellProblems problems={problems} target={target} />
                      </td>
                    );
                  })}
                  {model.outputs.map((c, ci) => {
                    const target = `then:${r.id}:${c.id}`;
                    return (
                      <td key={c.id}>
                        <ThenCell
                          type={c.type}
                          value={r.then[ci] ?? ''}
                          readOnly={readOnly}
                          label={t('rsd.thenCell', { row: n(ri), output: c.name || n(ci) })}
                          testID={`rsd-then-${ri}-${ci}`}
                          attrs={cellProps(problems, target)}
                          onChange={(v) => edit(setCell(model, r.id, 'then', ci, v))}
                        />
                        <CellProblems problems={problems} target={target} />
                      </td>
                    );
                  })}
                  <td>
                    <input
                      {...cellProps(problems, `note:${r.id}`)}
                      value={r.note}
                      readOnly={readOnly}
                      aria-label={t('rsd.noteCell', { row: n(ri) })}
                      onChange={(e) => edit(setNote(model, r.id, e.target.value))}
                    />
                    <CellProblems problems={problems} target={`note:${r.id}`} />
                  </td>
                  {!readOnly && (
                    <td className="rsd-row-tools">
                      <button
                        type="button"
                        id={`rsd-up-${r.id}`}
                        className="rsd-small"
                        disabled={ri === 0}
                        onClick={() => {
                          edit(moveRow(model, r.id, -1));
                          // At the top "up" is disabled: keep the focus on the row, on its "down".
                          if (ri === 1) focusLater(`rsd-down-${r.id}`);
                        }} aria-label={t('rsd.moveUpN', { row: rowLabel })} title={t('rsd.moveUp')}>
                        ↑
                      </button>
                      <button
                        type="button"
                        className="rsd-small"
                        id={`rsd-down-${r.id}`}
                        disabled={ri === model.rows.length - 1}
                        onClick={() => {
                          edit(moveRow(model, r.id, 1));
                          if (ri === model.rows.length - 2) focusLater(`rsd-up-${r.id}`);
                        }}
                        aria-label={t('rsd.moveDownN', { row: rowLabel })}
                        title={t('rsd.moveDown')}
                      >
                        ↓
                      </button>
                      <button type="button" className="rsd-small" onClick={() => edit(duplicateRow(model, r.id))} aria-label={t('rsd.duplicateN', { row: rowLabel })} title={t('rsd.duplicate')}>
                        {t('rsd.duplicate')}
                      </button>
                      <button type="button" className="rsd-small" onClick={() => edit(addRow(model, r.id))} aria-label={t('rsd.addBelowN', { row: rowLabel })} title={t('rsd.addBelow')}>
                        +
                      </button>
                      <button type="button" className="rsd-small danger" onClick={() => {
                          edit(removeRow(model, r.id));
                          // The focus goes to the row that takes this one's place, or to "Add a row".
                          const next = model.rows[ri + 1] ?? model.rows[ri - 1];
                          focusLater(next ? `rsd-remove-${next.id}` : 'rsd-add-row');
                        }}
                        id={`rsd-remove-${r.id}`} aria-label={t('rsd.removeN', { row: rowLabel })} title={t('rsd.remove')}>
                        ✕
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {model.rows.length === 0 && <p className="muted">{t('rsd.noRows')}</p>}
    </div>
  );
}

/** ThenCell edits one output value as its type asks: text, number, yes/no or a list. */
function ThenCell(props: {
  type: string;
  value: string;
  readOnly: boolean;
  label: string;
  testID: string;
  attrs: ReturnType<typeof cellProps>;
  onChange: (v: string) => void;
}) {
  const { t } = useTranslation();
  const common = { ...props.attrs, 'aria-label': props.label, 'data-testid': props.testID };
  if (props.type === 'boolean' && (props.value === '' || props.value === 'true' || props.value === 'false'))
    return (
      <select {...common} value={props.value} disabled={props.readOnly} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">{t('rsd.noValue')}</option>
        <option value="true">{t('rsd.yes')}</option>
        <option value="false">{t('rsd.no')}</option>
      </select>
    );
  return (
    <input
      {...common}
      value={props.value}
      readOnly={props.readOnly}
      dir="ltr"
      spellCheck={false}
      inputMode={props.type === 'number' ? 'decimal' : undefined}
      placeholder={props.type === 'list' ? t('rsd.listHint') : undefined}
      onChange={(e) => props.onChange(e.target.value)}
    />
  );
}

/** InputHeader edits an input's name and expression; the expression is checked against the form 0.4 s after typing stops, the verdict announced. */
function InputHeader(props: { column: InputColumn; index: number; form: string; problems: PlacedProblem[]; change?: (patch: Partial<InputColumn>) => void }) {
  const { t } = useTranslation();
  const { column: c, index: i, form } = props;
  const [verdict, setVerdict] = useState<{ valid: boolean; message?: string } | 'checking' | null>(null);
  useEffect(() => {
    if (!props.change || !c.expr.trim()) {
      setVerdict(null);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      setVerdict('checking');
      checkInput(c.expr, form, ctl.signal).then(
        (r) => !ctl.signal.aborted && setVerdict({ valid: r.valid, message: r.error?.message }),
        (err) => !ctl.signal.aborted && setVerdict({ valid: false, message: (err as Error).message }),
      );
    }, checkDelay);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [c.expr, form, props.change !== undefined]); // eslint-disable-line react-hooks/exhaustive-deps
  const readOnly = !props.change;
  const set = props.change ?? (() => undefined);
  const verdictID = `rsd-check-${c.id}`;
  const invalid = verdict !== null && verdict !== 'checking' && !verdict.valid;
  return (
    <>
      <HeaderField label={t('rsd.inputName')} problems={props.problems} target={`input-name:${c.id}`}>
        {(attrs) => <input {...attrs} value={c.name} readOnly={readOnly} dir="ltr" name={`input-${i}-name`} onChange={(e) => set({ name: e.target.value })} />}
      </HeaderField>
      <HeaderField label={t('rsd.inputExpr')} problems={props.problems} target={`input-expr:${c.id}`}>
        {(attrs) => (
          <input
            {...attrs}
            className={[attrs.className, 'code'].join(' ').trim()}
            value={c.expr}
            readOnly={readOnly}
            dir="ltr"
            spellCheck={false}
            name={`input-${i}-expr`}
            placeholder="form.urgency"
            aria-invalid={invalid || attrs['aria-invalid']}
            aria-describedby={[verdictID, attrs['aria-describedby']].filter(Boolean).join(' ')}
            onChange={(e) => set({ expr: e.target.value })}
          />
        )}
      </HeaderField>
      <span id={verdictID} role="status" aria-live="polite" className={`rsd-verdict ${invalid ? 'invalid' : 'valid'}`} data-testid={`rsd-check-${i}`}>
        {verdict === 'checking' && t('rsd.checking')}
        {verdict !== null && verdict !== 'checking' && (verdict.valid ? `✓ ${t('rsd.exprOK')}` : `✗ ${verdict.message ?? ''}`)}
      </span>
    </>
  );
}
