// Benchmark: toggle → painted frame on every preset, for one build or two side by side (A/B,
// flipped alternately in one browser so both see the same machine load). Medians of `--flips`
// flips per preset (default 11).
// Usage: node scripts/bench-toggle.mjs DIST_A [DIST_B] [--flips N]
import { chromium } from 'playwright-core';
import { serveDirectory } from './serve-dist.mjs';
const args = process.argv.slice(2);
const flipsAt = args.indexOf('--flips');
const flips = flipsAt >= 0 ? Number(args.splice(flipsAt, 2)[1]) : 11;
if (!Number.isInteger(flips) || flips < 1) throw new Error('--flips takes a positive whole number');
const dists = args.slice(0, 2);
const servers = await Promise.all(dists.map((d) => serveDirectory(d, 0)));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const pages = [];
for (const server of servers) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector('[data-testid="flow-summary"]');
  pages.push(page);
}
const ids = await pages[0].locator('[data-testid="scenario-picker"] option').evaluateAll((o) => o.map((x) => x.value).filter((v) => v));
function timeToggle(page, selector) {
  return page.evaluate((selector) => new Promise((resolve) => {
    const button = document.querySelector(selector);
    const before = button.getAttribute('aria-pressed');
    const start = performance.now();
    const observer = new MutationObserver(() => {
      const now = document.querySelector(selector);
      if (now && now.getAttribute('aria-pressed') !== before) {
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start)));
      }
    });
    observer.observe(document.body, { subtree: true, attributes: true });
    button.click();
  }), selector);
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const rows = [];
for (const id of ids) {
  for (const page of pages) {
    await page.selectOption('[data-testid="scenario-picker"]', id);
    await page.waitForFunction((v) => document.querySelector('#scenario-picker').value === v, id);
  }
  const toggle = await pages[0].locator('.toggle-button:not([disabled])').first().getAttribute('data-testid');
  const runs = pages.map(() => []);
  for (let run = 0; run < flips; run++) {
    for (const [i, page] of pages.entries()) {
      await page.waitForFunction(() => !document.querySelector('[data-computed="false"]'));
      await page.waitForTimeout(600);
      runs[i].push(await timeToggle(page, `[data-testid="${toggle}"]`));
    }
  }
  rows.push({ preset: id, ...Object.fromEntries(runs.map((r, i) => [dists[i], +med(r).toFixed(1)])) });
}
console.table(rows);
await browser.close(); servers.forEach((s) => s.close());
