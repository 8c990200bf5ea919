// The prerendered first screen (README "First screen"): a new visitor sees the default design
// while the wasm app loads, it is a picture rather than a dead app, the app replaces it with the
// same content, it stays hidden when the page starts elsewhere, and a failed start removes it.
// The wasm module is held back (or refused) by a route, so "while the app loads" lasts as long
// as each test needs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { SCREENSHOT_DIR, assertClean, byTestId, startSession } from './browser.mjs';

const APP_WASM = /vnetlab-web-[0-9a-f]+_bg\.wasm$/;

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

/** The storage key a Rust constant names (`pub const NAME: &str = "...";` in `file`). */
async function storageKey(file, name) {
  const source = await readFile(file, 'utf8');
  const key = source.match(new RegExp(`pub const ${name}: &str = "([^"]+)";`))?.[1];
  assert.ok(key, `${file} defines ${name}`);
  return key;
}

/** A page whose app wasm is held until `release()` is called; `storage` is set before load. */
async function pageWithHeldWasm({ storage = {}, viewport } = {}) {
  const { page, record } = await session.newPage({ viewport });
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route(APP_WASM, async (route) => { await released; await route.fallback(); });
  await page.addInitScript((entries) => {
    for (const [key, value] of entries) localStorage.setItem(key, value);
  }, Object.entries(storage));
  return { page, record, release };
}

/** The text of the first screen's (or the app's) flows summary and flow rows. */
function flowsText(page, root) {
  return page.locator(root).evaluate((element) => ({
    summary: element.querySelector('.flows-panel .summary').textContent,
    rows: [...element.querySelectorAll('.flows-panel .flow-label')].map((row) => row.textContent),
    intro: element.querySelector('.design-intro-name').textContent,
  }));
}

test('a new visitor sees the first screen while the app loads, and the app replaces it with the same content', async () => {
  const { page, record, release } = await pageWithHeldWasm();
  await page.goto(`${session.origin}/`);
  const firstScreen = page.locator('.first-screen');
  await firstScreen.waitFor({ state: 'visible' });
  assert.ok(await page.locator(byTestId('loading')).isHidden(), 'the spinner gives way to the first screen');
  assert.ok(await page.getByRole('status').filter({ hasText: 'Starting vnetlab…' }).isVisible(),
    'a status says the app is still starting');
  assert.equal(await firstScreen.getAttribute('aria-hidden'), 'true');
  assert.equal(await firstScreen.evaluate((element) => element.inert), true, 'the picture cannot be clicked or focused');
  const marks = await firstScreen.evaluate((element) => ({
    ids: element.querySelectorAll('[id]:not(marker)').length,
    testIds: element.querySelectorAll('[data-testid]').length,
    styles: element.querySelectorAll('[style]').length,
  }));
  assert.deepEqual(marks, { ids: 0, testIds: 0, styles: 0 });
  const arrowheads = await firstScreen.evaluate((element) => [...element.querySelectorAll('[marker-end]')]
    .every((edge) => element.querySelector(`marker${edge.getAttribute('marker-end').slice(4, -1)}`)));
  assert.ok(arrowheads, 'every edge\'s arrowhead marker is in the picture');
  // After the count: the screenshot sets empty `style` attributes on inputs (caret hiding).
  await page.screenshot({ path: `${SCREENSHOT_DIR}/first-screen.png` });
  const pictured = await flowsText(page, '.first-screen');
  assert.match(pictured.summary, /required flow\(s\) broken/);
  assert.ok(pictured.rows.length > 10, `${pictured.rows.length} flow rows pictured`);
  assert.ok(await page.locator('.first-screen .how-to-read').isVisible(), 'a new visitor is shown how to read it');
  assert.equal(await page.locator('.first-screen select').first().evaluate((select) => select.value),
    'workshop', 'the scenario picker shows the design pictured');

  release();
  await page.waitForSelector(byTestId('flow-summary'), { timeout: 30000 });
  assert.equal(await page.locator('.first-screen, .first-screen-status').count(), 0, 'the app replaced the first screen');
  await page.waitForFunction(() => !document.querySelector('[data-computed="false"]'));
  assert.deepEqual(await flowsText(page, '#app'), pictured, 'the first screen pictures what the app shows');
  assertClean(record);
});

