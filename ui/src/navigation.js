/** The app's parts in menu order. The designers, workspace and dashboards are built on this shell (issue 7). */
export const sections = [
    { path: '/catalog', label: 'nav.catalog', roles: ['requester', 'agent', 'supervisor', 'admin'] },
    { path: '/requests', label: 'nav.myRequests', roles: ['requester', 'agent', 'supervisor', 'admin'] },
    { path: '/work', label: 'nav.work', roles: ['agent', 'supervisor', 'admin'] },
    { path: '/design', label: 'nav.design', roles: ['process-owner', 'admin'] },
    { path: '/dashboards', label: 'nav.dashboards', roles: ['supervisor', 'admin'] },
];
/** sectionsFor lists the parts a user with these roles may use. */
export function sectionsFor(roles) {
    const held = new Set((roles ?? []).map((r) => r.role));
    return sections.filter((s) => s.roles.some((r) => held.has(r)));
}
/** homeFor is where a user lands after login: their first section, else tracking. */
export function homeFor(roles) {
    return sectionsFor(roles)[0]?.path ?? '/track';
}
