// End-to-end smoke test of the release build: the shell renders real content, the console stays
// clean and no request leaves localhost.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SCREENSHOT_DIR, assertClean, byTestId, openApp, startSession } from './browser.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

test('the app shell renders from the release build with no offsite requests', async () => {
  const { page, record } = await session.newPage();
  await page.goto(`${session.origin}/`);
  await page.waitForSelector('[data-testid="shell"]', { timeout: 30000 });

  assert.equal(await page.locator('.brand').textContent(), 'vnetlab');
  for (const region of ['design-panel', 'diagram', 'flows-panel']) {
    assert.ok(await page.locator(`[data-testid="${region}"]`).isVisible(), `${region} is visible`);
  }
  assert.equal(await page.locator('[data-testid="loading"]').count(), 0, 'loading indicator is gone');
  assert.ok(await page.locator('#startup-error').isHidden(), 'no startup error banner');

  await page.screenshot({ path: `${SCREENSHOT_DIR}/shell.png`, fullPage: true });
  assert.deepEqual(record.consoleErrors, []);
  assert.deepEqual(record.offsite, [], 'no request left localhost');
  assert.ok(record.requests.some((url) => url.endsWith('.wasm')), 'the wasm module was fetched');
});

test('the editors get a wide panel: the NSG table fits, rules are in evaluation order, enumerations are selects', async () => {
  const { page, record } = await session.newPage();
  await page.goto(`${session.origin}/`);
  await page.waitForSelector('[data-testid="shell"]', { timeout: 30000 });
  await page.click('[data-testid="widen-design-panel"]');
  assert.equal(await page.locator('[data-testid="widen-design-panel"]').getAttribute('aria-pressed'), 'true');
  const nsg = page.locator('[data-testid^="nsg-"]:has(table.rules)').first();
  await nsg.scrollIntoViewIfNeeded();
  const fits = await nsg.evaluate((element) => {
    const table = element.querySelector('table.rules').getBoundingClientRect();
    const panel = document.querySelector('[data-testid="design-panel"]').getBoundingClientRect();
    return table.right <= panel.right && table.left >= panel.left;
  });
  assert.ok(fits, 'the rule table is inside the panel');
  const order = await nsg.locator('tbody tr').evaluateAll((rows) => rows.map((row) =>
    [row.cells[0].textContent, Number(row.cells[1].textContent)]));
  const sorted = [...order].sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : a[0] === 'Inbound' ? -1 : 1));
  assert.deepEqual(order, sorted, 'inbound then outbound, by priority');
  await nsg.locator('button[aria-label^="Edit rule"]').first().click();
  for (const field of ['direction', 'access', 'protocol']) {
    assert.equal(await page.locator(`[data-testid="rule-${field}"]`).evaluate((e) => e.tagName), 'SELECT', field);
  }
  await page.selectOption('[data-testid="rule-protocol"]', 'udp');
  assert.equal(await page.locator('[data-testid="rule-apply"]').isDisabled(), false);
  await page.locator('[data-testid="rule-form"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/shell-editor-wide.png` });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  assert.deepEqual(record.consoleErrors, []);
});

test('the narrow scenario and lab pickers name their whole choice on hover', async () => {
  const { page, record } = await openApp(session);
  const title = (id) => page.locator(byTestId(id)).getAttribute('title');
  assert.equal(await title('scenario-picker'), await page.locator(`${byTestId('scenario-picker')} option:checked`).textContent());
  assert.equal(await title('lab-picker'), 'Workshop labs…');
  assertClean(record);
});