test('the first screen stays hidden when the page starts elsewhere; a dismissed help stays dismissed', async () => {
  const autosave = await storageKey('src/view/autosave.rs', 'STORAGE_KEY');
  const lab = await storageKey('src/view/lab/session.rs', 'STORAGE_KEY');
  const help = await storageKey('src/view/autosave.rs', 'HELP_DISMISSED_KEY');
  const elsewhere = [
    { path: '/?embed=1' },
    { path: '/#design=anything' },
    { path: '/', storage: { [autosave]: 'a saved design' } },
    { path: '/', storage: { [lab]: 'a lab in progress' } },
  ];
  for (const { path, storage } of elsewhere) {
    const { page } = await pageWithHeldWasm({ storage });
    await page.goto(`${session.origin}${path}`);
    await page.locator(byTestId('loading')).waitFor({ state: 'visible' });
    assert.ok(await page.locator('.first-screen').isHidden(), `${path} ${JSON.stringify(storage ?? {})}: no first screen`);
    assert.ok(await page.locator('.first-screen-status').isHidden());
    await page.context().close();
  }
  const { page } = await pageWithHeldWasm({ storage: { [help]: '1' } });
  await page.goto(`${session.origin}/`);
  await page.locator('.first-screen').waitFor({ state: 'visible' });
  assert.ok(await page.locator('.first-screen .how-to-read').isHidden(), 'the dismissed help is not pictured');
  await page.context().close();
});

test('a failed start removes the first screen and says why', async () => {
  const { page } = await session.newPage();
  await page.route(APP_WASM, (route) => route.abort());
  await page.goto(`${session.origin}/`);
  await page.locator('#startup-error').waitFor({ state: 'visible', timeout: 30000 });
  assert.match(await page.locator('#startup-error-text').textContent(), /_bg\.wasm could not be loaded or started/);
  assert.equal(await page.locator('.first-screen, .first-screen-status').count(), 0, 'no picture of an app that will not start');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/first-screen-failed.png` });
  await page.context().close();
});

test('a slow start says so and keeps the first screen; the app still replaces it when it arrives', async () => {
  const { page, record, release } = await pageWithHeldWasm();
  await page.goto(`${session.origin}/`);
  await page.locator('.first-screen').waitFor({ state: 'visible' });
  await page.locator('#startup-slow').waitFor({ state: 'visible', timeout: 20000 });
  assert.match(await page.locator('#startup-slow').textContent(), /still loading/);
  assert.ok(await page.locator('.first-screen').isVisible(), 'the picture stays while the app loads');
  assert.ok(await page.locator('#startup-error').isHidden(), 'a slow start is not a failure');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/first-screen-slow.png` });
  release();
  await page.waitForSelector(byTestId('flow-summary'), { timeout: 30000 });
  await page.locator('#startup-slow').waitFor({ state: 'hidden' });
  assert.ok(await page.locator('#startup-error').isHidden());
  assertClean(record);
});

test('in a wide window the first screen pictures the diagram as the app lays it out there', async () => {
  const { page, record, release } = await pageWithHeldWasm({ viewport: { width: 1920, height: 1080 } });
  await page.goto(`${session.origin}/`);
  await page.locator('.first-screen').waitFor({ state: 'visible' });
  assert.ok(await page.locator('.first-screen .diagram-frame.wide-only').isVisible());
  assert.ok(await page.locator('.first-screen .diagram-frame.narrow-only').isHidden());
  // The boxes of the nodes, as drawn on the screen.
  const boxes = (root) => page.locator(`${root} .node-box`).evaluateAll((rects) => rects
    .filter((rect) => rect.getBoundingClientRect().width > 0)
    .map((rect) => { const r = rect.getBoundingClientRect(); return [r.x, r.y, r.width, r.height].map(Math.round).join(','); }));
  const pictured = await boxes('.first-screen .diagram-frame.wide-only');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/first-screen-1920x1080.png` });
  release();
  await page.waitForSelector(byTestId('flow-summary'), { timeout: 30000 });
  await page.waitForFunction(() => !document.querySelector('[data-computed="false"]'));
  assert.ok(pictured.length > 5, `${pictured.length} nodes pictured`);
  assert.deepEqual(await boxes('#app'), pictured, 'the app draws the nodes where the picture had them');
  assertClean(record);
});
