// End-to-end tests of the app where locked-down pages put it, against the release build: under
// the strict Content-Security-Policy (sent as a header and in the page), in a sandboxed iframe
// (no storage) and in a cross-site iframe (host page at localhost, app at 127.0.0.1), the embed
// at 800×500 and 640×400 (no sideways overflow, name and "Open in vnetlab" visible, Diagram /
// Flows tabs), the share dialog's clipboard copies, its selected-text fallback and the linked
// flow, a full localStorage, and a keyboard-only walk from the skip link to a trace.
// Screenshots: target/e2e/embed-*.png and shell-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { SCREENSHOT_DIR, assertClean, byTestId, startSession } from './browser.mjs';
import { CONTENT_SECURITY_POLICY } from '../../scripts/serve-dist.mjs';


let session;
let host;
let hostPort;
before(async () => {
  session = await startSession();
  // The wiki page of the iframe tests: /?src=<app address>&sandbox=<tokens, optional>.
  host = createServer((request, response) => {
    const query = new URL(request.url, 'http://localhost').searchParams;
    const sandbox = query.has('sandbox') ? ` sandbox="${query.get('sandbox')}"` : '';
    const [width, height] = (query.get('size') ?? '800x500').split('x');
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(`<!DOCTYPE html><html lang="en"><head><title>Wiki page</title></head><body>
      <h1>Our AML network</h1>
      <iframe src="${query.get('src')}" width="${width}" height="${height}"${sandbox} title="vnetlab"></iframe>
      </body></html>`);
  });
  await new Promise((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostPort = host.address().port;
});
after(async () => {
  await session?.close();
  await new Promise((resolve) => host?.close(resolve) ?? resolve());
});

async function openApp(path = '/', options = {}) {
  const { page, record } = await session.newPage(options);
  const response = await page.goto(`${session.origin}${path}`);
  await page.waitForSelector(byTestId('shell'), { timeout: 30000 });
  return { page, record, response };
}

/** Opens the host page with the app in an iframe; resolves to the app's frame once it started. */
async function openInIframe({ hostName, path, sandbox, size }) {
  const { page, record } = await session.newPage({ allowHosts: ['localhost'] });
  const src = encodeURIComponent(`${session.origin}${path}`);
  const extra = `${sandbox === undefined ? '' : `&sandbox=${sandbox}`}${size ? `&size=${size}` : ''}`;
  await page.goto(`http://${hostName}:${hostPort}/?src=${src}${extra}`);
  const frame = page.frameLocator('iframe');
  await frame.locator(byTestId('shell')).waitFor({ timeout: 30000 });
  return { page, record, frame };
}

/** How far the document scrolls sideways, and whether `selector` is fully inside the viewport. */
function layoutOf(page, selectors) {
  return page.evaluate((list) => {
    const inside = Object.fromEntries(list.map((selector) => {
      const element = document.querySelector(selector);
      if (!element) return [selector, 'missing'];
      const box = element.getBoundingClientRect();
      const visible = box.width > 0 && box.height > 0 && box.left >= 0 && box.top >= 0
        && box.right <= innerWidth && box.bottom <= innerHeight;
      return [selector, visible ? 'visible' : `outside (${Math.round(box.left)},${Math.round(box.top)} ${Math.round(box.width)}×${Math.round(box.height)})`];
    }));
    return { overflowX: document.documentElement.scrollWidth - innerWidth, inside };
  }, selectors);
}

test('the app starts under the strict Content-Security-Policy with no inline script and a clean console', async () => {
  const { page, record, response } = await openApp('/');
  const headers = response.headers();
  assert.equal(headers['content-security-policy'], CONTENT_SECURITY_POLICY);
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['referrer-policy'], 'no-referrer');
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.equal(meta, CONTENT_SECURITY_POLICY, 'the page carries the same policy');

  const html = await readFile('dist/index.html', 'utf8');
  const inlineScripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    .filter(([, attributes, body]) => !/\bsrc=/.test(attributes) || body.trim() !== '');
  assert.deepEqual(inlineScripts.map(([tag]) => tag), [], 'every script is a file');
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handler');
  assert.equal(await page.locator('[style]').count(), 0, 'no style attribute (style-src has no unsafe-inline)');
  assert.ok(await page.locator('#startup-error').isHidden());
  assert.ok(record.requests.some((url) => url.endsWith('.svg') && url.includes('favicon')), 'the favicon is served');
  assertClean(record);
});

test('the app and the embed start in a sandboxed iframe (opaque origin, no storage); autosave says it is off', async () => {
  const embed = await openInIframe({ hostName: '127.0.0.1', path: '/?embed=1', sandbox: 'allow-scripts' });
  assert.ok(await embed.frame.locator(byTestId('open-full')).isVisible());
  assert.equal(await embed.frame.locator(byTestId('autosave-notice')).count(), 0, 'the read-only embed saves nothing anyway');
  await embed.page.screenshot({ path: `${SCREENSHOT_DIR}/embed-sandboxed.png` });
  assertClean(embed.record);

  const app = await openInIframe({ hostName: '127.0.0.1', path: '/', sandbox: 'allow-scripts', size: '1200x650' });
  const notice = app.frame.locator(byTestId('autosave-notice'));
  assert.equal(await notice.getAttribute('data-alert'), 'false');
  assert.match(await notice.textContent(), /Autosave is off/);
  assert.ok(await app.frame.locator(byTestId('autosave-export')).isVisible());
  await app.frame.locator('.toggle-button:not([disabled])').first().click();
  assert.equal(await app.frame.locator(byTestId('undo')).isDisabled(), false, 'editing works without storage');
  // An opaque origin cannot start a same-origin worker: the page computes fixes and badges itself.
  assert.equal(await app.frame.locator(byTestId('shell')).getAttribute('data-analysis'), 'page');
  await app.frame.locator('[data-computed="false"]').first().waitFor({ state: 'detached', timeout: 60000 });
  assert.ok(await app.frame.locator('[data-testid^="badge-"][data-computed="true"]').count() > 0, 'the page worked out the badges');
  await app.page.screenshot({ path: `${SCREENSHOT_DIR}/shell-sandboxed.png` });
  assertClean(app.record);
});

test('the embed starts in a cross-site iframe (wiki at localhost, app at 127.0.0.1)', async () => {
  const { page, record, frame } = await openInIframe({ hostName: 'localhost', path: '/?embed=1' });
  assert.ok(await frame.locator(byTestId('open-full')).isVisible());
  assert.ok(await frame.locator(byTestId('design-name')).isVisible());
  assert.equal(await frame.locator('#startup-error').isHidden(), true);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/embed-cross-site.png` });
  assertClean(record);
});

for (const [width, height] of [[800, 500], [640, 400]]) {
  test(`the embed at ${width}×${height} fits: no sideways scrolling, name and "Open in vnetlab" visible, tabs`, async () => {
    const { page, record } = await openApp('/?embed=1', { viewport: { width, height } });
    const diagram = await layoutOf(page, [byTestId('design-name'), byTestId('open-full'), byTestId('tab-flows'), byTestId('diagram')]);
    assert.ok(diagram.overflowX <= 0, `overflows by ${diagram.overflowX}px`);
    for (const [selector, state] of Object.entries(diagram.inside)) assert.equal(state, 'visible', selector);
    assert.equal(await page.locator(byTestId('flows-panel')).isVisible(), false, 'one pane at a time');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/embed-${width}x${height}.png` });

    // A flow chosen on the diagram's card opens its trace in the flows pane.
    await page.locator('g.edge-group').first().focus();
    await page.keyboard.press('Enter');
    await page.locator(`${byTestId('diagram-card')} ${byTestId('card-flow')}`).first().click();
    await page.waitForSelector(`${byTestId('trace')}:visible`);
    assert.equal(await page.locator(byTestId('tab-flows')).getAttribute('aria-selected'), 'true');
    await page.click(byTestId('tab-diagram'));
    await page.click(byTestId('tab-flows'));
    assert.equal(await page.locator(byTestId('tab-flows')).getAttribute('aria-selected'), 'true');
    const flows = await layoutOf(page, [byTestId('flow-summary'), byTestId('open-full'), byTestId('design-name')]);
    assert.ok(flows.overflowX <= 0, `overflows by ${flows.overflowX}px`);
    for (const [selector, state] of Object.entries(flows.inside)) assert.equal(state, 'visible', selector);
    assert.equal(await page.locator(byTestId('diagram')).isVisible(), false);
    const panel = await page.locator(byTestId('flows-panel')).evaluate((e) => e.scrollWidth - e.clientWidth);
    assert.ok(panel <= 0, `the flows panel scrolls sideways by ${panel}px`);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/embed-${width}x${height}-flows.png` });

    // The embed is read-only: a design dropped on it is not imported, and the import module
    // is never loaded.
    const name = await page.locator(byTestId('design-name')).textContent();
    const dropped = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      const design = { schema_version: 1, name: 'dropped on the embed' };
      transfer.items.add(new File([JSON.stringify(design)], 'dropped.json', { type: 'application/json' }));
      return transfer;
    });
    await page.dispatchEvent(byTestId('shell'), 'dragover', { dataTransfer: dropped });
    await page.dispatchEvent(byTestId('shell'), 'drop', { dataTransfer: dropped });
    await page.waitForTimeout(500);
    assert.equal(await page.locator(byTestId('design-name')).textContent(), name, 'the drop imported nothing');
    assert.deepEqual(record.requests.filter((url) => url.includes('vnetlab-import')), [], 'no import module');
    assertClean(record);
  });
}

test('the app at 1280×720 has no sideways scrolling', async () => {
  const { page, record } = await openApp('/');
  const { overflowX, inside } = await layoutOf(page, [byTestId('share'), byTestId('flow-summary')]);
  assert.ok(overflowX <= 0, `overflows by ${overflowX}px`);
  for (const [selector, state] of Object.entries(inside)) assert.equal(state, 'visible', selector);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/shell-1280x720.png` });
  assertClean(record);
});

