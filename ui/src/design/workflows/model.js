// The workflow designer's model: the workflow JSON the API stores
// (docs/workflows.md), its layered layout, the editing operations the
// designer offers, and where the API's problems and a simulation's path
// belong on the graph. Nothing here touches React or the network, so all
// of it is tested in model.test.ts.
/** The node kinds the engine runs. */
export const nodeKinds = ['start', 'task', 'approval', 'decision', 'parallel', 'join', 'action', 'wait', 'end'];
/** The distance between layers and between nodes of a layer, in pixels. */
export const layerGap = 220;
export const rowGap = 110;
/**
 * layout places nodes left to right in layers: a node's layer is the
 * longest path to it from the start, ignoring edges that loop back, so
 * every edge but a loop points rightwards. The API refuses fields it does
 * not know, so positions cannot be kept in the draft: they are computed
 * each time a workflow is opened.
 */
export function layout(wf) {
    const ids = wf.nodes.map((n) => n.id);
    const known = new Set(ids);
    const out = new Map();
    for (const id of ids)
        out.set(id, []);
    for (const e of wf.edges)
        if (known.has(e.from) && known.has(e.to))
            out.get(e.from).push(e.to);
    // Depth-first from the start (then from any node not reached) finds the
    // edges that close loops; the rest form a DAG to layer.
    const back = new Set();
    const state = new Map();
    const visit = (id) => {
        state.set(id, 'open');
        for (const to of out.get(id)) {
            const s = state.get(to);
            if (s === 'open')
                back.add(`${id}\u0000${to}`);
            else if (!s)
                visit(to);
        }
        state.set(id, 'done');
    };
    const starts = wf.nodes.filter((n) => n.kind === 'start').map((n) => n.id);
    for (const id of [...starts, ...ids])
        if (!state.has(id))
            visit(id);
    const layer = new Map(ids.map((id) => [id, 0]));
    // Longest path by relaxation: at most |nodes| rounds on a DAG.
    for (let round = 0; round < ids.length; round++) {
        let changed = false;
        for (const [from, tos] of out) {
            for (const to of tos) {
                if (back.has(`${from}\u0000${to}`))
                    continue;
                if (layer.get(to) < layer.get(from) + 1) {
                    layer.set(to, layer.get(from) + 1);
                    changed = true;
                }
            }
        }
        if (!changed)
            break;
    }
    const rows = new Map();
    const points = {};
    for (const id of ids) {
        const l = layer.get(id);
        const r = rows.get(l) ?? 0;
        rows.set(l, r + 1);
        points[id] = { x: l * layerGap, y: r * rowGap };
    }
    return points;
}
/** newNodeID is the first free id of the form kind-N. */
export function newNodeID(wf, kind) {
    const taken = new Set(wf.nodes.map((n) => n.id));
    for (let i = 1;; i++)
        if (!taken.has(`${kind}-${i}`))
            return `${kind}-${i}`;
}
/** newNode is a node of kind with the fields it needs to be valid, or a place to fill them in. */
export function newNode(wf, kind) {
    const id = newNodeID(wf, kind);
    switch (kind) {
        case 'end':
            return { id, kind, outcome: 'resolved' };
        case 'task':
            return { id, kind, title: { en: '', fa: '' }, groups: [] };
        case 'approval':
            return { id, kind, title: { en: '', fa: '' }, groups: [] };
        case 'wait':
            return { id, kind, duration: '1d' };
        case 'action':
            return { id, kind, status: 'in-progress' };
        default:
            return { id, kind };
    }
}
/** addNode answers wf with node appended. */
export function addNode(wf, node) {
    return { ...wf, nodes: [...wf.nodes, node] };
}
/** removeNode answers wf without the node and the edges that touch it. */
export function removeNode(wf, id) {
    return { ...wf, nodes: wf.nodes.filter((n) => n.id !== id), edges: wf.edges.filter((e) => e.from !== id && e.to !== id) };
}
/** updateNode replaces the node whose id was oldID; a new id is carried into the edges. */
export function updateNode(wf, oldID, node) {
    const renamed = (x) => (x === oldID ? node.id : x);
    return {
        ...wf,
        nodes: wf.nodes.map((n) => (n.id === oldID ? compact(node) : n)),
        edges: oldID === node.id ? wf.edges : wf.edges.map((e) => ({ ...e, from: renamed(e.from), to: renamed(e.to) })),
    };
}
/** connect adds an edge from -> to; a decision's edge gets a condition to fill in, unless it is the first, which becomes the default. */
export function connect(wf, from, to) {
    const source = wf.nodes.find((n) => n.id === from);
    const edge = { from, to };
    if (source?.kind === 'decision') {
        const hasDefault = wf.edges.some((e) => e.from === from && e.default);
        if (hasDefault)
            edge.condition = '';
        else
            edge.default = true;
    }
    return { ...wf, edges: [...wf.edges, edge] };
}
/** updateEdge replaces edge i. */
export function updateEdge(wf, i, edge) {
    return { ...wf, edges: wf.edges.map((e, j) => (j === i ? compact(edge) : e)) };
}
/** removeEdge answers wf without edge i. */
export function removeEdge(wf, i) {
    return { ...wf, edges: wf.edges.filter((_, j) => j !== i) };
}
/** moveEdge moves edge i one place up (-1) or down (+1): a decision tries its conditions in order. */
export function moveEdge(wf, i, by) {
    const j = i + by;
    if (j < 0 || j >= wf.edges.length)
        return wf;
    const edges = [...wf.edges];
    [edges[i], edges[j]] = [edges[j], edges[i]];
    return { ...wf, edges };
}
/**
 * compact drops fields left empty in the panel ("" texts, empty lists,
 * titles with no words) so the saved JSON holds only what was given: the
 * server refuses fields a kind does not use, even empty.
 */
