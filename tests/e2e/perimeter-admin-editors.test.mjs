// End-to-end tests of the network security perimeter and Virtual Network Manager editors against
// the release build: a design is imported, a flow traced with the trace form, then the editors'
// forms create a perimeter (association, inbound rule) or a network manager (group, collection,
// admin rule); the traced verdict follows each edit, a bad value is named under its field with
// Apply disabled, and undo restores the verdict. No request leaves localhost.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SCREENSHOT_DIR, assertClean, byTestId, openApp as openSharedApp, startSession } from './browser.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const openApp = (path) => openSharedApp(session, path);

async function importDesign(page, name, design) {
  await page.setInputFiles(byTestId('import-input'),
    { name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)) });
  await page.waitForFunction((n) => document.querySelector('[data-testid="design-name"]')?.textContent === n, design.name);
}

/** Traces `from` → `to` on TCP `port` with the trace form; returns a reader of its verdict. */
async function traceWithForm(page, from, to, port) {
  await page.selectOption(byTestId('trace-form-from'), from);
  await page.fill(byTestId('trace-form-to'), to);
  await page.fill(byTestId('trace-form-port'), String(port));
  await page.click(byTestId('trace-form-submit'));
  await page.waitForSelector(byTestId('traced-row'));
  return () => page.locator(`${byTestId('traced-row')} .verdict`).first().textContent();
}

const waitForVerdict = (page, pattern) => page.waitForFunction(
  (source) => new RegExp(source).test(document.querySelector('[data-testid="traced-row"] .verdict')?.textContent ?? ''),
  pattern.source);

