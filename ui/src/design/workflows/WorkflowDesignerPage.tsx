// The workflow designer: the graph (@xyflow/react) beside a properties
// panel, a list of nodes and the problems of the last save; saving,
// publishing, versions and simulation. The canvas is a convenience: every
// change can be made from the panel and the node list with the keyboard,
// and on a phone only they are shown.
import { useCallback, useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  Background,
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
  type NodeProps,
} from '@xyflow/react';
import { ErrorSummary, problemText } from '../../components';
import { Problem } from '../../api/problem';
import { useLanguage } from '../../i18n/useLanguage';
import { getVersion, getWorkflow, listVersions, publish, saveDraft, type Simulation } from './api';
import {
  addNode,
  connect,
  fromDefinition,
  layerGap,
  layout,
  newNode,
  nodeKinds,
  nodeLabel,
  placeProblems,
  removeEdge,
  removeNode,
  toDefinition,
  trail,
  type DefinitionProblem,
  type NodeKind,
  type Point,
  type Trail,
  type Workflow,
} from './model';
import { EdgePanel, NodePanel, usePickers, WorkflowPanel } from './Panels';
import { SimulationPanel } from './SimulationPanel';
import { DesignerTitle, DraftLoader, VersionList } from '../definitions';

/** What the panel edits: a node by id or an edge by index. */
export type Selection = { node: string } | { edge: number } | null;

interface Place extends Point {
  width?: number;
  height?: number;
}

type FlowNodeData = { label: string; kind: NodeKind; problems: DefinitionProblem[]; passed: boolean };

export function WorkflowDesignerPage() {
  const { key = '' } = useParams();
  return (
    <DraftLoader defKey={key} head={getWorkflow} latest={(k) => getVersion(k, 'latest')}>
      {(h, body) => <Designer key={key} initial={fromDefinition(body, key)} revision={h.revision} latest={h.latestVersion} problems={h.problems ?? []} />}
    </DraftLoader>
  );
}

