// Who called, for a request an agent enters by phone.
/** callerProblems lists what is missing before a caller can be named: a name and a way to reach them. */
export function callerProblems(c) {
    const out = [];
    if (!c.name.trim())
        out.push('name');
    if (!c.phone.trim() && !c.email.trim())
        out.push('contact');
    return out;
}
/** requesterOf is the caller as the API takes it, blanks left out. */
export function requesterOf(c) {
    return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v));
}
