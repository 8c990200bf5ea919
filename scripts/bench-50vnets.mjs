// Benchmark: a 50-VNet design (an NSG per spoke) imported; once settled, six toggles 1.5 s apart,
// each reported as the longest main-thread task (PerformanceObserver long tasks, > 50 ms) it
// caused. Usage: node scripts/bench-50vnets.mjs DIST
import { chromium } from 'playwright-core';
import { serveDirectory } from './serve-dist.mjs';
const server = await serveDirectory(process.argv[2] ?? 'dist', 0);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
await page.goto(origin + '/');
await page.waitForSelector('[data-testid="flow-summary"]');
const vnets = Array.from({ length: 50 }, (_, v) => ({
  name: `spoke${String(v).padStart(2, '0')}`, region: 'eastus', address_space: [`10.${v}.0.0/16`],
  subnets: [{ name: 'app', prefix: `10.${v}.1.0/24`, nsg: `nsg${v}` }, { name: 'data', prefix: `10.${v}.2.0/24` }],
}));
const computes = vnets.map((vnet, v) => ({ name: `vm${String(v).padStart(2, '0')}`, kind: 'virtual_machine', nic: { subnet: `${vnet.name}/app`, private_ip: `10.${v}.1.4` } }));
const network_security_groups = vnets.map((_, v) => ({ name: `nsg${v}`, rules: [] }));
const design = { schema_version: 1, name: 'fifty spokes', virtual_networks: vnets, computes, network_security_groups };
await page.setInputFiles('[data-testid="import-input"]', { name: 'fifty.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)) });
await page.waitForFunction(() => !document.querySelector('[data-computed="false"]'), null, { timeout: 60000 });
await page.waitForTimeout(2500);
await page.evaluate(() => { window.lt = []; new PerformanceObserver((l) => window.lt.push(...l.getEntries().map((e) => Math.round(e.duration)))).observe({ type: 'longtask' }); });
const out = [];
for (let round = 0; round < 6; round++) {
  await page.evaluate(() => { window.lt = []; });
  await page.locator('.toggle-button:not([disabled])').first().click();
  await page.waitForFunction(() => !document.querySelector('[data-computed="false"]'), null, { timeout: 60000 });
  await page.waitForTimeout(1500);
  out.push(Math.max(0, ...await page.evaluate(() => window.lt)));
}
console.log(process.argv[2], 'longest task per toggle:', out.join(' '), 'median', [...out].sort((a, b) => a - b)[3]);
await browser.close(); server.close();