test('the share dialog copies the link and the embed snippet; the snippet opens the selected flow', async () => {
  const { page, record } = await openApp('/', { permissions: ['clipboard-read', 'clipboard-write'] });
  const row = page.locator(`${byTestId('section-required')} .flow-row`).nth(2);
  const flowLabel = (await row.locator('.flow-label').textContent()).trim();
  await row.click();
  await page.waitForSelector(byTestId('trace'));
  await page.click(byTestId('share'));
  const dialog = page.locator(byTestId('share-dialog'));
  await dialog.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'copy-link', 'focus moves into the dialog');
  assert.equal(await dialog.locator(byTestId('share-with-flow')).isChecked(), true);

  const link = await dialog.locator(byTestId('share-link')).inputValue();
  await dialog.locator(byTestId('copy-link')).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="copy-status"]').textContent.includes('Copied'));
  assert.match(await dialog.locator(byTestId('copy-status')).textContent(), /Copied the link/);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/\?flow=[A-Za-z0-9%._~-]+#design=[A-Za-z0-9_-]+$/);

  await dialog.locator(byTestId('copy-embed')).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="copy-status"]').textContent.includes('embed snippet'));
  const snippet = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(snippet, await dialog.locator(byTestId('embed-snippet')).inputValue());
  const src = snippet.match(/^<iframe src="([^"]+)" width="800" height="500" title="vnetlab: [^"]+"/)?.[1];
  assert.ok(src, snippet);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/shell-share.png` });
  await page.keyboard.press('Escape');
  assert.equal(await dialog.count(), 0, 'Escape closes the dialog');
  assertClean(record);

  const embed = await openApp(src.replaceAll('&amp;', '&').replace(session.origin, ''), { viewport: { width: 800, height: 500 } });
  await embed.page.waitForSelector(byTestId('trace'));
  assert.equal(await embed.page.locator(byTestId('tab-flows')).getAttribute('aria-selected'), 'true', 'the flows tab is open');
  assert.equal((await embed.page.locator('.flow-row.selected .flow-label').textContent()).trim(), flowLabel);
  await embed.page.screenshot({ path: `${SCREENSHOT_DIR}/embed-linked-flow.png` });
  assertClean(embed.record);
});

test('without the Clipboard API the share dialog selects the text for Ctrl+C', async () => {
  const { page, record } = await session.newPage();
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
  await page.goto(`${session.origin}/`);
  await page.waitForSelector(byTestId('shell'), { timeout: 30000 });
  await page.click(byTestId('share'));
  await page.click(byTestId('copy-embed'));
  await page.waitForFunction(() => document.querySelector('[data-testid="copy-status"]').textContent.includes('Ctrl+C'));
  assert.match(await page.locator(byTestId('copy-status')).textContent(), /the embed snippet is selected, press Ctrl\+C/);
  const selection = await page.evaluate(() => {
    const field = document.activeElement;
    return { testid: field.dataset.testid, whole: field.selectionStart === 0 && field.selectionEnd === field.value.length };
  });
  assert.deepEqual(selection, { testid: 'embed-snippet', whole: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}/shell-share-fallback.png` });
  assertClean(record);
});

