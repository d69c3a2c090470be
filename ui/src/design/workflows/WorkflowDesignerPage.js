import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
// The workflow designer: the graph (@xyflow/react) beside a properties
// panel, a list of nodes and the problems of the last save; saving,
// publishing, versions and simulation. The canvas is a convenience: every
// change can be made from the panel and the node list with the keyboard,
// and on a phone only they are shown.
import { useCallback, useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Background, Controls, Handle, MarkerType, Position, ReactFlow, } from '@xyflow/react';
import { ErrorSummary, problemText } from '../../components';
import { Problem } from '../../api/problem';
import { useLanguage } from '../../i18n/useLanguage';
import { getVersion, getWorkflow, listVersions, publish, saveDraft } from './api';
import { addNode, connect, fromDefinition, layerGap, layout, newNode, nodeKinds, nodeLabel, placeProblems, removeEdge, removeNode, toDefinition, trail, } from './model';
import { EdgePanel, NodePanel, usePickers, WorkflowPanel } from './Panels';
import { SimulationPanel } from './SimulationPanel';
import { DesignerTitle, DraftLoader, VersionList } from '../definitions';
export function WorkflowDesignerPage() {
    const { key = '' } = useParams();
    return (_jsx(DraftLoader, { defKey: key, head: getWorkflow, latest: (k) => getVersion(k, 'latest'), children: (h, body) => _jsx(Designer, { initial: fromDefinition(body, key), revision: h.revision, latest: h.latestVersion, problems: h.problems ?? [] }, key) }));
}
function Designer(props) {
    const { t } = useTranslation();
    const lang = useLanguage();
    const [wf, setWF] = useState(props.initial);
    const [places, setPlaces] = useState(() => layout(props.initial));
    const [selection, setSelection] = useState(null);
    const [revision, setRevision] = useState(props.revision);
    const [latest, setLatest] = useState(props.latest);
    const [problems, setProblems] = useState(props.problems);
    const [dirty, setDirty] = useState(false);
    // The last save's or publish's outcome, as a message key so it follows the language.
    const [status, setStatus] = useState(null);
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);
    const [passed, setPassed] = useState(null);
    const [versionsTick, setVersionsTick] = useState(0);
    // Bumped to draw the canvas afresh, fitted to the graph (after a new layout).
    const [view, setView] = useState(0);
    const pickers = usePickers();
    const placed = useMemo(() => placeProblems(problems, wf), [problems, wf]);
    /** change applies an edit: the draft is dirty and the last save's problems and path no longer describe it. */
    const change = useCallback((next) => {
        setWF(next);
        setDirty(true);
        setPassed(null);
    }, []);
    function add(kind) {
        const node = newNode(wf, kind);
        const right = Math.max(0, ...Object.values(places).map((p) => p.x)) + layerGap;
        setPlaces((p) => ({ ...p, [node.id]: { x: right, y: 0 } }));
        change(addNode(wf, node));
        setSelection({ node: node.id });
    }
    function rename(oldID, newID) {
        if (oldID === newID)
            return;
        setPlaces((p) => {
            const { [oldID]: moved, ...rest } = p;
            return { ...rest, [newID]: moved ?? { x: 0, y: 0 } };
        });
        setSelection({ node: newID });
    }
    async function save() {
        setBusy(true);
        setError('');
        try {
            const h = await saveDraft(toDefinition(wf), revision);
            setRevision(h.revision);
            setProblems(h.problems ?? []);
            setDirty(false);
            setStatus(h.problems?.length ? { key: 'wfd.savedWithProblems', opts: { count: h.problems.length } } : { key: 'wfd.saved' });
        }
        catch (err) {
            setError(problemText(err, t));
        }
        finally {
            setBusy(false);
        }
    }
    async function doPublish() {
        setBusy(true);
        setError('');
        try {
            if (dirty) {
                const h = await saveDraft(toDefinition(wf), revision);
                setRevision(h.revision);
                setDirty(false);
            }
            const v = await publish(wf.key);
            setProblems([]);
            setLatest(v.version);
            setVersionsTick((n) => n + 1);
            setStatus({ key: 'wfd.published', opts: { version: v.version } });
        }
        catch (err) {
            if (err instanceof Problem && err.slug === 'definition-invalid') {
                setProblems(err.errors);
                setError(t('wfd.publishRefused', { count: err.errors.length }));
            }
            else
                setError(problemText(err, t));
        }
        finally {
            setBusy(false);
        }
    }
    const nodes = wf.nodes.map((n, i) => {
        const p = places[n.id] ?? { x: 0, y: 0 };
        return {
            id: n.id,
            type: 'step',
            position: { x: p.x, y: p.y },
            ...(p.width !== undefined ? { measured: { width: p.width, height: p.height } } : {}),
            selected: selection !== null && 'node' in selection && selection.node === n.id,
            ariaLabel: `${t(`wfd.kind.${n.kind}`)}: ${nodeLabel(n, lang)}`,
            data: { label: nodeLabel(n, lang), kind: n.kind, problems: placed.nodes.get(i) ?? [], passed: passed?.nodes.has(n.id) ?? false },
        };
    });
    const edges = wf.edges.map((e, i) => {
        const bad = placed.edges.has(i);
        const on = passed?.edges.has(i) ?? false;
        return {
            id: `e${i}`,
            source: e.from,
            target: e.to,
            label: [bad ? '⚠' : '', e.outcome || (e.default ? t('wfd.default') : e.condition) || ''].join(' ').trim() || undefined,
            selected: selection !== null && 'edge' in selection && selection.edge === i,
            className: [bad ? 'wfd-edge-problem' : '', on ? 'wfd-edge-passed' : ''].join(' ').trim(),
            markerEnd: { type: MarkerType.ArrowClosed },
            animated: on,
            ariaLabel: `${e.from} → ${e.to}${bad ? ` (${t('wfd.hasProblems')})` : ''}`,
        };
    });
    function onNodesChange(changes) {
        let next = wf;
        for (const c of changes) {
            if (c.type === 'position' && c.position) {
                const pos = c.position;
                setPlaces((p) => ({ ...p, [c.id]: { ...p[c.id], x: pos.x, y: pos.y } }));
            }
            else if (c.type === 'dimensions' && c.dimensions) {
                const d = c.dimensions;
                setPlaces((p) => ({ ...p, [c.id]: { ...(p[c.id] ?? { x: 0, y: 0 }), width: d.width, height: d.height } }));
            }
            else if (c.type === 'select' && c.selected) {
                setSelection({ node: c.id });
            }
            else if (c.type === 'remove') {
                next = removeNode(next, c.id);
            }
        }
        if (next !== wf) {
            change(next);
            setSelection(null);
        }
    }
    function onEdgesChange(changes) {
        const removed = changes.filter((c) => c.type === 'remove').map((c) => Number(c.id.slice(1)));
        for (const c of changes)
            if (c.type === 'select' && c.selected)
                setSelection({ edge: Number(c.id.slice(1)) });
        if (removed.length) {
            let next = wf;
            for (const i of removed.sort((a, b) => b - a))
                next = removeEdge(next, i);
            change(next);
            setSelection(null);
        }
    }
    function onConnect(c) {
        if (!c.source || !c.target)
            return;
        const next = connect(wf, c.source, c.target);
        change(next);
        setSelection({ edge: next.edges.length - 1 });
    }
    const selectedNode = selection && 'node' in selection ? wf.nodes.findIndex((n) => n.id === selection.node) : -1;
    const selectedEdge = selection && 'edge' in selection && selection.edge < wf.edges.length ? selection.edge : -1;
    return (_jsxs("section", { className: "wfd", "aria-labelledby": "wfd-title", children: [_jsx(DesignerTitle, { ns: "wfd", base: "/design/workflows", defKey: wf.key, title: wf.title ?? {}, latest: latest, dirty: dirty }), _jsxs("div", { className: "wfd-toolbar", role: "toolbar", "aria-label": t('wfd.palette'), children: [_jsx("span", { className: "muted", children: t('wfd.add') }), nodeKinds.map((k) => (_jsx("button", { type: "button", className: `wfd-kind-${k}`, onClick: () => add(k), "data-testid": `wfd-add-${k}`, children: t(`wfd.kind.${k}`) }, k)))] }), _jsxs("div", { className: "wfd-actions", children: [_jsx("button", { type: "button", onClick: save, disabled: busy, "data-testid": "wfd-save", children: t('wfd.save') }), _jsx("button", { type: "button", onClick: doPublish, disabled: busy, "data-testid": "wfd-publish", children: t('wfd.publish') }), _jsx("button", { type: "button", "data-testid": "wfd-relayout", onClick: () => {
                            setPlaces(layout(wf));
                            setView((n) => n + 1);
                        }, children: t('wfd.relayout') }), _jsx("span", { role: "status", "aria-live": "polite", "data-testid": "wfd-status", children: status && t(status.key, status.opts) })] }), _jsx(ErrorSummary, { messages: error ? [error] : [] }), _jsxs("div", { className: "wfd-main", children: [_jsx("div", { className: "wfd-canvas", dir: "ltr", "data-testid": "wfd-canvas", children: _jsxs(ReactFlow, { nodes: nodes, edges: edges, nodeTypes: nodeTypes, onNodesChange: onNodesChange, onEdgesChange: onEdgesChange, onConnect: onConnect, onPaneClick: () => setSelection(null), fitView: true, minZoom: 0.2, proOptions: { hideAttribution: true }, ariaLabelConfig: { 'node.a11yDescription.default': t('wfd.canvasHelp') }, children: [_jsx(Background, {}), _jsx(Controls, { showInteractive: false })] }, view) }), _jsxs("aside", { className: "wfd-side", children: [_jsx(ProblemList, { problems: problems, wf: wf, select: setSelection }), _jsx(NodeList, { wf: wf, selection: selection, select: setSelection, problemNodes: placed.nodes, passed: passed }), selectedNode >= 0 && (_jsx(NodePanel, { wf: wf, index: selectedNode, problems: placed.nodes.get(selectedNode) ?? [], pickers: pickers, change: change, rename: rename, select: setSelection }, `n-${wf.nodes[selectedNode].id}`)), selectedNode < 0 && selectedEdge < 0 && _jsx(WorkflowPanel, { wf: wf, pickers: pickers, change: change }), selectedEdge >= 0 && (_jsx(EdgePanel, { wf: wf, index: selectedEdge, problems: placed.edges.get(selectedEdge) ?? [], change: change, select: setSelection }, `e-${selectedEdge}`))] })] }), _jsx(SimulationPanel, { wf: wf, dirty: dirty, onResult: (s) => setPassed(s ? trail(wf, s.path, s.decisions) : null) }), _jsx(VersionList, { ns: "wfd", load: (signal) => listVersions(wf.key, signal), deps: [wf.key, versionsTick] })] }));
}
/** StepNode draws one node: its kind, title, problems and whether the simulation passed it. */
function StepNode({ data, selected }) {
    const { t } = useTranslation();
    const classes = ['wfd-node', `wfd-kind-${data.kind}`, data.problems.length ? 'wfd-node-problem' : '', data.passed ? 'wfd-node-passed' : '', selected ? 'wfd-node-selected' : ''];
    return (_jsxs("div", { className: classes.join(' ').trim(), children: [data.kind !== 'start' && _jsx(Handle, { type: "target", position: Position.Left }), _jsx("small", { children: t(`wfd.kind.${data.kind}`) }), _jsx("strong", { children: data.label }), data.passed && _jsxs("small", { className: "wfd-passed-mark", children: ["\u2713 ", t('wfd.passed')] }), data.problems.length > 0 && (_jsx("ul", { className: "wfd-node-problems", "data-testid": "wfd-node-problems", children: data.problems.map((p, i) => (_jsxs("li", { children: ["\u26A0 ", p.message] }, i))) })), data.kind !== 'end' && _jsx(Handle, { type: "source", position: Position.Right })] }));
}
const nodeTypes = { step: StepNode };
/** ProblemList shows every problem of the last save or publish; each leads to its node or edge. */
function ProblemList({ problems, wf, select }) {
    const { t } = useTranslation();
    if (!problems.length)
        return null;
    return (_jsxs("section", { className: "wfd-problems", "aria-labelledby": "wfd-problems-title", "data-testid": "wfd-problems", children: [_jsx("h2", { id: "wfd-problems-title", children: t('wfd.problems', { count: problems.length }) }), _jsx("ul", { children: problems.map((p, i) => {
                    const m = /^\/(nodes|edges)\/(\d+)/.exec(p.pointer);
                    const n = m ? Number(m[2]) : -1;
                    const target = m?.[1] === 'nodes' && wf.nodes[n] ? { node: wf.nodes[n].id } : m?.[1] === 'edges' && wf.edges[n] ? { edge: n } : null;
                    return (_jsx("li", { children: target ? (_jsx("button", { type: "button", className: "link", onClick: () => select(target), children: p.message })) : (p.message) }, i));
                }) })] }));
}
/** NodeList lists the nodes as buttons: the keyboard's and the phone's way to the panel. */
function NodeList(props) {
    const { t } = useTranslation();
    const lang = useLanguage();
    return (_jsxs("nav", { "aria-labelledby": "wfd-nodes-title", className: "wfd-nodes", children: [_jsx("h2", { id: "wfd-nodes-title", children: t('wfd.nodes') }), _jsx("ol", { children: props.wf.nodes.map((n, i) => {
                    const current = props.selection !== null && 'node' in props.selection && props.selection.node === n.id;
                    const count = props.problemNodes.get(i)?.length ?? 0;
                    return (_jsx("li", { children: _jsxs("button", { type: "button", "aria-current": current || undefined, onClick: () => props.select({ node: n.id }), "data-testid": `wfd-node-${n.id}`, children: [t(`wfd.kind.${n.kind}`), ": ", nodeLabel(n, lang), count > 0 && _jsxs("span", { className: "wfd-badge-problem", children: [" \u26A0 ", t('wfd.problemCount', { count })] }), props.passed?.nodes.has(n.id) && _jsxs("span", { className: "wfd-badge-passed", children: [" \u2713 ", t('wfd.passed')] })] }) }, n.id));
                }) })] }));
}
