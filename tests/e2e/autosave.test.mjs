// End-to-end tests that the browser never loses the user's work: a share link opened over a
// different autosave asks before replacing it (and "keep mine as an undo step" keeps it one
// Ctrl+Z away), and an autosave saved by a newer version is kept aside, offered for download
// and never overwritten. Screenshots: target/e2e/autosave-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { SCREENSHOT_DIR, assertClean, byTestId, openApp, startSession } from './browser.mjs';

const KEY = 'vnetlab.autosave';
const ASIDE_KEY = 'vnetlab.autosave.aside';
const TOGGLE = byTestId('toggle-compute-public-ip');

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session.close();
});

/** Waits until the autosave differs from `previous` and returns it. */
async function nextAutosave(page, previous) {
  await page.waitForFunction(([key, old]) => localStorage.getItem(key) !== old, [KEY, previous]);
  return page.evaluate((key) => localStorage.getItem(key), KEY);
}

test('a share link over a different autosave asks, and keeping mine as an undo step keeps it', async () => {
  const { page, record } = await openApp(session);
  const original = await nextAutosave(page, null);
  const mine = await page.locator(TOGGLE).getAttribute('aria-pressed');
  await page.click(TOGGLE);
  const changed = await nextAutosave(page, original);
  await page.click(byTestId('share'));
  const link = await page.locator(byTestId('share-link')).inputValue();
  await page.keyboard.press('Escape');
  await page.click(byTestId('undo'));
  await nextAutosave(page, changed);

  await page.goto('about:blank');
  await page.goto(link);
  const question = page.locator(byTestId('share-conflict'));
  await question.waitFor({ timeout: 30000 });
  assert.equal(await question.getAttribute('role'), 'alertdialog');
  assert.equal(await page.locator(TOGGLE).getAttribute('aria-pressed'), mine, 'mine stays until I choose');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'share-open-keep-mine');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/autosave-share-question.png` });

  await page.keyboard.press('Enter');
  await question.waitFor({ state: 'detached' });
  assert.notEqual(await page.locator(TOGGLE).getAttribute('aria-pressed'), mine, 'the shared design is open');
  assert.equal(new URL(page.url()).hash, '', 'the link left the address bar');
  await page.click(byTestId('undo'));
  assert.equal(await page.locator(TOGGLE).getAttribute('aria-pressed'), mine, 'mine is one undo step away');
  assertClean(record);
});

test('a newer-version autosave is kept aside, can be downloaded and is not overwritten', async () => {
  const { page, record } = await openApp(session);
  // The first load saves its design after painting it; wait for that save so it cannot land
  // over the newer text set below.
  await nextAutosave(page, null);
  const newer = JSON.stringify({ format: 'vnetlab-autosave', version: 3, scenario: '', design: { schema_version: 2, name: 'from the future' } });
  await page.evaluate(([key, text]) => localStorage.setItem(key, text), [KEY, newer]);
  await page.reload();
  await page.waitForSelector(byTestId('flow-summary'), { timeout: 30000 });
  const notice = page.locator(byTestId('aside-notice'));
  await notice.waitFor();
  assert.match(await notice.textContent(), /saved by a newer version of vnetlab/);
  // The default preset is autosaved over the main key; the newer text stays aside.
  await nextAutosave(page, newer);
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), ASIDE_KEY), newer);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/autosave-kept-aside.png` });

  const download = page.waitForEvent('download');
  await page.click(byTestId('aside-download'));
  const file = await download;
  assert.equal(file.suggestedFilename(), 'vnetlab-autosave-kept-aside.json');
  assert.equal(await readFile(await file.path(), 'utf8'), newer);

  await page.click(byTestId('aside-discard'));
  await notice.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), ASIDE_KEY), null);
  assertClean(record);
});