export function compact(v) {
    const out = {};
    for (const [k, x] of Object.entries(v)) {
        if (x === undefined || x === '' || x === false || (Array.isArray(x) && x.length === 0))
            continue;
        if (x && typeof x === 'object' && !Array.isArray(x) && k !== 'form') {
            const c = compact(x);
            if (Object.keys(c).length === 0)
                continue;
            out[k] = c;
            continue;
        }
        out[k] = x;
    }
    return out;
}
/** toDefinition is the body the draft is saved with: empty fields removed. */
export function toDefinition(wf) {
    return {
        ...compact({ key: wf.key, title: wf.title, category: wf.category, form: wf.form }),
        nodes: wf.nodes.map((n) => compact(n)),
        edges: wf.edges.map((e) => compact(e)),
    };
}
/** fromDefinition reads a draft or version body into a Workflow, tolerating missing lists. */
export function fromDefinition(raw, key) {
    const o = (raw && typeof raw === 'object' ? raw : {});
    return {
        key: o.key ?? key,
        title: o.title ?? { en: '', fa: '' },
        category: o.category,
        form: o.form ?? '',
        nodes: Array.isArray(o.nodes) ? o.nodes : [],
        edges: Array.isArray(o.edges) ? o.edges : [],
    };
}
/** placeProblems puts each problem on the node or edge its pointer (/nodes/3/..., /edges/5/...) names. */
export function placeProblems(problems, wf) {
    const placed = { nodes: new Map(), edges: new Map(), general: [] };
    for (const p of problems) {
        const m = /^\/(nodes|edges)\/(\d+)(?:\/|$)/.exec(p.pointer ?? '');
        const i = m ? Number(m[2]) : -1;
        const list = m?.[1] === 'nodes' ? wf.nodes : wf.edges;
        if (!m || i >= list.length) {
            placed.general.push(p);
            continue;
        }
        const into = m[1] === 'nodes' ? placed.nodes : placed.edges;
        into.set(i, [...(into.get(i) ?? []), p]);
    }
    return placed;
}
/** edgeName is how the engine names an edge in messages and histories: its id or "from -> to". */
export function edgeName(e) {
    return e.id || `${e.from} -> ${e.to}`;
}
/**
 * trail finds the nodes and edges a simulation passed. The path names the
 * nodes (the start by its "workflow-started" event); an edge is taken when its source and target were both visited
 * one after the other (with the outcome the source left by, for tasks)
 * or when a decision names it.
 */