test('a perimeter made in its editor blocks a public caller in Enforced mode until an inbound rule admits it', async () => {
  const { page, record } = await openApp();
  await importDesign(page, 'nsp.json', {
    schema_version: 1, name: 'perimeter journey',
    virtual_networks: [{ name: 'vnet', region: 'eastus', address_space: ['10.0.0.0/16'], subnets: [{ name: 'app', prefix: '10.0.1.0/24' }] }],
    resources: [{ name: 'st', kind: 'storage_account', region: 'eastus' }],
    external_hosts: [{ name: 'client', kind: 'internet', ip: '203.0.113.10' }],
  });
  const verdict = await traceWithForm(page, 'client', 'st', 443);
  assert.match(await verdict(), /allowed/, 'public access Enabled, default Allow');

  await page.click(byTestId('add-perimeter'));
  await page.waitForSelector(byTestId('perimeter-nsp'));
  await page.click(byTestId('add-association-nsp'));
  await page.waitForSelector(byTestId('association-form'));
  await page.fill(byTestId('association-name'), 'st/in');
  assert.match(await page.locator(byTestId('association-name-error')).textContent(), /needs a name \(no `\/`\)/);
  assert.equal(await page.locator(byTestId('association-apply')).isDisabled(), true);
  await page.fill(byTestId('association-name'), 'st-in-nsp');
  assert.equal(await page.locator(byTestId('association-resource')).inputValue(), 'st');
  await page.selectOption(byTestId('association-access_mode'), 'Enforced');
  await page.click(byTestId('association-apply'));
  await page.waitForSelector(byTestId('association-nsp-st-in-nsp'));
  await waitForVerdict(page, /blocked/);
  assert.match(await page.locator(byTestId('acl-perimeter-st')).textContent(), /nsp · profile defaultProfile · Enforced mode/,
    'the resource firewall names its perimeter');

  await page.click(byTestId('add-inbound-rule-nsp-defaultProfile'));
  await page.waitForSelector(byTestId('access-rule-form'));
  await page.fill(byTestId('access-rule-name'), 'corp');
  await page.fill(byTestId('access-rule-address_prefixes'), '203.0.113.999/24');
  assert.match(await page.locator(byTestId('access-rule-address_prefixes-error')).textContent(),
    /`203\.0\.113\.999\/24` is not an IPv4 address or CIDR prefix/);
  assert.equal(await page.locator(byTestId('access-rule-apply')).isDisabled(), true);
  await page.fill(byTestId('access-rule-address_prefixes'), '203.0.113.0/24');
  await page.locator(byTestId('perimeter-editor')).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/perimeter-editor.png` });
  await page.click(byTestId('access-rule-apply'));
  await page.waitForSelector(byTestId('access-rule-nsp-defaultProfile-corp'));
  await waitForVerdict(page, /allowed/);
  assert.match(await page.locator(byTestId('access-rule-nsp-defaultProfile-corp')).textContent(), /inbound from 203\.0\.113\.0\/24/);

  await page.click(byTestId('undo'));
  await page.waitForSelector(byTestId('access-rule-nsp-defaultProfile-corp'), { state: 'detached' });
  await waitForVerdict(page, /blocked/);

  // Learning mode: the resource's own firewall (default Allow) decides again, until its public
  // network access is SecuredByPerimeter.
  await page.click('[aria-label="Edit association st-in-nsp"]');
  await page.selectOption(byTestId('association-access_mode'), 'Learning');
  await page.click(byTestId('association-apply'));
  await page.waitForFunction(() => /Learning mode/.test(document.querySelector('[data-testid="association-nsp-st-in-nsp"]')?.textContent ?? ''));
  await waitForVerdict(page, /allowed/);
  await page.click(byTestId('edit-acl-st'));
  await page.selectOption(byTestId('acl-public_network_access'), 'SecuredByPerimeter');
  await page.click(byTestId('acl-apply'));
  await waitForVerdict(page, /blocked/);
  assert.match(await page.locator(byTestId('acl-perimeter-st')).textContent(), /Learning mode: its access rules replace this firewall/);
  assertClean(record);
});

test('a security admin rule made in the Virtual Network Manager editor overrides the NSG, and undo restores it', async () => {
  const { page, record } = await openApp();
  await importDesign(page, 'avnm.json', {
    schema_version: 1, name: 'admin rules journey',
    virtual_networks: [
      { name: 'hub', region: 'eastus', address_space: ['10.0.0.0/16'], subnets: [{ name: 'web', prefix: '10.0.1.0/24' }] },
      { name: 'spoke', region: 'eastus', address_space: ['10.1.0.0/16'], subnets: [{ name: 'db', prefix: '10.1.1.0/24', nsg: 'nsg-db' }] },
    ],
    peerings: [{ name: 'h-s', local_vnet: 'hub', remote_vnet: 'spoke' }, { name: 's-h', local_vnet: 'spoke', remote_vnet: 'hub' }],
    network_security_groups: [{ name: 'nsg-db', rules: [
      { name: 'deny-443', priority: 100, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', source: ['*'], destination: ['*'], destination_ports: ['443'] },
    ] }],
    computes: [
      { name: 'web', kind: 'virtual_machine', nic: { subnet: 'hub/web', private_ip: '10.0.1.4' } },
      { name: 'db', kind: 'virtual_machine', nic: { subnet: 'spoke/db', private_ip: '10.1.1.4' } },
    ],
  });
  const verdict = await traceWithForm(page, 'web', 'db', 443);
  assert.match(await verdict(), /blocked/, 'the NSG denies 443');

  await page.click(byTestId('add-network-manager'));
  await page.waitForSelector(byTestId('network-manager-avnm'));
  await page.click(byTestId('add-network-group-avnm'));
  await page.waitForSelector(byTestId('network-group-form'));
  await page.fill(byTestId('network-group-name'), 'spokes');
  await page.uncheck(byTestId('network-group-vnets-hub'));
  await page.uncheck(byTestId('network-group-vnets-spoke'));
  assert.match(await page.locator(byTestId('network-group-vnets-error')).textContent(), /needs at least one member VNet/);
  await page.check(byTestId('network-group-vnets-spoke'));
  await page.click(byTestId('network-group-apply'));
  await page.waitForSelector(byTestId('network-group-avnm-spokes'));

  await page.click(byTestId('add-admin-collection-avnm'));
  await page.waitForSelector(byTestId('admin-collection-form'));
  await page.fill(byTestId('admin-collection-name'), 'baseline');
  await page.click(byTestId('admin-collection-apply'));
  await page.waitForSelector(byTestId('admin-collection-avnm-baseline'));

  await page.click(byTestId('add-admin-rule-baseline'));
  await page.waitForSelector(byTestId('admin-rule-form'));
  await page.fill(byTestId('admin-rule-name'), 'always-443');
  await page.fill(byTestId('admin-rule-priority'), '5000');
  assert.match(await page.locator(byTestId('admin-rule-priority-error')).textContent(), /priority is a number from 1 to 4096/);
  assert.equal(await page.locator(byTestId('admin-rule-apply')).isDisabled(), true);
  await page.fill(byTestId('admin-rule-priority'), '100');
  await page.selectOption(byTestId('admin-rule-access'), 'AlwaysAllow');
  await page.fill(byTestId('admin-rule-destination_ports'), '443');
  await page.locator(byTestId('network-manager-editor')).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/network-manager-editor.png` });
  await page.click(byTestId('admin-rule-apply'));
  await page.waitForSelector(byTestId('admin-rule-baseline-always-443'));
  await waitForVerdict(page, /allowed/);

  // The trace names the admin rule that decided.
  await page.click(byTestId('traced-row'));
  await page.waitForFunction(() => /always-443/.test(document.querySelector('.hops')?.textContent ?? ''));

  await page.click(byTestId('undo'));
  await page.waitForSelector(byTestId('admin-rule-baseline-always-443'), { state: 'detached' });
  await waitForVerdict(page, /blocked/);
  assertClean(record);
});
