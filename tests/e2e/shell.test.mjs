// End-to-end smoke test of the release build: the shell renders real content, the console stays
// clean and no request leaves localhost.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SCREENSHOT_DIR, startSession } from './browser.mjs';

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
