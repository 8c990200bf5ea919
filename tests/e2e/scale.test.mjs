// A large design in the browser: ten spokes of ten subnets, each subnet with its own 100-rule
// NSG (10,000 rules). The page builds what is visible — the first 50 NSG editors, the rest on
// "Show all"; they open closed and build their table when opened — so the DOM stays small; the import → results time, the element count and
// the longest main-thread task are reported (not asserted: speed targets live in benchmarks).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SCREENSHOT_DIR, assertClean, byTestId, openApp, startSession } from './browser.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

function tenSpokes() {
  const vnets = [];
  const nsgs = [];
  const computes = [];
  for (let v = 0; v < 10; v++) {
    const subnets = [];
    for (let s = 0; s < 10; s++) {
      const nsg = `nsg-${v}-${s}`;
      subnets.push({ name: `s${s}`, prefix: `10.${v}.${s}.0/24`, nsg });
      nsgs.push({
        name: nsg,
        rules: Array.from({ length: 100 }, (_, r) => ({
          name: `r${r}`, priority: 100 + r * 10, direction: r % 2 ? 'Inbound' : 'Outbound',
          access: r % 7 ? 'Allow' : 'Deny', protocol: 'Tcp', source: [`10.${r % 200}.0.0/16`],
          destination: [`203.0.${r % 250}.0/24`], destination_ports: [`${1000 + r}`],
        })),
      });
    }
    vnets.push({ name: `spoke${v}`, region: 'eastus', address_space: [`10.${v}.0.0/16`], subnets });
    computes.push({ name: `vm${v}`, kind: 'virtual_machine', nic: { subnet: `spoke${v}/s0`, private_ip: `10.${v}.0.4` } });
  }
  return { schema_version: 1, name: 'ten spokes', virtual_networks: vnets, network_security_groups: nsgs, computes };
}

test('a 10-spoke design with 10,000 NSG rules imports with a small page; an NSG editor builds its table when opened', async () => {
  const { page, record } = await openApp(session);
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration)))
      .observe({ type: 'longtask' });
  });
  const started = await page.evaluate(() => performance.now());
  await page.setInputFiles(byTestId('import-input'), {
    name: 'ten-spokes.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(tenSpokes())),
  });
  await page.waitForFunction(() => document.querySelector('[data-testid="design-name"]')?.textContent === 'ten spokes',
    null, { timeout: 120000 });
  const shown = await page.evaluate((t0) => performance.now() - t0, started);
  await page.waitForFunction(() => !document.querySelector('[data-computed="false"]'), null, { timeout: 120000 });
  const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
  const longest = await page.evaluate(() => Math.max(0, ...window.longTasks));
  assert.equal(await page.locator('details.nsg').count(), 50, 'the first 50 of the 100 NSG editors are built');
  assert.equal(await page.locator(byTestId('nsg-nsg-0-0')).count(), 1);
  assert.equal(await page.locator(byTestId('nsg-nsg-9-9')).count(), 0, 'the 100th is not built yet');
  assert.equal((await page.locator(byTestId('show-all-nsgs')).textContent()).trim(), 'Show all 100 NSGs (50 more)');
  assert.equal(await page.locator('table.rules').count(), 0, 'no rules table is built while closed');
  assert.ok(elements < 5000, `the page has ${elements} elements`);

  await page.locator(`${byTestId('nsg-nsg-3-7')} summary`).click();
  await page.waitForSelector(`${byTestId('nsg-nsg-3-7')} table.rules`);
  assert.equal(await page.locator(`${byTestId('nsg-nsg-3-7')} tbody tr`).count(), 100, 'opened: its 100 rules');
  await page.locator(byTestId('show-all-nsgs')).click();
  await page.waitForSelector(byTestId('nsg-nsg-9-9'));
  assert.equal(await page.locator('details.nsg').count(), 100, 'Show all builds every NSG editor');
  assert.equal(await page.locator(byTestId('show-all-nsgs')).count(), 0);
  assert.equal(await page.locator(`${byTestId('nsg-nsg-3-7')} tbody tr`).count(), 100, 'the opened editor stays open');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/scale-ten-spokes.png` });
  console.log(`10 spokes, 10,000 rules: import → design shown ${shown.toFixed(0)} ms; ${elements} elements; ` +
    `longest main-thread task ${longest.toFixed(0)} ms (reported, not asserted)`);
  assertClean(record);
});

test('a long list of route tables builds its first 50; one added with "+ route table" is built at once', async () => {
  const { page, record } = await openApp(session);
  const tables = Array.from({ length: 60 }, (_, t) => ({
    name: `table-${String(t).padStart(2, '0')}`,
    routes: [{ name: 'default', address_prefix: '0.0.0.0/0', next_hop_type: 'Internet' }],
  }));
  const design = {
    schema_version: 1, name: 'sixty route tables', route_tables: tables,
    virtual_networks: [{ name: 'vnet', region: 'eastus', address_space: ['10.0.0.0/16'], subnets: [{ name: 'a', prefix: '10.0.0.0/24' }] }],
  };
  await page.setInputFiles(byTestId('import-input'), {
    name: 'tables.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)),
  });
  // The editors out of sight take the new design once the change is painted.
  await page.waitForSelector(byTestId('route-table-table-00'));
  const tablesBuilt = () => page.locator('[data-testid="route-editor"] .policy').count();
  assert.equal(await tablesBuilt(), 50);
  assert.equal(await page.locator(byTestId('route-table-table-59')).count(), 0);
  assert.equal((await page.locator(byTestId('show-all-route-tables')).textContent()).trim(), 'Show all 60 route tables (10 more)');
  await page.locator(byTestId('add-route-table')).click();
  await page.waitForSelector(byTestId('route-table-rt'));
  assert.equal(await tablesBuilt(), 51, 'the added table is built after the first 50');
  assert.equal((await page.locator(byTestId('show-all-route-tables')).textContent()).trim(), 'Show all 61 route tables (10 more)');
  await page.locator(byTestId('show-all-route-tables')).click();
  await page.waitForSelector(byTestId('route-table-table-59'));
  assert.equal(await tablesBuilt(), 61);
  await page.locator(byTestId('route-table-table-59')).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/scale-route-tables.png` });
  assertClean(record);
});

// Whichever answer comes first, the older import's outcome never replaces the newer one (an
// answer still being read when a newer import is sent is dropped). The window while a design is
// read is short; this checks the outcome, not that the window was hit.
test('of two imports in quick succession the newer one stays shown', async () => {
  const { page, record } = await openApp(session);
  await page.setInputFiles(byTestId('import-input'), {
    name: 'ten-spokes.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(tenSpokes())),
  });
  await page.waitForTimeout(150);
  const small = { schema_version: 1, name: 'small one', virtual_networks: [{ name: 'v', region: 'eastus', address_space: ['10.9.0.0/16'], subnets: [{ name: 's', prefix: '10.9.0.0/24' }] }] };
  await page.setInputFiles(byTestId('import-input'), {
    name: 'small.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(small)),
  });
  await page.waitForFunction(() => document.querySelector('[data-testid="design-name"]')?.textContent === 'small one', null, { timeout: 120000 });
  await page.waitForTimeout(3000);
  assert.equal(await page.locator(byTestId('design-name')).textContent(), 'small one', 'the older import did not replace it');
  assertClean(record);
});
