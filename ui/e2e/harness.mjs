// What a scenario gets: pages in their own browser context, numbered
// screenshots, the app's routes, and a client for the API to play the
// people whose UI does not exist yet (an agent completing a task).
import { join } from 'node:path';

/** The demo users (cmd/pishkhan/demo.go): password is the name and "-demo". */
export const users = { sara: 'sara-demo', reza: 'reza-demo', maryam: 'maryam-demo', omid: 'omid-demo', admin: 'admin-demo' };

/** Phone-sized viewport of the issue. */
export const phone = { width: 360, height: 740 };

/**
 * newContext opens an isolated browser context (its own cookies and
 * storage) for one scenario.
 */
export async function newContext({ browser, browserName, baseURL, shots, scenario }) {
  const contexts = [];
  let step = 0;
  let current;
  const ctx = {
    browserName,
    baseURL,
    /** page opens a page in a fresh context (a different person, or a visitor), at a viewport. */
    async page(viewport = { width: 1280, height: 900 }) {
      const c = await browser.createBrowserContext();
      contexts.push(c);
      const p = await c.newPage();
      await p.setViewport(viewport);
      p.setDefaultTimeout(20_000);
      const errors = [];
      p.on('pageerror', (e) => errors.push(String(e)));
      // A 401 is how the app learns nobody is logged in; any other failed
      // load or script error fails the scenario.
      p.on('console', (m) => m.type() === 'error' && !/status of 401/.test(m.text()) && errors.push(m.text()));
      p.errors = errors;
      current = p;
      return p;
    },
    /** shot saves a numbered screenshot of the page (the last opened one by default). */
    async shot(name, p = current) {
      if (!p) return;
      step++;
      // The whole page, by making the viewport as tall as the page: a
      // fullPage screenshot in Chromium cuts a right-to-left page that is
      // as narrow as a phone (its capture starts at the page's left edge,
      // which in RTL is off to the side).
      const path = join(shots, `${scenario}-${String(step).padStart(2, '0')}-${name}.png`);
      const viewport = p.viewport();
      if (viewport) {
        const tall = await p.evaluate(() => document.documentElement.scrollHeight);
        await p.setViewport({ ...viewport, height: Math.max(tall, viewport.height) });
        await p.screenshot({ path });
        await p.setViewport(viewport);
      } else {
        await p.screenshot({ path, fullPage: true });
      }
    },
    /** go opens an app route and waits until the network is quiet. */
    async go(p, path) {
      await p.goto(baseURL + path, { waitUntil: 'networkidle0' });
    },
    /** api calls the API as a user with a bearer token (for what has no UI yet). */
    async api(username) {
      const login = await call('POST', '/api/v1/auth/login', { username, password: users[username] });
      const token = login.token;
      return (method, path, body) => call(method, path, body, token);
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
    },
  };
  async function call(method, path, body, token) {
    const res = await fetch(baseURL + path, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }
  return ctx;
}

/** expect throws with message unless ok. */
export function expect(ok, message) {
  if (!ok) throw new Error(message);
}

/** text answers the text of the first element matching selector. */
export async function text(p, selector) {
  const el = await p.waitForSelector(selector);
  return el.evaluate((e) => e.textContent ?? '');
}

/** waitForText waits until some element matching selector contains s. */
export async function waitForText(p, selector, s) {
  await p.waitForFunction(
    (sel, want) => [...document.querySelectorAll(sel)].some((e) => e.textContent?.includes(want)),
    {},
    selector,
    s,
  );
}

/** noHorizontalScroll fails when the page is wider than its viewport. */
export async function noHorizontalScroll(p, where) {
  const [scroll, client] = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll <= client, `${where}: page scrolls sideways (${scroll} px wide in ${client} px)`);
}

/** login fills the login form as a demo user and waits for the app to show who is in. */
export async function login(ctx, p, username) {
  await ctx.go(p, '/login');
  await p.type('#username', username);
  await p.type('#password', users[username]);
  await Promise.all([p.waitForSelector('[data-testid=who]'), p.click('button[type=submit]')]);
}

/** selectOption picks the option of a <select> by its visible text (rjsf's option values are indices). */
export async function selectOption(p, selector, label) {
  const value = await p.$eval(selector, (s, l) => [...s.options].find((o) => o.textContent.trim() === l)?.value, label);
  expect(value !== undefined, `${selector} has no option ${label}`);
  await p.select(selector, value);
}

/**
 * createDefinition fills a designer's "new" form (design/definitions.tsx:
 * key, titles, category, form) and waits for the new definition's page
 * at `${base}/${key}`.
 */
export async function createDefinition(p, base, { key, titleEn, titleFa, category, form }) {
  await p.type('input[name=key]', key);
  await p.type('input[name=titleEn]', titleEn);
  await p.type('input[name=titleFa]', titleFa);
  await p.type('input[name=category]', category);
  await p.waitForFunction(() => document.querySelectorAll('select[name=form] option').length > 1);
  await p.select('select[name=form]', form);
  await p.click('form[aria-labelledby$=-new-title] button[type=submit]');
  await p.waitForFunction((path) => location.pathname === path, {}, `${base}/${key}`);
}

/** replace types v into the input or textarea matched by selector, replacing what was there. */
export async function replace(p, selector, v) {
  await p.$eval(selector, (el) => {
    el.focus();
    el.select();
  });
  await p.keyboard.press('Backspace');
  if (v) await p.type(selector, v);
}
