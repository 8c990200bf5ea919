// End-to-end tests of the policy editors and template import against the release build: an
// ARM template with its parameters file picked together, another dropped on the page, their
// elements and the diagnostics panel; Terraform files and a Terraform folder picked; a route
// edited through its form changes verdicts. No request leaves localhost.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCREENSHOT_DIR, assertClean, byTestId, openApp as openSharedApp, startSession } from './browser.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const ARM = '../shared/fixtures/arm';

const openApp = (path) => openSharedApp(session, path);

test('an ARM template picked with its parameters file loads; its diagnostics are listed', async () => {
  const { page, record } = await openApp();
  const dir = `${ARM}/azurefirewall-forced-tunneling`;
  await page.setInputFiles(byTestId('import-input'), [`${dir}/azuredeploy.json`, `${dir}/azuredeploy.parameters.json`]);
  await page.waitForSelector(byTestId('element-from-vnet'), { timeout: 30000 });
  assert.equal(await page.locator(byTestId('error-banner')).count(), 0);
  assert.ok(await page.locator(byTestId('firewall-firewall1')).count() === 1, 'the firewall is listed');
  assert.ok(await page.locator('.diagram-canvas g[data-testid^="node-"]').count() > 3, 'diagram drawn');
  const headline = await page.locator(byTestId('import-headline')).textContent();
  assert.match(headline, /azuredeploy\.json with azuredeploy\.parameters\.json \(ARM template\)/);
  assert.ok(await page.locator(`${byTestId('import-diagnostics')} li`).count() > 0, 'import diagnostics listed');
  assert.equal(await page.locator(`${byTestId('import-unevaluated')} li`).count(), 2);
  assert.match(await page.locator(`${byTestId('import-unevaluated')} li`).first().textContent(), /\$\.resources\[\d+\]/);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/arm-template-picked.png` });
  assertClean(record);
});

test('the .tf files of a Terraform configuration picked together load: the AML quickstart, its placeholders listed', async () => {
  const { page, record } = await openApp();
  const dir = '../shared/fixtures/terraform/201-machine-learning-moderately-secure';
  const files = ['bastion.tf', 'compute.tf', 'dsvm.tf', 'main.tf', 'network.tf', 'variables.tf', 'workspace.tf'];
  await page.setInputFiles(byTestId('import-input'), files.map((file) => `${dir}/${file}`));
  await page.waitForFunction(() => /Terraform configuration/.test(document.querySelector('[data-testid="import-headline"]')?.textContent ?? ''),
    null, { timeout: 30000 });
  assert.equal(await page.locator(byTestId('error-banner')).count(), 0);
  assert.ok(await page.locator('.diagram-canvas g[data-testid^="node-"]').count() > 3, 'diagram drawn');
  assert.ok(await page.locator(`${byTestId('section-required')} .flow-row`).count() > 10, 'the workspace\'s required flows are listed');
  assert.ok(await page.locator(`${byTestId('section-exfiltration')} [data-status="open"]`).count() > 0,
    'the quickstart leaves exfiltration paths open (public network access stays enabled)');
  const placeholders = await page.locator(`${byTestId('import-unevaluated')} li`).allTextContents();
  assert.ok(placeholders.some((text) => /\.tf:\d+/.test(text)), `placeholders name their file and line: ${placeholders}`);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/terraform-picked.png` });
  assertClean(record);
});

