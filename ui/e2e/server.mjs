// Starts a real Pishkhan for the end-to-end tests: the Go binary built from
// this checkout, with --demo, a fresh data folder and a free loopback port.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..', '..');

/** freePort asks the kernel for a loopback port nobody uses. */
function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/**
 * startPishkhan builds and starts Pishkhan and waits until /readyz answers.
 * It answers {url, stop}; stop ends the process and removes its data.
 */
export async function startPishkhan({ log = console.log } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'pishkhan-e2e-'));
  const bin = join(work, 'pishkhan');
  log(`building ${bin}`);
  execFileSync(process.env.GO ?? 'go', ['build', '-o', bin, './cmd/pishkhan'], { cwd: repo, stdio: 'inherit' });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const out = openSync(join(work, 'server.log'), 'a');
  const proc = spawn(bin, ['--demo', '--addr', `127.0.0.1:${port}`, '--data-dir', join(work, 'data')], {
    stdio: ['ignore', out, out],
    env: { ...process.env, PISHKHAN_ADMIN_PASSWORD: '' },
  });
  let exited = null;
  proc.on('exit', (code, signal) => (exited = { code, signal }));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error(`pishkhan exited (${JSON.stringify(exited)}); see ${join(work, 'server.log')}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('pishkhan did not become ready in 120 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`pishkhan ready at ${url} (log: ${join(work, 'server.log')})`);
  return {
    url,
    log: join(work, 'server.log'),
    async stop({ keep = false } = {}) {
      if (!exited) {
        proc.kill('SIGTERM');
        await new Promise((r) => {
          const t = setTimeout(() => {
            proc.kill('SIGKILL');
            r();
          }, 15_000);
          proc.once('exit', () => {
            clearTimeout(t);
            r();
          });
        });
      }
      if (!keep) rmSync(work, { recursive: true, force: true });
    },
  };
}