test('a full localStorage shows the autosave banner with Export JSON', async () => {
  const { page, record } = await openApp('/');
  const filled = await page.evaluate(() => {
    localStorage.clear(); // the autosave too: re-saving a design of the same size would fit
    let chunk = 'x'.repeat(1 << 20);
    let keys = 0;
    while (chunk.length > 0) {
      try {
        localStorage.setItem(`filler-${keys}`, chunk);
        keys += 1;
      } catch {
        chunk = chunk.slice(0, chunk.length >> 1);
      }
    }
    return keys;
  });
  assert.ok(filled > 0);
  await page.locator('.toggle-button:not([disabled])').first().click();
  const notice = page.locator(byTestId('autosave-notice'));
  await notice.waitFor();
  assert.equal(await notice.getAttribute('role'), 'alert');
  assert.match(await notice.textContent(), /storage for this site is full/);
  const download = page.waitForEvent('download');
  await page.click(byTestId('autosave-export'));
  assert.match((await download).suggestedFilename(), /\.json$/);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/shell-storage-full.png` });

  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('filler-')).forEach((k) => localStorage.removeItem(k)));
  await page.locator('.toggle-button:not([disabled])').first().click();
  await page.waitForSelector(byTestId('autosave-notice'), { state: 'detached' });
  assertClean(record);
});

test('keyboard only: the skip link reaches the flows, Enter opens a trace, Ctrl+Z undoes; the focus ring is visible', async () => {
  const { page, record } = await openApp('/');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'skip-to-flows');
  assert.ok(await page.locator(byTestId('skip-to-flows')).isVisible(), 'the skip link shows when focused');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/shell-skip-link.png` });
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'flows-panel');
  let tabs = 0;
  while (!(await page.evaluate(() => document.activeElement?.classList.contains('flow-row'))) && tabs < 10) {
    await page.keyboard.press('Tab');
    tabs += 1;
  }
  assert.ok(tabs < 10, 'a flow row is a few Tabs after the skip link');
  const ring = await page.evaluate(() => {
    const style = getComputedStyle(document.activeElement);
    return { color: style.outlineColor, width: style.outlineWidth, style: style.outlineStyle };
  });
  assert.deepEqual(ring, { color: 'rgb(109, 40, 217)', width: '3px', style: 'solid' });
  await page.keyboard.press('Enter');
  await page.waitForSelector(byTestId('trace'));
  await page.screenshot({ path: `${SCREENSHOT_DIR}/shell-keyboard-trace.png` });

  await page.click(`${byTestId('flows-panel')} h2`);
  await page.locator('.toggle-button:not([disabled])').first().focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator(byTestId('undo')).isDisabled(), false);
  await page.locator(`${byTestId('flows-panel')} h2`).click();
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => document.querySelector('[data-testid="undo"]').disabled);
  assertClean(record);
});
