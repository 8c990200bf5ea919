// Benchmark: first render of one build or two side by side (alternating, a fresh browser context
// per run), medians of seven. Three measures, all from navigation start:
// - first screen: when the frame showing the prerendered first screen's flows summary (README
//   "First screen") was painted: the task after the first animation frame in which the summary
//   was in the document and laid out (Element Timing reports that paint in only some runs);
//   n/a for a build without a first screen;
// - painted: when the frame showing the app's own flows summary was painted (the summary carries
//   `elementtiming`, so Chromium's Element Timing reports that frame's render time);
// - seen: when playwright found the summary on the page (adds its polling delay; the measure
//   README figures before issue 16's element timing used).
// `--link MBITS` emulates a link of that many Mbit/s down (and up) with 40 ms latency
// (Chromium's network emulation), as a wiki reader's or a locked-down network's.
// Usage: node scripts/bench-first-render.mjs DIST_A [DIST_B] [--link MBITS]
import { chromium } from 'playwright-core';
import { serveDirectory } from './serve-dist.mjs';
const args = process.argv.slice(2);
const linkAt = args.indexOf('--link');
const link = linkAt >= 0 ? Number(args.splice(linkAt, 2)[1]) : undefined;
if (link !== undefined && !(link > 0)) throw new Error('--link takes a positive number of Mbit/s');
const dists = args;
const servers = await Promise.all(dists.map((d) => serveDirectory(d, 0)));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const painted = dists.map(() => []);
const firstScreen = dists.map(() => []);
const seen = dists.map(() => []);
for (let run = 0; run < 7; run++) for (const [i, server] of servers.entries()) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const probe = () => {
      const summary = document.querySelector('.first-screen [elementtiming="first-screen"]');
      if (summary && summary.getBoundingClientRect().height > 0) {
        setTimeout(() => { window.firstScreenShown = performance.now(); });
      } else if (!document.querySelector('[data-testid="flow-summary"]')) {
        requestAnimationFrame(probe);
      }
    };
    requestAnimationFrame(probe);
  });
  if (link) {
    const cdp = await context.newCDPSession(page);
    const bytesPerSecond = (link * 1e6) / 8;
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 40, downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond,
    });
  }
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector('[data-testid="flow-summary"]');
  seen[i].push(await page.evaluate(() => performance.now()));
  const paintedAt = (identifier) => page.evaluate((identifier) => new Promise((resolve) => {
    new PerformanceObserver((list, observer) => {
      const entry = list.getEntries().find((e) => e.identifier === identifier);
      if (entry) { observer.disconnect(); resolve(entry.renderTime || entry.loadTime); }
    }).observe({ type: 'element', buffered: true });
    setTimeout(() => resolve(NaN), 2000); // a build without this `elementtiming`
  }), identifier);
  painted[i].push(await paintedAt('flow-summary'));
  firstScreen[i].push(await page.evaluate(() => window.firstScreenShown ?? NaN));
  await context.close();
}
const med = (a) => (a.some(Number.isNaN) ? 'n/a' : [...a].sort((x, y) => x - y)[a.length >> 1].toFixed(0));
const list = (a) => a.map((t) => t.toFixed(0)).join(' ');
dists.forEach((d, i) => {
  console.log(d, 'first screen painted median', med(firstScreen[i]), 'ms:', list(firstScreen[i]));
  console.log(d, 'first render painted median', med(painted[i]), 'ms:', list(painted[i]));
  console.log(d, 'first render seen median', med(seen[i]), 'ms:', list(seen[i]));
});
await browser.close(); servers.forEach((s) => s.close());