test('a Terraform folder picked with Import → Folder… loads with its local module; .terraform is not read', async () => {
  const { page, record } = await openApp();
  const folder = await mkdtemp(join(tmpdir(), 'vnetlab-tf-'));
  const root = join(folder, 'quickstart');
  await mkdir(join(root, 'modules', 'network'), { recursive: true });
  await mkdir(join(root, '.terraform'), { recursive: true });
  await writeFile(join(root, 'main.tf'), 'module "network" {\n  source = "./modules/network"\n  name   = var.name\n}\nvariable "name" {}\n');
  await writeFile(join(root, 'terraform.tfvars'), 'name = "picked"\n');
  await writeFile(join(root, 'modules', 'network', 'main.tf'),
    'variable "name" {}\nresource "azurerm_virtual_network" "v" {\n  name = "vnet-${var.name}"\n  address_space = ["10.9.0.0/16"]\n' +
    '  location = "eastus"\n  resource_group_name = "rg"\n}\n');
  // Not a configuration file: were it read, the import would fail on it.
  await writeFile(join(root, '.terraform', 'broken.tf'), 'this is { not HCL');
  await page.setInputFiles(byTestId('import-folder-input'), root);
  await page.waitForFunction(() => /Terraform configuration/.test(document.querySelector('[data-testid="import-headline"]')?.textContent ?? ''),
    null, { timeout: 30000 });
  assert.equal(await page.locator(byTestId('error-banner')).count(), 0);
  assert.ok(await page.locator('.diagram-canvas', { hasText: 'vnet-picked' }).count() > 0, 'the module\'s VNet, named from terraform.tfvars, is drawn');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/terraform-folder-picked.png` });
  await rm(folder, { recursive: true, force: true });
  assertClean(record);
});

test('an appliance\'s IP forwarding and SNAT are edited in the element tree; a traced flow follows', async () => {
  const { page, record } = await openApp();
  // A spoke whose 0.0.0.0/0 goes to an appliance in the hub; a second spoke's NSG admits only
  // the appliance's address.
  const peering = (name, local, remote) => ({ name, local_vnet: local, remote_vnet: remote, allow_forwarded_traffic: true });
  const design = {
    schema_version: 1, name: 'nva hub',
    virtual_networks: [
      { name: 'spoke', region: 'eastus', address_space: ['10.0.0.0/16'], subnets: [{ name: 'app', prefix: '10.0.1.0/24', route_table: 'rt' }] },
      { name: 'hub', region: 'eastus', address_space: ['10.1.0.0/16'], subnets: [{ name: 'nva', prefix: '10.1.1.0/24' }] },
      { name: 'spoke2', region: 'eastus', address_space: ['10.2.0.0/16'], subnets: [{ name: 'app', prefix: '10.2.1.0/24', nsg: 'nsg-app' }] },
    ],
    peerings: [peering('s-h', 'spoke', 'hub'), peering('h-s', 'hub', 'spoke'), peering('s2-h', 'spoke2', 'hub'), peering('h-s2', 'hub', 'spoke2')],
    route_tables: [{ name: 'rt', routes: [{ name: 'default', address_prefix: '0.0.0.0/0', next_hop_type: 'VirtualAppliance', next_hop_ip: '10.1.1.4' }] }],
    network_security_groups: [{ name: 'nsg-app', rules: [
      { name: 'from-nva', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: ['10.1.1.4'], destination: ['*'], destination_ports: ['443'] },
      { name: 'deny-rest', priority: 200, direction: 'Inbound', access: 'Deny', protocol: '*', source: ['*'], destination: ['*'], destination_ports: ['*'] },
    ] }],
    computes: [
      { name: 'web', kind: 'virtual_machine', nic: { subnet: 'spoke/app', private_ip: '10.0.1.4' } },
      { name: 'nva', kind: 'network_virtual_appliance', nic: { subnet: 'hub/nva', private_ip: '10.1.1.4' } },
      { name: 'db', kind: 'virtual_machine', nic: { subnet: 'spoke2/app', private_ip: '10.2.1.4' } },
    ],
  };
  await page.setInputFiles(byTestId('import-input'), { name: 'nva.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)) });
  await page.waitForSelector(byTestId('ip-forwarding-nva'));
  assert.equal(await page.locator(byTestId('snat-nva')).isDisabled(), true, 'SNAT needs IP forwarding');
  await page.selectOption(byTestId('trace-form-from'), 'web');
  await page.fill(byTestId('trace-form-to'), 'db');
  await page.fill(byTestId('trace-form-port'), '443');
  await page.click(byTestId('trace-form-submit'));
  const verdict = () => page.locator(`${byTestId('traced-row')} .verdict`).first().textContent();
  await page.waitForSelector(byTestId('traced-row'));
  assert.doesNotMatch(await verdict(), /allowed/, 'without IP forwarding the appliance drops transit traffic');

  await page.click(byTestId('ip-forwarding-nva'));
  await page.waitForFunction((s) => !document.querySelector(s).disabled, byTestId('snat-nva'));
  assert.match(await verdict(), /blocked/, 'forwarded unchanged: db\'s NSG sees web and denies it');
  await page.click(byTestId('snat-nva'));
  await page.waitForFunction((s) => document.querySelector(s).checked, byTestId('snat-nva'));
  assert.match(await verdict(), /allowed/, 'with SNAT db\'s NSG sees the appliance');
  await page.locator(byTestId('ip-forwarding-nva')).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/nva-forwarding.png` });
  assertClean(record);
});

