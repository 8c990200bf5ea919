// End-to-end tests of the flows panel's journeys on the release build: an open exfiltration
// path reads as a red sentence; Apply fix closes it, and it stays listed as "closed by your
// change" with its blocked trace; the two inbound 44224 rows open their own traces; the trace
// form traces a flow as `vnetlab trace` does and names bad input (its destination suggestions
// are built when the field is first focused); the trace opens in view and
// ←/→ and Play step it; a scenario load starts a fresh history; "modified" and "Reset to
// scenario"; the first screen explains itself. Screenshots: target/e2e/flows-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SCREENSHOT_DIR, assertClean, byTestId, openApp as openSharedApp, startSession } from './browser.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const DLP = 'dlp-sep-nsg';
const RED = 'rgb(180, 35, 24)'; // --blocked

const openApp = (path) => openSharedApp(session, path);

async function loadPreset(page, id) {
  await page.selectOption(byTestId('scenario-picker'), id);
  await page.waitForFunction((v) => document.querySelector('#scenario-picker').value === v, id);
}

async function detachSep(page) {
  await page.click(byTestId('toggle-sep-attached'));
  await page.waitForFunction((s) => document.querySelector(s).getAttribute('aria-pressed') === 'false',
    byTestId('toggle-sep-attached'));
}

const openPaths = (page) =>
  page.locator(`${byTestId('section-exfiltration')} .flow-row[data-status="open"][data-path-kind^="attacker-storage"]`);

/** Whether the element is inside the viewport and inside every scrolled ancestor. */
function inView(page, selector) {
  return page.evaluate((s) => {
    const element = document.querySelector(s);
    if (!element) return false;
    const box = element.getBoundingClientRect();
    if (box.top < 0 || box.top > innerHeight - 20) return false;
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      const outer = parent.getBoundingClientRect();
      if (parent.scrollHeight > parent.clientHeight && (box.top < outer.top - 1 || box.top > outer.bottom - 20)) return false;
    }
    return true;
  }, selector);
}

test('an open exfiltration path is a red sentence; Apply fix closes it and keeps its blocked trace', async () => {
  const { page, record } = await openApp();
  await loadPreset(page, DLP);
  await detachSep(page);
  const row = openPaths(page).first();
  assert.ok(await openPaths(page).count() > 0, 'the SEP off opens an attacker-storage path');
  assert.match(await row.locator('.flow-purpose').first().textContent(),
    /^Data on \S+ can leave over TCP .+ to an attacker's storage account in (your|another) region\.$/);
  assert.doesNotMatch(await row.textContent(), /attacker-storage-same-region/);
  assert.equal(await row.locator('.verdict').textContent(), '✗ open');
  assert.equal(await row.locator('.verdict').evaluate((e) => getComputedStyle(e).color), RED, 'red, not green');
  const id = await row.getAttribute('data-testid');

  // Open it from the bottom of the list: the trace comes into view with the danger spelled out.
  await page.locator(byTestId('flows-panel')).evaluate((panel) => { panel.scrollTop = panel.scrollHeight; });
  await row.click();
  await page.waitForSelector(byTestId('trace'));
  await page.waitForFunction((s) => {
    const box = document.querySelector(s).getBoundingClientRect();
    return box.top >= 0 && box.top < innerHeight - 40;
  }, byTestId('trace'));
  assert.ok(await inView(page, byTestId('trace-verdict')), 'the trace is where the user looks');
  assert.match(await page.locator(byTestId('trace-verdict')).textContent(),
    /^✗ open — data can leave to an attacker's storage account/);
  assert.equal(await page.locator(`${byTestId('trace-verdict')} strong`).evaluate((e) => getComputedStyle(e).color), RED);
  await page.waitForSelector(byTestId('apply-fix'));
  assert.equal(await page.locator('details.fixes').count(), 0, 'no collapsed fixes');
  assert.doesNotMatch(await page.locator(byTestId('fixes')).textContent(), /@/, 'breaks lists flow labels');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/flows-exfil-open.png` });

  await page.locator(byTestId('apply-fix')).first().click();
  const closed = page.locator(`${byTestId('section-exfiltration')} [data-testid="${id}"]`);
  await page.waitForFunction((s) => document.querySelector(s)?.dataset.status === 'closed',
    `${byTestId('section-exfiltration')} [data-testid="${id}"]`);
  assert.match(await closed.locator('.verdict').textContent(), /closed by your change/);
  assert.match(await page.locator(byTestId('trace-verdict')).textContent(), /^✓ closed by your change — (blocked|no-route)/);
  assert.ok(await page.locator('.hop').count() > 0, 'with its now-blocked trace');
  assert.equal(await page.locator(byTestId('undo')).isDisabled(), false, 'the fix is undoable');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/flows-fix-applied.png` });

  await page.click(byTestId('undo'));
  await page.waitForFunction((s) => document.querySelector(s)?.dataset.status === 'open',
    `${byTestId('section-exfiltration')} [data-testid="${id}"]`);
  assertClean(record);
});

