// Who called, for a request an agent enters by phone.

/** A caller known by contact details (the API's "requester" of a phone request). */
export interface Caller {
  name: string;
  phone: string;
  email: string;
}

/** callerProblems lists what is missing before a caller can be named: a name and a way to reach them. */
export function callerProblems(c: Caller): ('name' | 'contact')[] {
  const out: ('name' | 'contact')[] = [];
  if (!c.name.trim()) out.push('name');
  if (!c.phone.trim() && !c.email.trim()) out.push('contact');
  return out;
}

/** requesterOf is the caller as the API takes it, blanks left out. */
export function requesterOf(c: Caller): Partial<Caller> {
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v)) as Partial<Caller>;
}
