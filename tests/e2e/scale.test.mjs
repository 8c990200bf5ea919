// A large design in the browser: ten spokes of ten subnets, each subnet with its own 100-rule
// NSG (10,000 rules). The page builds what is visible — NSG editors open closed and build their
// table when opened — so the DOM stays small; the import → results time, the element count and
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
  assert.equal(await page.locator(byTestId('nsg-nsg-0-0')).count(), 1, 'every NSG is listed');
  assert.equal(await page.locator('table.rules').count(), 0, 'no rules table is built while closed');
  assert.ok(elements < 5000, `the page has ${elements} elements`);

  await page.locator(`${byTestId('nsg-nsg-3-7')} summary`).click();
  await page.waitForSelector(`${byTestId('nsg-nsg-3-7')} table.rules`);
  assert.equal(await page.locator(`${byTestId('nsg-nsg-3-7')} tbody tr`).count(), 100, 'opened: its 100 rules');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/scale-ten-spokes.png` });
  console.log(`10 spokes, 10,000 rules: import → design shown ${shown.toFixed(0)} ms; ${elements} elements; ` +
    `longest main-thread task ${longest.toFixed(0)} ms (reported, not asserted)`);
  assertClean(record);
});
