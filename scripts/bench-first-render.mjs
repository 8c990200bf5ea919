// Benchmark: first render of one build or two side by side (alternating, a fresh browser context
// per run), medians of seven. Two measures, both from navigation start:
// - painted: when the frame showing the flows panel's summary was painted (the summary carries
//   `elementtiming`, so Chromium's Element Timing reports that frame's render time);
// - seen: when playwright found the summary on the page (adds its polling delay; the measure
//   README figures before issue 16's element timing used).
// Usage: node scripts/bench-first-render.mjs DIST_A [DIST_B]
import { chromium } from 'playwright-core';
import { serveDirectory } from './serve-dist.mjs';
const dists = process.argv.slice(2);
const servers = await Promise.all(dists.map((d) => serveDirectory(d, 0)));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const painted = dists.map(() => []);
const seen = dists.map(() => []);
for (let run = 0; run < 7; run++) for (const [i, server] of servers.entries()) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector('[data-testid="flow-summary"]');
  seen[i].push(await page.evaluate(() => performance.now()));
  painted[i].push(await page.evaluate(() => new Promise((resolve) => {
    new PerformanceObserver((list, observer) => {
      const entry = list.getEntries().find((e) => e.identifier === 'flow-summary');
      if (entry) { observer.disconnect(); resolve(entry.renderTime || entry.loadTime); }
    }).observe({ type: 'element', buffered: true });
    setTimeout(() => resolve(NaN), 2000); // a build without the summary's `elementtiming`
  })));
  await context.close();
}
const med = (a) => (a.some(Number.isNaN) ? 'n/a' : [...a].sort((x, y) => x - y)[a.length >> 1].toFixed(0));
const list = (a) => a.map((t) => t.toFixed(0)).join(' ');
dists.forEach((d, i) => {
  console.log(d, 'first render painted median', med(painted[i]), 'ms:', list(painted[i]));
  console.log(d, 'first render seen median', med(seen[i]), 'ms:', list(seen[i]));
});
await browser.close(); servers.forEach((s) => s.close());
