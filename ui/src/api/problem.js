// Problems are the API's errors (RFC 9457, docs/api.md). This file turns
// one into what a form shows: a message under each field a pointer names,
// and the rest at the top.
/** Problem is an application/problem+json answer, thrown by the API client. */
export class Problem extends Error {
    type;
    title;
    status;
    detail;
    requestId;
    errors;
    constructor(body) {
        super(body.detail || body.title || `HTTP ${body.status}`);
        this.name = 'Problem';
        this.type = body.type ?? 'about:blank';
        this.title = body.title ?? '';
        this.status = body.status;
        this.detail = body.detail;
        this.requestId = body.requestId;
        this.errors = Array.isArray(body.errors) ? body.errors : [];
    }
    /** The stable slug after urn:pishkhan:problem: (validation-failed, csrf, ...). */
    get slug() {
        const prefix = 'urn:pishkhan:problem:';
        return this.type.startsWith(prefix) ? this.type.slice(prefix.length) : this.type;
    }
}
/** parsePointer splits an RFC 6901 pointer into its unescaped segments. */
export function parsePointer(pointer) {
    if (pointer === '' || pointer === '/')
        return [];
    return pointer
        .replace(/^\//, '')
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
/**
 * fieldErrors sorts a problem's errors into a tree keyed by the fields
 * under `base` (for a submission, "/data") and the messages that point
 * nowhere under it, which the form shows at the top.
 */
export function fieldErrors(problem, base = '') {
    const tree = {};
    const general = [];
    const baseSegs = parsePointer(base);
    for (const e of problem.errors) {
        const segs = parsePointer(e.pointer ?? '');
        const under = segs.length > baseSegs.length && baseSegs.every((s, i) => segs[i] === s);
        if (!under) {
            general.push(e.message);
            continue;
        }
        let node = tree;
        for (const s of segs.slice(baseSegs.length)) {
            node = node[s] ?? (node[s] = {});
        }
        (node.__errors ??= []).push(e.message);
    }
    if (general.length === 0 && problem.errors.length === 0) {
        general.push(problem.detail || problem.title || problem.message);
    }
    return { tree, general };
}
/** firstFieldPath is the dotted path of the first field a tree has errors on, to move focus there. */
export function firstFieldPath(tree, prefix = []) {
    for (const [k, v] of Object.entries(tree)) {
        if (k === '__errors')
            continue;
        const sub = v;
        if (sub.__errors?.length)
            return [...prefix, k];
        const deeper = firstFieldPath(sub, [...prefix, k]);
        if (deeper)
            return deeper;
    }
    return null;
}
