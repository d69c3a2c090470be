// A form's field rules (visibleWhen, requiredWhen, calculate) while the
// requester types: the server evaluates them with the code it uses at
// submission (POST /forms/{key}/evaluate, docs/rules.md), and the answer
// is applied here to what @rjsf/core renders. expr has no browser
// implementation, and asking the server means the portal can never
// disagree with the verdict at submission.
import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
const clone = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));
/**
 * applyEvaluation returns the form as the evaluation says it is now: a
 * field that is not visible is taken out of the schema and its value out
 * of the data (it would be dropped at submission); a field that is
 * required is added to its object's `required` (rjsf then marks its label
 * with an asterisk, sets the input's `required`, and the browser's
 * validation asks for it); a calculated field gets its value, or none
 * when it cannot be computed yet. Nothing given is changed. Paths that do
 * not lead to an object's property (a field inside a list) are left alone,
 * as the server does not evaluate those.
 */
export function applyEvaluation(schema, ui, data, evaluation) {
    if (!evaluation)
        return { schema, ui, data };
    const out = { schema: clone(schema), ui: clone(ui), data: clone(data) ?? {} };
    // Parents before children: a hidden group hides what is inside it.
    for (const path of Object.keys(evaluation.fields).sort()) {
        const state = evaluation.fields[path];
        const segs = path.split('.');
        const name = segs.pop();
        const parent = objectSchema(out.schema, segs);
        if (!parent || !parent.properties?.[name])
            continue;
        const required = (parent.required ?? []).filter((r) => r !== name);
        if (!state.visible) {
            delete parent.properties[name];
            setIn(out.data, segs, name, undefined);
        }
        else {
            if (state.required)
                required.push(name);
            if (state.calculated)
                setIn(out.data, segs, name, state.value);
        }
        if (required.length)
            parent.required = required;
        else
            delete parent.required;
    }
    return out;
}
/** objectSchema is the object schema at a path of property names, or null. */
function objectSchema(schema, path) {
    let at = schema;
    for (const seg of path)
        at = at?.properties?.[seg];
    return at && typeof at === 'object' && at.properties ? at : null;
}
/** setIn sets (or, for undefined, deletes) data[path...][name], making the objects on the way only to set. */
function setIn(data, path, name, value) {
    let at = data;
    for (const seg of path) {
        const next = at[seg];
        if (!next || typeof next !== 'object' || Array.isArray(next)) {
            if (value === undefined)
                return;
            at[seg] = {};
        }
        at = at[seg];
    }
    if (value === undefined)
        delete at[name];
    else
        at[name] = value;
}
/** hasFieldRules reports whether a form's hints hold any rule worth asking the server about. */
export function hasFieldRules(fields) {
    return Object.values(fields ?? {}).some((h) => h.visibleWhen || h.requiredWhen || h.calculate);
}
/** How long typing must pause before the rules are evaluated. */
export const evaluateDelay = 300;
/**
 * useFieldRules evaluates a form's rules on data, evaluateDelay ms after it
 * last changed (at once the first time), cancelling a call still under
 * way when the data changes again, so that only the answer for the newest
 * data is kept. It never blocks typing. A call that fails (the network,
 * data the server refuses) keeps the last answer: the server still
 * decides at submission. body is what the call sends besides the data
 * (version, type, channel, requester); enabled false asks nothing.
 */
export function useFieldRules(formKey, body, data, enabled) {
    const [evaluation, setEvaluation] = useState(null);
    const first = useRef(true); // the first evaluation is asked at once
    const sent = JSON.stringify({ ...body, data });
    useEffect(() => {
        if (!enabled)
            return;
        const abort = new AbortController();
        const timer = setTimeout(() => {
            first.current = false;
            api
                .post(`/forms/${encodeURIComponent(formKey)}/evaluate`, JSON.parse(sent), { signal: abort.signal })
                .then((ev) => {
                if (!abort.signal.aborted)
                    setEvaluation(ev);
            })
                .catch(() => {
                /* keep the last answer; the server decides at submission */
            });
        }, first.current ? 0 : evaluateDelay);
        return () => {
            clearTimeout(timer);
            abort.abort();
        };
    }, [formKey, sent, enabled]);
    return evaluation;
}
