// End-to-end tests of the diagram on the release build at 1280×720: for every preset every flow
// of the flows panel has an edge, labels are at least 11 px as rendered, no two boxes overlap
// and no label overflows its box; the DLP preset draws the rogue-storage path when the SEP is
// switched off; zoom, pan, the details card and the keyboard work. Screenshots under target/e2e/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SCREENSHOT_DIR, assertClean, byTestId, openApp as openSharedApp, startSession } from './browser.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const DLP = 'dlp-sep-nsg';

async function openApp(path = '/', viewport) {
  const opened = await openSharedApp(session, path, viewport ? { viewport } : {});
  await opened.page.waitForSelector('.diagram-canvas g.node');
  return opened;
}

async function loadPreset(page, id) {
  await page.selectOption(byTestId('scenario-picker'), id);
  await page.waitForFunction((value) => document.querySelector('#scenario-picker').value === value, id);
}

/** What the diagram draws, measured in the page: font sizes on screen, overlaps, overflows. */
function measureDiagram(page) {
  return page.evaluate(() => {
    const svg = document.querySelector('.diagram-canvas');
    const scale = svg.querySelector('.diagram-view').getScreenCTM().a;
    const nodes = [...svg.querySelectorAll('g.node')].map((g) => {
      const rect = g.querySelector('[data-testid="node-box"]');
      const box = rect.getBBox();
      // The title and detail lines (HTML in the SVG): the extent of their text, on screen.
      const texts = [...g.querySelectorAll(':scope > foreignObject .node-text > div')].map((line) => {
        const range = document.createRange();
        range.selectNodeContents(line);
        return {
          size: parseFloat(getComputedStyle(line).fontSize) * scale,
          box: range.getBoundingClientRect(),
          text: line.textContent,
        };
      });
      return { key: g.dataset.testid, container: g.classList.contains('container'), box, screen: rect.getBoundingClientRect(), texts };
    });
    const inside = (a, b) => b.x >= a.x - 0.5 && b.y >= a.y - 0.5
      && b.x + b.width <= a.x + a.width + 0.5 && b.y + b.height <= a.y + a.height + 0.5;
    const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    const overlaps = [];
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const [a, b] = [nodes[i].box, nodes[j].box];
        if (overlap(a, b) && !inside(a, b) && !inside(b, a)) overlaps.push(`${nodes[i].key} / ${nodes[j].key}`);
      }
    }
    const overflows = nodes.flatMap((n) => n.texts
      .filter((t) => t.box.x + t.box.width > n.screen.x + n.screen.width - scale || t.box.x < n.screen.x)
      .map((t) => `${n.key}: "${t.text}"`));
    const unlabelled = nodes.filter((n) => n.texts.length === 0).map((n) => n.key);
    const smallest = Math.min(...nodes.flatMap((n) => n.texts.map((t) => t.size)));
    const edgeFlows = [...svg.querySelectorAll('g.edge-group')]
      .reduce((sum, g) => sum + Number(g.dataset.flows), 0);
    // Every flow of the panel, including those a long section has not built ("Show all").
    const flowRows = [...document.querySelectorAll('[data-testid="flows-panel"] section[data-count]')]
      .reduce((sum, section) => sum + Number(section.dataset.count), 0);
    const frame = document.querySelector('.diagram-frame').getBoundingClientRect();
    return { overlaps, overflows, unlabelled, smallest, edgeFlows, flowRows, nodes: nodes.length, frameWidth: frame.width, scale };
  });
}

