// Shared end-to-end harness: serves dist/ on 127.0.0.1, drives Debian's headless Chromium through
// playwright-core, and records every request and console error so tests can assert on them.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { serveDirectory } from '../../scripts/serve-dist.mjs';

export const SCREENSHOT_DIR = 'target/e2e';

const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--no-first-run',
  '--disable-sync', '--disable-quic',
];

/** Starts the server and the browser; returns a session whose `close()` stops both. */
export async function startSession() {
  const server = await serveDirectory('dist', 0);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return {
    origin,
    /**
     * A page in a fresh browser context: 1280×720 unless `viewport` says otherwise, with the
     * `permissions` granted (e.g. clipboard-read), allowing requests to 127.0.0.1 and to the
     * hostnames of `allowHosts` (e.g. a cross-site host page at localhost).
     */
    async newPage({ viewport = { width: 1280, height: 720 }, permissions = [], allowHosts = [] } = {}) {
      const context = await browser.newContext({ viewport, permissions });
      const page = await context.newPage();
      const record = { requests: [], offsite: [], consoleErrors: [] };
      const allowed = new Set(['127.0.0.1', ...allowHosts]);
      await page.route('**/*', (route) => {
        const url = new URL(route.request().url());
        record.requests.push(url.href);
        if (allowed.has(url.hostname) || url.protocol === 'data:' || url.protocol === 'blob:') {
          return route.continue();
        }
        record.offsite.push(url.href);
        return route.abort();
      });
      page.on('console', (message) => {
        if (message.type() === 'error') record.consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => record.consoleErrors.push(String(error)));
      return { page, record };
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The selector of an element by its `data-testid`. */
export const byTestId = (id) => `[data-testid="${id}"]`;

/** Opens the app at `path` in a new page (options as `newPage`) and waits for its first render. */
export async function openApp(session, path = '/', options = {}) {
  const { page, record } = await session.newPage(options);
  await page.goto(`${session.origin}${path}`);
  await page.waitForSelector(byTestId('flow-summary'), { timeout: 30000 });
  return { page, record };
}

/** The page logged no error and asked nothing of a host other than 127.0.0.1. */
export function assertClean(record) {
  assert.deepEqual(record.consoleErrors, []);
  assert.deepEqual(record.offsite, [], 'no request left localhost');
}