function Designer(props: { initial: Workflow; revision: number; latest: number; problems: DefinitionProblem[] }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const [wf, setWF] = useState(props.initial);
  const [places, setPlaces] = useState<Record<string, Place>>(() => layout(props.initial));
  const [selection, setSelection] = useState<Selection>(null);
  const [revision, setRevision] = useState(props.revision);
  const [latest, setLatest] = useState(props.latest);
  const [problems, setProblems] = useState<DefinitionProblem[]>(props.problems);
  const [dirty, setDirty] = useState(false);
  // The last save's or publish's outcome, as a message key so it follows the language.
  const [status, setStatus] = useState<{ key: string; opts?: Record<string, unknown> } | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [passed, setPassed] = useState<Trail | null>(null);
  const [versionsTick, setVersionsTick] = useState(0);
  // Bumped to draw the canvas afresh, fitted to the graph (after a new layout).
  const [view, setView] = useState(0);
  const pickers = usePickers();

  const placed = useMemo(() => placeProblems(problems, wf), [problems, wf]);

  /** change applies an edit: the draft is dirty and the last save's problems and path no longer describe it. */
  const change = useCallback((next: Workflow) => {
    setWF(next);
    setDirty(true);
    setPassed(null);
  }, []);

  function add(kind: NodeKind) {
    const node = newNode(wf, kind);
    const right = Math.max(0, ...Object.values(places).map((p) => p.x)) + layerGap;
    setPlaces((p) => ({ ...p, [node.id]: { x: right, y: 0 } }));
    change(addNode(wf, node));
    setSelection({ node: node.id });
  }

  function rename(oldID: string, newID: string) {
    if (oldID === newID) return;
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
    } catch (err) {
      setError(problemText(err, t));
    } finally {
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
    } catch (err) {
      if (err instanceof Problem && err.slug === 'definition-invalid') {
        setProblems(err.errors);
        setError(t('wfd.publishRefused', { count: err.errors.length }));
      } else setError(problemText(err, t));
    } finally {
      setBusy(false);
    }
  }

  const nodes: Node<FlowNodeData>[] = wf.nodes.map((n, i) => {
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
  const edges: Edge[] = wf.edges.map((e, i) => {
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

  function onNodesChange(changes: NodeChange<Node<FlowNodeData>>[]) {
    let next = wf;
    for (const c of changes) {
      if (c.type === 'position' && c.position) {
        const pos = c.position;
        setPlaces((p) => ({ ...p, [c.id]: { ...p[c.id], x: pos.x, y: pos.y } }));
      } else if (c.type === 'dimensions' && c.dimensions) {
        const d = c.dimensions;
        setPlaces((p) => ({ ...p, [c.id]: { ...(p[c.id] ?? { x: 0, y: 0 }), width: d.width, height: d.height } }));
      } else if (c.type === 'select' && c.selected) {
        setSelection({ node: c.id });
      } else if (c.type === 'remove') {
        next = removeNode(next, c.id);
      }
    }
    if (next !== wf) {
      change(next);
      setSelection(null);
    }
  }

  function onEdgesChange(changes: EdgeChange[]) {
    const removed = changes.filter((c) => c.type === 'remove').map((c) => Number(c.id.slice(1)));
    for (const c of changes) if (c.type === 'select' && c.selected) setSelection({ edge: Number(c.id.slice(1)) });
    if (removed.length) {
      let next = wf;
      for (const i of removed.sort((a, b) => b - a)) next = removeEdge(next, i);
      change(next);
      setSelection(null);
    }
  }

  function onConnect(c: Connection) {
    if (!c.source || !c.target) return;
    const next = connect(wf, c.source, c.target);
    change(next);
    setSelection({ edge: next.edges.length - 1 });
  }

  const selectedNode = selection && 'node' in selection ? wf.nodes.findIndex((n) => n.id === selection.node) : -1;
  const selectedEdge = selection && 'edge' in selection && selection.edge < wf.edges.length ? selection.edge : -1;

  return (
    <section className="wfd" aria-labelledby="wfd-title">
      <DesignerTitle ns="wfd" base="/design/workflows" defKey={wf.key} title={wf.title ?? {}} latest={latest} dirty={dirty} />
      <div className="wfd-toolbar" role="toolbar" aria-label={t('wfd.palette')}>
        <span className="muted">{t('wfd.add')}</span>
        {nodeKinds.map((k) => (
          <button key={k} type="button" className={`wfd-kind-${k}`} onClick={() => add(k)} data-testid={`wfd-add-${k}`}>
            {t(`wfd.kind.${k}`)}
          </button>
        ))}
      </div>
      <div className="wfd-actions">
        <button type="button" onClick={save} disabled={busy} data-testid="wfd-save">
          {t('wfd.save')}
        </button>
        <button type="button" onClick={doPublish} disabled={busy} data-testid="wfd-publish">
          {t('wfd.publish')}
        </button>
        <button
          type="button"
          data-testid="wfd-relayout"
          onClick={() => {
            setPlaces(layout(wf));
            setView((n) => n + 1);
          }}
        >
          {t('wfd.relayout')}
        </button>
        <span role="status" aria-live="polite" data-testid="wfd-status">
          {status && t(status.key, status.opts)}
        </span>
      </div>
      <ErrorSummary messages={error ? [error] : []} />
      <div className="wfd-main">
        <div className="wfd-canvas" dir="ltr" data-testid="wfd-canvas">
          <ReactFlow
            key={view}
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            onPaneClick={() => setSelection(null)}
            fitView
            minZoom={0.2}
            proOptions={{ hideAttribution: true }}
            ariaLabelConfig={{ 'node.a11yDescription.default': t('wfd.canvasHelp') }}
          >
            <Background />
            <Controls showInteractive={false} />
          </ReactFlow>
        </div>
        <aside className="wfd-side">
          <ProblemList problems={problems} wf={wf} select={setSelection} />
          <NodeList wf={wf} selection={selection} select={setSelection} problemNodes={placed.nodes} passed={passed} />
          {selectedNode >= 0 && (
            <NodePanel
              key={`n-${wf.nodes[selectedNode].id}`}
              wf={wf}
              index={selectedNode}
              problems={placed.nodes.get(selectedNode) ?? []}
              pickers={pickers}
              change={change}
              rename={rename}
              select={setSelection}
            />
          )}
          {selectedNode < 0 && selectedEdge < 0 && <WorkflowPanel wf={wf} pickers={pickers} change={change} />}
          {selectedEdge >= 0 && (
            <EdgePanel key={`e-${selectedEdge}`} wf={wf} index={selectedEdge} problems={placed.edges.get(selectedEdge) ?? []} change={change} select={setSelection} />
          )}
        </aside>
      </div>
      <SimulationPanel wf={wf} dirty={dirty} onResult={(s: Simulation | null) => setPassed(s ? trail(wf, s.path, s.decisions) : null)} />
      <VersionList ns="wfd" load={(signal) => listVersions(wf.key, signal)} deps={[wf.key, versionsTick]} />
    </section>
  );
}

/** StepNode draws one node: its kind, title, problems and whether the simulation passed it. */
function StepNode({ data, selected }: NodeProps<Node<FlowNodeData>>) {
  const { t } = useTranslation();
  const classes = ['wfd-node', `wfd-kind-${data.kind}`, data.problems.length ? 'wfd-node-problem' : '', data.passed ? 'wfd-node-passed' : '', selected ? 'wfd-node-selected' : ''];
  return (
    <div className={classes.join(' ').trim()}>
      {data.kind !== 'start' && <Handle type="target" position={Position.Left} />}
      <small>{t(`wfd.kind.${data.kind}`)}</small>
      <strong>{data.label}</strong>
      {data.passed && <small className="wfd-passed-mark">✓ {t('wfd.passed')}</small>}
      {data.problems.length > 0 && (
        <ul className="wfd-node-problems" data-testid="wfd-node-problems">
          {data.problems.map((p, i) => (
            <li key={i}>⚠ {p.message}</li>
          ))}
        </ul>
      )}
      {data.kind !== 'end' && <Handle type="source" position={Position.Right} />}
    </div>
  );
}

const nodeTypes = { step: StepNode };

/** ProblemList shows every problem of the last save or publish; each leads to its node or edge. */
function ProblemList({ problems, wf, select }: { problems: DefinitionProblem[]; wf: Workflow; select: (s: Selection) => void }) {
  const { t } = useTranslation();
  if (!problems.length) return null;
  return (
    <section className="wfd-problems" aria-labelledby="wfd-problems-title" data-testid="wfd-problems">
      <h2 id="wfd-problems-title">{t('wfd.problems', { count: problems.length })}</h2>
      <ul>
        {problems.map((p, i) => {
          const m = /^\/(nodes|edges)\/(\d+)/.exec(p.pointer);
          const n = m ? Number(m[2]) : -1;
          const target: Selection = m?.[1] === 'nodes' && wf.nodes[n] ? { node: wf.nodes[n].id } : m?.[1] === 'edges' && wf.edges[n] ? { edge: n } : null;
          return (
            <li key={i}>
              {target ? (
                <button type="button" className="link" onClick={() => select(target)}>
                  {p.message}
                </button>
              ) : (
                p.message
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** NodeList lists the nodes as buttons: the keyboard's and the phone's way to the panel. */
function NodeList(props: { wf: Workflow; selection: Selection; select: (s: Selection) => void; problemNodes: Map<number, DefinitionProblem[]>; passed: Trail | null }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  return (
    <nav aria-labelledby="wfd-nodes-title" className="wfd-nodes">
      <h2 id="wfd-nodes-title">{t('wfd.nodes')}</h2>
      <ol>
        {props.wf.nodes.map((n, i) => {
          const current = props.selection !== null && 'node' in props.selection && props.selection.node === n.id;
          const count = props.problemNodes.get(i)?.length ?? 0;
          return (
            <li key={n.id}>
              <button type="button" aria-current={current || undefined} onClick={() => props.select({ node: n.id })} data-testid={`wfd-node-${n.id}`}>
                {t(`wfd.kind.${n.kind}`)}: {nodeLabel(n, lang)}
                {count > 0 && <span className="wfd-badge-problem"> ⚠ {t('wfd.problemCount', { count })}</span>}
                {props.passed?.nodes.has(n.id) && <span className="wfd-badge-passed"> ✓ {t('wfd.passed')}</span>}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
