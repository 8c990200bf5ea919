// Benchmark: first render (navigation start to the flows panel's summary) of one build or two side by
// side (alternating, a fresh browser context per run), medians of seven.
// Usage: node scripts/bench-first-render.mjs DIST_A [DIST_B]
import { chromium } from 'playwright-core';
import { serveDirectory } from './serve-dist.mjs';
const dists = process.argv.slice(2);
const servers = await Promise.all(dists.map((d) => serveDirectory(d, 0)));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const times = dists.map(() => []);
for (let run = 0; run < 7; run++) for (const [i, server] of servers.entries()) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector('[data-testid="flow-summary"]');
  times[i].push(await page.evaluate(() => performance.now()));
  await context.close();
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1].toFixed(0);
dists.forEach((d, i) => console.log(d, 'first render median', med(times[i]), 'ms', times[i].map((t) => t.toFixed(0)).join(' ')));
await browser.close(); servers.forEach((s) => s.close());
