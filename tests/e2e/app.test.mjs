// End-to-end tests of the simulator against the release build: every preset loads; on the DLP
// preset the SEP toggle opens and closes the attacker-storage exfiltration path while required
// flows keep their state; trace step-through; share-link round trip; autosave on reload; embed
// mode; markup in names renders as text; no request leaves localhost. Prints the toggle →
// repaint timings (measured with performance.now(); reported, not asserted).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SCREENSHOT_DIR, assertClean, byTestId, openApp as openSharedApp, startSession } from './browser.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const DLP = 'dlp-sep-nsg';

const openApp = (path) => openSharedApp(session, path);

async function presetIds(page) {
  return page.locator(`${byTestId('scenario-picker')} option`).evaluateAll(
    (options) => options.map((o) => o.value).filter((v) => v !== ''));
}

const openAttackerStorage = (page) =>
  page.locator(`${byTestId('section-exfiltration')} [data-status="open"][data-path-kind^="attacker-storage"]`).count();

/** Clicks a toggle and measures click → DOM updated → the frame showing it painted (the task
 *  after that frame's animation callbacks, i.e. right after its paint), in the page. */
function timeToggle(page, id) {
  return page.evaluate((selector) => new Promise((resolve) => {
    const button = document.querySelector(selector);
    const before = button.getAttribute('aria-pressed');
    const start = performance.now();
    let updated = null;
    const observer = new MutationObserver(() => {
      const now = document.querySelector(selector);
      if (updated === null && now && now.getAttribute('aria-pressed') !== before) {
        updated = performance.now() - start;
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() =>
          resolve({ dom: updated, frame: performance.now() - start })));
      }
    });
    observer.observe(document.body, { subtree: true, attributes: true, childList: true });
    button.click();
  }), byTestId(`toggle-${id}`));
}

test('every preset loads, renders its diagram and flows, and toggles repaint quickly', async () => {
  const { page, record } = await openApp();
  const ids = await presetIds(page);
  assert.ok(ids.length >= 2, `presets: ${ids}`);
  const timings = [];
  for (const id of ids) {
    await page.selectOption(byTestId('scenario-picker'), id);
    await page.waitForFunction((value) => document.querySelector('#scenario-picker').value === value, id);
    assert.ok(await page.locator(byTestId('error-banner')).count() === 0, `${id}: no error`);
    assert.ok(await page.locator('.diagram-canvas g[data-testid^="node-"]').count() > 3, `${id}: diagram drawn`);
    assert.ok(await page.locator('.flow-row').count() > 0, `${id}: flows listed`);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/preset-${id}.png` });
    const toggle = await page.locator('.toggle-button:not([disabled])').first().getAttribute('data-testid');
    const id2 = toggle.replace('toggle-', '');
    const runs = [];
    for (let run = 0; run < 6; run++) {
      // As a user flips: after the previous change's badges are in.
      await page.waitForFunction(() => !document.querySelector('[data-computed="false"]'));
      runs.push(await timeToggle(page, id2));
    }
    const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
    timings.push({ preset: id, toggle: id2, domMs: +median(runs.map((r) => r.dom)).toFixed(1),
      frameMs: +median(runs.map((r) => r.frame)).toFixed(1) });
  }
  console.log('toggle → repaint (ms):');
  console.table(timings);
  assertClean(record);
});

test('on the DLP preset the SEP toggle opens and closes the attacker-storage path; required flows keep their state', async () => {
  const { page, record } = await openApp();
  await page.selectOption(byTestId('scenario-picker'), DLP);
  await page.waitForFunction((v) => document.querySelector('#scenario-picker').value === v, DLP);
  const summaryBefore = await page.locator(byTestId('flow-summary')).textContent();
  const requiredBefore = await page.locator(`${byTestId('section-required')} .flow-row`).evaluateAll(
    (rows) => rows.map((r) => `${r.dataset.testid}:${r.dataset.status}`));
  assert.equal(await openAttackerStorage(page), 0);
  assert.equal(await page.locator(byTestId('toggle-sep-attached')).getAttribute('aria-pressed'), 'true');

  await page.click(byTestId('toggle-sep-attached'));
  await page.waitForFunction((s) => document.querySelector(s).getAttribute('aria-pressed') === 'false', byTestId('toggle-sep-attached'));
  assert.ok(await openAttackerStorage(page) > 0, 'without the SEP an attacker storage account is reachable');
  assert.match(await page.locator(byTestId('last-change')).textContent(), /exfil paths? opened/);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/dlp-sep-detached.png` });

  await page.click(byTestId('toggle-sep-attached'));
  await page.waitForFunction((s) => document.querySelector(s).getAttribute('aria-pressed') === 'true', byTestId('toggle-sep-attached'));
  assert.equal(await openAttackerStorage(page), 0, 'the SEP closes the path again');
  const requiredAfter = await page.locator(`${byTestId('section-required')} .flow-row`).evaluateAll(
    (rows) => rows.map((r) => `${r.dataset.testid}:${r.dataset.status}`));
  assert.deepEqual(requiredAfter, requiredBefore, 'required flows are as before');
  assert.equal(await page.locator(byTestId('flow-summary')).textContent(), summaryBefore);
  assert.ok(requiredAfter.filter((r) => r.endsWith(':passes')).length > requiredAfter.length / 2, 'required flows are green');
  assertClean(record);
});

