// The end-to-end run: starts a real Pishkhan, then runs every scenario in
// every browser (E2E_BROWSERS=chromium,firefox by default; E2E_ONLY=name
// runs the scenarios whose name contains it). Screenshots of each step go
// to e2e/screenshots/<browser>/. Exits non-zero when a scenario fails.
//
//   npm run e2e
//   E2E_BROWSERS=firefox E2E_ONLY=portal npm run e2e
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startPishkhan } from './server.mjs';
import { launch } from './browsers.mjs';
import { newContext } from './harness.mjs';
import { scenarios } from './scenarios/index.mjs';

const names = (process.env.E2E_BROWSERS ?? 'chromium,firefox').split(',').filter(Boolean);
const only = process.env.E2E_ONLY ?? '';
const shots = join(import.meta.dirname, 'screenshots');

const server = await startPishkhan();
const failures = [];
try {
  for (const name of names) {
    const dir = join(shots, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const b = await launch(name);
    try {
      console.log(`== ${name} ${await b.browser.version()}`);
      for (const s of scenarios.filter((s) => s.name.includes(only))) {
        const ctx = await newContext({ browser: b.browser, browserName: name, baseURL: server.url, shots: dir, scenario: s.name });
        const started = Date.now();
        try {
          await s.run(ctx);
          console.log(`ok   ${name} ${s.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        } catch (err) {
          await ctx.shot('FAILED').catch(() => {});
          failures.push(`${name} ${s.name}: ${err.stack ?? err}`);
          console.log(`FAIL ${name} ${s.name}: ${err.message}`);
        } finally {
          await ctx.close();
        }
      }
    } finally {
      await b.close();
    }
  }
} finally {
  await server.stop({ keep: failures.length > 0 });
}
if (failures.length) {
  console.error(`\n${failures.length} failed:\n${failures.join('\n\n')}\nserver log: ${server.log}`);
  process.exit(1);
}
console.log(`all passed; screenshots in ${shots}`);