test('the two inbound 44224 rows open different traces', async () => {
  const { page, record } = await openApp();
  await loadPreset(page, DLP);
  const rows = page.locator('[data-testid^="flow-inbound-aml-44224"]');
  assert.equal(await rows.count(), 2);
  const labels = [];
  for (const index of [0, 1]) {
    await rows.nth(index).click();
    await page.waitForSelector(byTestId('trace'));
    labels.push(await page.locator(`${byTestId('trace')} h3`).textContent());
    assert.equal(await rows.nth(index).getAttribute('aria-pressed'), 'true');
  }
  assert.notEqual(labels[0], labels[1]);
  assert.match(labels[0], /→ ci-notebook tcp\/44224/);
  assert.match(labels[1], /→ cpu-cluster tcp\/44224/);
  assertClean(record);
});

test('the trace form traces ci → roguestorage 443 with Network Watcher words and names bad input', async () => {
  const { page, record } = await openApp();
  await loadPreset(page, 'workshop');
  await page.selectOption(byTestId('trace-form-from'), 'ci');
  const suggestions = page.locator('#trace-form-destinations option');
  assert.equal(await suggestions.count(), 0, 'the destination suggestions are built on first focus');
  await page.focus(byTestId('trace-form-to'));
  await page.waitForFunction(() => document.querySelectorAll('#trace-form-destinations option').length > 0);
  const suggested = await suggestions.evaluateAll((options) => options.map((o) => o.value));
  assert.ok(['roguestorage', 'ci', 'fw'].every((name) => suggested.includes(name)), `suggested: ${suggested}`);
  await page.fill(byTestId('trace-form-to'), 'nothing');
  await page.click(byTestId('trace-form-submit'));
  assert.match(await page.locator(byTestId('trace-form-to-error')).textContent(), /`nothing` is not an element/);
  await page.fill(byTestId('trace-form-to'), 'roguestorage');
  await page.fill(byTestId('trace-form-port'), '443');
  await page.click(byTestId('trace-form-submit'));
  await page.waitForFunction((s) => document.querySelector(s)?.textContent === 'ci → roguestorage tcp/443',
    `${byTestId('trace')} h3`);
  assert.equal(await page.locator(byTestId('trace-form-to-error')).count(), 0);
  const watcher = await page.locator(`${byTestId('network-watcher')} dt`).allTextContents();
  assert.deepEqual(watcher, ['IP flow verify', 'Next hop', 'NSG diagnostics']);
  assert.match(await page.locator(`${byTestId('network-watcher')} dd`).first().textContent(), /^Access: (Allow|Deny)/);
  assert.equal(await page.locator(byTestId('traced-row')).count(), 1);
  await page.fill(byTestId('trace-form-to'), 'pypi.org');
  await page.click(byTestId('trace-form-submit'));
  await page.waitForFunction((s) => document.querySelectorAll(s).length === 2, byTestId('traced-row'));
  assert.match(await page.locator(byTestId('traced-row')).first().textContent(), /ci → pypi\.org/, 'most recent first');
  await page.locator(byTestId('traced-row')).nth(1).click();
  await page.waitForFunction((s) => document.querySelector(s)?.textContent === 'ci → roguestorage tcp/443',
    `${byTestId('trace')} h3`);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/flows-trace-form.png` });
  assertClean(record);
});

test('←/→ step the focused trace and Play stops on the deciding hop', async () => {
  const { page, record } = await openApp();
  await loadPreset(page, DLP);
  // The change settles first: fixes verified and badges computed after the paint.
  await page.waitForFunction(() => !document.querySelector('[data-computed="false"]'));
  await page.locator(`${byTestId('section-required')} .flow-row`).first().click();
  await page.waitForSelector(byTestId('trace'));
  await page.waitForFunction((s) => document.activeElement === document.querySelector(s), byTestId('trace'));
  const label = (hop) => page.waitForFunction(([s, text]) => document.querySelector(s)?.textContent.startsWith(text),
    [byTestId('step-label'), `Hop ${hop} of`], { timeout: 5000 });
  await page.keyboard.press('ArrowRight');
  await label(2);
  await page.keyboard.press('ArrowRight');
  await label(3);
  await page.keyboard.press('ArrowLeft');
  await label(2);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/flows-trace-keyboard.png` });

  await page.click(byTestId('play'));
  await page.waitForFunction((s) => document.querySelector(s)?.getAttribute('aria-pressed') === 'false',
    byTestId('play'), { timeout: 30000 });
  assert.equal(await page.locator('.hop.current').getAttribute('data-testid'),
    await page.locator('.hop.deciding').getAttribute('data-testid'), 'Play stops on the deciding hop');
  assertClean(record);
});