test('every preset: every flow has an edge, labels are legible, nothing overlaps or overflows', async () => {
  const { page, record } = await openApp();
  const ids = await page.locator(`${byTestId('scenario-picker')} option`).evaluateAll(
    (options) => options.map((o) => o.value).filter((v) => v !== ''));
  assert.ok(ids.length >= 5, `presets: ${ids}`);
  const rows = [];
  for (const id of ids) {
    await loadPreset(page, id);
    await page.waitForTimeout(50);
    const m = await measureDiagram(page);
    rows.push({ preset: id, nodes: m.nodes, flows: m.flowRows, edgeFlows: m.edgeFlows, smallestPx: +m.smallest.toFixed(1) });
    assert.equal(m.edgeFlows, m.flowRows, `${id}: every flow of the panel is on an edge`);
    assert.deepEqual(m.unlabelled, [], `${id}: every node has its title drawn`);
    assert.ok(m.smallest >= 11, `${id}: labels are ${m.smallest.toFixed(1)} px`);
    assert.deepEqual(m.overlaps, [], `${id}: no boxes overlap`);
    assert.deepEqual(m.overflows, [], `${id}: no label overflows its box`);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/diagram-${id}.png` });
  }
  console.table(rows);
  assertClean(record);
});

test('DLP: switching the SEP off draws an open path to the attacker storage sink', async () => {
  const { page, record } = await openApp();
  await loadPreset(page, DLP);
  const openSinkEdges = () => page.locator('g.edge-group[data-status="open"][data-testid*="attacker"]').count();
  assert.equal(await openSinkEdges(), 0, 'the SEP closes every storage path');
  await page.click(byTestId('toggle-sep-attached'));
  await page.waitForFunction((s) => document.querySelector(s).getAttribute('aria-pressed') === 'false', byTestId('toggle-sep-attached'));
  await page.waitForFunction(() => document.querySelectorAll('g.edge-group[data-status="open"]').length > 0);
  assert.ok(await openSinkEdges() > 0, 'an open exfiltration edge reaches attacker storage');
  const edge = page.locator('g.edge-group[data-status="open"][data-testid*="attacker"]').first();
  await edge.focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector(byTestId('diagram-card'));
  assert.match(await page.locator(byTestId('diagram-card')).textContent(), /open exfiltration|problem/);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/diagram-dlp-sep-off.png` });
  await page.locator(`${byTestId('diagram-card')} ${byTestId('card-flow')}`).first().click();
  await page.waitForSelector(byTestId('trace'));
  await page.waitForSelector(byTestId('flow-path'), { state: 'attached' });
  assert.equal(await page.locator('g.node[data-current="true"]').count(), 1);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/diagram-dlp-path-selected.png` });
  assertClean(record);
});

test('zoom, pan, fit and collapse change the view; a node opens its details card', async () => {
  const { page, record } = await openApp();
  const scale = () => page.locator(byTestId('diagram-canvas')).getAttribute('data-scale');
  const transform = () => page.locator(byTestId('diagram-view')).getAttribute('transform');
  assert.equal(await scale(), '1');
  await page.click(byTestId('zoom-in'));
  assert.equal(await page.locator(byTestId('zoom-readout')).textContent(), '125 %');
  await page.click(byTestId('zoom-actual'));
  const before = await transform();
  const frame = await page.locator('.diagram-frame').boundingBox();
  await page.mouse.move(frame.x + frame.width / 2, frame.y + frame.height / 2);
  await page.mouse.wheel(0, 200);
  await page.waitForFunction((b) => document.querySelector('[data-testid="diagram-view"]').getAttribute('transform') !== b, before);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -300);
  await page.keyboard.up('Control');
  await page.waitForFunction(() => Number(document.querySelector('.diagram-canvas').dataset.scale) > 1);
  await page.click(byTestId('zoom-fit'));
  assert.ok(Number(await scale()) <= 1);
  await page.click(byTestId('zoom-actual'));

  const compute = page.locator('g.node.node-compute').first();
  await compute.click();
  await page.waitForSelector(byTestId('diagram-card'));
  const card = await page.locator(byTestId('diagram-card')).textContent();
  assert.match(card, /Private IP/);
  assert.match(card, /Flows \(\d+\)/);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/diagram-node-card.png` });

  const vnets = await page.locator('g.node.node-vnet').count();
  await page.click(byTestId('collapse-all'));
  await page.waitForFunction((n) => document.querySelectorAll('g.node.collapsed').length >= n, vnets);
  assert.equal(await page.locator('g.node.node-subnet').count(), 0, 'collapsed VNets hide their subnets');
  const m = await measureDiagram(page);
  assert.equal(m.edgeFlows, m.flowRows, 'collapsed, every flow is still drawn');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/diagram-collapsed.png` });
  assertClean(record);
});

test('keyboard: Tab reaches a diagram node, Enter opens its card, Escape closes it', async () => {
  const { page, record } = await openApp();
  await page.locator('.diagram-frame').focus();
  await page.keyboard.press('+');
  assert.equal(await page.locator(byTestId('zoom-readout')).textContent(), '125 %');
  await page.keyboard.press('0');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
  assert.ok(focused && focused.length > 3, `a named element has focus: ${focused}`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(byTestId('diagram-card'));
  await page.locator('.diagram-frame').focus();
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('[data-testid="diagram-card"]'));
  assertClean(record);
});

test('a 50-VNet design opens collapsed, legible and with every flow drawn; timings reported', async () => {
  const { page, record } = await openApp();
  const vnets = Array.from({ length: 50 }, (_, v) => ({
    name: `spoke${String(v).padStart(2, '0')}`, region: 'eastus', address_space: [`10.${v}.0.0/16`],
    subnets: [{ name: 'app', prefix: `10.${v}.1.0/24` }, { name: 'data', prefix: `10.${v}.2.0/24` }],
  }));
  const computes = vnets.map((vnet, v) => ({
    name: `vm${String(v).padStart(2, '0')}`, kind: 'virtual_machine', nic: { subnet: `${vnet.name}/app`, private_ip: `10.${v}.1.4` },
  }));
  // Something for the toggles to flip: an NSG on every app subnet.
  vnets.forEach((vnet, v) => { vnet.subnets[0].nsg = `nsg${v}`; });
  const network_security_groups = vnets.map((_, v) => ({ name: `nsg${v}`, rules: [] }));
  const design = { schema_version: 1, name: 'fifty spokes', virtual_networks: vnets, computes, network_security_groups };
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration)))
      .observe({ type: 'longtask' });
  });
  const started = await page.evaluate(() => performance.now());
  await page.setInputFiles(byTestId('import-input'), {
    name: 'fifty.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)),
  });
  await page.waitForFunction(() => document.querySelectorAll('g.node.collapsed').length === 50, null, { timeout: 60000 });
  const shown = await page.evaluate((t0) => performance.now() - t0, started);
  const m = await measureDiagram(page);
  assert.equal(m.edgeFlows, m.flowRows);
  assert.ok(m.smallest >= 11);
  assert.deepEqual(m.overlaps, []);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/diagram-fifty-vnets.png` });
  await page.waitForFunction(() => !document.querySelector('[data-computed="false"]'), null, { timeout: 60000 });
  const longestImport = await page.evaluate(() => Math.max(0, ...window.longTasks));
  await page.evaluate(() => { window.longTasks = []; });
  const toggle = page.locator('.toggle-button:not([disabled])').first();
  assert.ok(await toggle.count() > 0, 'a toggle applies to the design');
  await toggle.click();
  await page.waitForFunction(() => !document.querySelector('[data-computed="false"]'), null, { timeout: 60000 });
  const longestToggle = await page.evaluate(() => Math.max(0, ...window.longTasks));
  // As a user flips after reading the result: the page has prepared the flips meanwhile.
  await page.waitForTimeout(2000);
  await page.evaluate(() => { window.longTasks = []; });
  await toggle.click();
  await page.waitForFunction(() => !document.querySelector('[data-computed="false"]'), null, { timeout: 60000 });
  const longestSettledToggle = await page.evaluate(() => Math.max(0, ...window.longTasks));
  // A large design is laid out again in a task after the change's render: the diagram follows.
  await page.click(byTestId('collapse-all'));
  await page.waitForFunction(() => document.querySelectorAll('g.node.collapsed').length === 0
    && document.querySelectorAll('g.node.node-subnet').length === 100);
  await page.click(byTestId('collapse-all'));
  await page.waitForFunction(() => document.querySelectorAll('g.node.collapsed').length === 50);
  // The element tree: one closed disclosure per VNet, its subnets built when opened.
  const vnetItems = page.locator('[data-testid^="vnet-item-"]');
  assert.equal(await vnetItems.count(), 50);
  assert.equal(await page.locator('[data-testid="element-tree"] [data-testid^="element-spoke"]').count(), 0);
  await page.locator(`${byTestId('vnet-item-spoke07')} > summary`).click();
  await page.waitForSelector(byTestId('element-spoke07'));
  assert.ok(await page.locator(`${byTestId('vnet-item-spoke07')} [data-testid^="element-"]`).count() >= 3,
    'the VNet, its subnets and its VM');
  // A long section builds its first 100 rows; "Show all" builds the rest.
  const long = await page.evaluate(() => [...document.querySelectorAll('section[data-count]')]
    .find((s) => Number(s.dataset.count) > 100)?.dataset.testid);
  assert.ok(long, 'a section is longer than the rows built at first');
  const section = page.locator(byTestId(long));
  assert.equal(await section.locator('.flow-row').count(), 100);
  // Rows off screen are laid out lazily (content-visibility), so scroll until the button settles.
  for (let settle = 0; settle < 4; settle++) {
    await section.locator('.show-all').evaluate((button) => button.scrollIntoView({ block: 'center' }));
    await page.waitForTimeout(100);
  }
  await page.screenshot({ path: `${SCREENSHOT_DIR}/flows-show-all.png` });
  await section.locator('.show-all').click();
  assert.equal(await section.locator('.flow-row').count(), Number(await section.getAttribute('data-count')));
  assert.equal(await section.locator('.show-all').count(), 0);
  console.log(`50-VNet design: import → diagram shown in ${shown.toFixed(0)} ms; longest main-thread task ` +
    `${longestImport.toFixed(0)} ms while importing, ${longestToggle.toFixed(0)} ms after a toggle right after the import, ` +
    `${longestSettledToggle.toFixed(0)} ms after a toggle once the page settled (reported, not asserted; target 50)`);
  assertClean(record);
});

test('at 1920×1080 the drawing uses the wider box', async () => {
  const { page, record } = await openApp('/', { width: 1920, height: 1080 });
  await loadPreset(page, 'il5-us-gov');
  const m = await measureDiagram(page);
  const used = await page.evaluate(() => {
    const frame = document.querySelector('.diagram-frame').getBoundingClientRect();
    const boxes = [...document.querySelectorAll('.diagram-canvas g.node')].map((g) => g.getBoundingClientRect());
    const right = Math.max(...boxes.map((b) => b.right)) - frame.left;
    const left = Math.min(...boxes.map((b) => b.left)) - frame.left;
    return (right - left) / frame.width;
  });
  assert.ok(used > 0.8, `the drawing spans ${(used * 100).toFixed(0)} % of the width`);
  assert.ok(m.smallest >= 11);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/diagram-1920.png` });
  assertClean(record);
});