export function trail(wf, path, decisions = []) {
    const nodes = new Set();
    const visited = [];
    // The history names no start node: "workflow-started" is where it stands.
    const start = wf.nodes.find((n) => n.kind === 'start');
    for (const ev of path) {
        if (ev.type === 'workflow-started' && start) {
            nodes.add(start.id);
            visited.push(start.id);
        }
        if (!ev.node)
            continue;
        nodes.add(ev.node);
        if (visited[visited.length - 1] !== ev.node)
            visited.push(ev.node);
    }
    const edges = new Set();
    const decided = new Set(decisions.map((d) => d.edge).filter(Boolean));
    wf.edges.forEach((e, i) => {
        if (decided.has(edgeName(e))) {
            edges.add(i);
            return;
        }
        for (let k = 0; k + 1 < visited.length; k++) {
            if (visited[k] === e.from && visited[k + 1] === e.to) {
                edges.add(i);
                return;
            }
        }
    });
    // Parallel branches interleave in the path, so an edge between two
    // visited nodes whose source is a split, join, start, action or end
    // of a branch is counted too when nothing else leaves its source.
    wf.edges.forEach((e, i) => {
        if (edges.has(i) || !nodes.has(e.from) || !nodes.has(e.to) || e.condition || e.default || e.outcome)
            return;
        const siblings = wf.edges.filter((x) => x.from === e.from);
        if (siblings.every((x) => !x.condition && !x.default && !x.outcome))
            edges.add(i);
    });
    return { nodes, edges };
}
/** The outcomes an edge leaving node may take: a task's outcomes, approve/reject/return, message/timeout. */
export function outcomesOf(node) {
    if (!node)
        return [];
    switch (node.kind) {
        case 'task':
            return node.outcomes?.length ? node.outcomes : ['done'];
        case 'approval':
            return ['approve', 'reject', 'return'];
        case 'wait':
            return node.message ? ['message', 'timeout'] : [];
        default:
            return [];
    }
}
/** The fields each kind uses, beyond id, kind and title: what the properties panel shows. */
export const kindFields = {
    start: [],
    end: ['outcome'],
    task: ['groups', 'assignee', 'group', 'ruleSet', 'outcomes', 'due', 'escalateTo', 'form'],
    approval: ['groups', 'approvers', 'mode', 'quorum', 'due', 'escalateTo'],
    decision: [],
    parallel: [],
    join: [],
    action: ['status', 'priority', 'notify', 'webhook'],
    wait: ['duration', 'until', 'message', 'timeout'],
};
/** nodeLabel is what a node shows: its title in lang, or its id. */
export function nodeLabel(n, lang) {
    const t = n.title?.[lang] || n.title?.en;
    return t || n.id;
}
/** starter is a new workflow: a start joined to an end, to build on. */
export function starter(head) {
    return toDefinition({
        ...head,
        nodes: [
            { id: 'start', kind: 'start' },
            { id: 'done', kind: 'end', outcome: 'resolved' },
        ],
        edges: [{ from: 'start', to: 'done' }],
    });
}
/** parseScript reads the outcomes box: one "node: outcome, outcome" per line. */
export function parseScript(text) {
    const out = {};
    for (const line of text.split('\n')) {
        const m = /^\s*([^:\s]+)\s*:\s*(.*)$/.exec(line);
        if (!m)
            continue;
        const outcomes = m[2].split(',').map((s) => s.trim()).filter(Boolean);
        if (outcomes.length)
            out[m[1]] = outcomes;
    }
    return out;
}
/** draftState says whether a head has changes not yet published. */
export function draftState(h) {
    if (!h.latestVersion)
        return 'unpublished';
    if (h.updatedAt && h.publishedAt && Date.parse(h.updatedAt) > Date.parse(h.publishedAt))
        return 'changed';
    return 'published';
}