test('an ARM template dropped on the page loads; a parameters file alone fails and keeps the design', async () => {
  const { page, record } = await openApp();
  const dir = `${ARM}/userdefined-routes-appliance`;
  const files = [
    { name: 'azuredeploy.json', text: await readFile(`${dir}/azuredeploy.json`, 'utf8') },
    { name: 'azuredeploy.parameters.json', text: await readFile(`${dir}/azuredeploy.parameters.json`, 'utf8') },
  ];
  const drop = (list) => page.evaluate((items) => {
    const transfer = new DataTransfer();
    for (const f of items) transfer.items.add(new File([f.text], f.name, { type: 'application/json' }));
    const target = document.querySelector('[data-testid="shell"]');
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, list);
  await drop(files);
  await page.waitForFunction(() => document.querySelector('[data-testid="import-headline"]')?.textContent.includes('ARM template'));
  assert.equal(await page.locator(byTestId('error-banner')).count(), 0);
  assert.ok(await page.locator(`${byTestId('route-editor')} [data-testid^="route-table-"]`).count() > 0, 'its route tables are listed');
  const name = await page.locator(byTestId('design-name')).textContent();

  await drop([files[1]]);
  await page.waitForSelector(byTestId('error-banner'));
  assert.match(await page.locator(byTestId('error-text')).textContent(), /parameters file/);
  assert.match(await page.locator(byTestId('import-error')).textContent(), /parameters file/);
  assert.equal(await page.locator(byTestId('design-name')).textContent(), name, 'the design is kept');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/arm-template-dropped.png` });
  assertClean(record);
});

test('editing a route through its form changes verdicts, and undo restores them', async () => {
  const { page, record } = await openApp();
  const statuses = () => page.locator('.flow-row').evaluateAll(
    (rows) => rows.map((r) => `${r.dataset.testid}:${r.dataset.status}`).join(' '));
  const before = await statuses();
  await page.click('[aria-label="Edit route default-to-fw"]');
  await page.waitForSelector(byTestId('route-form'));
  await page.fill(byTestId('route-next_hop_ip'), '10.0.3.999');
  assert.match(await page.locator(byTestId('route-next_hop_ip-error')).textContent(), /not an IPv4 address/);
  assert.equal(await page.locator(byTestId('route-apply')).isDisabled(), true);
  await page.selectOption(byTestId('route-next_hop_type'), 'None');
  await page.fill(byTestId('route-next_hop_ip'), '');
  assert.equal(await page.locator(byTestId('route-apply')).isDisabled(), false);
  await page.click(byTestId('route-apply'));
  await page.waitForFunction(() => document.querySelector('[data-testid="route-rt-default-to-fw"]')?.textContent.includes('None'));
  const after = await statuses();
  assert.notEqual(after, before, 'a 0/0 route to None drops traffic the firewall used to pass');
  assert.match(await page.locator(byTestId('last-change')).textContent(), /changed|broken|opened|closed/);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/route-edited.png` });
  await page.click(byTestId('undo'));
  await page.waitForFunction(() => document.querySelector('[data-testid="route-rt-default-to-fw"]')?.textContent.includes('VirtualAppliance'));
  assert.equal(await statuses(), before);
  assertClean(record);
});

test('the semantics options panel shows every option with a control', async () => {
  const { page, record } = await openApp();
  await page.click(`${byTestId('options-panel')} summary`);
  const keys = await page.locator(`${byTestId('options-panel')} [data-option]`).evaluateAll((rows) => rows.map((r) => r.dataset.option));
  assert.ok(keys.includes('service_endpoint_beats_udr') && keys.includes('storage_endpoint_scope') && keys.includes('max_rules_per_nsg'), `${keys}`);
  await page.selectOption(byTestId('option-storage_endpoint_scope'), 'same_region_and_paired');
  await page.waitForSelector('[data-option="storage_endpoint_scope"].changed');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/options.png` });
  assertClean(record);
});
