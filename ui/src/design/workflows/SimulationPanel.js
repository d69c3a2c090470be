import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
// Simulation: sample data and scripted outcomes sent to
// POST /workflows/{key}/simulate; the answer's path is listed here and
// highlighted on the graph by the page.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, problemText } from '../../components';
import { Problem } from '../../api/problem';
import { simulate } from './api';
import { parseScript } from './model';
export function SimulationPanel({ wf, dirty, onResult }) {
    const { t } = useTranslation();
    const [data, setData] = useState('{\n}');
    const [script, setScript] = useState('');
    const [draft, setDraft] = useState(true);
    const [result, setResult] = useState(null);
    const [errors, setErrors] = useState([]);
    const [busy, setBusy] = useState(false);
    async function run(e) {
        e.preventDefault();
        setErrors([]);
        let parsed;
        try {
            parsed = JSON.parse(data);
        }
        catch (err) {
            setErrors([t('wfd.sim.badJSON', { error: err.message })]);
            return;
        }
        setBusy(true);
        try {
            const s = await simulate(wf.key, { draft, data: parsed, outcomes: parseScript(script) });
            setResult(s);
            onResult(s);
        }
        catch (err) {
            setResult(null);
            onResult(null);
            if (err instanceof Problem && err.errors.length)
                setErrors(err.errors.map((x) => `${x.pointer}: ${x.message}`));
            else
                setErrors([problemText(err, t)]);
        }
        finally {
            setBusy(false);
        }
    }
    return (_jsxs("section", { "aria-labelledby": "wfd-sim-title", className: "wfd-sim", children: [_jsx("h2", { id: "wfd-sim-title", children: t('wfd.sim.title') }), _jsxs("form", { onSubmit: run, children: [_jsxs("label", { children: [t('wfd.sim.data'), _jsx("textarea", { value: data, onChange: (e) => setData(e.target.value), rows: 6, dir: "ltr", name: "simData", spellCheck: false })] }), _jsxs("label", { children: [t('wfd.sim.outcomes'), _jsx("textarea", { value: script, onChange: (e) => setScript(e.target.value), rows: 3, dir: "ltr", name: "simOutcomes", placeholder: "triage: resolve", "aria-describedby": "wfd-sim-outcomes-help" }), _jsx("small", { id: "wfd-sim-outcomes-help", className: "muted", children: t('wfd.sim.outcomesHelp') })] }), _jsxs("label", { className: "wfd-checkbox", children: [_jsx("input", { type: "checkbox", checked: draft, onChange: (e) => setDraft(e.target.checked), name: "simDraft" }), t('wfd.sim.useDraft')] }), draft && dirty && _jsx("p", { className: "muted", children: t('wfd.sim.saveFirst') }), _jsx(ErrorSummary, { messages: errors }), _jsx("button", { type: "submit", disabled: busy, "data-testid": "wfd-simulate", children: t('wfd.sim.run') })] }), result && (_jsxs("div", { role: "status", "aria-live": "polite", "data-testid": "wfd-sim-result", children: [_jsxs("p", { children: [t('wfd.sim.status', { status: result.status }), result.stopped && ` · ${t('wfd.sim.stopped', { reason: result.stopped })}`] }), _jsx("ol", { children: result.path.map((ev, i) => (_jsxs("li", { children: [ev.type, ev.node && _jsxs("bdi", { dir: "ltr", children: [" ", ev.node] }), ev.outcome && ` → ${ev.outcome}`, ev.condition && _jsxs("bdi", { dir: "ltr", children: [" (", ev.condition, ")"] })] }, i))) })] }))] }));
}
