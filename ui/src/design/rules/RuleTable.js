import { jsxs as _jsxs, jsx as _jsx, Fragment as _Fragment } from "react/jsx-runtime";
// The decision table drawn as a table: a column per input (name and
// expression, checked as one types) and per output (name and type), a row
// per rule with a cell per `when` and `then`, its number, its note and the
// buttons that add, copy, move and remove it. Problems of the last save are
// drawn on the cells they point at; rows an evaluation matched are marked.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../i18n/useLanguage';
import { formatNumber } from '../../i18n/format';
import { checkInput } from './api';
import { addInput, addOutput, addRow, domID, duplicateRow, moveRow, outputTypes, problemsAt, removeInput, removeOutput, removeRow, rowHasProblems, setCell, setNote, updateInput, updateOutput, } from './model';
/** The time an expression is left alone before it is checked: a check per pause, not per key. */
export const checkDelay = 400;
/** CellProblems lists the messages placed on target under its input, for screen readers too (the input points at it). */
function CellProblems({ problems, target }) {
    const messages = problemsAt(problems, target);
    if (!messages.length)
        return null;
    return (_jsx("ul", { className: "rsd-cell-problems", id: `${domID(target)}-problems`, "data-testid": "rsd-cell-problems", children: messages.map((m, i) => (_jsxs("li", { children: ["\u26A0 ", m] }, i))) }));
}
/** cellProps are the attributes that tie an input to its target: id, outline and the messages that describe it. */
function cellProps(problems, target) {
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
function focusLater(id) {
    requestAnimationFrame(() => document.getElementById(id)?.focus());
}
/** HeaderField is a labelled field of a column's header, with the problems placed on it under it. */
function HeaderField(props) {
    return (_jsxs(_Fragment, { children: [_jsxs("label", { children: [props.label, props.children(cellProps(props.problems, props.target))] }), _jsx(CellProblems, { problems: props.problems, target: props.target })] }));
}
export function RuleTable({ model, problems, matched, change }) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const readOnly = !change;
    const edit = change ?? (() => undefined);
    const n = (i) => formatNumber(i + 1, lang);
    return (_jsxs("div", { className: "rsd-table-area", children: [!readOnly && (_jsxs("div", { className: "rsd-toolbar", children: [_jsx("button", { type: "button", onClick: () => edit(addInput(model)), "data-testid": "rsd-add-input", children: t('rsd.addInput') }), _jsx("button", { type: "button", onClick: () => edit(addOutput(model)), "data-testid": "rsd-add-output", children: t('rsd.addOutput') }), _jsx("button", { type: "button", id: "rsd-add-row", onClick: () => edit(addRow(model)), "data-testid": "rsd-add-row", children: t('rsd.addRow') })] })), _jsx(CellProblems, { problems: problems, target: "inputs" }), _jsx(CellProblems, { problems: problems, target: "outputs" }), _jsx(CellProblems, { problems: problems, target: "rows" }), _jsx("p", { className: "muted", id: "rsd-table-help", children: t('rsd.tableHelp') }), _jsx("div", { className: "rsd-table-wrap", role: "region", "aria-labelledby": "rsd-table-caption", "aria-describedby": "rsd-table-help", tabIndex: 0, children: _jsxs("table", { className: "rsd-table", "data-testid": "rsd-table", children: [_jsx("caption", { id: "rsd-table-caption", children: t('rsd.tableCaption') }), _jsxs("thead", { children: [_jsxs("tr", { children: [_jsx("th", { rowSpan: 2, scope: "col", children: t('rsd.rowNumber') }), model.inputs.length > 0 && (_jsx("th", { colSpan: model.inputs.length, scope: "colgroup", className: "rsd-when-head", children: t('rsd.when') })), model.outputs.length > 0 && (_jsx("th", { colSpan: model.outputs.length, scope: "colgroup", className: "rsd-then-head", children: t('rsd.then') })), _jsx("th", { rowSpan: 2, scope: "col", children: t('rsd.note') }), !readOnly && (_jsx("th", { rowSpan: 2, scope: "col", children: t('rsd.rowActions') }))] }), _jsxs("tr", { children: [model.inputs.map((c, i) => (_jsxs("th", { scope: "col", className: "rsd-input-col", "data-testid": `rsd-input-${i}`, children: [_jsx(InputHeader, { column: c, index: i, form: model.form, problems: problems, change: change ? (patch) => edit(updateInput(model, c.id, patch)) : undefined }), !readOnly && (_jsx("button", { type: "button", className: "danger rsd-small", onClick: () => edit(removeInput(model, c.id)), "aria-label": t('rsd.removeInputNamed', { name: c.name || n(i) }), children: t('rsd.remove') }))] }, c.id))), model.outputs.map((c, i) => (_jsxs("th", { scope: "col", className: "rsd-output-col", "data-testid": `rsd-output-${i}`, children: [_jsx(HeaderField, { label: t('rsd.outputName'), problems: problems, target: `output-name:${c.id}`, children: (attrs) => _jsx("input", { ...attrs, value: c.name, readOnly: readOnly, dir: "ltr", name: `output-${i}-name`, onChange: (e) => edit(updateOutput(model, c.id, { name: e.target.value })) }) }), _jsx(HeaderField, { label: t('rsd.outputType'), problems: problems, target: `output-type:${c.id}`, children: (attrs) => (_jsxs("select", { ...attrs, value: c.type, disabled: readOnly, name: `output-${i}-type`, onChange: (e) => edit(updateOutput(model, c.id, { type: e.target.value })), children: [!outputTypes.includes(c.type) && _jsx("option", { value: c.type, children: c.type }), outputTypes.map((ty) => (_jsx("option", { value: ty, children: t(`rsd.type.${ty}`) }, ty)))] })) }), !readOnly && (_jsx("button", { type: "button", className: "danger rsd-small", onClick: () => edit(removeOutput(model, c.id)), "aria-label": t('rsd.removeOutputNamed', { name: c.name || n(i) }), children: t('rsd.remove') }))] }, c.id)))] })] }), _jsx("tbody", { children: model.rows.map((r, ri) => {
                                const hit = matched.has(r.id);
                                const bad = rowHasProblems(problems, r.id);
                                const rowLabel = t('rsd.rowN', { n: n(ri) });
                                return (_jsxs("tr", { className: [hit ? 'rsd-row-matched' : '', bad ? 'rsd-row-problem' : ''].join(' ').trim() || undefined, "data-testid": `rsd-row-${ri}`, "data-matched": hit || undefined, children: [_jsxs("th", { scope: "row", id: domID(`row:${r.id}`), tabIndex: -1, className: "rsd-row-head", children: [n(ri), hit && _jsxs("span", { className: "rsd-matched-mark", children: [" \u2713 ", t('rsd.matched')] }), _jsx(CellProblems, { problems: problems, target: `row:${r.id}` })] }), model.inputs.map((c, ci) => {
                                            const target = `when:${r.id}:${c.id}`;
                                            return (_jsxs("td", { children: [_jsx("input", { ...cellProps(problems, target), value: r.when[ci] ?? '', readOnly: readOnly, dir: "ltr", placeholder: "-", spellCheck: false, "aria-label": t('rsd.whenCell', { row: n(ri), input: c.name || n(ci) }), "data-testid": `rsd-when-${ri}-${ci}`, onChange: (e) => edit(setCell(model, r.id, 'when', ci, e.target.value)) }), _jsx(CellProblems, { problems: problems, target: target })] }, c.id));
                                        }), model.outputs.map((c, ci) => {
                                            const target = `then:${r.id}:${c.id}`;
                                            return (_jsxs("td", { children: [_jsx(ThenCell, { type: c.type, value: r.then[ci] ?? '', readOnly: readOnly, label: t('rsd.thenCell', { row: n(ri), output: c.name || n(ci) }), testID: `rsd-then-${ri}-${ci}`, attrs: cellProps(problems, target), onChange: (v) => edit(setCell(model, r.id, 'then', ci, v)) }), _jsx(CellProblems, { problems: problems, target: target })] }, c.id));
                                        }), _jsxs("td", { children: [_jsx("input", { ...cellProps(problems, `note:${r.id}`), value: r.note, readOnly: readOnly, "aria-label": t('rsd.noteCell', { row: n(ri) }), onChange: (e) => edit(setNote(model, r.id, e.target.value)) }), _jsx(CellProblems, { problems: problems, target: `note:${r.id}` })] }), !readOnly && (_jsxs("td", { className: "rsd-row-tools", children: [_jsx("button", { type: "button", id: `rsd-up-${r.id}`, className: "rsd-small", disabled: ri === 0, onClick: () => {
                                                        edit(moveRow(model, r.id, -1));
                                                        // At the top "up" is disabled: keep the focus on the row, on its "down".
                                                        if (ri === 1)
                                                            focusLater(`rsd-down-${r.id}`);
                                                    }, "aria-label": t('rsd.moveUpN', { row: rowLabel }), title: t('rsd.moveUp'), children: "\u2191" }), _jsx("button", { type: "button", className: "rsd-small", id: `rsd-down-${r.id}`, disabled: ri === model.rows.length - 1, onClick: () => {
                                                        edit(moveRow(model, r.id, 1));
                                                        if (ri === model.rows.length - 2)
                                                            focusLater(`rsd-up-${r.id}`);
                                                    }, "aria-label": t('rsd.moveDownN', { row: rowLabel }), title: t('rsd.moveDown'), children: "\u2193" }), _jsx("button", { type: "button", className: "rsd-small", onClick: () => edit(duplicateRow(model, r.id)), "aria-label": t('rsd.duplicateN', { row: rowLabel }), title: t('rsd.duplicate'), children: t('rsd.duplicate') }), _jsx("button", { type: "button", className: "rsd-small", onClick: () => edit(addRow(model, r.id)), "aria-label": t('rsd.addBelowN', { row: rowLabel }), title: t('rsd.addBelow'), children: "+" }), _jsx("button", { type: "button", className: "rsd-small danger", onClick: () => {
                                                        edit(removeRow(model, r.id));
                                                        // The focus goes to the row that takes this one's place, or to "Add a row".
                                                        const next = model.rows[ri + 1] ?? model.rows[ri - 1];
                                                        focusLater(next ? `rsd-remove-${next.id}` : 'rsd-add-row');
                                                    }, id: `rsd-remove-${r.id}`, "aria-label": t('rsd.removeN', { row: rowLabel }), title: t('rsd.remove'), children: "\u2715" })] }))] }, r.id));
                            }) })] }) }), model.rows.length === 0 && _jsx("p", { className: "muted", children: t('rsd.noRows') })] }));
}
/** ThenCell edits one output value as its type asks: text, number, yes/no or a list. */
function ThenCell(props) {
    const { t } = useTranslation();
    const common = { ...props.attrs, 'aria-label': props.label, 'data-testid': props.testID };
    if (props.type === 'boolean' && (props.value === '' || props.value === 'true' || props.value === 'false'))
        return (_jsxs("select", { ...common, value: props.value, disabled: props.readOnly, onChange: (e) => props.onChange(e.target.value), children: [_jsx("option", { value: "", children: t('rsd.noValue') }), _jsx("option", { value: "true", children: t('rsd.yes') }), _jsx("option", { value: "false", children: t('rsd.no') })] }));
    return (_jsx("input", { ...common, value: props.value, readOnly: props.readOnly, dir: "ltr", spellCheck: false, inputMode: props.type === 'number' ? 'decimal' : undefined, placeholder: props.type === 'list' ? t('rsd.listHint') : undefined, onChange: (e) => props.onChange(e.target.value) }));
}
/** InputHeader edits an input's name and expression; the expression is checked against the form 0.4 s after typing stops, the verdict announced. */
function InputHeader(props) {
    const { t } = useTranslation();
    const { column: c, index: i, form } = props;
    const [verdict, setVerdict] = useState(null);
    useEffect(() => {
        if (!props.change || !c.expr.trim()) {
            setVerdict(null);
            return;
        }
        const ctl = new AbortController();
        const timer = setTimeout(() => {
            setVerdict('checking');
            checkInput(c.expr, form, ctl.signal).then((r) => !ctl.signal.aborted && setVerdict({ valid: r.valid, message: r.error?.message }), (err) => !ctl.signal.aborted && setVerdict({ valid: false, message: err.message }));
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
    return (_jsxs(_Fragment, { children: [_jsx(HeaderField, { label: t('rsd.inputName'), problems: props.problems, target: `input-name:${c.id}`, children: (attrs) => _jsx("input", { ...attrs, value: c.name, readOnly: readOnly, dir: "ltr", name: `input-${i}-name`, onChange: (e) => set({ name: e.target.value }) }) }), _jsx(HeaderField, { label: t('rsd.inputExpr'), problems: props.problems, target: `input-expr:${c.id}`, children: (attrs) => (_jsx("input", { ...attrs, className: [attrs.className, 'code'].join(' ').trim(), value: c.expr, readOnly: readOnly, dir: "ltr", spellCheck: false, name: `input-${i}-expr`, placeholder: "form.urgency", "aria-invalid": invalid || attrs['aria-invalid'], "aria-describedby": [verdictID, attrs['aria-describedby']].filter(Boolean).join(' '), onChange: (e) => set({ expr: e.target.value }) })) }), _jsxs("span", { id: verdictID, role: "status", "aria-live": "polite", className: `rsd-verdict ${invalid ? 'invalid' : 'valid'}`, "data-testid": `rsd-check-${i}`, children: [verdict === 'checking' && t('rsd.checking'), verdict !== null && verdict !== 'checking' && (verdict.valid ? `✓ ${t('rsd.exprOK')}` : `✗ ${verdict.message ?? ''}`)] })] }));
}
