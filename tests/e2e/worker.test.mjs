// The analysis worker: after a change is painted, the open paths' fixes and the toggles'
// badges come from a Web Worker running the same wasm (data-analysis="worker" on the shell),
// under the strict CSP, with no request leaving localhost. Prints the longest main-thread task
// between a change and its last badge (reported, not asserted: speed targets live in benchmarks).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SCREENSHOT_DIR, assertClean, byTestId, openApp, startSession } from './browser.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const computed = (page) => page.waitForFunction(
  () => !document.querySelector('[data-computed="false"]') && !document.querySelector('[data-testid="fixes-verifying"]'),
  null, { timeout: 30000 });

test('fixes and badges are computed in the worker; a newer change replaces the running job', async () => {
  const { page, record } = await openApp(session);
  await page.waitForSelector(`${byTestId('shell')}[data-analysis="worker"]`);
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration)))
      .observe({ type: 'longtask' });
  });
  await page.selectOption(byTestId('scenario-picker'), 'vnet-default-nsg');
  await computed(page);
  assert.equal(await page.locator(byTestId('shell')).getAttribute('data-analysis'), 'worker',
    'the worker answered (a silent worker hands the work back to the page)');
  const picture = () => page.evaluate(() => ({
    fixes: [...document.querySelectorAll('[data-testid="section-exfiltration"] [data-testid="fix-count"]')].map((e) => e.textContent),
    badges: [...document.querySelectorAll('[data-testid^="badge-"]')].map((e) => `${e.dataset.testid}: ${e.textContent}`),
  }));
  const before = await picture();
  assert.ok(before.fixes.length > 0, 'open paths list their verified fixes');
  const computedBadges = await page.locator('[data-testid^="badge-"][data-computed="true"]').count();
  assert.ok(computedBadges > 3, `${computedBadges} badges computed`);

  // Three quick flips, each before the previous change's work is done, then a fourth back to
  // the start: the page ends with the starting design's fixes and badges, not a stale job's.
  const first = page.locator(byTestId('toggle-compute-public-ip'));
  for (let flip = 0; flip < 3; flip++) await first.click();
  await computed(page);
  assert.notDeepEqual(await picture(), before, 'the flipped design reads differently');
  await first.click();
  await computed(page);
  assert.deepEqual(await picture(), before);
  assert.equal(await page.locator(byTestId('shell')).getAttribute('data-analysis'), 'worker');
  const longest = await page.evaluate(() => Math.max(0, ...window.longTasks));
  await page.screenshot({ path: `${SCREENSHOT_DIR}/worker-vnet-default-nsg.png` });
  console.log(`vnet-default-nsg with the worker: longest main-thread task ${longest.toFixed(0)} ms (reported, not asserted)`);
  assertClean(record);
});

test('badges are worked out for the toggles in sight; one scrolled into view gets its badge then', async () => {
  // A short window: the design panel shows the first toggles only.
  const { page, record } = await openApp(session, '/', { viewport: { width: 1280, height: 420 } });
  await page.waitForSelector(`${byTestId('shell')}[data-analysis="worker"]`);
  await computed(page);
  const states = () => page.locator('[data-testid^="badge-"]').evaluateAll((badges) =>
    Object.fromEntries(badges.map((b) => [b.dataset.testid, b.dataset.computed ?? 'not applicable'])));
  const before = await states();
  const deferred = Object.keys(before).filter((id) => before[id] === 'deferred');
  assert.ok(Object.values(before).includes('true'), `toggles in sight have their badges: ${JSON.stringify(before)}`);
  assert.ok(deferred.length > 0, `toggles out of sight wait: ${JSON.stringify(before)}`);

  const last = page.locator(`[data-testid="${deferred.at(-1)}"]`);
  await last.scrollIntoViewIfNeeded();
  await page.waitForFunction((id) => document.querySelector(`[data-testid="${id}"]`).dataset.computed === 'true',
    deferred.at(-1), { timeout: 30000 });
  assert.match(await last.textContent(), /would/, 'the badge says what flipping it would do');
  await computed(page);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/badges-in-sight.png` });
  assertClean(record);
});
