// Benchmark: a design file imported into the release build, as a user picks it (Import…), on a
// fresh page each run: the Import button opens the file chooser (which starts the import
// module), a second passes as the user picks, then the file is chosen and the clock starts.
// Reports, medians of the runs: import → the design shown (its name in the
// element tree), → every answer in (no badge still computing), the longest main-thread task
// (PerformanceObserver long tasks, so 0 means none over 50 ms), the long tasks' total and the
// page's element count.
// The designs: `cargo bench --bench scale -- --write DIR 10 30 100`.
// Usage: node scripts/bench-import.mjs DIST FILE... [--runs N]
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { chromium } from 'playwright-core';
import { serveDirectory } from './serve-dist.mjs';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 3;
const [dist, ...files] = args;
const server = await serveDirectory(dist, 0);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const TIMEOUT = 600000;

async function importOnce(file, name) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector('[data-testid="flow-summary"]');
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration)))
      .observe({ type: 'longtask' });
  });
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('[data-testid="import"]')]);
  await page.waitForTimeout(1000);
  const started = await page.evaluate(() => performance.now());
  // Picked by path, as a user picks a file: the page hands the File on, not a script its text.
  await chooser.setFiles(file);
  await page.waitForFunction((name) => document.querySelector('[data-testid="design-name"]')?.textContent === name,
    name, { timeout: TIMEOUT, polling: 'raf' });
  const shown = await page.evaluate((t0) => performance.now() - t0, started);
  await page.waitForFunction(() => !document.querySelector('[data-computed="false"]'), null, { timeout: TIMEOUT, polling: 'raf' });
  const answered = await page.evaluate((t0) => performance.now() - t0, started);
  await page.waitForTimeout(500);
  const longest = await page.evaluate(() => Math.max(0, ...window.longTasks));
  const blocked = await page.evaluate(() => window.longTasks.reduce((sum, d) => sum + d, 0));
  const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
  const errors = await page.locator('[data-testid="error-banner"]').count();
  await page.close();
  if (errors) throw new Error(`${file}: the import reported an error`);
  return { shown, answered, longest, blocked, elements };
}

const rows = [];
for (const file of files) {
  const buffer = await readFile(file);
  const { name } = JSON.parse(buffer.toString('utf8'));
  const samples = [];
  for (let run = 0; run < runs; run++) samples.push(await importOnce(file, name));
  rows.push({
    design: basename(file),
    'MB': +(buffer.length / 1e6).toFixed(1),
    'shown ms': Math.round(median(samples.map((s) => s.shown))),
    'answered ms': Math.round(median(samples.map((s) => s.answered))),
    'longest task ms': Math.round(median(samples.map((s) => s.longest))),
    'longest task range': `${Math.round(Math.min(...samples.map((s) => s.longest)))}–${Math.round(Math.max(...samples.map((s) => s.longest)))}`,
    'long tasks total ms': Math.round(median(samples.map((s) => s.blocked))),
    elements: median(samples.map((s) => s.elements)),
  });
}
console.table(rows);
await browser.close();
server.close();
