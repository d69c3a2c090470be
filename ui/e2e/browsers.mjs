// Debian's browsers, driven by puppeteer-core: Chromium over CDP, Firefox
// ESR over WebDriver BiDi. Nothing is downloaded; each launch gets a fresh
// profile that is removed afterwards.
import puppeteer from 'puppeteer-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The browsers the tests run in, by name, with what each needs on top of puppeteer's defaults. */
export const browsers = {
  chromium: {
    browser: 'chrome',
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    options: {
      // This machine's network is closed: without these Chromium stalls on
      // QUIC probes, component updates and sync.
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    },
  },
  firefox: {
    browser: 'firefox',
    executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
    options: {
      extraPrefsFirefox: {
        // no update checks, telemetry or remote settings on a closed network
        'app.update.enabled': false,
        'datareporting.policy.dataSubmissionEnabled': false,
        'toolkit.telemetry.enabled': false,
        'services.settings.server': 'http://127.0.0.1:9/',
        'network.captive-portal-service.enabled': false,
      },
    },
  },
};

/** launch starts the named browser with a fresh profile; close() also removes the profile. */
export async function launch(name) {
  const b = browsers[name];
  if (!b) throw new Error(`unknown browser ${name}; known: ${Object.keys(browsers).join(', ')}`);
  const profile = mkdtempSync(join(tmpdir(), `pishkhan-${name}-`));
  const browser = await puppeteer.launch({ browser: b.browser, executablePath: b.executablePath, userDataDir: profile, headless: true, ...b.options });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