test('a scenario load starts a fresh history; a change is marked modified and can be reset', async () => {
  const { page, record } = await openApp();
  await loadPreset(page, DLP);
  assert.ok(await page.locator(byTestId('design-intro')).isVisible());
  assert.equal(await page.locator(byTestId('intro-name')).textContent(), DLP);
  assert.ok(await page.locator(byTestId('how-to-read')).isVisible(), 'the first screen explains itself');
  await page.waitForFunction((s) => document.querySelector(s)?.textContent.startsWith('Turning'),
    byTestId('badge-sep-attached'), { timeout: 30000 });
  assert.match(await page.locator(byTestId('badge-sep-attached')).textContent(), /^Turning this off would .*open 2 exfiltration paths/);
  assert.equal(await page.locator(byTestId('modified')).count(), 0);
  // In the flip's own render the flipped toggle's sentence is being worked out, and the others
  // keep theirs, dimmed and busy, until theirs are worked out again.
  await page.waitForFunction(() => !document.querySelector('[data-computed="false"]'));
  const atFlip = await page.evaluate(() => new Promise((resolve) => {
    const toggle = document.querySelector('[data-testid="toggle-sep-attached"]');
    const other = () => document.querySelector('[data-testid="badge-storage-service-endpoint"]');
    const before = `${other().dataset.testid}: ${other().textContent}`;
    const observer = new MutationObserver(() => {
      if (toggle.getAttribute('aria-pressed') !== 'false') return;
      observer.disconnect();
      const kept = other();
      resolve({ before, after: `${kept.dataset.testid}: ${kept.textContent}`, stale: kept.classList.contains('stale'), busy: kept.getAttribute('aria-busy'),
        flipped: document.querySelector('[data-testid="badge-sep-attached"]').textContent });
    });
    observer.observe(document.body, { subtree: true, attributes: true });
    toggle.click();
  }));
  assert.equal(atFlip.after, atFlip.before, 'the other badges keep their sentence');
  assert.ok(atFlip.stale && atFlip.busy === 'true', `kept badges are marked as updating: ${JSON.stringify(atFlip)}`);
  assert.match(atFlip.flipped, /^Working out what turning this on would do/);
  await page.waitForFunction(() => !document.querySelector('.badge.stale, [data-computed="false"]'));
  assert.match(await page.locator(byTestId('badge-sep-attached')).textContent(), /^Turning this on would .*close 2 exfiltration paths/);
  assert.ok(await page.locator(byTestId('modified')).isVisible());
  await page.screenshot({ path: `${SCREENSHOT_DIR}/flows-modified.png` });
  await page.click(byTestId('reset-scenario'));
  await page.waitForFunction((s) => document.querySelector(s).getAttribute('aria-pressed') === 'true',
    byTestId('toggle-sep-attached'));
  assert.equal(await page.locator(byTestId('modified')).count(), 0);

  await loadPreset(page, 'vnet-default-nsg');
  assert.equal(await page.locator(byTestId('last-change')).count(), 0, 'no diff between unrelated designs');
  assert.equal(await page.locator(byTestId('undo')).isDisabled(), true, 'a fresh history');
  await page.click(byTestId('help-dismiss'));
  assert.equal(await page.locator(byTestId('how-to-read')).count(), 0);
  assert.ok(await page.locator(byTestId('help-open')).isVisible());
  await page.reload();
  await page.waitForSelector(byTestId('flow-summary'));
  assert.equal(await page.locator(byTestId('how-to-read')).count(), 0, 'the dismissal is remembered');
  await page.click(byTestId('help-open'));
  assert.ok(await page.locator(byTestId('how-to-read')).isVisible());
  assertClean(record);
});

test('a verified fix can be copied as az CLI, Bicep or Terraform', async () => {
  const { page, record } = await openSharedApp(session, '/', { permissions: ['clipboard-read', 'clipboard-write'] });
  await loadPreset(page, DLP);
  await detachSep(page);
  await openPaths(page).first().click();
  await page.waitForSelector(byTestId('apply-fix'));
  const menu = page.locator(byTestId('fix-code')).first();
  await menu.locator('summary').click();
  for (const [id, expected] of [['az', /^# vnetlab fix: .*\n.*az network/s], ['bicep', /^\/\/ vnetlab fix: .*resource /s], ['terraform', /^# vnetlab fix: .*resource "azurerm_/s]]) {
    await menu.locator(byTestId(`fix-code-${id}`)).click();
    await page.waitForFunction((re) => new RegExp(re, 's').test(document.querySelector('[data-testid="fix-code-text"]')?.value ?? ''),
      expected.source);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, expected, `${id} on the clipboard`);
  }
  await page.screenshot({ path: `${SCREENSHOT_DIR}/flows-fix-as-code.png` });
  assertClean(record);
});