test('a trace steps hop by hop and lights up the diagram', async () => {
  const { page, record } = await openApp();
  await page.locator(`${byTestId('section-required')} .flow-row`).first().click();
  await page.waitForSelector(byTestId('trace'));
  assert.match(await page.locator(byTestId('step-label')).textContent(), /^Hop 1 of \d+/);
  assert.equal(await page.locator('[data-current="true"]').count(), 1);
  await page.click(byTestId('step-next'));
  await page.click(byTestId('step-next'));
  assert.match(await page.locator(byTestId('step-label')).textContent(), /^Hop 3 of/);
  assert.equal(await page.locator('.hop.current').getAttribute('data-testid'), 'hop-2');
  await page.click(byTestId('step-back'));
  assert.match(await page.locator(byTestId('step-label')).textContent(), /^Hop 2 of/);
  await page.keyboard.press('Tab');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/trace-step.png` });
  assertClean(record);
});

test('a share link opens the same design elsewhere, and a reload restores the autosave', async () => {
  const { page, record } = await openApp();
  await page.click(byTestId('toggle-compute-public-ip'));
  const pressed = await page.locator(byTestId('toggle-compute-public-ip')).getAttribute('aria-pressed');
  const summary = await page.locator(byTestId('flow-summary')).textContent();
  await page.click(byTestId('share'));
  const link = await page.locator(byTestId('share-link')).inputValue();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/#design=[A-Za-z0-9_-]+$/);

  const other = await session.newPage();
  await other.page.goto(link);
  await other.page.waitForSelector(byTestId('flow-summary'), { timeout: 30000 });
  assert.equal(await other.page.locator(byTestId('flow-summary')).textContent(), summary);
  assert.equal(await other.page.locator(byTestId('toggle-compute-public-ip')).getAttribute('aria-pressed'), pressed);
  assertClean(other.record);

  await page.reload();
  await page.waitForSelector(byTestId('flow-summary'), { timeout: 30000 });
  assert.equal(await page.locator(byTestId('toggle-compute-public-ip')).getAttribute('aria-pressed'), pressed);
  assert.equal(await page.locator(byTestId('undo')).isDisabled(), true, 'history starts afresh');
  assertClean(record);
});

test('embed mode renders a compact read-only layout', async () => {
  const { page, record } = await openApp('/?embed=1');
  assert.equal(await page.locator(byTestId('design-panel')).count(), 0);
  assert.ok(await page.locator(byTestId('diagram')).isVisible());
  assert.ok(await page.locator(byTestId('flows-panel')).isVisible());
  assert.equal(await page.locator(byTestId('import')).count(), 0);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/embed.png` });
  assertClean(record);
});

test('a drag starts the import module; imported names with markup render as text; a failed import keeps the design', async () => {
  const { page, record } = await openApp();
  const importModule = () => record.requests.filter((url) => new URL(url).pathname.includes('vnetlab-import'));
  assert.deepEqual(importModule(), [], 'the first load does not fetch the import module');
  // Files dragged over the page start the import module before they are dropped.
  await page.dispatchEvent(byTestId('shell'), 'dragover');
  const moduleFiles = () => importModule().map((url) => new URL(url).pathname.split('/').pop()).sort();
  for (let waited = 0; moduleFiles().length < 3 && waited < 100; waited++) await page.waitForTimeout(100);
  assert.deepEqual(moduleFiles(), ['vnetlab-import.js', 'vnetlab-import_bg.wasm', 'vnetlab-import_loader.js'],
    'a drag over the page loads the import module');
  const design = JSON.parse(JSON.stringify({
    schema_version: 1,
    name: '<script>window.injected = 1</script>',
    virtual_networks: [{ name: '<b>vnet</b>', region: 'eastus', address_space: ['10.0.0.0/16'],
      subnets: [{ name: 'default', prefix: '10.0.1.0/24' }] }],
    computes: [{ name: '<img src=x onerror="window.injected=2">', kind: 'virtual_machine',
      nic: { subnet: '<b>vnet</b>/default', private_ip: '10.0.1.4' } }],
  }));
  await page.setInputFiles(byTestId('import-input'), {
    name: 'script.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)),
  });
  await page.waitForFunction((s) => document.querySelector(s)?.textContent.startsWith('<script>'), byTestId('design-name'));
  assert.equal(await page.locator(byTestId('design-name')).textContent(), design.name);
  assert.equal(await page.locator(byTestId('importing')).count(), 0, 'the import status ends with the import');
  assert.equal(importModule().length, 3, 'the import used the module the drag started, not another');
  assert.equal(await page.evaluate(() => window.injected), undefined);
  assert.equal(await page.locator('#app script, #app img, #app b').count(), 0);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/script-name.png` });

  await page.setInputFiles(byTestId('import-input'), {
    name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"schema_version": 1, "name": '),
  });
  await page.waitForSelector(byTestId('error-banner'));
  assert.match(await page.locator(byTestId('error-text')).textContent(), /broken\.json/);
  assert.equal(await page.locator(byTestId('design-name')).textContent(), design.name, 'the design is kept');
  await page.click(`${byTestId('error-banner')} .banner-dismiss`);
  assert.equal(await page.locator(byTestId('error-banner')).count(), 0);
  assertClean(record);
});
